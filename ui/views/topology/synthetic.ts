/**
 * A synthetic snapshot of any size (clusters × pods), for the layout bench and tests: the shape of a
 * real one (SPIRE server, istiod, a gateway, agents and CSI drivers per node, workloads with sidecars,
 * federation, xDS and SDS links) without running the engine.
 */
import type { ClusterView, LinkView, PodView, Snapshot } from '../../../sim/driver.ts';

export function syntheticSnapshot(clusterCount: number, podTotal: number, nodesPerCluster = 3): Snapshot {
  const clusters: ClusterView[] = [];
  const links: LinkView[] = [];
  const names = ['east', 'west', 'north', 'south', 'central'];
  for (let ci = 0; ci < clusterCount; ci++) {
    const name = names[ci] ?? `c${ci}`;
    const nodes = Array.from({ length: nodesPerCluster }, (_, i) => ({ id: `node:${name}/${name}-worker${i}`, cluster: name, name: `${name}-worker${i}`, ready: true }));
    const pods: PodView[] = [];
    const pod = (ns: string, n: string, kind: PodView['kind'], node: string, sidecar: boolean, health: PodView['health'] = 'healthy'): PodView => ({
      id: `pod:${name}/${ns}/${n}`,
      cluster: name,
      namespace: ns,
      name: n,
      node,
      phase: 'Running',
      status: 'Running',
      ready: true,
      kind,
      app: n.replace(/-\d+$/, ''),
      ...(sidecar ? { sidecar: { type: kind === 'gateway' ? ('router' as const) : ('sidecar' as const), native: true, ready: true, provider: 'spire' as const, health } } : {}),
      health,
    });
    pods.push(pod('spire', 'spire-server-0', 'spire-server', nodes[0]!.name, false));
    pods.push(pod('istio-system', 'istiod-0', 'istiod', nodes[0]!.name, false));
    pods.push(pod('istio-system', 'istio-eastwestgateway-0', 'gateway', nodes[0]!.name, true));
    for (const n of nodes) {
      pods.push(pod('spire', `spire-agent-${n.name}`, 'spire-agent', n.name, false));
      pods.push(pod('spire', `spire-csi-${n.name}`, 'csi-driver', n.name, false));
    }
    const share = Math.floor(podTotal / clusterCount) + (ci < podTotal % clusterCount ? 1 : 0);
    const workloads = Math.max(0, share - pods.length);
    for (let i = 0; i < workloads; i++) {
      const node = nodes[i % nodes.length]!;
      const p = pod(`app-${i % 7}`, `svc-${i % 40}-${i}`, 'workload', node.name, true, i % 97 === 0 ? 'failing' : 'healthy');
      pods.push(p);
      links.push({ id: `xds:${p.id}`, kind: 'xds', from: `pod:${name}/istio-system/istiod-0`, to: p.id, health: 'healthy', label: 'xDS' });
      links.push({ id: `sds:${p.id}`, kind: 'sds', from: `pod:${name}/spire/spire-agent-${node.name}`, to: p.id, health: p.health, label: 'SDS' });
    }
    clusters.push({ id: `cluster:${name}`, name, trustDomain: `${name}.local`, network: `${name}-network`, platform: 'kind', nodes, pods });
  }
  for (let i = 0; i < clusters.length; i++)
    for (let j = 0; j < clusters.length; j++)
      if (i !== j) links.push({ id: `federation:${clusters[i]!.name}->${clusters[j]!.trustDomain}`, kind: 'federation', from: `pod:${clusters[i]!.name}/spire/spire-server-0`, to: `pod:${clusters[j]!.name}/spire/spire-server-0`, health: 'healthy', label: 'federation' });
  return { run: 0, position: 0, time: 0, clusters, links, eventCount: 0 };
}
