// The wire's HTTP/1.1 reader and writers, fed whole and cut at every byte.
import { describe, expect, it } from 'vitest';
import { encodeRequest, encodeResponse, readRequest, readResponse } from '../../../../server/net/wire/http1.ts';

describe('http1', () => {
  it('reads a GET written by encodeRequest, at every cut', () => {
    const bytes = encodeRequest('GET', '/hello', { host: 'helloworld:5000', 'x-request-id': 'abc', connection: 'close' });
    for (let cut = 0; cut < bytes.length; cut++) expect(readRequest(bytes.subarray(0, cut)).kind).toBe('need-more');
    const r = readRequest(Buffer.concat([bytes, Buffer.from('GET /next HTTP/1.1\r\n')]));
    expect(r).toMatchObject({ kind: 'done', value: { method: 'GET', path: '/hello', headers: { host: 'helloworld:5000', 'x-request-id': 'abc' }, keepAlive: false } });
    if (r.kind === 'done') expect(r.rest.toString()).toBe('GET /next HTTP/1.1\r\n');
    expect(readRequest(Buffer.from('GET / HTTP/1.1\r\n\r\n'))).toMatchObject({ kind: 'done', value: { keepAlive: true } });
  });

  it('reads a response with content-length, chunked, or until close', () => {
    const fixed = encodeResponse({ status: 503, headers: { 'content-type': 'text/plain' }, body: 'no healthy upstream' }, true);
    for (let cut = 0; cut < fixed.length; cut++) expect(readResponse(fixed.subarray(0, cut), false).kind).toBe('need-more');
    expect(readResponse(fixed, false)).toMatchObject({ kind: 'done', value: { status: 503, body: 'no healthy upstream', headers: { connection: 'close' } } });
    const chunked = Buffer.from('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nHello\r\n7\r\n world!\r\n0\r\n\r\n');
    expect(readResponse(chunked.subarray(0, chunked.length - 2), false).kind).toBe('need-more');
    expect(readResponse(chunked, false)).toMatchObject({ kind: 'done', value: { status: 200, body: 'Hello world!' } });
    const untilClose = Buffer.from('HTTP/1.0 200 OK\r\n\r\nbody');
    expect(readResponse(untilClose, false).kind).toBe('need-more');
    expect(readResponse(untilClose, true)).toMatchObject({ kind: 'done', value: { body: 'body' } });
  });

  it('reports empty, truncated and malformed input as values', () => {
    expect(readResponse(Buffer.alloc(0), true)).toEqual({ kind: 'error', message: 'empty reply' });
    expect(readResponse(Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc'), true)).toMatchObject({ kind: 'error', message: 'truncated response body' });
    expect(readResponse(Buffer.from('SSH-2.0-OpenSSH\r\n\r\n'), false)).toMatchObject({ kind: 'error' });
    expect(readRequest(Buffer.from('BREW /pot HTCPCP/1.0\r\n\r\n'))).toMatchObject({ kind: 'error' });
    expect(readRequest(Buffer.from('POST / HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n'))).toMatchObject({ kind: 'error' });
    expect(readRequest(Buffer.alloc(70 * 1024, 0x41))).toEqual({ kind: 'error', message: 'header too large' });
  });
});
