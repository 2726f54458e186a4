import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES, parseRequest } from '../../../server/http/protocol.ts';

const parse = (v: unknown) => {
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return parseRequest(text, Buffer.byteLength(text));
};
const code = (v: unknown) => {
  const r = parse(v);
  return r.ok ? 'ok' : r.reply.error.code;
};

describe('ws protocol validation', () => {
  it('accepts every driver method with well-formed params', () => {
    expect(code({ id: 1, method: 'scenarios' })).toBe('ok');
    expect(code({ id: 'a', method: 'load', params: { file: 'scenarios/golden-path.yaml', variant: 'fixed', seed: 4 } })).toBe('ok');
    expect(code({ id: 2, method: 'playTo', params: { target: { position: 3 } } })).toBe('ok');
    expect(code({ id: 3, method: 'playTo', params: { target: { end: true } } })).toBe('ok');
    expect(code({ id: 4, method: 'events', params: { since: 10 } })).toBe('ok');
    expect(code({ id: 5, method: 'inspect', params: { target: { type: 'object', cluster: 'east', kind: 'Pod', namespace: 'default', name: 'x' } } })).toBe('ok');
    expect(code({ id: 6, method: 'exec', params: { cluster: 'east', command: 'kubectl get pods' } })).toBe('ok');
    expect(code({ id: 7, method: 'setManifests', params: { edits: { 'scenarios/a.yaml': 'x', 'scenarios/b.yaml': null } } })).toBe('ok');
  });

  it('answers bad messages with an error naming the problem, keeping the id when there is one', () => {
    expect(code('{not json')).toBe('bad-json');
    expect(code([1, 2])).toBe('bad-request');
    expect(code({ method: 'state' })).toBe('bad-request');
    expect(code({ id: 1, method: 'constructor' })).toBe('unknown-method');
    expect(code({ id: 1, method: '__proto__' })).toBe('unknown-method');
    expect(code({ id: 1, method: 'state', extra: 1 })).toBe('bad-request');
    expect(code({ id: 1, method: 'state', params: { x: 1 } })).toBe('bad-params');
    expect(code({ id: 1, method: 'load', params: { file: 3 } })).toBe('bad-params');
    expect(code({ id: 1, method: 'load', params: { file: 'x', variant: 'half' } })).toBe('bad-params');
    expect(code({ id: 1, method: 'playTo', params: { target: { position: -1 } } })).toBe('bad-params');
    expect(code({ id: 1, method: 'playTo', params: { target: { position: 1, end: true } } })).toBe('bad-params');
    expect(code({ id: 1, method: 'inspect', params: { target: { type: 'shell' } } })).toBe('bad-params');
    expect(code({ id: 1, method: 'exec', params: { command: ['ls'] } })).toBe('bad-params');
    expect(code({ id: 1, method: 'whatIf', params: { edits: { a: 1 } } })).toBe('bad-params');
    const r = parse({ id: 42, method: 'nope' });
    expect(r.ok ? undefined : r.reply.id).toBe(42);
  });

  it('refuses messages over 1 MB before parsing them', () => {
    const r = parseRequest('x', MAX_MESSAGE_BYTES + 1);
    expect(r.ok ? 'ok' : r.reply.error.code).toBe('too-large');
  });
});
