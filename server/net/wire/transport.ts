/**
 * The lab's mTLS handshakes on real sockets (issue 7): for every handshake the model decides, the same
 * certificates and keys meet over TLS 1.3 on 127.0.0.1 — the client proxy as an `mtlsRequest`, the
 * server proxy's inbound listener as an `mtlsServer`, and, for cross-network calls, the east-west
 * gateway as a real SNI-reading TCP proxy in between. OpenSSL's verdicts (wall time, CA = the bundle of
 * the peer's trust domain) are compared with the lab's (virtual time) by `compareVerdicts`.
 * Past the handshake the lab's verdicts are acted on (a rejecting client sends nothing, a rejecting server
 * closes) and the request crosses as HTTP/1.1, answered with what the lab's server side answers (the
 * application, or its sidecar's 403). The model's refused and dropped connections are made real too
 * (faults.ts). Listeners are cached per identity and closed by `close()`; every socket has a timeout.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WireComparison, WireFaultFacts, WireFaultKind, WireHandshakeFacts, WireHandshakeRequest, WireHttpResponse, WireTransport } from '../../../sim/envoy/wire.ts';
import { encodePem, type Certificate } from '../../../sim/pki/index.ts';
import { mtlsRequest } from './mtlsClient.ts';
import { attemptHandshake, closedPort, startBlackHole, type BlackHole } from './faults.ts';
import { startMtlsServer, type InboundConnectionFacts, type MtlsServer } from './mtlsServer.ts';
import { startSniProxy, type SniProxy } from './sniProxy.ts';
import { clocksAgree, compareVerdicts } from './twoVerdicts.ts';

const pem = (certs: readonly Certificate[]): string => certs.map((c) => encodePem('CERTIFICATE', c.der)).join('');
const idOf = (...parts: string[]): string => createHash('sha256').update(parts.join('\n')).digest('hex');

/** What the listener is to do with the connection of the handshake in progress (handshakes are serialised). */
interface Exchange {
  /** The lab's server-side verdict: false closes the connection right after the handshake. */
  readonly admit: boolean;
  readonly response?: WireHttpResponse;
  inbound?: InboundConnectionFacts;
  arrived?: () => void;
}

interface Listener {
  readonly server: MtlsServer;
  current?: Exchange;
}

interface Gateway {
  readonly proxy: SniProxy;
  /** The SNI of each ClientHello the gateway read, newest last. */
  readonly seen: (string | undefined)[];
}

/** How long a dropped connection's handshake waits before the client gives up (wall time). */
const DROP_TIMEOUT_MS = 150;
/** How long to wait for the server side to report a connection the client has already finished with. */
const INBOUND_GRACE_MS = 500;

export class NodeWireTransport implements WireTransport {
  private readonly listeners = new Map<string, Promise<Listener>>();
  private readonly gateways = new Map<string, Promise<Gateway>>();
  private blackHole: Promise<BlackHole> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** Every comparison made, for reports and tests. */
  readonly log: { readonly facts: WireHandshakeFacts; readonly sni: string; readonly viaGateway: boolean; readonly sent?: WireHttpResponse }[] = [];
  /** Every fault made real. */
  readonly faults: WireFaultFacts[] = [];

  constructor(private readonly opts: { timeoutMs?: number; dropTimeoutMs?: number } = {}) {}

  private get timeout(): number {
    return this.opts.timeoutMs ?? 5_000;
  }

  private listener(req: WireHandshakeRequest): Promise<Listener> {
    const certChainPem = pem(req.server.chain);
    const caPem = req.server.peerRoots.map((r) => encodePem('CERTIFICATE', r.der));
    const key = idOf(certChainPem, req.server.keyPem, ...caPem);
    let l = this.listeners.get(key);
    if (!l) {
      const self: { l?: Listener } = {};
      l = startMtlsServer({
        identity: { certChainPem, keyPem: req.server.keyPem, caPem },
        // The lab decided; the socket acts on it: no admission, no answer, or the lab's answer.
        admit: () => self.l?.current?.admit ?? false,
        handler: () => self.l?.current?.response,
        onConnection: (f) => {
          const x = self.l?.current;
          if (!x) return;
          x.inbound = f;
          x.arrived?.();
        },
        onHandshakeError: () => self.l?.current?.arrived?.(),
        timeoutMs: this.timeout,
        keepFacts: 16,
      }).then((server) => (self.l = { server }));
      this.listeners.set(key, l);
    }
    return l;
  }

  /** The east-west gateway in front of a listener: routes only the SNI it serves, resets anything else. */
  private gateway(sni: string, port: number): Promise<Gateway> {
    const key = `${sni}|${port}`;
    let g = this.gateways.get(key);
    if (!g) {
      const seen: (string | undefined)[] = [];
      g = startSniProxy({
        route: (r) => {
          seen.push(r.sni);
          if (seen.length > 16) seen.shift();
          return r.sni === sni ? { port } : undefined;
        },
        helloTimeoutMs: this.timeout,
      }).then((proxy) => ({ proxy, seen }));
      this.gateways.set(key, g);
    }
    return g;
  }

  /** Handshakes run one at a time: each listener serves the exchange in progress. */
  handshake(req: WireHandshakeRequest): Promise<WireHandshakeFacts> {
    const run = this.queue.then(() => this.handshakeNow(req));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async handshakeNow(req: WireHandshakeRequest): Promise<WireHandshakeFacts> {
    const listener = await this.listener(req);
    const gw = req.viaGateway ? await this.gateway(req.sni, listener.server.port) : undefined;
    // No server verdict: a server side that asks no client certificate (a SIMPLE gateway) admits anyone.
    const x: Exchange = { admit: req.lab.server?.ok ?? true, ...(req.exchange?.response ? { response: req.exchange.response } : {}) };
    const arrived = new Promise<void>((done) => (x.arrived = done));
    listener.current = x;
    const ex = req.exchange;
    const r = await mtlsRequest({
      port: gw?.proxy.port ?? listener.server.port,
      servername: req.sni,
      alpn: req.alpn,
      certChainPem: pem(req.client.chain),
      keyPem: req.client.keyPem,
      caPem: req.client.peerRoots.map((c) => encodePem('CERTIFICATE', c.der)),
      timeoutMs: this.timeout,
      // A client proxy that rejects the server's chain sends nothing; the lab never asks when it has no exchange.
      abortAfterHandshake: !req.lab.client.ok || !ex,
      ...(ex ? { method: ex.method, path: ex.path, host: ex.authority, headers: { ...ex.headers, connection: 'close' } } : {}),
    });
    if (!x.inbound && r.verdict) await Promise.race([arrived, sleep(INBOUND_GRACE_MS)]);
    listener.current = undefined;
    const wallTime = Date.now();
    const inbound = x.inbound;
    const validity = (certs: readonly Certificate[]) => certs.map((c) => ({ notBefore: c.notBefore, notAfter: c.notAfter }));
    const compare = (lab: NonNullable<WireHandshakeRequest['lab']['server']>, openssl: { authorized: boolean; authorizationError?: string; presented?: number }, certs: readonly Certificate[]): WireComparison => {
      const c = compareVerdicts({ lab, openssl, clocksAgree: clocksAgree(validity(certs), req.at, wallTime) });
      return { kind: c.kind, lab: c.lab, openssl: c.openssl };
    };
    const verdictOf = (v: { authorized: boolean; authorizationError?: string }) => ({ authorized: v.authorized, ...(v.authorizationError ? { error: v.authorizationError } : {}) });
    const sniSeen = gw?.seen.at(-1);
    const facts: WireHandshakeFacts = {
      ...(r.verdict ? { clientVerdict: verdictOf(r.verdict) } : {}),
      ...(inbound ? { serverVerdict: verdictOf(inbound) } : {}),
      ...(r.protocol ? { protocol: r.protocol } : {}),
      ...(r.cipher ? { cipher: r.cipher } : {}),
      ...(typeof r.alpn === 'string' ? { alpn: r.alpn } : {}),
      ...(sniSeen ? { sniSeenByGateway: sniSeen } : {}),
      ...(r.localPort ? { clientPort: r.localPort } : {}),
      serverPort: listener.server.port,
      ...(gw ? { gatewayPort: gw.proxy.port } : {}),
      ...(r.error ? { error: `${r.error.code}${r.error.alert ? ` (${r.error.alert})` : ''}` } : {}),
      ...(r.response ? { response: r.response } : {}),
      wallTime,
      comparisons: {
        ...(r.verdict ? { client: compare(req.lab.client, r.verdict, [...req.server.chain, ...req.client.peerRoots]) } : {}),
        ...(inbound && req.lab.server ? { server: compare(req.lab.server, { ...inbound, presented: inbound.peerChainDer.length }, [...req.client.chain, ...req.server.peerRoots]) } : {}),
      },
    };
    this.log.push({ facts, sni: req.sni, viaGateway: req.viaGateway, ...(x.response ? { sent: x.response } : {}) });
    return facts;
  }

  async fault(kind: WireFaultKind): Promise<WireFaultFacts> {
    const started = performance.now();
    let port: number;
    let code: string;
    if (kind === 'refused') {
      port = await closedPort();
      code = await attemptHandshake(port, this.timeout);
    } else {
      this.blackHole ??= startBlackHole();
      port = (await this.blackHole).port;
      code = await attemptHandshake(port, this.opts.dropTimeoutMs ?? DROP_TIMEOUT_MS);
    }
    const facts: WireFaultFacts = { kind, code, port, elapsedMs: performance.now() - started };
    this.faults.push(facts);
    return facts;
  }

  async close(): Promise<void> {
    const ls = await Promise.all(this.listeners.values());
    const gs = await Promise.all(this.gateways.values());
    const hole = await this.blackHole;
    await Promise.all([...ls.map((l) => l.server.close()), ...gs.map((g) => g.proxy.close()), hole?.close()]);
    this.listeners.clear();
    this.gateways.clear();
    this.blackHole = undefined;
  }
}
