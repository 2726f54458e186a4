/**
 * The topology the browser lab draws, read from a world at one instant: clusters, nodes, pods (with
 * their role and sidecar), and links — federation (SPIRE server → the trust domain it fetches, from
 * the last refresh), SDS (SPIRE agent or istiod's CA → proxy), xDS (istiod → proxy), discovery
 * (istiod → a remote cluster through its remote secret) and traffic (the calls so far).
 * Read-only: building a snapshot never changes the world.
 */
import type { KubeObject } from '../kube/object.ts';
import { podCells } from '../cli/kubectl/tablePrinter.ts';
import type { World } from '../world/world.ts';
import type { CallView, ClusterView, ComponentKind, Health, LinkView, NodeView, PodView, SidecarView, Snapshot } from '../driver.ts';

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v && typeof v === 'object' ? (v as Rec) : {});
const arr = (v: unknown): Rec[] => (Array.isArray(v) ? (v as Rec[]) : []);

export const podId = (cluster: string, namespace: string, name: string): string => `pod:${cluster}/${namespace}/${name}`;

/** What a pod is, from its containers (chart and operator names) and whether Envoy in it is a router. */
export function componentKind(pod: KubeObject, router: boolean): ComponentKind {
  if (router) return 'gateway';
  const spec = rec(pod.spec);
  const names = [...arr(spec.containers), ...arr(spec.initContainers)].map((c) => `${String(c.name ?? '')} ${String(c.image ?? '')}`);
  const has = (re: RegExp): boolean => names.some((n) => re.test(n));
  if (has(/^discovery .*pilot/)) return 'istiod';
  if (has(/^spire-server\b/)) return 'spire-server';
  if (has(/^spire-agent\b/)) return 'spire-agent';
  if (has(/spiffe-csi-driver/)) return 'csi-driver';
  if (has(/oidc-discovery-provider/)) return 'oidc';
  if (has(/spire-controller-manager/)) return 'controller-manager';
  return 'workload';
}

function appOf(pod: KubeObject): string {
  const labels = pod.metadata.labels ?? {};
  return labels.app ?? labels['app.kubernetes.io/name'] ?? labels['istio'] ?? pod.metadata.name.replace(/-[a-z0-9]{5,10}-[a-z0-9]{5}$/, '').replace(/-\d+$/, '');
}

function podHealth(phase: string, status: string, ready: boolean): Health {
  if (/CrashLoop|Error|Failed|BackOff|Unknown|ErrImage|Evicted/.test(status)) return 'failing';
  if (phase === 'Succeeded') return 'healthy';
  if (phase === 'Pending' || /^Init:|ContainerCreating|PodInitializing/.test(status)) return 'pending';
  if (phase === 'Running') return ready ? 'healthy' : 'warning';
  return 'unknown';
}

function sidecarOf(world: World, cluster: string, pod: KubeObject): SidecarView | undefined {
  const proxy = world.mesh.proxy(cluster, pod.metadata.namespace ?? 'default', pod.metadata.name);
  if (!proxy) return undefined;
  const native = arr(rec(pod.spec).initContainers).some((c) => c.name === 'istio-proxy' && c.restartPolicy === 'Always');
  const spiffeId = proxy.secrets.default?.chain[0]?.uris.find((u) => u.startsWith('spiffe://'));
  const health: Health = proxy.ready ? (proxy.secrets.provider === 'istiod' && world.spire.get(cluster)?.server() ? 'warning' : 'healthy') : proxy.config === undefined ? 'pending' : 'failing';
  return { type: proxy.id.type, native, ready: proxy.ready, provider: proxy.secrets.provider, ...(spiffeId ? { spiffeId } : {}), health };
}

function nodesOf(world: World, cluster: string): NodeView[] {
  return world.clusters
    .get(cluster)!
    .store.scan('Node')
    .map((n) => ({ id: `node:${cluster}/${n.metadata.name}`, cluster, name: n.metadata.name, ready: arr(rec(n.status).conditions).some((c) => c.type === 'Ready' && c.status === 'True') }));
}

function podsOf(world: World, cluster: string): PodView[] {
  const store = world.clusters.get(cluster)!.store;
  return store.scan('Pod').map((p) => {
    const ns = p.metadata.namespace ?? 'default';
    const spec = rec(p.spec);
    const status = rec(p.status);
    const cells = podCells(p);
    const [up, all] = cells.ready.split('/').map(Number);
    const ready = all !== undefined && all > 0 && up === all;
    const phase = String(status.phase ?? 'Pending');
    const sidecar = sidecarOf(world, cluster, p);
    const node = typeof spec.nodeName === 'string' ? spec.nodeName : undefined;
    const ip = typeof status.podIP === 'string' ? status.podIP : undefined;
    return {
      id: podId(cluster, ns, p.metadata.name),
      cluster,
      namespace: ns,
      name: p.metadata.name,
      ...(node ? { node } : {}),
      ...(ip ? { ip } : {}),
      phase,
      status: cells.status,
      ready,
      kind: componentKind(p, sidecar?.type === 'router'),
      app: appOf(p),
      ...(sidecar ? { sidecar } : {}),
      health: podHealth(phase, cells.status, ready),
    };
  });
}

/** The last `spire.bundle.refreshed|refresh-failed` of `server` for `td`, from the event log. */
function lastRefresh(world: World, cluster: string, td: string): { ok: boolean; error?: string; time: number } | undefined {
  const evs = world.events.all();
  for (let i = evs.length - 1; i >= 0; i--) {
    const e = evs[i]!;
    if (!e.source.startsWith(`${cluster}/`) || e.data.trustDomain !== td) continue;
    if (e.type === 'spire.bundle.refreshed') return { ok: true, time: e.time };
    if (e.type === 'spire.bundle.refresh-failed') return { ok: false, error: String(e.data.error ?? ''), time: e.time };
  }
  return undefined;
}

function federationLinks(world: World, clusters: readonly ClusterView[]): LinkView[] {
  const links: LinkView[] = [];
  const serverPod = new Map<string, string>();
  const byTd = new Map<string, string>();
  for (const c of clusters) {
    byTd.set(c.trustDomain, c.name);
    const p = c.pods.find((x) => x.kind === 'spire-server');
    if (p) serverPod.set(c.name, p.id);
  }
  for (const c of clusters) {
    const server = world.spire.get(c.name)?.server();
    const from = serverPod.get(c.name);
    if (!server || !from) continue;
    for (const m of server.federation.managed()) {
      const peer = byTd.get(m.trustDomain);
      const to = (peer && serverPod.get(peer)) ?? (peer ? `cluster:${peer}` : undefined);
      if (!to) continue;
      const last = lastRefresh(world, c.name, m.trustDomain);
      const stored = server.datastore.fetchBundle(m.trustDomain) !== undefined;
      const health: Health = last ? (last.ok ? 'healthy' : stored ? 'warning' : 'failing') : stored ? 'healthy' : 'pending';
      links.push({ id: `federation:${c.name}->${m.trustDomain}`, kind: 'federation', from, to, health, label: `${c.trustDomain} fetches ${m.trustDomain}`, detail: `${m.config.bundleEndpointUrl} (${m.config.profile})${last && !last.ok ? `: ${last.error}` : ''}` });
    }
  }
  return links;
}

function meshLinks(world: World, clusters: readonly ClusterView[]): LinkView[] {
  const links: LinkView[] = [];
  for (const c of clusters) {
    const istiod = c.pods.find((p) => p.kind === 'istiod');
    const agents = new Map(c.pods.filter((p) => p.kind === 'spire-agent' && p.node).map((p) => [p.node!, p.id]));
    for (const p of c.pods) {
      if (!p.sidecar) continue;
      if (istiod) links.push({ id: `xds:${p.id}`, kind: 'xds', from: istiod.id, to: p.id, health: world.mesh.proxy(c.name, p.namespace, p.name)?.config ? 'healthy' : 'failing', label: 'xDS' });
      const agent = p.node ? agents.get(p.node) : undefined;
      if (p.sidecar.provider === 'spire' && agent) links.push({ id: `sds:${p.id}`, kind: 'sds', from: agent, to: p.id, health: p.sidecar.ready ? 'healthy' : 'failing', label: 'SDS (SPIRE agent)' });
      else if (p.sidecar.provider === 'istiod' && istiod) links.push({ id: `sds:${p.id}`, kind: 'sds', from: istiod.id, to: p.id, health: world.spire.get(c.name)?.server() ? 'warning' : 'healthy', label: "SDS (istiod's CA)", detail: 'pilot-agent found no SPIRE socket at start-up' });
      else if (p.sidecar.provider === 'none' && agent) links.push({ id: `sds:${p.id}`, kind: 'sds', from: agent, to: p.id, health: 'failing', label: 'SDS: no secrets' });
    }
    if (!istiod) continue;
    const runtime = world.mesh.istiod(c.name);
    const remotes = runtime?.remotes() ?? [];
    for (const r of remotes) {
      const health: Health = r.status === 'synced' ? 'healthy' : 'failing';
      links.push({ id: `discovery:${c.name}->${r.id}`, kind: 'discovery', from: istiod.id, to: `cluster:${r.id}`, health, label: `remote secret for ${r.id}`, detail: `${r.secret}: ${r.status}` });
    }
    // A cluster that exposes services through an east-west gateway but that this istiod does not
    // watch: its endpoints never reach this cluster's proxies (no error anywhere, M04).
    for (const other of clusters) {
      if (other.name === c.name || remotes.some((r) => r.id === other.name)) continue;
      if (!other.pods.some((p) => p.kind === 'gateway' && p.name.includes('eastwest'))) continue;
      links.push({ id: `discovery:${c.name}->${other.name}`, kind: 'discovery', from: istiod.id, to: `cluster:${other.name}`, health: 'failing', label: `no remote secret for ${other.name}`, detail: `${other.name} exposes services through its east-west gateway, but istiod in ${c.name} does not watch ${other.name}: its endpoints are never pushed here` });
    }
  }
  return links;
}

function trafficLinks(calls: readonly CallView[]): LinkView[] {
  const byPair = new Map<string, { from: string; to: string; ok: number; failed: number; last: CallView }>();
  for (const c of calls) {
    if (!c.target) continue;
    const from = podId(c.client.cluster, c.client.namespace, c.client.pod);
    const k = `${from}->${c.target}`;
    const cur = byPair.get(k) ?? { from, to: c.target, ok: 0, failed: 0, last: c };
    if (c.ok) cur.ok++;
    else cur.failed++;
    cur.last = c;
    byPair.set(k, cur);
  }
  return [...byPair.entries()].map(([k, v]) => ({
    id: `traffic:${k}`,
    kind: 'traffic' as const,
    from: v.from,
    to: v.to,
    health: v.last.ok ? (v.failed > 0 ? 'warning' : 'healthy') : 'failing',
    label: `${v.last.trace.request.authority}${v.last.trace.request.path}: ${v.ok} ok, ${v.failed} failed`,
    detail: `last: HTTP ${v.last.trace.response.status}${v.last.trace.localReply ? ` ${v.last.trace.localReply.responseFlags} ${v.last.trace.localReply.responseCodeDetails}` : ''}`,
  }));
}

export function buildSnapshot(world: World, calls: readonly CallView[], run: number, position: number): Snapshot {
  const clusters: ClusterView[] = [...world.clusters.values()].map((c) => ({
    id: `cluster:${c.name}`,
    name: c.name,
    trustDomain: c.spec.trustDomain,
    ...(c.spec.network ? { network: c.spec.network } : {}),
    platform: c.spec.platform,
    nodes: nodesOf(world, c.name),
    pods: podsOf(world, c.name),
  }));
  const links = [...federationLinks(world, clusters), ...meshLinks(world, clusters), ...trafficLinks(calls)];
  return { run, position, time: world.clock.now(), clusters, links, eventCount: world.events.length };
}

/** The pod a call reached: who served it, else the last attempt's endpoint (a pod or a gateway's address). */
export function callTarget(world: World, trace: CallView['trace']): string | undefined {
  if (trace.servedBy) {
    const c = world.clusters.get(trace.servedBy.cluster);
    const pod = c?.store.scan('Pod').find((p) => p.metadata.name === trace.servedBy!.pod);
    if (pod) return podId(trace.servedBy.cluster, pod.metadata.namespace ?? 'default', pod.metadata.name);
  }
  const last = trace.attempts[trace.attempts.length - 1];
  const ip = last?.endpoint.split(':')[0];
  if (!ip) return undefined;
  for (const c of world.clusters.values()) {
    const pod = c.store.scan('Pod').find((p) => rec(p.status).podIP === ip);
    if (pod) return podId(c.name, pod.metadata.namespace ?? 'default', pod.metadata.name);
    const svc = c.store.scan('Service').find((s) => arr(rec(rec(s.status).loadBalancer).ingress).some((i) => i.ip === ip));
    if (svc) {
      const sel = rec(rec(svc.spec).selector) as Record<string, string>;
      const gw = c.store.scan('Pod', svc.metadata.namespace).find((p) => Object.entries(sel).every(([k, v]) => p.metadata.labels?.[k] === v));
      if (gw) return podId(c.name, gw.metadata.namespace ?? 'default', gw.metadata.name);
    }
  }
  return undefined;
}
