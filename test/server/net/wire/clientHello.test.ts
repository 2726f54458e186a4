// The ClientHello parser against real hellos sent by Node's TLS client, fed whole and byte by byte.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect as tcpConnect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { parseClientHello } from '../../../../server/net/wire/clientHello.ts';

let server: Server;
let port: number;
const open = new Set<Socket>();

/** The first bytes a client sends, captured by a plain TCP server (which then closes). */
function capture(send: (port: number) => Socket, settleMs = 150): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const onConn = (s: Socket) => {
      open.add(s);
      s.on('data', (c: Buffer) => chunks.push(c));
      setTimeout(() => {
        server.off('connection', onConn);
        s.destroy();
        client.destroy();
        resolve(Buffer.concat(chunks));
      }, settleMs);
    };
    server.on('connection', onConn);
    const client = send(port);
    client.setTimeout(2_000, () => reject(new Error('capture timed out')));
    client.on('error', () => undefined); // the capture server hangs up mid-handshake
    open.add(client);
  });
}

const hello = (opts: ConnectionOptions) => capture((p) => tlsConnect({ host: '127.0.0.1', port: p, rejectUnauthorized: false, ...opts }));

beforeAll(async () => {
  server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  for (const s of open) s.destroy();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('parseClientHello', () => {
  it('reads SNI, ALPN and supported_versions from a real TLS 1.3 hello', async () => {
    const bytes = await hello({ servername: 'outbound_.5000_._.helloworld.default.svc.cluster.local', ALPNProtocols: ['istio-http/1.1', 'istio', 'http/1.1'], minVersion: 'TLSv1.3' });
    const r = parseClientHello(bytes);
    expect(r.kind).toBe('hello');
    if (r.kind !== 'hello') return;
    expect(r.hello.sni).toBe('outbound_.5000_._.helloworld.default.svc.cluster.local');
    expect(r.hello.alpn).toEqual(['istio-http/1.1', 'istio', 'http/1.1']);
    expect(r.hello.supportedVersions).toContain(0x0304);
    expect(r.hello.legacyVersion).toBe(0x0303);
    expect(r.hello.extensions).toContain(0x0000);
    expect(r.hello.bytes).toBe(bytes.length);
  });

  it('has no SNI and no ALPN when the client sends neither (an IP host sends no server_name)', async () => {
    const r = parseClientHello(await hello({}));
    expect(r.kind).toBe('hello');
    if (r.kind !== 'hello') return;
    expect(r.hello.sni).toBeUndefined();
    expect(r.hello.alpn).toEqual([]);
    expect(r.hello.extensions).not.toContain(0x0000);
    expect(r.hello.extensions).not.toContain(0x0010);
  });

  it('asks for more bytes until the record is complete, at every cut of the stream', async () => {
    const bytes = await hello({ servername: 'a.example', ALPNProtocols: ['h2'] });
    for (let cut = 0; cut < bytes.length; cut++) expect(parseClientHello(bytes.subarray(0, cut)).kind).toBe('need-more');
    expect(parseClientHello(bytes)).toMatchObject({ kind: 'hello', hello: { sni: 'a.example', alpn: ['h2'] } });
  });

  it('reassembles a hello fragmented across two records', async () => {
    const bytes = await hello({ servername: 'frag.example' });
    const body = bytes.subarray(5);
    const split = 40;
    const record = (frag: Uint8Array) => Buffer.concat([Buffer.from([22, 3, 1, frag.length >> 8, frag.length & 0xff]), frag]);
    const two = Buffer.concat([record(body.subarray(0, split)), record(body.subarray(split))]);
    expect(parseClientHello(two.subarray(0, 5 + split + 3)).kind).toBe('need-more');
    expect(parseClientHello(two)).toMatchObject({ kind: 'hello', hello: { sni: 'frag.example', bytes: two.length } });
  });

  it('says not-tls for plaintext HTTP, as a real client sends it', async () => {
    const bytes = await capture((p) => {
      const s = tcpConnect({ host: '127.0.0.1', port: p });
      s.write('GET / HTTP/1.1\r\nHost: helloworld\r\n\r\n');
      return s;
    });
    expect(parseClientHello(bytes)).toMatchObject({ kind: 'error', error: { code: 'wire/not-tls' } });
    expect(parseClientHello(Buffer.from('G'))).toMatchObject({ kind: 'error', error: { code: 'wire/not-tls' } });
  });

  it('refuses oversized, non-hello and malformed input as values', async () => {
    const bytes = await hello({ servername: 'big.example' });
    expect(parseClientHello(bytes, 64)).toMatchObject({ kind: 'error', error: { code: 'wire/client-hello-too-large' } });
    const serverHello = Buffer.from(bytes);
    serverHello[5] = 2;
    expect(parseClientHello(serverHello)).toMatchObject({ kind: 'error', error: { code: 'wire/not-client-hello' } });
    const badLength = Buffer.from(bytes);
    badLength[5 + 4 + 2 + 32] = 200; // session id length > 32
    expect(parseClientHello(badLength)).toMatchObject({ kind: 'error', error: { code: 'wire/malformed-client-hello' } });
    expect(parseClientHello(Buffer.from([22, 3, 1, 0, 0]))).toMatchObject({ kind: 'error', error: { code: 'wire/malformed-client-hello' } });
    expect(parseClientHello(Buffer.from([22, 9, 9, 0, 4]))).toMatchObject({ kind: 'error', error: { code: 'wire/not-tls' } });
  });
});
