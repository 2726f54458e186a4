/**
 * A request through the mesh: `Call` in, `CallTrace` out. The client's sidecar picks the outbound
 * cluster for host:port, picks endpoints (LEAST_REQUEST; with equal load a random choice, weighted by
 * what each endpoint stands for) and retries failed connects on other hosts (Istio's default route
 * retry: 2 retries, `retry_host_predicate: previous_hosts`, pilot/pkg/networking/core/route/retry/retry.go).
 * Each attempt passes: connect (direct, or a remote network's gateway on 15443 that routes by SNI
 * without terminating), the mTLS handshake between the two sidecars (each side's validator, see
 * validator.ts), PeerAuthentication on the server, RBAC, and the application. The response a client
 * sees is Envoy's (localReply.ts), the stages say why.
 */
import type { Rng } from '../core/rng.ts';
import type { Certificate, SignatureVerifier } from '../pki/index.ts';
import type { ClusterConfig, ConfigRef, EndpointConfig, GatewayListenerConfig, UpstreamTls } from './config.ts';
import type { Proxy } from './proxy.ts';
import { evaluateRbac } from './rbac.ts';
import { verifyPeer, type PeerVerdict } from './validator.ts';
import type { RootCaSecret } from './secrets.ts';
import { describeComparison, type WireExchange, type WireFaultFacts, type WireFaultKind, type WireHandshakeFacts, type WireTransport } from './wire.ts';
import { filterChainNotFoundLine, accessLogLine, inboundLine, passthroughLine } from './accessLog.ts';
import { noHealthyUpstream, rbacDenied, upstreamFailureReply, type LocalReply, type UpstreamFailure } from './localReply.ts';

export interface HttpRequest {
  readonly method: string;
  /** FQDN of the service (after the resolver's search path) or an IP. */
  readonly host: string;
  /** What the client wrote (`helloworld:5000`): the :authority. */
  readonly authority: string;
  readonly port: number;
  readonly path: string;
  readonly userAgent: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** A pod as the data plane reaches it: its sidecar (if injected) and its application. */
export interface Workload {
  readonly cluster: string;
  readonly namespace: string;
  readonly pod: string;
  readonly ip: string;
  readonly proxy?: Proxy;
  /** The application's answer on `port`, or undefined when nothing listens there. */
  app(port: number, req: HttpRequest): HttpResponse | undefined;
}

export type Reach = { readonly kind: 'workload'; readonly workload: Workload } | { readonly kind: 'gateway'; readonly proxy: Proxy; readonly address: string } | { readonly kind: 'refused' } | { readonly kind: 'timeout' };

/** What the lab's world provides to the data plane. */
export interface Dataplane {
  now(): number;
  readonly verifier: SignatureVerifier;
  readonly rng: Rng;
  /** What answers at ip:port when dialled from a pod of `fromCluster`. */
  dial(fromCluster: string, ip: string, port: number): Reach;
  /** Real sockets for every handshake (`--wire`), giving OpenSSL's verdicts beside the lab's. */
  readonly wire?: WireTransport;
  /** The certificate chain of a gateway `credentialName` (a `kubernetes.io/tls` Secret in the gateway's namespace), if readable. */
  credential?(cluster: string, namespace: string, name: string): readonly Certificate[] | undefined;
}

/** What answers a ClientHello: a sidecar or gateway proxy, or a gateway presenting a credentialName certificate. */
interface Presenter {
  readonly id: { readonly pod: string };
  readonly secrets: { readonly default?: { readonly chain: readonly Certificate[]; readonly keyPem?: string } | undefined };
}

export type StageName = 'route' | 'endpoint' | 'connect' | 'gateway' | 'client-tls' | 'server-tls' | 'wire' | 'peer-authn' | 'rbac' | 'app';

export interface Stage {
  readonly stage: StageName;
  readonly ok: boolean;
  readonly detail: string;
  readonly refs?: readonly ConfigRef[];
  /** `wire` stages: what the sockets reported (ports, SNI the gateway read, protocol, cipher, OpenSSL's verdicts, the response). */
  readonly wire?: WireHandshakeFacts | WireFaultFacts;
}

export interface Attempt {
  readonly endpoint: string;
  readonly stages: readonly Stage[];
  readonly failure?: UpstreamFailure;
}

export interface CallTrace {
  readonly from: string;
  readonly request: HttpRequest;
  readonly cluster?: string;
  readonly stages: readonly Stage[];
  readonly attempts: readonly Attempt[];
  readonly response: HttpResponse;
  /** Set when the response is Envoy's own (503, 403…), with its flags and details. */
  readonly localReply?: LocalReply;
  /** Who answered (`helloworld-v2-…` in west), when the app did. */
  readonly servedBy?: { readonly cluster: string; readonly pod: string };
}

const MAX_RETRIES = 2;

/** A client's source port from Linux's ephemeral range (32768–60999). */
const ephemeralPort = (dp: Dataplane): number => 32768 + dp.rng.int(28232);
const HOST_SELECTION_ATTEMPTS = 5;

const epKey = (e: EndpointConfig): string => `${e.address}:${e.port}`;

/** A filter chain's `server_names` entry against the SNI: exact, or `*.suffix` (any depth). */
export const serverNameMatches = (pattern: string, sni: string): boolean => pattern === sni || pattern === '*' || (pattern.startsWith('*.') && sni.endsWith(pattern.slice(1)));

function pickEndpoint(rng: Rng, eps: readonly EndpointConfig[], avoid: ReadonlySet<string>): EndpointConfig {
  // previous_hosts: re-pick up to host_selection_retry_max_attempts times to avoid hosts already tried.
  let chosen = weighted(rng, eps);
  for (let i = 0; i < HOST_SELECTION_ATTEMPTS && avoid.has(epKey(chosen)); i++) chosen = weighted(rng, eps);
  return chosen;
}

function weighted(rng: Rng, eps: readonly EndpointConfig[]): EndpointConfig {
  const total = eps.reduce((s, e) => s + e.weight, 0);
  let x = rng.float() * total;
  for (const e of eps) {
    x -= e.weight;
    if (x < 0) return e;
  }
  return eps[eps.length - 1]!;
}

/** The TLS the client uses toward one endpoint: the DR's, else auto-mTLS for `istio` endpoints (never for MESH_EXTERNAL). */
export function tlsFor(c: ClusterConfig, e: EndpointConfig): UpstreamTls | undefined {
  if (c.tls) return c.tls.mode === 'DISABLE' ? undefined : c.tls;
  if (c.meshExternal || e.tlsMode !== 'istio') return undefined;
  return c.defaultTls;
}

interface AttemptResult {
  readonly attempt: Attempt;
  readonly response?: HttpResponse;
  readonly localReply?: LocalReply;
  readonly servedBy?: { cluster: string; pod: string };
}

type Side = {
  stages: Stage[];
  /** The handshake to replay on real sockets once the attempt is decided (`--wire`). */
  wire?: { readonly index: number; run(exchange?: WireExchange): Promise<{ facts: WireHandshakeFacts; stage: Stage }> };
};
const stage = (s: Side, st: Stage): void => {
  s.stages.push(st);
};

/** The roots a side validates its peer with: the bundle of the peer leaf's trust domain (or every root for `trusted_ca`). */
function peerRoots(root: RootCaSecret, peerLeaf: Certificate | undefined): readonly Certificate[] {
  if (root.kind === 'trusted-ca') return root.roots;
  const td = peerLeaf?.uris.find((u) => u.startsWith('spiffe://'))?.slice('spiffe://'.length).split('/')[0];
  return (td !== undefined ? root.trustDomains.get(td) : undefined) ?? [];
}

/**
 * The same handshake on real sockets (`--wire`), deferred until the attempt is decided so the request
 * and the server side's answer can cross the connection too: OpenSSL's verdicts recorded beside the
 * lab's, disagreements flagged, the response read off the wire. The `wire` stage goes where the
 * handshake happened.
 */
function onTheWire(dp: Dataplane, side: Side, client: Proxy, presented: Presenter, serverRoot: RootCaSecret | undefined, tls: UpstreamTls, viaGateway: boolean, lab: { client: PeerVerdict; server?: PeerVerdict }): void {
  const cc = client.secrets.default;
  const sc = presented.secrets.default;
  const wire = dp.wire;
  if (!wire || !cc?.keyPem || !sc?.keyPem || !client.secrets.rootCa) return;
  const rootCa = client.secrets.rootCa;
  const at = dp.now();
  side.wire = {
    index: side.stages.length,
    run: async (exchange) => {
      const f = await wire.handshake({
        client: { chain: cc.chain, keyPem: cc.keyPem!, peerRoots: peerRoots(rootCa, sc.chain[0]) },
        server: { chain: sc.chain, keyPem: sc.keyPem!, peerRoots: serverRoot ? peerRoots(serverRoot, cc.chain[0]) : [] },
        sni: tls.sni,
        viaGateway,
        alpn: ['istio-http/1.1', 'istio'],
        lab,
        at,
        ...(exchange ? { exchange } : {}),
      });
      const cmp = [f.comparisons.client && `client: ${describeComparison(f.comparisons.client)}`, f.comparisons.server && `server: ${describeComparison(f.comparisons.server)}`].filter(Boolean);
      const sent = exchange?.response;
      const got = f.response;
      const http = got ? `; HTTP/1.1 ${got.status} read off the connection (${got.body.length} bytes)` : sent ? '' : lab.client.ok && lab.server?.ok === false ? '; the server closed the connection' : '';
      const lost = sent && (!got || got.status !== sent.status || got.body !== sent.body);
      const disagree = f.comparisons.client?.kind === 'disagree' || f.comparisons.server?.kind === 'disagree';
      return {
        facts: f,
        stage: {
          stage: 'wire',
          wire: f,
          ok: !disagree && !lost,
          detail: `${f.protocol ?? 'no TLS'}${f.cipher ? ` ${f.cipher}` : ''} 127.0.0.1:${f.clientPort ?? '?'} → ${f.gatewayPort ? `gateway :${f.gatewayPort} (SNI ${f.sniSeenByGateway ?? 'none'}) → ` : ''}:${f.serverPort ?? '?'}${f.error ? `, ${f.error}` : ''}; ${cmp.join('; ')}${http}${disagree ? ' — the two verdicts disagree: a lab defect' : ''}${lost ? ` — the server side answered ${sent.status} but the client read ${got ? got.status : 'nothing'}: a lab defect` : ''}`,
        },
      };
    },
  };
}

/** A refused or dropped connection made real (`--wire`). */
async function faultOnTheWire(dp: Dataplane, side: Side, kind: WireFaultKind): Promise<void> {
  if (!dp.wire) return;
  const f = await dp.wire.fault(kind);
  stage(side, { stage: 'wire', wire: f, ok: f.code === (kind === 'refused' ? 'ECONNREFUSED' : 'ETIMEDOUT'), detail: `${kind === 'refused' ? 'connect to a closed port' : 'ClientHello to a listener that never answers'} 127.0.0.1:${f.port}: ${f.code} after ${Math.round(f.elapsedMs)} ms` });
}

/** Runs the deferred wire exchange of an attempt with the lab's outcome, and reads the response off the connection. */
async function settleOnTheWire(side: Side, r: AttemptResult, req: HttpRequest): Promise<AttemptResult> {
  if (!side.wire) return r;
  const served = !r.attempt.failure && r.response;
  const { facts, stage: st } = await side.wire.run({
    method: req.method,
    path: req.path,
    authority: req.authority,
    headers: { 'user-agent': req.userAgent },
    ...(served ? { response: { status: served.status, headers: served.headers, body: served.body } } : {}),
  });
  (r.attempt.stages as Stage[]).splice(side.wire.index, 0, st);
  side.wire = undefined;
  return served && facts.response && st.ok ? { ...r, response: { ...served, status: facts.response.status, body: facts.response.body } } : r;
}

/** The mTLS handshake: the client judges the server first (TLS 1.3 order), then the server the client. */
async function handshake(dp: Dataplane, side: Side, client: Proxy, server: Proxy | undefined, presented: Presenter, tls: UpstreamTls, serverRef: string, viaGateway = false): Promise<UpstreamFailure | { principal: string | undefined }> {
  const at = dp.now();
  const clientCert = client.secrets.default;
  const clientRoot = client.secrets.rootCa;
  if (!clientCert || !clientRoot) {
    stage(side, { stage: 'client-tls', ok: false, detail: `${client.id.pod} has no ${clientCert ? 'ROOTCA' : 'default'} secret from SDS yet` });
    return { kind: 'sds-not-ready' };
  }
  const serverCert = presented.secrets.default;
  if (!serverCert) {
    stage(side, { stage: 'server-tls', ok: false, detail: `${presented.id.pod} has no certificate to present` });
    return { kind: 'tls', code: 'CONNECTION_RESET' };
  }
  const sans = { exact: tls.sans, prefix: [] };
  const clientVerdict: PeerVerdict = await verifyPeer(dp.verifier, serverCert.chain, clientRoot, sans, at);
  if (!clientVerdict.ok) {
    client.count(`cluster.${tls.sni.replace(/^outbound_\.(\d+)_\.([^_]*)_\./, 'outbound|$1|$2|')}.ssl.${clientVerdict.reason === 'san' ? 'fail_verify_san' : 'fail_verify_error'}`);
    stage(side, {
      stage: 'client-tls',
      ok: false,
      detail: `${client.id.pod} rejects ${presented.id.pod}'s certificate ${clientVerdict.id ?? '(no SPIFFE ID)'}: ${clientVerdict.detail}${clientVerdict.reason === 'san' ? ` (expected one of ${tls.sans.join(', ') || '(none)'})` : clientVerdict.reason === 'no-bundle' ? ` (ROOTCA has ${[...(clientRoot.kind === 'spiffe' ? clientRoot.trustDomains.keys() : ['istiod roots'])].join(', ')})` : ''}`,
      ...(tls.source ? { refs: [tls.source] } : {}),
    });
    onTheWire(dp, side, client, presented, server?.secrets.rootCa, tls, viaGateway, { client: clientVerdict });
    return { kind: 'tls', code: 'CERTIFICATE_VERIFY_FAILED' };
  }
  stage(side, { stage: 'client-tls', ok: true, detail: `${client.id.pod} accepts ${clientVerdict.id} (SNI ${tls.sni})`, ...(tls.source ? { refs: [tls.source] } : {}) });
  if (!server) {
    onTheWire(dp, side, client, presented, undefined, tls, viaGateway, { client: clientVerdict });
    return { principal: undefined };
  }
  const inbound = server.config?.inbound;
  const serverRoot = server.secrets.rootCa;
  if (!inbound || !serverRoot) {
    stage(side, { stage: 'server-tls', ok: false, detail: `${server.id.pod} is not ready (no inbound listener)` });
    return { kind: 'tls', code: 'CONNECTION_RESET' };
  }
  const prefixes = inbound.trustDomains === 'any' ? [] : inbound.trustDomains.map((td) => `spiffe://${td}/`);
  const serverVerdict = await verifyPeer(dp.verifier, clientCert.chain, serverRoot, { exact: [], prefix: prefixes }, at);
  onTheWire(dp, side, client, presented, serverRoot, tls, viaGateway, { client: clientVerdict, server: serverVerdict });
  if (!serverVerdict.ok) {
    // The virtualInbound listener has no stat_prefix, so Envoy names its stats by address; the SPIFFE
    // validator counts a SAN mismatch (trust domain not accepted) as fail_verify_san, other failures as
    // fail_verify_error (envoy: cert_validator/spiffe/spiffe_validator.cc doVerifyCertChain).
    server.count(`listener.0.0.0.0_15006.ssl.${serverVerdict.reason === 'san' ? 'fail_verify_san' : 'fail_verify_error'}`);
    stage(side, {
      stage: 'server-tls',
      ok: false,
      detail: `${server.id.pod} rejects client ${serverVerdict.id ?? ''}: ${serverVerdict.detail}${serverVerdict.reason === 'san' ? ` (accepted trust domains: ${(inbound.trustDomains as readonly string[]).join(', ')})` : ''}`,
    });
    return { kind: 'tls', code: 'SSLV3_ALERT_CERTIFICATE_UNKNOWN' };
  }
  stage(side, { stage: 'server-tls', ok: true, detail: `${serverRef} accepts client ${serverVerdict.id}` });
  return { principal: serverVerdict.id };
}

/** The gateway's listener on the port: SNI routing (AUTO_PASSTHROUGH) or termination. */
function gatewayListener(gw: Proxy, port: number): GatewayListenerConfig | undefined {
  return gw.config?.listeners.find((l) => l.port === port);
}

async function attempt(dp: Dataplane, client: Proxy, c: ClusterConfig, ep: EndpointConfig, req: HttpRequest): Promise<AttemptResult> {
  const side: Side = { stages: [] };
  return settleOnTheWire(side, await attemptOn(dp, side, client, c, ep, req), req);
}

async function attemptOn(dp: Dataplane, side: Side, client: Proxy, c: ClusterConfig, ep: EndpointConfig, req: HttpRequest): Promise<AttemptResult> {
  const tls = tlsFor(c, ep);
  const done = (failure: UpstreamFailure): AttemptResult => ({ attempt: { endpoint: epKey(ep), stages: side.stages, failure } });
  const reach = dp.dial(client.id.cluster, ep.address, ep.port);
  if (reach.kind === 'refused') {
    stage(side, { stage: 'connect', ok: false, detail: `nothing listens on ${epKey(ep)} (TCP RST)` });
    await faultOnTheWire(dp, side, 'refused');
    return done({ kind: 'refused' });
  }
  if (reach.kind === 'timeout') {
    stage(side, { stage: 'connect', ok: false, detail: `${epKey(ep)} is not routable from ${client.id.cluster} (a pod IP of another network); the connect times out after 10 s` });
    await faultOnTheWire(dp, side, 'dropped');
    return done({ kind: 'timeout' });
  }
  let target: Workload;
  let presented: Proxy | undefined;
  // Behind an AUTO_PASSTHROUGH gateway the pod port is the SNI cluster endpoint's (any client: split
  // horizon or a ServiceEntry naming the gateway), not the port the client dialled.
  let behindPort: number | undefined;
  if (reach.kind === 'gateway') {
    const gw = reach.proxy;
    const listener = gatewayListener(gw, ep.port);
    if (!listener) {
      stage(side, { stage: 'gateway', ok: false, detail: `gateway ${gw.id.pod} has no listener on ${ep.port}: connection refused` });
      await faultOnTheWire(dp, side, 'refused');
      return done({ kind: 'refused' });
    }
    if (listener.mode === 'AUTO_PASSTHROUGH' || listener.mode === 'PASSTHROUGH') {
      const sni = tls?.sni;
      // AUTO_PASSTHROUGH chains match the exact SNI; VirtualService tls routes Envoy server_names (wildcards).
      const chain = sni ? listener.chains.find((ch) => (listener.mode === 'AUTO_PASSTHROUGH' ? ch.sni === sni : serverNameMatches(ch.sni, sni))) : undefined;
      if (!chain) {
        gw.accessLog(filterChainNotFoundLine({ startTime: dp.now(), downstreamLocalAddress: `${gw.id.ip}:${ep.port}`, downstreamRemoteAddress: `${client.id.ip}:${ephemeralPort(dp)}`, ...(sni ? { requestedServerName: sni } : {}) }));
        stage(side, { stage: 'gateway', ok: false, detail: sni ? `gateway ${gw.id.pod} has no filter chain for SNI ${sni} (filter_chain_not_found)` : `plaintext reached gateway ${gw.id.pod}: no SNI, no filter chain (filter_chain_not_found)`, refs: [listener.source] });
        // TLS: the close lands in the handshake (a connect failure). Plaintext: TCP was up and the request
        // sent, so the close is a `connection termination` of the stream (research/istio-spec.md §3.4).
        return done(sni ? { kind: 'tls', code: 'CONNECTION_RESET' } : { kind: 'termination' });
      }
      if (chain.endpoints.length === 0) {
        stage(side, { stage: 'gateway', ok: false, detail: `gateway ${gw.id.pod}: no healthy host for ${chain.cluster} (UH)` });
        return done({ kind: 'tls', code: 'CONNECTION_RESET' });
      }
      const inner = weighted(dp.rng, chain.endpoints);
      const behind = dp.dial(gw.id.cluster, inner.address, inner.port);
      if (behind.kind !== 'workload') {
        stage(side, { stage: 'gateway', ok: false, detail: `gateway ${gw.id.pod} cannot reach ${epKey(inner)}` });
        return done({ kind: 'tls', code: 'CONNECTION_RESET' });
      }
      stage(side, { stage: 'gateway', ok: true, detail: `gateway ${gw.id.pod} routes SNI ${sni} to ${behind.workload.pod} (${epKey(inner)}) without terminating TLS`, refs: [listener.source] });
      gw.accessLog(passthroughLine({ startTime: dp.now(), bytesReceived: 1, bytesSent: 1, duration: 1, upstreamHost: epKey(inner), upstreamCluster: chain.cluster, downstreamLocalAddress: `${gw.id.ip}:${ep.port}`, downstreamRemoteAddress: `${client.id.ip}:${ephemeralPort(dp)}`, requestedServerName: sni! }));
      target = behind.workload;
      presented = target.proxy;
      behindPort = inner.port;
    } else {
      return terminatingGateway(dp, side, client, gw, listener, ep, tls, req);
    }
  } else {
    target = reach.workload;
    presented = target.proxy;
  }
  const server = target.proxy;
  const inbound = server?.config?.inbound;
  let principal: string | undefined;
  if (tls) {
    if (!server || inbound?.mtls === 'DISABLE') {
      stage(side, { stage: 'server-tls', ok: false, detail: `${target.pod} ${server ? 'accepts plaintext only (PeerAuthentication DISABLE)' : 'has no sidecar'}: the TLS ClientHello reaches a plaintext listener` });
      return done({ kind: 'tls', code: 'WRONG_VERSION_NUMBER' });
    }
    const hs = await handshake(dp, side, client, server, presented ?? server, tls, target.pod, reach.kind === 'gateway');
    if ('kind' in hs) return done(hs);
    principal = hs.principal;
  } else if (server && inbound?.mtls === 'STRICT') {
    stage(side, { stage: 'peer-authn', ok: false, detail: `${target.pod} requires mTLS (PeerAuthentication STRICT) and the client sent plaintext`, ...(inbound.mtlsSource ? { refs: [inbound.mtlsSource] } : {}) });
    return done({ kind: 'termination' });
  }
  // The server sees the connection come from the gateway (AUTO_PASSTHROUGH proxies TCP) or the client.
  return serve(side, target, principal, req, ep, { dp, from: reach.kind === 'gateway' ? reach.proxy.id.ip : client.id.ip, ...(tls ? { sni: tls.sni } : {}), ...(behindPort !== undefined ? { targetPort: behindPort } : {}) });
}

/**
 * A gateway server that terminates TLS (SIMPLE/MUTUAL/ISTIO_MUTUAL + a VirtualService tcp route,
 * istio: pilot/pkg/networking/core/gateway.go createGatewayTCPFilterChainOpts): the gateway answers the
 * client's handshake itself — ISTIO_MUTUAL with its own SDS `default` and a client-certificate check
 * against its ROOTCA, SIMPLE/MUTUAL with the `credentialName` Secret's certificate — so the client's SAN
 * check meets the gateway's identity, not the workload's. Past the handshake the gateway opens its own
 * connection (mTLS under its identity) along the route.
 */
async function terminatingGateway(dp: Dataplane, side: Side, client: Proxy, gw: Proxy, listener: GatewayListenerConfig, ep: EndpointConfig, tls: UpstreamTls | undefined, req: HttpRequest): Promise<AttemptResult> {
  const done = (failure: UpstreamFailure): AttemptResult => ({ attempt: { endpoint: epKey(ep), stages: side.stages, failure } });
  const sni = tls?.sni;
  const chain = sni ? listener.chains.find((ch) => serverNameMatches(ch.sni, sni)) : undefined;
  if (!tls || !chain?.terminate) {
    gw.accessLog(filterChainNotFoundLine({ startTime: dp.now(), downstreamLocalAddress: `${gw.id.ip}:${ep.port}`, downstreamRemoteAddress: `${client.id.ip}:${ephemeralPort(dp)}`, ...(sni ? { requestedServerName: sni } : {}) }));
    stage(side, { stage: 'gateway', ok: false, detail: `gateway ${gw.id.pod} has no filter chain for ${sni ? `SNI ${sni}` : 'a plaintext connection'} (filter_chain_not_found)`, refs: [listener.source] });
    return done(sni ? { kind: 'tls', code: 'CONNECTION_RESET' } : { kind: 'termination' });
  }
  const t = chain.terminate;
  const credential = t.mode === 'ISTIO_MUTUAL' ? undefined : t.credentialName;
  const credChain = credential ? dp.credential?.(gw.id.cluster, gw.id.namespace, credential) : undefined;
  const presenter: Presenter = t.mode === 'ISTIO_MUTUAL' ? gw : { id: { pod: `${gw.id.pod} (credentialName ${credential ?? 'unset'})` }, secrets: credChain ? { default: { chain: credChain } } : {} };
  stage(side, { stage: 'gateway', ok: true, detail: `gateway ${gw.id.pod} terminates TLS on ${ep.port} (mode ${t.mode}) and presents ${t.mode === 'ISTIO_MUTUAL' ? 'its own SDS certificate `default`' : `the certificate of Secret ${credential ?? '(no credentialName)'}`}, not the workload's`, refs: [listener.source, ...(chain.source ? [chain.source] : [])] });
  const hs = await handshake(dp, side, client, t.mode === 'SIMPLE' ? undefined : gw, presenter, tls, gw.id.pod);
  if ('kind' in hs) return done(hs);
  const fwd = chain.destination ? gw.config?.clusters.get(`${chain.destination.host}:${chain.destination.port}`) : undefined;
  if (!fwd || fwd.endpoints.length === 0) {
    // Unverified: tcp_proxy without a host closes the downstream connection after the handshake.
    stage(side, { stage: 'gateway', ok: false, detail: `gateway ${gw.id.pod}: no healthy host for ${chain.cluster} (UH); the connection is closed` });
    return done({ kind: 'termination' });
  }
  const inner = await attempt(dp, gw, fwd, pickEndpoint(dp.rng, fwd.endpoints, new Set()), req);
  const stages = [...side.stages, ...inner.attempt.stages];
  if (inner.attempt.failure) return { attempt: { endpoint: epKey(ep), stages, failure: { kind: 'termination' } } };
  return { ...inner, attempt: { endpoint: epKey(ep), stages } };
}

const inboundRngs = new WeakMap<Proxy, Rng>();

function serve(side: Side, target: Workload, principal: string | undefined, req: HttpRequest, ep: EndpointConfig, peer?: { dp: Dataplane; from: string; sni?: string; targetPort?: number }): AttemptResult {
  const inbound = target.proxy?.config?.inbound;
  const targetPort = peer?.targetPort ?? (ep.gateway ? req.port : ep.port);
  // The server sidecar's own access log (inbound listener), as `kubectl logs <server> -c istio-proxy` shows it.
  // Its ports come from a stream of the server's own, so logging does not move the client's endpoint picks.
  const logInbound = (code: number, details: string, bytesSent: number, served: boolean) => {
    const server = target.proxy;
    if (!peer || !server) return;
    const rng = inboundRngs.get(server) ?? peer.dp.rng.fork(`inbound/${server.id.cluster}/${server.id.pod}`);
    inboundRngs.set(server, rng);
    const port = () => 32768 + rng.int(28232);
    server.accessLog(inboundLine({ startTime: peer.dp.now(), method: req.method, path: req.path, code, details, bytesSent, userAgent: req.userAgent, authority: req.authority, podAddress: `${target.ip}:${targetPort}`, port: targetPort, downstreamRemoteAddress: `${peer.from}:${port()}`, ...(peer.sni ? { requestedServerName: peer.sni } : {}), ...(served ? { upstreamLocalAddress: `127.0.0.6:${port()}` } : {}) }));
  };
  if (inbound) {
    const v = evaluateRbac(inbound.rbac, { principal, path: req.path, method: req.method, port: targetPort });
    if (!v.allowed) {
      stage(side, { stage: 'rbac', ok: false, detail: `${target.pod}: ${v.why}`, refs: inbound.rbac.map((p) => p.source) });
      const reply = rbacDenied(v.matchedPolicy === 'none' ? undefined : v.matchedPolicy);
      logInbound(reply.status, reply.responseCodeDetails, reply.body.length, false);
      return { attempt: { endpoint: epKey(ep), stages: side.stages }, response: { status: reply.status, body: reply.body, headers: { 'content-type': 'text/plain', server: 'envoy' } }, localReply: reply };
    }
    if (inbound.rbac.length) stage(side, { stage: 'rbac', ok: true, detail: `${target.pod}: allowed${v.policy ? ` by ${v.policy}` : ''}` });
  }
  const answer = target.app(targetPort, req);
  if (!answer) {
    stage(side, { stage: 'app', ok: false, detail: `${target.pod}: nothing listens on ${targetPort}` });
    return { attempt: { endpoint: epKey(ep), stages: side.stages, failure: { kind: 'refused' } } };
  }
  stage(side, { stage: 'app', ok: true, detail: `${target.pod} answers ${answer.status}` });
  if (target.proxy) logInbound(answer.status, 'via_upstream', answer.body.length, true);
  return { attempt: { endpoint: epKey(ep), stages: side.stages }, response: answer, servedBy: { cluster: target.cluster, pod: target.pod } };
}

/** A request from a workload whose outbound traffic its sidecar captures. */
export async function callThroughSidecar(dp: Dataplane, client: Proxy, req: HttpRequest): Promise<CallTrace> {
  const stages: Stage[] = [];
  const from = `${client.id.cluster}/${client.id.namespace}/${client.id.pod}`;
  const c = client.config?.clusters.get(`${req.host}:${req.port}`);
  if (!c) {
    stages.push({ stage: 'route', ok: false, detail: `${client.id.pod}'s sidecar has no cluster for ${req.host}:${req.port}` });
    const reply = noRoute();
    return { from, request: req, stages, attempts: [], response: { status: reply.status, body: reply.body, headers: {} }, localReply: reply };
  }
  stages.push({ stage: 'route', ok: true, detail: `${req.authority} → cluster ${c.name}`, ...(c.notes.length ? {} : {}) });
  for (const n of c.notes) stages.push({ stage: 'endpoint', ok: true, detail: n });
  if (c.endpoints.length === 0) {
    stages.push({ stage: 'endpoint', ok: false, detail: `cluster ${c.name} has no healthy endpoints` });
    const reply = noHealthyUpstream();
    return { from, request: req, stages, attempts: [], cluster: c.name, response: { status: reply.status, body: reply.body, headers: { 'content-type': 'text/plain' } }, localReply: reply };
  }
  const attempts: Attempt[] = [];
  const tried = new Set<string>();
  let last: AttemptResult | undefined;
  for (let i = 0; i <= MAX_RETRIES; i++) {
    const ep = pickEndpoint(dp.rng, c.endpoints, tried);
    tried.add(epKey(ep));
    if (i > 0) client.count(`cluster.${c.name}.upstream_rq_retry`);
    last = await attempt(dp, client, c, ep, req);
    attempts.push(last.attempt);
    if (!last.attempt.failure) break;
    // retry_on `connect-failure,refused-stream,…` (retry.go defaultRetryOn): a stream reset after the
    // connection was up (`connection termination`) is not a connect failure and is not retried.
    if (last.attempt.failure.kind === 'termination' || last.attempt.failure.kind === 'remote-reset') break;
    client.count(`cluster.${c.name}.upstream_cx_connect_fail`);
  }
  const r = last!;
  const log = (status: number, bodyLength: number, reply?: LocalReply) =>
    client.accessLog(
      accessLogLine({
        startTime: dp.now(), method: req.method, path: req.path, protocol: 'HTTP/1.1', code: status,
        ...(reply ? { flags: reply.responseFlags, details: reply.responseCodeDetails, transportFailureReason: reply.transportFailureReason } : { details: 'via_upstream' }),
        bytesSent: bodyLength, userAgent: req.userAgent, authority: req.authority, upstreamHost: attempts.at(-1)?.endpoint ?? '', upstreamCluster: c.name,
        downstreamLocalAddress: `${req.host}:${req.port}`, downstreamRemoteAddress: `${client.id.ip}:${ephemeralPort(dp)}`, routeName: 'default',
      }),
    );
  if (r.attempt.failure) {
    const reply = upstreamFailureReply(r.attempt.failure, attempts.length > 1);
    log(reply.status, reply.body.length, reply);
    return { from, request: req, stages, attempts, cluster: c.name, response: { status: reply.status, body: reply.body, headers: { 'content-type': 'text/plain' } }, localReply: reply };
  }
  log(r.response!.status, r.response!.body.length, r.localReply);
  return { from, request: req, stages, attempts, cluster: c.name, response: r.response!, ...(r.localReply ? { localReply: r.localReply } : {}), ...(r.servedBy ? { servedBy: r.servedBy } : {}) };
}

function noRoute(): LocalReply {
  // Envoy's router with no matching route: 404 with an empty body, flag NR (route_not_found).
  return { status: 404, body: '', contentType: 'text/plain', responseFlags: 'NR', responseCodeDetails: 'route_not_found', transportFailureReason: '' };
}
