/** A bare cluster store with the spire-controller-manager CRDs, namespaces, nodes and pods, for controller tests. */
import { VirtualClock } from '../../../../sim/core/clock.ts';
import { Rng } from '../../../../sim/core/rng.ts';
import type { KubeObject } from '../../../../sim/kube/object.ts';
import { ClusterStore } from '../../../../sim/kube/store.ts';
import { resolveControllerManagerConfig, type ControllerManagerConfigInput } from '../../../../sim/spire/controllerManager/config.ts';
import { startControllerManager } from '../../../../sim/spire/controllerManager/controllerManager.ts';
import { FakeSpireApi } from './fakeApi.ts';

export const must = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

export function cluster(seed = 'cm') {
  const clock = new VirtualClock(Date.UTC(2025, 0, 1));
  const rng = new Rng(seed);
  const store = new ClusterStore({ clock, rng: rng.fork('kube') });
  for (const kind of ['ClusterSPIFFEID', 'ClusterStaticEntry', 'ClusterFederatedTrustDomain'])
    store.registerKind({ group: 'spire.spiffe.io', version: 'v1alpha1', kind, plural: `${kind.toLowerCase()}s`, namespaced: false, hasStatus: kind !== 'ClusterFederatedTrustDomain' });
  const ns = (name: string, labels: Record<string, string> = {}) =>
    must(store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } } }));
  const node = (name: string) => must(store.create({ apiVersion: 'v1', kind: 'Node', metadata: { name } }));
  const pod = (namespace: string, name: string, opts: { labels?: Record<string, string>; sa?: string; node?: string } = {}) =>
    must(
      store.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace, labels: opts.labels ?? {} },
        spec: { serviceAccountName: opts.sa ?? 'default', nodeName: opts.node ?? 'worker-1', containers: [{ name: 'app', image: 'app:1' }] },
      }),
    );
  const csid = (name: string, spec: Record<string, unknown>) => must(store.create({ apiVersion: 'spire.spiffe.io/v1alpha1', kind: 'ClusterSPIFFEID', metadata: { name }, spec }));
  const get = (kind: string, name: string): KubeObject => must(store.get({ group: 'spire.spiffe.io', kind }, undefined, name));
  const api = new FakeSpireApi('east.local');
  const start = (input: ControllerManagerConfigInput = {}) => {
    const config = must(resolveControllerManagerConfig({ trustDomain: 'east.local', clusterName: 'east', ...input }, { detectedClusterDomain: 'cluster.local' }));
    const lines: string[] = [];
    const cm = startControllerManager({ store, api, config, deps: { clock, rng: rng.fork('cm'), log: (l) => lines.push(l) } });
    return { cm, lines, config };
  };
  return { clock, rng, store, ns, node, pod, csid, get, api, start };
}
