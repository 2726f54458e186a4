/**
 * What istiod pushes to one proxy, reduced to the decisions the lab plays out: outbound clusters with
 * their endpoints (after EDS split horizon) and upstream TLS (SNI, SAN matchers), the inbound side
 * (trust domains accepted, PeerAuthentication mode, RBAC) and, for gateways, listeners with their
 * filter chains. Names follow Envoy/Istio: cluster `outbound|5000||helloworld.ns.svc.cluster.local`,
 * SNI `outbound_.5000_._.helloworld.ns.svc.cluster.local` (pilot/pkg/model/service.go BuildSubsetKey,
 * BuildDNSSrvSubsetKey).
 * Simplified: one route per cluster (no VirtualService), HTTP/1.1 only, no locality weighting.
 */

/** Where a config came from, for causal chains (`DestinationRule istio-test/helloworld`). */
export interface ConfigRef {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly cluster?: string;
}

export interface EndpointConfig {
  readonly address: string;
  readonly port: number;
  /** Network of the endpoint (or of the gateway that stands for it). */
  readonly network: string;
  /** Istio's transport-socket match: `istio` endpoints get mTLS under auto-mTLS. */
  readonly tlsMode: 'istio' | 'disabled';
  /** Set when the endpoint is a network gateway standing for remote workloads (split horizon). */
  readonly gateway?: { readonly network: string; readonly cluster: string; readonly stands: number };
  /** The workload behind a direct endpoint. */
  readonly workload?: { readonly cluster: string; readonly namespace: string; readonly pod: string };
  readonly weight: number;
}

export type TlsMode = 'DISABLE' | 'SIMPLE' | 'MUTUAL' | 'ISTIO_MUTUAL';

export interface UpstreamTls {
  readonly mode: TlsMode;
  readonly sni: string;
  /** Exact SAN matchers (`match_subject_alt_names`); empty = chain validation only. */
  readonly sans: readonly string[];
  /** DestinationRule that set this, absent for Istio's defaults. */
  readonly source?: ConfigRef;
}

export interface ClusterConfig {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly protocol: string;
  readonly meshExternal: boolean;
  readonly endpoints: readonly EndpointConfig[];
  /** An explicit TLS setting (DestinationRule); absent = auto-mTLS per endpoint with `defaultTls`. */
  readonly tls?: UpstreamTls;
  /** Istio's default for `istio` endpoints under auto-mTLS. */
  readonly defaultTls: UpstreamTls;
  /** Why endpoints are what they are (e.g. remote network endpoints dropped), for traces. */
  readonly notes: readonly string[];
}

export type PeerAuthMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

export interface PrincipalMatcher {
  readonly exact?: string;
  readonly prefix?: string;
  readonly suffix?: string;
  readonly regex?: string;
}

export interface RbacRule {
  /** Any-of; empty = any source. */
  readonly principals: readonly PrincipalMatcher[];
  readonly notPrincipals: readonly PrincipalMatcher[];
  readonly paths: readonly string[];
  readonly methods: readonly string[];
  readonly ports: readonly number[];
}

export interface RbacPolicy {
  /** Envoy's policy id `ns[<ns>]-policy[<name>]-rule[<i>]` comes from these. */
  readonly namespace: string;
  readonly name: string;
  readonly action: 'ALLOW' | 'DENY' | 'AUDIT' | 'CUSTOM';
  /** An ALLOW policy without rules matches nothing. */
  readonly rules: readonly RbacRule[];
  readonly source: ConfigRef;
}

export interface InboundConfig {
  /** Trust domains whose SPIFFE IDs the server accepts (prefix `spiffe://<td>/`); `any` under PILOT_SKIP_VALIDATE_TRUST_DOMAIN. */
  readonly trustDomains: readonly string[] | 'any';
  readonly mtls: PeerAuthMode;
  readonly mtlsSource?: ConfigRef;
  readonly rbac: readonly RbacPolicy[];
}

export interface GatewayChain {
  /** The chain's server name: exact (AUTO_PASSTHROUGH's `outbound_.…`) or an Envoy wildcard (`*.local`). */
  readonly sni: string;
  readonly cluster: string;
  readonly endpoints: readonly EndpointConfig[];
  /** A terminating chain (SIMPLE/MUTUAL/ISTIO_MUTUAL server + VirtualService tcp route): the gateway's own TLS. */
  readonly terminate?: { readonly mode: TlsMode; readonly credentialName?: string };
  /** The route destination (`host:port`) a VirtualService tls/tcp route forwards to. */
  readonly destination?: { readonly host: string; readonly port: number };
  readonly source?: ConfigRef;
}

export interface GatewayListenerConfig {
  readonly port: number;
  readonly mode: 'AUTO_PASSTHROUGH' | 'PASSTHROUGH' | TlsMode;
  readonly hosts: readonly string[];
  readonly chains: readonly GatewayChain[];
  readonly source: ConfigRef;
}

export interface ProxyConfig {
  /** Outbound clusters by `host:port`. */
  readonly clusters: ReadonlyMap<string, ClusterConfig>;
  readonly inbound: InboundConfig;
  readonly listeners: readonly GatewayListenerConfig[];
  readonly accessLog: boolean;
}

export const clusterName = (port: number, host: string, subset = ''): string => `outbound|${port}|${subset}|${host}`;
export const sniName = (port: number, host: string, subset = ''): string => `outbound_.${port}_.${subset}_.${host}`;
