/**
 * One push of istiod: the merged service registry of the config cluster and every synced remote
 * cluster, the network gateways, and per proxy the configuration it sends (clusters with endpoints
 * after split horizon, upstream TLS and SANs, inbound TLS, PeerAuthentication, RBAC; gateway
 * listeners). Pure: the same inputs give the same configuration.
 */
import { clusterName, sniName, type ClusterConfig, type ConfigRef, type EndpointConfig, type GatewayChain, type GatewayListenerConfig, type ProxyConfig, type UpstreamTls } from '../envoy/config.ts';
import type { MeshConfig } from './meshConfig.ts';
import { networkGateways, type NetworkGateway } from './networks.ts';
import { kubeServices, serviceEntries, type ClusterView, type MeshService, type WorkloadEndpoint } from './registry.ts';
import { routeChains, sniHostsOf } from './gatewayRoutes.ts';
import { authorizationPolicies, destinationRuleTls, inboundTrustDomains, peerAuthentication } from './security.ts';

export interface PushInput {
  /** The config cluster (istiod's own). */
  readonly local: ClusterView;
  /** Remote clusters istiod has synced through remote secrets. */
  readonly remotes: readonly ClusterView[];
  readonly mesh: MeshConfig;
  readonly skipValidateTrustDomain: boolean;
}

export interface ProxyNode {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly network: string;
  readonly type: 'sidecar' | 'router';
  /** ISTIO_META_REQUESTED_NETWORK_VIEW: networks whose endpoints the proxy sees ('' always visible). */
  readonly requestedNetworkView?: readonly string[];
}

/** An Istio Gateway server selected for a gateway proxy (networking.istio.io or converted from Gateway API). */
export interface GatewayServer {
  readonly port: number;
  readonly mode: GatewayListenerConfig['mode'] | undefined;
  readonly hosts: readonly string[];
  /** `tls.credentialName` of a SIMPLE/MUTUAL server: the Secret whose certificate the gateway presents. */
  readonly credentialName?: string;
  readonly source: ConfigRef;
}

type GatewayServerMode = Exclude<GatewayListenerConfig['mode'], 'AUTO_PASSTHROUGH'>;

const sortUnique = (xs: readonly string[]): string[] => [...new Set(xs)].sort();

/** spiffe.ExpandWithTrustDomains (pkg/spiffe/spiffe.go): each SPIFFE ID again under every alias domain. */
function expandWithAliases(ids: readonly string[], aliases: readonly string[]): string[] {
  const out = [...ids];
  for (const id of ids) {
    const m = /^spiffe:\/\/([^/]+)(\/.*)$/.exec(id);
    if (m) for (const a of aliases) out.push(`spiffe://${a}${m[2]}`);
  }
  return sortUnique(out);
}

/**
 * `*.local`, `*`, `ns/host`: AUTO_PASSTHROUGH matches services against the server's SNI hosts, which drop
 * the `ns/` part (pilot/pkg/model/gateway.go GetSNIHostsForServer), so `istio-system/*.local` (a converted
 * Gateway API listener) still covers every namespace.
 */
function hostCovered(host: string, serverHosts: readonly string[]): boolean {
  return sniHostsOf(serverHosts).some((name) => name === '*' || name === host || (name.startsWith('*') && host.endsWith(name.slice(1))));
}

export class PushContext {
  readonly services: ReadonlyMap<string, MeshService>;
  readonly gateways: readonly NetworkGateway[];

  constructor(readonly input: PushInput) {
    const all = [input.local, ...input.remotes].flatMap((v) => kubeServices(v, input.mesh));
    all.push(...serviceEntries(input.local, input.mesh));
    // The same hostname in several clusters is one service with the endpoints of all (multi-cluster).
    const merged = new Map<string, MeshService>();
    for (const s of all) {
      const prev = merged.get(s.host);
      if (!prev) merged.set(s.host, s);
      else merged.set(s.host, { ...(prev.source.cluster === input.local.id ? prev : s), endpoints: [...prev.endpoints, ...s.endpoints], subjectAltNames: [...prev.subjectAltNames, ...s.subjectAltNames] });
    }
    this.services = merged;
    this.gateways = networkGateways([input.local, ...input.remotes], input.mesh);
  }

  private gatewaysFor(network: string, cluster: string): NetworkGateway[] {
    const same = this.gateways.filter((g) => g.network === network && g.cluster === cluster);
    return same.length ? same : this.gateways.filter((g) => g.network === network);
  }

  /** Endpoints one proxy gets for a service port: EDS split horizon (pilot/pkg/xds/endpoints/ep_filters.go). */
  endpointsFor(proxy: ProxyNode, svc: MeshService, port: number, mtlsCapable: (e: WorkloadEndpoint) => boolean): { endpoints: EndpointConfig[]; notes: string[] } {
    const notes: string[] = [];
    const direct: EndpointConfig[] = [];
    const viaGateway = new Map<string, { gw: NetworkGateway; stands: number }>();
    for (const e of svc.endpoints) {
      if (proxy.requestedNetworkView && e.network !== '' && !proxy.requestedNetworkView.includes(e.network)) continue;
      const target = e.targetPorts.get(port) ?? port;
      const gws = this.gatewaysFor(e.network, e.cluster);
      if (proxy.network === e.network || gws.length === 0) {
        if (proxy.network !== e.network) notes.push(`${e.pod} (${e.cluster}) is on network ${e.network || '(none)'} and no gateway is known for it: its pod IP ${e.ip} is used directly`);
        direct.push({ address: e.ip, port: target, network: e.network, tlsMode: e.tlsMode, workload: { cluster: e.cluster, namespace: e.namespace, pod: e.pod }, weight: 1 });
        continue;
      }
      if (!mtlsCapable(e)) {
        notes.push(`${e.pod} (${e.cluster}) is dropped: cross-network endpoints need mTLS (no sidecar or mTLS disabled)`);
        continue;
      }
      for (const gw of gws) {
        const k = `${gw.address}:${gw.port}`;
        const cur = viaGateway.get(k) ?? { gw, stands: 0 };
        viaGateway.set(k, { gw, stands: cur.stands + 1 / gws.length });
      }
    }
    const gatewayEps = [...viaGateway.values()].map(({ gw, stands }) => {
      notes.push(`${stands} endpoint(s) of network ${gw.network} reached through gateway ${gw.address}:${gw.port} (${gw.source})`);
      return { address: gw.address, port: gw.port, network: gw.network, tlsMode: 'istio' as const, gateway: { network: gw.network, cluster: gw.cluster, stands }, weight: stands };
    });
    return { endpoints: [...direct, ...gatewayEps], notes };
  }

  private defaultSans(svc: MeshService): string[] {
    const ids = [...svc.endpoints.map((e) => e.identity).filter((x): x is string => x !== undefined), ...svc.subjectAltNames];
    return expandWithAliases(sortUnique(ids), this.input.mesh.trustDomainAliases);
  }

  proxyConfig(proxy: ProxyNode, gatewayServers: readonly GatewayServer[] = []): ProxyConfig {
    const { local, mesh } = this.input;
    const clusters = new Map<string, ClusterConfig>();
    for (const svc of this.services.values()) {
      for (const p of svc.ports) {
        const dr = destinationRuleTls(local.store, svc.host, p.port, proxy.namespace, mesh.rootNamespace, local.id);
        const sni = dr?.sni ?? sniName(p.port, svc.host);
        const defaultTls: UpstreamTls = { mode: 'ISTIO_MUTUAL', sni, sans: this.defaultSans(svc) };
        const tls: UpstreamTls | undefined = dr ? { mode: dr.mode as UpstreamTls['mode'], sni, sans: dr.mode === 'ISTIO_MUTUAL' && dr.sans.length === 0 ? defaultTls.sans : dr.sans, source: dr.source } : undefined;
        // mtls_checker.go: an endpoint counts as mTLS if the DR says ISTIO_MUTUAL, else by its tlsMode label and its PeerAuthentication.
        const capable = (e: WorkloadEndpoint) => {
          if (dr) return dr.mode === 'ISTIO_MUTUAL';
          if (e.tlsMode !== 'istio') return false;
          const view = [local, ...this.input.remotes].find((v) => v.id === e.cluster);
          return !view || peerAuthentication(view.store, mesh, { namespace: e.namespace, labels: e.labels }, e.cluster).mode !== 'DISABLE';
        };
        const { endpoints, notes } = this.endpointsFor(proxy, svc, p.port, capable);
        clusters.set(`${svc.host}:${p.port}`, { name: clusterName(p.port, svc.host), host: svc.host, port: p.port, protocol: p.protocol, meshExternal: svc.meshExternal, endpoints, ...(tls ? { tls } : {}), defaultTls, notes });
      }
    }
    const pa = peerAuthentication(local.store, mesh, { namespace: proxy.namespace, labels: proxy.labels }, local.id);
    return {
      clusters,
      inbound: {
        trustDomains: inboundTrustDomains(mesh, this.input.skipValidateTrustDomain),
        mtls: pa.mode,
        ...(pa.source ? { mtlsSource: pa.source } : {}),
        rbac: authorizationPolicies(local.store, mesh, { namespace: proxy.namespace, labels: proxy.labels }, local.id),
      },
      listeners: proxy.type === 'router' ? this.gatewayListeners(proxy, gatewayServers) : [],
      accessLog: mesh.accessLogFile !== '',
    };
  }

  /**
   * AUTO_PASSTHROUGH listeners (pilot/pkg/networking/core/gateway.go builtAutoPassthroughFilterChains):
   * one chain per visible non-external service port whose host the server covers, SNI
   * `outbound_.<port>_._.<host>`, forwarding to the local network's mTLS endpoints. Other TLS modes take
   * their chains from VirtualServices (gatewayRoutes.ts); a port left without chains gets no listener.
   */
  private gatewayListeners(proxy: ProxyNode, servers: readonly GatewayServer[]): GatewayListenerConfig[] {
    const byPort = new Map<number, GatewayServer[]>();
    for (const s of servers) byPort.set(s.port, [...(byPort.get(s.port) ?? []), s]);
    const out: GatewayListenerConfig[] = [];
    for (const [port, ss] of byPort) {
      const first = ss[0]!;
      const hosts = ss.flatMap((s) => s.hosts);
      const chains: GatewayChain[] = [];
      const endpointsOf = (svc: MeshService | undefined, port: number): EndpointConfig[] =>
        (svc?.endpoints ?? [])
          .filter((e) => e.tlsMode === 'istio' && (!proxy.requestedNetworkView || e.network === '' || proxy.requestedNetworkView.includes(e.network)))
          .map((e) => ({ address: e.ip, port: e.targetPorts.get(port) ?? port, network: e.network, tlsMode: e.tlsMode, workload: { cluster: e.cluster, namespace: e.namespace, pod: e.pod }, weight: 1 }));
      if (first.mode === 'AUTO_PASSTHROUGH')
        for (const svc of this.services.values()) {
          if (svc.meshExternal || !hostCovered(svc.host, hosts)) continue;
          for (const p of svc.ports) chains.push({ sni: sniName(p.port, svc.host), cluster: sniName(p.port, svc.host), endpoints: endpointsOf(svc, p.port) });
        }
      else if (first.mode !== undefined)
        for (const s of ss) chains.push(...routeChains(this.input.local.store, { port, mode: s.mode as GatewayServerMode, hosts: s.hosts, ...(s.credentialName ? { credentialName: s.credentialName } : {}), gateway: s.source }, (h, p) => endpointsOf(this.services.get(h), p)));
      // gateway.go MutableGatewayListener.build: a listener without filter chains is omitted ("must have more than 0 chains").
      if (first.mode !== undefined && chains.length === 0) continue;
      out.push({ port, mode: first.mode ?? 'DISABLE', hosts, chains, source: first.source });
    }
    return out;
  }
}
