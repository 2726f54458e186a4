// The east-west gateway as a real TCP proxy: routes by the SNI in the ClientHello without terminating,
// resets what it cannot route, and carries real mTLS handshakes end to end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { startSniProxy, type SniConnectionFacts, type SniProxy } from '../../../../server/net/wire/sniProxy.ts';
import { startMtlsServer, type MtlsServer } from '../../../../server/net/wire/mtlsServer.ts';
import { mtlsRequest } from '../../../../server/net/wire/mtlsClient.ts';
import { meshPki, pem, type Pki } from './fixtures.ts';

const V2 = 'outbound_.5000_._.helloworld.default.svc.cluster.local';
const SLEEP = 'outbound_.80_._.sleep.default.svc.cluster.local';
const ALPN = ['istio-http/1.1', 'istio', 'http/1.1'];

let pki: Pki;
let helloworld: MtlsServer;
let sleep: MtlsServer;
let gateway: SniProxy;
const facts: SniConnectionFacts[] = [];

/** Waits (bounded) until the gateway has reported a connection matching `pred` (reports come on close). */
async function factWhere(pred: (f: SniConnectionFacts) => boolean): Promise<SniConnectionFacts | undefined> {
  for (let i = 0; i < 100; i++) {
    const f = facts.find(pred);
    if (f) return f;
    await new Promise((r) => setTimeout(r, 10));
  }
  return undefined;
}
const factsFor = (clientPort: number | undefined) => factWhere((x) => x.clientPort === clientPort);

beforeAll(async () => {
  pki = await meshPki();
  const backend = (name: string) => () => ({ status: 200, body: `${name}\n` });
  helloworld = await startMtlsServer({ identity: await pem(pki.server, [pki.east]), handler: backend('helloworld v2') });
  sleep = await startMtlsServer({ identity: await pem(pki.server, [pki.east]), handler: backend('sleep') });
  const routes = new Map([
    [V2, helloworld.port],
    [SLEEP, sleep.port],
  ]);
  gateway = await startSniProxy({
    route: ({ sni }) => {
      const port = sni ? routes.get(sni) : undefined;
      return port === undefined ? undefined : { port };
    },
    onConnection: (f) => facts.push(f),
    helloTimeoutMs: 1_000,
    idleTimeoutMs: 2_000,
  });
});
afterAll(async () => {
  await gateway.close();
  await helloworld.close();
  await sleep.close();
});

const viaGateway = async (servername: string | undefined) => {
  const id = await pem(pki.client, [pki.west]);
  return mtlsRequest({ port: gateway.port, ...(servername ? { servername } : {}), alpn: ALPN, certChainPem: id.certChainPem, keyPem: id.keyPem, caPem: id.caPem, timeoutMs: 3_000 });
};

describe('SNI proxy (east-west gateway, AUTO_PASSTHROUGH)', () => {
  it('routes each connection to the backend its SNI names, mTLS end to end', async () => {
    const a = await viaGateway(V2);
    const b = await viaGateway(SLEEP);
    expect(a).toMatchObject({ verdict: { authorized: true }, alpn: 'istio-http/1.1', response: { status: 200, body: 'helloworld v2\n' } });
    expect(b.response?.body).toBe('sleep\n');
    // Not terminated: the client saw the backend's certificate, and the backend the client's.
    expect(Buffer.from(a.peerChainDer[0]!).equals(Buffer.from(pki.server.cert.der))).toBe(true);
    expect(helloworld.connections.at(-1)).toMatchObject({ authorized: true, servername: V2, alpn: 'istio-http/1.1' });
    const fa = await factsFor(a.localPort);
    expect(fa).toMatchObject({ sni: V2, alpn: ALPN, routedTo: helloworld.port, outcome: 'piped' });
    expect(fa!.bytesToUpstream).toBeGreaterThan(200);
    expect(fa!.bytesToClient).toBeGreaterThan(200);
    expect((await factsFor(b.localPort))?.routedTo).toBe(sleep.port);
  });

  it('resets a connection whose SNI has no route: the client sees ECONNRESET', async () => {
    const r = await viaGateway('outbound_.9080_._.nope.default.svc.cluster.local');
    expect(r.error).toMatchObject({ code: 'ECONNRESET', afterHandshake: false });
    expect(r.verdict).toBeUndefined();
    const none = await viaGateway(undefined);
    expect(none.error?.code).toBe('ECONNRESET');
    const f = await factWhere((x) => x.outcome === 'no-route' && x.sni === 'outbound_.9080_._.nope.default.svc.cluster.local');
    expect(f).toMatchObject({ alpn: ALPN, bytesToUpstream: 0 });
    expect(f?.routedTo).toBeUndefined();
  });

  it('closes a plaintext connection without a byte of answer', async () => {
    const got = await new Promise<{ bytes: number; code?: string }>((resolve) => {
      const s = connect({ host: '127.0.0.1', port: gateway.port });
      let bytes = 0;
      let code: string | undefined;
      s.setTimeout(2_000, () => s.destroy());
      s.on('data', (c: Buffer) => (bytes += c.length));
      s.on('error', (e: NodeJS.ErrnoException) => (code = e.code));
      s.on('close', () => resolve({ bytes, ...(code ? { code } : {}) }));
      s.write('GET / HTTP/1.1\r\nHost: helloworld.default.svc.cluster.local:5000\r\n\r\n');
    });
    expect(got.bytes).toBe(0);
    expect(got.code).toBe('ECONNRESET');
    expect((await factWhere((x) => x.outcome === 'not-tls'))?.helloError?.code).toBe('wire/not-tls');
  });

  it('closes the client when the routed backend refuses', async () => {
    const dead: Server = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const deadPort = (dead.address() as AddressInfo).port;
    await new Promise<void>((r) => dead.close(() => r()));
    const proxy = await startSniProxy({ route: () => ({ port: deadPort }), onConnection: (f) => facts.push(f), helloTimeoutMs: 1_000 });
    try {
      const r = await mtlsRequest({ port: proxy.port, servername: V2, caPem: [], timeoutMs: 3_000 });
      expect(r.response).toBeUndefined();
      expect(['EOF', 'ECONNRESET']).toContain(r.error?.code);
      expect(await factWhere((f) => f.routedTo === deadPort)).toMatchObject({ outcome: 'upstream-failed', errorCode: 'ECONNREFUSED', sni: V2 });
    } finally {
      await proxy.close();
    }
  });

  it('times out a client that never finishes its hello', async () => {
    const got = await new Promise<string>((resolve) => {
      const s = connect({ host: '127.0.0.1', port: gateway.port });
      s.setTimeout(3_000, () => s.destroy());
      s.on('error', () => undefined);
      s.on('close', () => resolve('closed'));
      s.write(Buffer.from([22, 3, 1, 0, 200, 1])); // a record header promising 200 bytes, then silence
    });
    expect(got).toBe('closed');
    expect(await factWhere((f) => f.outcome === 'timeout')).toMatchObject({ bytesToUpstream: 0 });
  });

  it('carries 50 sequential mTLS handshakes client → gateway → server', async () => {
    const id = await pem(pki.client, [pki.west]);
    const before = helloworld.connections.length;
    let ok = 0;
    for (let i = 0; i < 50; i++) {
      const r = await mtlsRequest({ port: gateway.port, servername: V2, alpn: ALPN, certChainPem: id.certChainPem, keyPem: id.keyPem, caPem: id.caPem, path: `/hello/${i}`, timeoutMs: 3_000 });
      if (r.verdict?.authorized && r.response?.status === 200) ok++;
    }
    expect(ok).toBe(50);
    expect(helloworld.connections.length - before).toBe(50);
    expect(gateway.open).toBeLessThanOrEqual(2);
  });
});
