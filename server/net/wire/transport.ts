/**
 * The lab's mTLS handshakes on real sockets (issue 7): for every handshake the model decides, the same
 * certificates and keys meet over TLS 1.3 on 127.0.0.1 — the client proxy as an `mtlsRequest`, the
 * server proxy's inbound listener as an `mtlsServer`, and, for cross-network calls, the east-west
 * gateway as a real SNI-reading TCP proxy in between. OpenSSL's verdicts (wall time, CA = the bundle of
 * the peer's trust domain) are compared with the lab's (virtual time) by `compareVerdicts`.
 * Listeners are cached per identity and closed by `close()`; every socket has a timeout.
 */
import { createHash } from 'node:crypto';
import type { WireHandshakeFacts, WireHandshakeRequest, WireTransport, WireComparison } from '../../../sim/envoy/wire.ts';
import { encodePem, type Certificate } from '../../../sim/pki/index.ts';
import { mtlsRequest } from './mtlsClient.ts';
import { startMtlsServer, type InboundConnectionFacts, type MtlsServer } from './mtlsServer.ts';
import { startSniProxy, type SniProxy } from './sniProxy.ts';
import { clocksAgree, compareVerdicts } from './twoVerdicts.ts';

const pem = (certs: readonly Certificate[]): string => certs.map((c) => encodePem('CERTIFICATE', c.der)).join('');
const idOf = (...parts: string[]): string => createHash('sha256').update(parts.join('\n')).digest('hex');

interface Listener {
  readonly server: MtlsServer;
  /** Facts of connections not yet claimed by a handshake. */
  readonly pending: InboundConnectionFacts[];
}

export class NodeWireTransport implements WireTransport {
  private readonly listeners = new Map<string, Promise<Listener>>();
  private readonly gateways = new Map<string, Promise<SniProxy>>();
  /** Every comparison made, for reports and tests. */
  readonly log: { readonly facts: WireHandshakeFacts; readonly sni: string; readonly viaGateway: boolean }[] = [];

  constructor(private readonly opts: { timeoutMs?: number } = {}) {}

  private listener(req: WireHandshakeRequest): Promise<Listener> {
    const certChainPem = pem(req.server.chain);
    const caPem = req.server.peerRoots.map((r) => encodePem('CERTIFICATE', r.der));
    const key = idOf(certChainPem, req.server.keyPem, ...caPem);
    let l = this.listeners.get(key);
    if (!l) {
      const pending: InboundConnectionFacts[] = [];
      l = startMtlsServer({
        identity: { certChainPem, keyPem: req.server.keyPem, caPem },
        // The lab already decided; the socket only carries the request so OpenSSL can judge.
        handler: () => ({ status: 200, body: 'ok' }),
        onConnection: (f) => pending.push(f),
        timeoutMs: this.opts.timeoutMs ?? 5_000,
        keepFacts: 16,
      }).then((server) => ({ server, pending }));
      this.listeners.set(key, l);
    }
    return l;
  }

  /** The east-west gateway in front of a listener: routes only the SNI it serves, resets anything else. */
  private gateway(sni: string, port: number): Promise<SniProxy> {
    const key = `${sni}|${port}`;
    let g = this.gateways.get(key);
    if (!g) {
      g = startSniProxy({ route: (r) => (r.sni === sni ? { port } : undefined), helloTimeoutMs: this.opts.timeoutMs ?? 5_000 });
      this.gateways.set(key, g);
    }
    return g;
  }

  async handshake(req: WireHandshakeRequest): Promise<WireHandshakeFacts> {
    const listener = await this.listener(req);
    const gw = req.viaGateway ? await this.gateway(req.sni, listener.server.port) : undefined;
    listener.pending.length = 0;
    const r = await mtlsRequest({
      port: gw?.port ?? listener.server.port,
      servername: req.sni,
      alpn: req.alpn,
      certChainPem: pem(req.client.chain),
      keyPem: req.client.keyPem,
      caPem: req.client.peerRoots.map((c) => encodePem('CERTIFICATE', c.der)),
      timeoutMs: this.opts.timeoutMs ?? 5_000,
    });
    const wallTime = Date.now();
    const inbound = listener.pending.shift();
    const validity = (certs: readonly Certificate[]) => certs.map((c) => ({ notBefore: c.notBefore, notAfter: c.notAfter }));
    const compare = (lab: NonNullable<WireHandshakeRequest['lab']['server']>, openssl: { authorized: boolean; authorizationError?: string; presented?: number }, certs: readonly Certificate[]): WireComparison => {
      const c = compareVerdicts({ lab, openssl, clocksAgree: clocksAgree(validity(certs), req.at, wallTime) });
      return { kind: c.kind, lab: c.lab, openssl: c.openssl };
    };
    const clientVerdict = r.verdict ? { authorized: r.verdict.authorized, ...(r.verdict.authorizationError ? { error: r.verdict.authorizationError } : {}) } : undefined;
    const serverVerdict = inbound ? { authorized: inbound.authorized, ...(inbound.authorizationError ? { error: inbound.authorizationError } : {}) } : undefined;
    const facts: WireHandshakeFacts = {
      ...(clientVerdict ? { clientVerdict } : {}),
      ...(serverVerdict ? { serverVerdict } : {}),
      ...(r.protocol ? { protocol: r.protocol } : {}),
      ...(r.cipher ? { cipher: r.cipher } : {}),
      ...(typeof r.alpn === 'string' ? { alpn: r.alpn } : {}),
      ...(inbound?.servername ? { sniSeenByGateway: inbound.servername } : {}),
      ...(r.localPort ? { clientPort: r.localPort } : {}),
      serverPort: listener.server.port,
      ...(gw ? { gatewayPort: gw.port } : {}),
      ...(r.error ? { error: `${r.error.code}${r.error.alert ? ` (${r.error.alert})` : ''}` } : {}),
      wallTime,
      comparisons: {
        ...(r.verdict ? { client: compare(req.lab.client, { authorized: r.verdict.authorized, ...(r.verdict.authorizationError ? { authorizationError: r.verdict.authorizationError } : {}) }, [...req.server.chain, ...req.client.peerRoots]) } : {}),
        ...(inbound && req.lab.server ? { server: compare(req.lab.server, { authorized: inbound.authorized, ...(inbound.authorizationError ? { authorizationError: inbound.authorizationError } : {}), presented: inbound.peerChainDer.length }, [...req.client.chain, ...req.server.peerRoots]) } : {}),
      },
    };
    this.log.push({ facts, sni: req.sni, viaGateway: req.viaGateway });
    return facts;
  }

  async close(): Promise<void> {
    const ls = await Promise.all(this.listeners.values());
    const gs = await Promise.all(this.gateways.values());
    await Promise.all([...ls.map((l) => l.server.close()), ...gs.map((g) => g.close())]);
    this.listeners.clear();
    this.gateways.clear();
  }
}
