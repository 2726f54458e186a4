/**
 * Filter chains of a gateway server that is not AUTO_PASSTHROUGH (istio: pilot/pkg/networking/core/gateway.go
 * `createGatewayTCPFilterChainOpts`, `buildGatewayNetworkFiltersFromTCPRoutes`,
 * `buildGatewayNetworkFiltersFromTLSRoutes`):
 * - PASSTHROUGH: one chain per `tls` route match of a VirtualService bound to the gateway, matching the
 *   route's `sniHosts`, no TLS context, tcp_proxy to the route's destination;
 * - SIMPLE / MUTUAL / ISTIO_MUTUAL on a TLS/TCP server: one chain matching the server's hosts (as SNI
 *   server names, `GetSNIHostsForServer`) with the gateway's own TLS context, forwarding along the first
 *   matching `tcp` route; without one, no chain ("listener missed network filter").
 * A VirtualService counts when its `gateways` names the gateway (`name` in its own namespace, or
 * `ns/name`) and one of its hosts matches a server host (`pickMatchingGatewayHosts`, wildcards both ways).
 * Simplified: the first destination of a route only (no weights), no subsets, no `match.port`/`gateways`
 * narrowing inside a route.
 */
import type { ConfigRef, GatewayChain, TlsMode } from '../envoy/config.ts';
import type { ReadStore } from './registry.ts';

type Obj = Record<string, unknown>;
const o = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(o) : []);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The server hosts without their `ns/` part (pilot/pkg/model/gateway.go GetSNIHostsForServer). */
export const sniHostsOf = (hosts: readonly string[]): string[] => [...new Set(hosts.map((h) => (h.includes('/') ? h.split('/')[1]! : h)))].sort();

/** host.Name.Matches: equal, or either side a wildcard covering the other. */
function hostsMatch(a: string, b: string): boolean {
  const covers = (w: string, h: string) => w === '*' || (w.startsWith('*.') && (h.endsWith(w.slice(1)) || (h.startsWith('*.') && h.endsWith(w.slice(1)))));
  return a === b || covers(a, b) || covers(b, a);
}

/** A VirtualService destination host: short names are in the VirtualService's namespace. */
const fqdn = (host: string, ns: string): string => (host.includes('.') ? host : `${host}.${ns}.svc.cluster.local`);

export interface RouteServer {
  readonly port: number;
  readonly mode: TlsMode | 'PASSTHROUGH';
  readonly hosts: readonly string[];
  readonly credentialName?: string;
  /** The Gateway the server belongs to. */
  readonly gateway: ConfigRef;
}

/**
 * The chains of a PASSTHROUGH or terminating server; `endpointsOf` resolves a destination to the
 * gateway's endpoints for it (its own network).
 */
export function routeChains(store: ReadStore, server: RouteServer, endpointsOf: (host: string, port: number) => GatewayChain['endpoints']): GatewayChain[] {
  const gwNs = server.gateway.namespace ?? 'default';
  const out: GatewayChain[] = [];
  const sniHosts = sniHostsOf(server.hosts);
  for (const vs of store.scan({ group: 'networking.istio.io', kind: 'VirtualService' })) {
    const ns = vs.metadata.namespace ?? 'default';
    const spec = o(vs.spec);
    const bound = strs(spec.gateways).some((g) => (g.includes('/') ? g === `${gwNs}/${server.gateway.name}` : ns === gwNs && g === server.gateway.name));
    if (!bound || !strs(spec.hosts).some((h) => sniHosts.some((s) => hostsMatch(h, s)))) continue;
    const source: ConfigRef = { kind: 'VirtualService', namespace: ns, name: vs.metadata.name, ...(server.gateway.cluster ? { cluster: server.gateway.cluster } : {}) };
    const dest = (route: Obj): { host: string; port: number } | undefined => {
      const d = o(list(route.route)[0]?.destination);
      const host = typeof d.host === 'string' ? fqdn(d.host, ns) : undefined;
      return host ? { host, port: Number(o(d.port).number ?? server.port) } : undefined;
    };
    if (server.mode === 'PASSTHROUGH') {
      for (const r of list(spec.tls)) {
        const d = dest(r);
        if (!d) continue;
        for (const m of list(r.match)) for (const sni of strs(m.sniHosts)) out.push({ sni, cluster: `outbound|${d.port}||${d.host}`, endpoints: endpointsOf(d.host, d.port), destination: d, source });
      }
      continue;
    }
    // A terminating server forwards along the first tcp route (buildGatewayNetworkFiltersFromTCPRoutes returns on the first match).
    const d = list(spec.tcp).map(dest).find((x) => x !== undefined);
    if (!d) continue;
    for (const sni of sniHosts) out.push({ sni, cluster: `outbound|${d.port}||${d.host}`, endpoints: endpointsOf(d.host, d.port), destination: d, terminate: { mode: server.mode, ...(server.credentialName ? { credentialName: server.credentialName } : {}) }, source });
    break;
  }
  return out;
}
