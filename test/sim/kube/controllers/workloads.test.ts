import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../sim/core/clock.ts';
import { Rng } from '../../../../sim/core/rng.ts';
import { applyManifest } from '../../../../sim/kube/apply.ts';
import type { Pod } from '../../../../sim/kube/builtinKinds.ts';
import { restartWorkload } from '../../../../sim/kube/controllers/deployment.ts';
import { startControllers } from '../../../../sim/kube/controllers/install.ts';
import type { KubeManifest, KubeObject } from '../../../../sim/kube/object.ts';
import { ClusterStore } from '../../../../sim/kube/store.ts';

function cluster(seed: string, opts: { podStartupMs?: number; nodes?: number } = {}) {
  const clock = new VirtualClock(Date.UTC(2025, 0, 1));
  const rng = new Rng(seed);
  const store = new ClusterStore({ clock, rng: rng.fork('kube-apiserver') });
  const ctrl = startControllers(store, { clock, rng: rng.fork('controllers'), podStartupMs: opts.podStartupMs, loadBalancerCidr: '172.18.255.200/29' });
  for (let i = 1; i <= (opts.nodes ?? 2); i++) store.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: `worker-${i}` } });
  return { clock, store, ctrl };
}
const must = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const names = (objs: readonly KubeObject[]) => objs.map((o) => o.metadata.name);
const pods = (store: ClusterStore, ns = 'default') => must(store.list('pods', { namespace: ns })) as Pod[];

const web = (image = 'nginx:1.27', replicas = 3): KubeManifest => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [{ name: 'app', image, ports: [{ name: 'http', containerPort: 8080 }], env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'mode' } } }] }],
        volumes: [{ name: 'cfg', configMap: { name: 'cfg' } }],
      },
    },
  },
});
const svc: KubeManifest = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } };

describe('kube controllers', () => {
  it('bootstraps namespaces (labelled), default service accounts, the kubernetes service and nodes', () => {
    const { store } = cluster('a');
    expect(names(must(store.list('ns')))).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    expect(must(store.get('ns', undefined, 'kube-system')).metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'kube-system' });
    must(applyManifest(store, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-system' } }));
    expect(store.find('sa', 'istio-system', 'default')).toBeDefined();
    must(store.delete('sa', 'istio-system', 'default'));
    expect(store.find('sa', 'istio-system', 'default')).toBeDefined(); // re-created
    expect(must(store.get('svc', 'default', 'kubernetes')).spec).toMatchObject({ clusterIP: '10.96.0.1' });
    const node = must(store.get('nodes', undefined, 'worker-1'));
    expect(node.status).toMatchObject({ nodeInfo: { kubeletVersion: 'v1.30.0' }, addresses: [{ type: 'InternalIP', address: '172.18.0.2' }, { type: 'Hostname', address: 'worker-1' }] });
    expect(node.spec).toMatchObject({ podCIDR: '10.244.0.0/24' });
    expect(node.metadata.labels?.['kubernetes.io/hostname']).toBe('worker-1');
  });

  it('deployment → replicaset → pods → endpoints', () => {
    const { store } = cluster('a');
    must(applyManifest(store, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { mode: 'blue' } }));
    must(applyManifest(store, web()));
    must(applyManifest(store, svc));
    const rs = must(store.list('rs'));
    expect(rs).toHaveLength(1);
    const hash = rs[0]!.metadata.labels?.['pod-template-hash'];
    expect(rs[0]!.metadata.name).toBe(`web-${hash}`);
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    expect(rs[0]!.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: 'web', controller: true });
    const ps = pods(store);
    expect(ps).toHaveLength(3);
    for (const p of ps) {
      expect(p.metadata.name).toMatch(new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(p.status?.phase).toBe('Running');
      expect(p.status?.podIP).toMatch(/^10\.244\.[01]\.\d+$/);
      expect(p.spec.serviceAccountName).toBe('default');
    }
    expect(new Set(ps.map((p) => p.spec.nodeName))).toEqual(new Set(['worker-1', 'worker-2']));
    const d = must(store.get('deploy', 'default', 'web'));
    expect(d.status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3, updatedReplicas: 3, observedGeneration: 1 });
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    const service = must(store.get('svc', 'default', 'web'));
    expect((service.spec as { clusterIP: string }).clusterIP).toMatch(/^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/);
    const ep = must(store.get('endpoints', 'default', 'web'));
    const subsets = ep.subsets as { addresses: { ip: string; targetRef: { name: string } }[]; ports: unknown[] }[];
    expect(subsets).toHaveLength(1);
    expect(subsets[0]!.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(subsets[0]!.addresses.map((a) => a.targetRef.name).sort()).toEqual(names(ps).sort());

    // Scaling down removes pods and their endpoints.
    must(store.patch('deploy', 'default', 'web', 'merge', { spec: { replicas: 1 } }));
    expect(pods(store)).toHaveLength(1);
    expect((must(store.get('ep', 'default', 'web')).subsets as { addresses: unknown[] }[])[0]!.addresses).toHaveLength(1);

    // A new template makes a new ReplicaSet (revision 2); the old one is scaled to 0.
    must(applyManifest(store, web('nginx:1.28', 1)));
    const sets = must(store.list('rs'));
    expect(sets.map((r) => [(r.spec as { replicas: number }).replicas, r.metadata.annotations?.['deployment.kubernetes.io/revision']])).toEqual(
      expect.arrayContaining([
        [0, '1'],
        [1, '2'],
      ]),
    );
    expect(pods(store).map((p) => p.spec.containers[0]!.image)).toEqual(['nginx:1.28']);
  });

  it('names and IPs are the same for the same seed and differ for another', () => {
    const snapshot = (seed: string) => {
      const { store } = cluster(seed);
      must(applyManifest(store, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { mode: 'blue' } }));
      must(applyManifest(store, web()));
      must(applyManifest(store, svc));
      return {
        pods: pods(store).map((p) => `${p.metadata.name} ${p.status?.podIP} ${p.spec.nodeName} ${p.metadata.uid}`),
        svc: (must(store.get('svc', 'default', 'web')).spec as { clusterIP: string }).clusterIP,
      };
    };
    const a = snapshot('seed-1');
    expect(snapshot('seed-1')).toEqual(a);
    const b = snapshot('seed-2');
    expect(b.pods).not.toEqual(a.pods);
    expect(b.svc).not.toEqual(a.svc);
  });

  it('pods start after the configured delay on the virtual clock', () => {
    const { store, clock } = cluster('a', { podStartupMs: 2000 });
    must(applyManifest(store, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { mode: 'blue' } }));
    must(applyManifest(store, web('nginx', 2)));
    must(applyManifest(store, svc));
    expect(pods(store).map((p) => p.status?.phase)).toEqual(['Pending', 'Pending']);
    expect(must(store.get('ep', 'default', 'web')).subsets).toBeUndefined();
    clock.advance(2000);
    expect(pods(store).map((p) => p.status?.phase)).toEqual(['Running', 'Running']);
    expect((must(store.get('ep', 'default', 'web')).subsets as { addresses: unknown[] }[])[0]!.addresses).toHaveLength(2);
  });

  it('restarted or deleted pods re-read ConfigMaps; running ones keep what they read', () => {
    const { store, clock, ctrl } = cluster('a');
    must(applyManifest(store, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { mode: 'blue' } }));
    must(applyManifest(store, web('nginx', 1)));
    const first = pods(store)[0]!;
    expect(ctrl.kubelet.mounts(first)?.env.app).toEqual({ MODE: 'blue' });
    must(applyManifest(store, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { mode: 'green' } }));
    expect(ctrl.kubelet.mounts(first)?.configMaps.cfg).toEqual({ mode: 'blue' });
    clock.advance(60_000);
    must(restartWorkload(store, clock, 'deployment', 'default', 'web'));
    const after = pods(store);
    expect(after).toHaveLength(1);
    expect(after[0]!.metadata.name).not.toBe(first.metadata.name);
    expect(ctrl.kubelet.mounts(after[0]!)?.configMaps.cfg).toEqual({ mode: 'green' });
    expect(must(store.list('rs'))).toHaveLength(2);
    // Deleting a pod: the ReplicaSet replaces it, the new one reads the current ConfigMap.
    must(applyManifest(store, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { mode: 'red' } }));
    must(store.delete('pod', 'default', after[0]!.metadata.name));
    const replaced = pods(store);
    expect(replaced).toHaveLength(1);
    expect(ctrl.kubelet.mounts(replaced[0]!)?.env.app).toEqual({ MODE: 'red' });
  });

  it('cascade: deleting the deployment deletes its replicasets and pods', () => {
    const { store } = cluster('a');
    must(applyManifest(store, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { mode: 'blue' } }));
    must(applyManifest(store, web()));
    must(store.delete('deploy', 'default', 'web'));
    expect(must(store.list('rs'))).toEqual([]);
    expect(pods(store)).toEqual([]);
  });

  it('daemonsets run one pod per node; statefulsets get ordinal names', () => {
    const { store } = cluster('a', { nodes: 3 });
    must(applyManifest(store, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'spire' } }));
    must(
      applyManifest(store, {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: 'spire-agent', namespace: 'spire' },
        spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'spire-agent' }] } } },
      }),
    );
    const agents = pods(store, 'spire');
    expect(agents.map((p) => p.spec.nodeName).sort()).toEqual(['worker-1', 'worker-2', 'worker-3']);
    expect(agents.every((p) => /^spire-agent-[bcdfghjklmnpqrstvwxz2456789]{5}$/.test(p.metadata.name))).toBe(true);
    store.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker-4' } });
    expect(pods(store, 'spire')).toHaveLength(4);
    must(
      applyManifest(store, {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'spire-server', namespace: 'spire' },
        spec: { replicas: 2, serviceName: 'spire-server', selector: { matchLabels: { app: 'server' } }, template: { metadata: { labels: { app: 'server' } }, spec: { containers: [{ name: 'server', image: 'spire-server' }] } } },
      }),
    );
    const servers = pods(store, 'spire').filter((p) => p.metadata.labels?.app === 'server');
    expect(names(servers)).toEqual(['spire-server-0', 'spire-server-1']);
    expect(servers[0]!.spec).toMatchObject({ hostname: 'spire-server-0', subdomain: 'spire-server' });
    expect(must(store.get('sts', 'spire', 'spire-server')).status).toMatchObject({ replicas: 2, readyReplicas: 2 });
  });

  it('LoadBalancer services get an ingress IP from the pool; deleted services free their ClusterIP', () => {
    const { store } = cluster('a');
    must(applyManifest(store, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'eastwest' }, spec: { type: 'LoadBalancer', selector: { app: 'gw' }, ports: [{ name: 'tls', port: 15443 }] } }));
    const lb = must(store.get('svc', 'default', 'eastwest'));
    expect(lb.status).toEqual({ loadBalancer: { ingress: [{ ip: '172.18.255.201', ipMode: 'VIP' }] } });
    expect((lb.spec as { ports: { nodePort: number }[] }).ports[0]!.nodePort).toBeGreaterThanOrEqual(30000);
    const taken = (lb.spec as { clusterIP: string }).clusterIP;
    const dup = applyManifest(store, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'other' }, spec: { clusterIP: taken, ports: [{ port: 80 }] } });
    expect(!dup.ok && dup.error.message).toBe(`The Service "other" is invalid: spec.clusterIPs: Invalid value: ["${taken}"]: failed to allocate IP ${taken}: provided IP is already allocated`);
    must(store.delete('svc', 'default', 'eastwest'));
    must(applyManifest(store, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'other' }, spec: { clusterIP: taken, ports: [{ port: 80 }] } }));
  });

  it('a refused pod create leaves a FailedCreate event and is retried with back-off until it is admitted', async () => {
    const { store, clock } = cluster('retry');
    let refuse = true;
    store.addAdmission((obj) => (obj.kind === 'Pod' && refuse ? { ok: false, error: { code: 'kube/invalid', message: `Pod "${obj.metadata.name}" is invalid: spec.containers[1].image: Required value` } } : { ok: true, value: obj }));
    must(applyManifest(store, { ...web('nginx:1.27', 1), spec: { ...(web().spec as object), replicas: 1, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } } }));
    store.settle();
    expect(pods(store)).toEqual([]);
    type Ev = { reason: string; message: string; count: number };
    const MAX_EVENTS = 10;
    const events = () => must(store.list('events', { namespace: 'default' })) as unknown as Ev[];
    expect(events().length).toBeGreaterThan(0);
    expect(events()[0]!.reason).toBe('FailedCreate');
    expect(events()[0]!.message).toMatch(/^Error creating: Pod ".*" is invalid: spec.containers\[1\].image: Required value$/);
    clock.advance(30_000);
    store.settle();
    // Ten distinct messages (each names a new pod), then one aggregated event that keeps counting.
    const combined = events().filter((e) => e.message.startsWith('(combined from similar events): Error creating: Pod'));
    expect(events()).toHaveLength(MAX_EVENTS + 1);
    expect(combined).toHaveLength(1);
    expect(combined[0]!.count).toBeGreaterThan(1);
    refuse = false;
    clock.advance(60_000);
    store.settle();
    expect(pods(store)).toHaveLength(1);
  });
});
