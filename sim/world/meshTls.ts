/**
 * What a TLS client (`openssl s_client`) meets on the lab's network, from a pod or the workstation:
 * - the lab's HTTPS endpoints (SPIRE bundle endpoints, OIDC discovery, the OpenShift router): their
 *   serving certificate, no client certificate requested;
 * - an east-west gateway's AUTO_PASSTHROUGH port: the SNI picks a filter chain (exact match); an unknown
 *   or absent SNI is closed at once (Envoy closes with the ClientHello unread: the client sees a RST),
 *   a known one is proxied untouched to a local pod's sidecar;
 * - a sidecar's inbound mTLS listener (pod IP, Service IP, or behind the gateway): its SDS `default`
 *   chain, a CertificateRequest naming the ROOTCA roots, and the client's chain judged by the same
 *   validator the data plane uses (envoy/validator.ts verifyPeer with the inbound trust domains).
 * Alerts (BoringSSL in Envoy): no certificate → certificate_required (116, tls13_server.cc); a rejected
 * chain → the SPIFFE validator leaves BoringSSL's default certificate_unknown (46, envoy
 * spiffe_validator.cc ignores out_alert; istio#23916 shows SSLV3_ALERT_CERTIFICATE_UNKNOWN); the default
 * validator (istiod's CA) maps the X509 error (SSL_alert_from_verify_result: unknown issuer → unknown_ca
 * 48, expiry → certificate_expired 45) — Unverified against a live Envoy.
 * Simplified: the client's own sidecar is not in the path. That is right for the workstation, pods without
 * a sidecar and the istio-proxy container (uid 1337 is not redirected); from an app container of an
 * injected pod, Envoy's outbound capture would wrap the connection, which is not modelled.
 */
import type { OpensslNetwork, TlsAnswer } from '../cli/openssl.ts';
import type { SessionTickets } from '../cli/opensslSClient.ts';
import type { Rng } from '../core/rng.ts';
import type { Proxy } from '../envoy/proxy.ts';
import { filterChainNotFoundLine } from '../envoy/accessLog.ts';
import { serverNameMatches } from '../envoy/call.ts';
import { verifyPeer } from '../envoy/validator.ts';
import { rootsByTrustDomain } from '../envoy/secrets.ts';
import type { EndpointResolver } from '../net/bundleEndpoint.ts';
import type { Certificate } from '../pki/index.ts';
import type { ClusterRuntime } from './cluster.ts';
import type { MeshRuntime } from './mesh.ts';

/**
 * BoringSSL's default verify sigalgs (ssl_privkey.cc kVerifySignatureAlgorithms) in OpenSSL's names.
 * Unverified: whether RSA+SHA1 (last in BoringSSL's list) reaches a TLS 1.3 CertificateRequest.
 */
const BORINGSSL_SIGALGS = ['ECDSA+SHA256', 'RSA-PSS+SHA256', 'RSA+SHA256', 'ECDSA+SHA384', 'RSA-PSS+SHA384', 'RSA+SHA384', 'RSA-PSS+SHA512', 'RSA+SHA512'];
/** The inbound mTLS filter chain's ALPN (Istio ALPNDownstreamWithMxc). Unverified for 1.29. */
const INBOUND_ALPN = ['istio-peer-exchange', 'h2', 'http/1.1'];

/** The server's ALPN choice: its own order first (SSL_select_next_proto as Envoy and Go call it). */
const pickAlpn = (server: readonly string[], client: readonly string[]): string | undefined => server.find((p) => client.includes(p));

/** `n` NewSessionTickets: one key name per server (the first 16 bytes), the rest random-looking. */
function tickets(rng: Rng, n: number, lifetimeHint: number, keyName: Uint8Array, now: number): SessionTickets {
  return {
    lifetimeHint,
    startTime: Math.floor(now / 1000),
    list: Array.from({ length: n }, () => {
      const ticket = new Uint8Array(192);
      ticket.set(keyName, 0);
      ticket.set(rng.bytes(176), 16);
      return { sessionId: rng.bytes(32), psk: rng.bytes(32), ticket };
    }),
  };
}

const keyNames = new WeakMap<object, Uint8Array>();
const keyNameOf = (rng: Rng, server: object): Uint8Array => {
  const k = keyNames.get(server) ?? rng.bytes(16);
  keyNames.set(server, k);
  return k;
};

/** A Service name as kube-dns resolves it from `namespace` (`a`, `a.ns`, `a.ns.svc[.cluster.local]`) to its ClusterIP. */
function clusterIpOf(cluster: ClusterRuntime | undefined, namespace: string, host: string): string | undefined {
  if (!cluster) return undefined;
  const parts = host.replace(/\.$/, '').split('.');
  const rest = parts.slice(2).join('.');
  if (parts.length > 2 && rest !== 'svc' && rest !== 'svc.cluster.local') return undefined;
  const svc = cluster.store.find('Service', parts[1] ?? namespace, parts[0]!);
  return (svc?.spec as { clusterIP?: string } | undefined)?.clusterIP;
}

/** A sidecar's inbound listener answering a ClientHello. */
function sidecarInbound(mesh: MeshRuntime, proxy: Proxy | undefined, alpn: readonly string[]): TlsAnswer {
  const inbound = proxy?.config?.inbound;
  const cert = proxy?.secrets.default;
  const root = proxy?.secrets.rootCa;
  // Simplified: a plaintext port (no sidecar, PeerAuthentication DISABLE) answers the ClientHello with
  // whatever the application writes back; the lab shows it as the peer closing the connection.
  if (!proxy || inbound?.mtls === 'DISABLE') return { kind: 'closed', how: 'eof' };
  if (!inbound || !cert || !root) return { kind: 'closed', how: 'reset' };
  const caNames = [...rootsByTrustDomain(root).values()].flat().map((c) => c.subject);
  const chosen = pickAlpn(INBOUND_ALPN, alpn);
  return {
    kind: 'tls',
    server: {
      chain: cert.chain,
      certificateRequest: { caNames, sigalgs: BORINGSSL_SIGALGS },
      ...(chosen ? { alpn: chosen } : {}),
      // Unverified: BoringSSL's TLS 1.3 tickets (kNumTickets = 2) with its 2-day PSK-DHE lifetime.
      tickets: tickets(mesh.rng, 2, 172800, keyNameOf(mesh.rng, proxy), mesh.now()),
    },
    judge: async (clientChain: readonly Certificate[]) => {
      if (clientChain.length === 0) return 116;
      const prefixes = inbound.trustDomains === 'any' ? [] : inbound.trustDomains.map((td) => `spiffe://${td}/`);
      const v = await verifyPeer(mesh.verifier, clientChain, root, { exact: [], prefix: prefixes }, mesh.now());
      if (v.ok) return undefined;
      proxy.count(`listener.0.0.0.0_15006.ssl.${v.reason === 'san' ? 'fail_verify_san' : 'fail_verify_error'}`);
      if (root.kind === 'spiffe' || v.reason !== 'chain') return 46;
      const code = v.chainError?.code;
      return code === 'pki/unknown-authority' ? 48 : code === 'pki/expired' || code === 'pki/not-yet-valid' ? 45 : 46;
    },
  };
}

const rngs = new WeakMap<MeshRuntime, Map<string, Rng>>();

export function meshTls(mesh: MeshRuntime, deps: { readonly from: string; readonly namespace?: string; readonly cluster?: ClusterRuntime; readonly resolve: EndpointResolver; readonly clientIp?: string; readonly podServer?: (host: string, port: number) => Promise<TlsAnswer | undefined> }): OpensslNetwork {
  // One stream per client shell, kept across invocations so that two runs do not draw the same tickets.
  const label = `openssl/${deps.from}/${deps.namespace ?? ''}`;
  const streams = rngs.get(mesh) ?? new Map<string, Rng>();
  rngs.set(mesh, streams);
  const rng = streams.get(label) ?? mesh.rng.fork(label);
  streams.set(label, rng);
  return {
    random: (n) => rng.int(n),
    bytes: (n) => rng.bytes(n),
    tls: async ({ host, port, servername, alpn }) => {
      const endpoint = deps.resolve(deps.from, host, port);
      if (endpoint.ok) {
        const identity = endpoint.value.tlsIdentity();
        if (!identity) return { kind: 'closed', how: 'eof' };
        // Go's crypto/tls: one ticket, 7-day lifetime (maxSessionTicketLifetime); the router is Simplified to the same.
        const chosen = pickAlpn(['h2', 'http/1.1'], alpn);
        return { kind: 'tls', server: { chain: identity.chain, ...(chosen ? { alpn: chosen } : {}), tickets: tickets(rng, 1, 604800, keyNameOf(rng, endpoint.value), mesh.now()) }, judge: async () => undefined };
      }
      // A passthrough Route with no SPIRE endpoint behind it: perhaps a pod's `openssl s_server` (sServer.ts).
      if (endpoint.error.code === 'net/connection-closed' && deps.podServer) {
        const served = await deps.podServer(host, port);
        if (served) return served;
      }
      const ip = /^\d+\.\d+\.\d+\.\d+$/.test(host) ? host : clusterIpOf(deps.cluster, deps.namespace ?? 'default', host);
      if (!ip) return { kind: 'unresolved' };
      const reach = mesh.dial(deps.from, ip, port);
      if (reach.kind === 'refused' || reach.kind === 'timeout') return { kind: reach.kind };
      if (reach.kind === 'workload') return sidecarInbound(mesh, reach.workload.proxy, alpn);
      const gw = reach.proxy;
      const listener = gw.config?.listeners.find((l) => l.port === port);
      if (!listener) return { kind: 'refused' };
      // Simplified: terminating gateway listeners (SIMPLE/MUTUAL) are not modelled for s_client.
      if (listener.mode !== 'AUTO_PASSTHROUGH' && listener.mode !== 'PASSTHROUGH') return { kind: 'closed', how: 'reset' };
      // As the data plane matches (envoy/call.ts): AUTO_PASSTHROUGH exact, PASSTHROUGH Envoy server_names.
      const chain = servername ? listener.chains.find((ch) => (listener.mode === 'AUTO_PASSTHROUGH' ? ch.sni === servername : serverNameMatches(ch.sni, servername))) : undefined;
      if (!chain || chain.endpoints.length === 0) {
        if (!chain) gw.accessLog(filterChainNotFoundLine({ startTime: mesh.now(), downstreamLocalAddress: `${gw.id.ip}:${port}`, downstreamRemoteAddress: `${deps.clientIp ?? '172.18.0.1'}:${32768 + rng.int(28232)}`, ...(servername ? { requestedServerName: servername } : {}) }));
        return { kind: 'closed', how: 'reset' };
      }
      const inner = chain.endpoints[rng.int(chain.endpoints.length)]!;
      const behind = mesh.dial(gw.id.cluster, inner.address, inner.port);
      if (behind.kind !== 'workload') return { kind: 'closed', how: 'reset' };
      return sidecarInbound(mesh, behind.workload.proxy, alpn);
    },
  };
}
