/**
 * Plain HTTP from inside a pod, as the pod network and its sidecar treat it:
 * - `localhost:15000` from the istio-proxy container: Envoy's admin (`/config_dump`, `/stats`);
 * - a Service name (resolved with the pod's DNS search path) or IP from an app container: captured by
 *   the sidecar when the pod has one (a `Call` through Envoy), else straight to a ready endpoint, where
 *   a STRICT sidecar resets the plaintext connection (`curl: (56)`).
 * Undefined = not the mesh's (curl falls back to the lab's HTTPS endpoints and router).
 */
import type { HttpRequest } from '../envoy/call.ts';
import { CURL_RESET_BY_PEER } from '../envoy/localReply.ts';
import type { MeshHttp } from '../cli/curl.ts';
import type { EndpointHost } from '../cli/istioctl/proxyConfigEndpoint.ts';
import { serviceHost } from '../istiod/registry.ts';
import { resolveViaDnsProxy, type DnsProxyInput } from './meshDns.ts';
import type { ClusterRuntime } from './cluster.ts';
import type { MeshRuntime } from './mesh.ts';

interface Ctx {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
}

const USER_AGENT = 'curl/8.16.0';

/** kube-dns with the pod's search path (`<ns>.svc.cluster.local svc.cluster.local cluster.local`). */
function resolveService(cluster: ClusterRuntime, namespace: string, host: string, dns?: DnsProxyInput): { host: string; ip?: string } | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) {
    const svc = cluster.store.scan('Service').find((s) => (s.spec as { clusterIP?: string }).clusterIP === host);
    return svc ? { host: serviceHost(svc.metadata.name, svc.metadata.namespace ?? 'default'), ip: host } : { host, ip: host };
  }
  const h = host.replace(/\.$/, '');
  const parts = h.split('.');
  const candidates = parts.length === 1 ? [[h, namespace]] : parts.length >= 2 && (parts.length === 2 || parts.slice(2).join('.') === 'svc' || parts.slice(2).join('.') === 'svc.cluster.local') ? [[parts[0]!, parts[1]!]] : [];
  for (const [name, ns] of candidates) if (cluster.store.find('Service', ns, name!)) return { host: serviceHost(name!, ns!) };
  // kube-dns does not know the name: the sidecar's DNS proxy may (ServiceEntry hosts, meshDns.ts).
  return dns ? resolveViaDnsProxy(dns, namespace, h) : undefined;
}

export async function meshHttp(mesh: MeshRuntime, cluster: ClusterRuntime, ctx: Ctx, req: { host: string; port: number; path: string; method: string; authority: string; verbose: boolean }): Promise<MeshHttp | undefined> {
  const proxy = mesh.proxy(cluster.name, ctx.namespace, ctx.pod);
  if ((req.host === 'localhost' || req.host === '127.0.0.1') && ctx.container === 'istio-proxy' && proxy) {
    if (req.port !== 15000) return { error: [7, `Failed to connect to ${req.host} port ${req.port} after 0 ms: Couldn't connect to server`] };
    const path = req.path.split('?')[0];
    if (path === '/config_dump') return { response: { status: 200, body: `${JSON.stringify(mesh.configDump(proxy), null, 2)}\n`, headers: { 'content-type': 'application/json' } } };
    if (path === '/stats') return { response: { status: 200, body: proxy.statsText(), headers: { 'content-type': 'text/plain' } } };
    return { response: { status: 404, body: 'invalid path. admin commands are:\n', headers: {} } };
  }
  const istiod = mesh.istiod(cluster.name);
  const target = resolveService(cluster, ctx.namespace, req.host, proxy ? { pod: cluster.store.find('Pod', ctx.namespace, ctx.pod), istiod, serviceEntries: cluster.store.scan('ServiceEntry') } : undefined);
  if (!target) return undefined;
  const request: HttpRequest = { method: req.method, host: target.host, authority: req.authority, port: req.port, path: req.path, userAgent: USER_AGENT };
  if (proxy && ctx.container !== 'istio-proxy') {
    // Outbound capture needs Envoy's listeners: before its first config nothing listens on 15001.
    if (!proxy.config && !mesh.istiod(cluster.name)) return { error: [7, `Failed to connect to ${req.host} port ${req.port} after 0 ms: Couldn't connect to server`] };
    const trace = await mesh.call(proxy, request);
    const verbose = req.verbose ? `* Connected to ${req.host} port ${req.port}\n> ${req.method} ${req.path} HTTP/1.1\n> Host: ${req.authority}\n> User-Agent: ${USER_AGENT}\n< HTTP/1.1 ${trace.response.status}\n` : undefined;
    return { response: trace.response, ...(verbose ? { verbose } : {}) };
  }
  // No sidecar on the client: straight to one ready endpoint of the Service.
  const svcName = target.host.split('.')[0]!;
  const svcNs = target.host.split('.')[1]!;
  const svc = cluster.store.find('Service', svcNs, svcName);
  const clusterIp = (svc?.spec as { clusterIP?: string } | undefined)?.clusterIP;
  if (!clusterIp) return undefined;
  const reach = mesh.dial(cluster.name, clusterIp, req.port);
  if (reach.kind !== 'workload') return { error: [7, `Failed to connect to ${req.host} port ${req.port} after 0 ms: Couldn't connect to server`] };
  const server = reach.workload.proxy;
  if (server?.config?.inbound.mtls === 'STRICT') return { error: [CURL_RESET_BY_PEER.exitCode, CURL_RESET_BY_PEER.stderr.replace(/^curl: \(56\) /, '')] };
  const targetPort = Number(((svc!.spec as { ports?: { port: number; targetPort?: number }[] }).ports ?? []).find((p) => p.port === req.port)?.targetPort ?? req.port);
  const answer = reach.workload.app(targetPort, request);
  return answer ? { response: answer } : { error: [7, `Failed to connect to ${req.host} port ${req.port} after 0 ms: Couldn't connect to server`] };
}

/** Envoy `/clusters` hosts of a proxy, as `proxy-config endpoint` prints them. */
export function meshEndpoints(mesh: MeshRuntime, cluster: string, namespace: string, pod: string): EndpointHost[] | undefined {
  const proxy = mesh.proxy(cluster, namespace, pod);
  if (!proxy) return undefined;
  mesh.refresh(proxy);
  const hosts: EndpointHost[] = [];
  for (const c of proxy.config?.clusters.values() ?? []) for (const e of c.endpoints) hosts.push({ address: e.address, port: e.port, cluster: c.name, healthy: true });
  for (const l of proxy.config?.listeners ?? []) for (const ch of l.chains) for (const e of ch.endpoints) hosts.push({ address: e.address, port: e.port, cluster: ch.cluster, healthy: true });
  return hosts;
}
