/**
 * Real mTLS handshakes per second through the lab's wire primitives — client (mtlsClient) → east-west
 * gateway (sniProxy: ClientHello parse, SNI route, pipe) → server proxy (mtlsServer: https, facts, peer
 * chain) with one HTTP/1.1 GET each — against a baseline doing the same work with plain Node: a `node:tls`
 * server and client with the same certificates, a hand-written HTTP/1.1 exchange, and a plain `net` pipe
 * as the proxy. Both on 127.0.0.1 with the same concurrency; 5 rounds of alternating runs (lab, baseline,
 * baseline, lab: the host's drift weighs on both alike); values are the medians of each side's runs, ratio =
 * lab / baseline is the median of the rounds' ratios.
 */
import { connect as netConnect, createServer as netServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { connect as tlsConnect, createServer as tlsServer, type TLSSocket } from 'node:tls';
import { generateKeyPair, issueCertificate, issueWithNewKey, spireCaTemplate, x509SvidTemplate } from '../sim/pki/index.ts';
import { Rng } from '../sim/core/rng.ts';
import { identityPem, type TlsIdentityPem } from '../server/net/wire/peerChain.ts';
import { startMtlsServer } from '../server/net/wire/mtlsServer.ts';
import { startSniProxy } from '../server/net/wire/sniProxy.ts';
import { mtlsRequest } from '../server/net/wire/mtlsClient.ts';
import { pairedRatio, rate, type Measurement } from './measure.ts';

const CONCURRENCY = 8;
const ROUNDS = 5;
const BUDGET_MS = 1_000;
const SNI = 'outbound_.5000_._.helloworld.default.svc.cluster.local';
const ALPN = ['istio-http/1.1', 'istio', 'http/1.1'];
const TIMEOUT_MS = 5_000;
const BODY = 'Hello version: v2, instance: helloworld-v2\n';

async function identities(): Promise<{ server: TlsIdentityPem; client: TlsIdentityPem }> {
  const crypto = globalThis.crypto;
  const rng = new Rng('bench-wire');
  // Certificates are judged by OpenSSL at wall time, so they are issued at wall time (bench/ is not sim/).
  const now = Date.now();
  const ca = async (td: string) => issueCertificate(crypto, spireCaTemplate({ trustDomainId: `spiffe://${td}`, serial: rng.serial(), now, ttl: 86_400_000 }), await generateKeyPair(crypto, 'ec-p256'));
  const east = await ca('east.local');
  const west = await ca('west.local');
  const svid = (issuer: typeof east, id: string) => issueWithNewKey(crypto, x509SvidTemplate({ spiffeId: id, serial: rng.serial(), now, ttl: 3_600_000, caNotAfter: issuer.cert.notAfter }), 'ec-p256', issuer);
  return {
    server: await identityPem(crypto, await svid(west, 'spiffe://west.local/ns/default/sa/helloworld'), { roots: [east] }),
    client: await identityPem(crypto, await svid(east, 'spiffe://east.local/ns/default/sa/curl'), { roots: [west] }),
  };
}

const listen = (s: Server): Promise<number> => new Promise((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)));
const closeServer = (s: Server, live: Set<Socket>): Promise<void> =>
  new Promise((r) => {
    for (const c of live) c.destroy();
    s.close(() => r());
  });

/** Plain node:tls server answering one fixed HTTP/1.1 response per connection. */
function baselineServer(id: TlsIdentityPem, live: Set<Socket>): Server {
  const response = `HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(BODY)}\r\nconnection: close\r\n\r\n${BODY}`;
  const s = tlsServer({ cert: id.certChainPem, key: id.keyPem, ca: [...id.caPem], minVersion: 'TLSv1.3', requestCert: true, rejectUnauthorized: false, ALPNProtocols: ['istio-http/1.1', 'http/1.1'] }, (sock: TLSSocket) => {
    live.add(sock);
    sock.setTimeout(TIMEOUT_MS, () => sock.destroy());
    sock.on('close', () => live.delete(sock));
    sock.on('error', () => undefined);
    let head = '';
    sock.on('data', (c: Buffer) => {
      head += c.toString('latin1');
      if (head.includes('\r\n\r\n')) sock.end(response);
    });
  });
  return s;
}

/** Plain `net` pipe to a fixed port: the gateway without ClientHello parsing or routing. */
function baselineProxy(port: number, live: Set<Socket>): Server {
  return netServer((client) => {
    const up = netConnect({ host: '127.0.0.1', port });
    for (const s of [client, up]) {
      live.add(s);
      s.setTimeout(TIMEOUT_MS, () => s.destroy());
      s.on('close', () => live.delete(s));
    }
    client.on('error', () => up.destroy());
    up.on('error', () => client.destroy());
    client.pipe(up).pipe(client);
  });
}

/** Plain node:tls client: handshake, one GET, read to the end. */
function baselineRequest(port: number, id: TlsIdentityPem): Promise<boolean> {
  return new Promise((resolve) => {
    const s = tlsConnect({ host: '127.0.0.1', port, servername: SNI, ALPNProtocols: ALPN, cert: id.certChainPem, key: id.keyPem, ca: [...id.caPem], minVersion: 'TLSv1.3', rejectUnauthorized: false, checkServerIdentity: () => undefined });
    let body = '';
    s.setTimeout(TIMEOUT_MS, () => s.destroy());
    s.on('secureConnect', () => s.write(`GET / HTTP/1.1\r\nhost: ${SNI}\r\nconnection: close\r\n\r\n`));
    s.on('data', (c: Buffer) => (body += c.toString('latin1')));
    s.on('error', () => undefined);
    s.on('close', () => resolve(body.startsWith('HTTP/1.1 200')));
  });
}

export async function wireBenchmarks(): Promise<Measurement[]> {
  const ids = await identities();
  const live = new Set<Socket>();
  const lab = {
    server: await startMtlsServer({ identity: ids.server, handler: () => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: BODY }), keepFacts: 64 }),
    gateway: undefined as Awaited<ReturnType<typeof startSniProxy>> | undefined,
  };
  const gateway = await startSniProxy({ route: ({ sni }) => (sni === SNI ? { port: lab.server.port } : undefined) });
  const plainServer = baselineServer(ids.server, live);
  const plainProxy = baselineProxy(await listen(plainServer), live);
  const plainPort = await listen(plainProxy);
  let failures = 0;
  const count = (ok: boolean) => {
    if (!ok) failures++;
  };
  try {
    const labOnce = async () => {
      const r = await mtlsRequest({ port: gateway.port, servername: SNI, alpn: ALPN, certChainPem: ids.client.certChainPem, keyPem: ids.client.keyPem, caPem: ids.client.caPem, timeoutMs: TIMEOUT_MS });
      count(r.response?.status === 200 && r.verdict?.authorized === true);
    };
    const baseOnce = async () => count(await baselineRequest(plainPort, ids.client));
    // One warm-up each (JIT, session caches are not used: every handshake is full).
    await labOnce();
    await baseOnce();
    const m = await pairedRatio(ROUNDS, () => rate(labOnce, CONCURRENCY, BUDGET_MS), () => rate(baseOnce, CONCURRENCY, BUDGET_MS));
    const note = `${CONCURRENCY} in flight, full TLS 1.3 mTLS handshake + 1 GET each${failures ? `, ${failures} failed` : ''}`;
    return [
      { name: 'wire.baseline.handshakes', value: m.b, unit: 'handshakes/s', note: 'node:tls client → net pipe → node:tls server, same certificates' },
      { name: 'wire.mtls.handshakes', value: m.a, unit: 'handshakes/s', limit: m.b, ratio: m.ratio, note: `mtlsClient → sniProxy → mtlsServer; ${note}` },
    ];
  } finally {
    await gateway.close();
    await lab.server.close();
    await closeServer(plainProxy, live);
    await closeServer(plainServer, live);
  }
}
