/**
 * DaemonSet controller (pkg/controller/daemon): one pod per eligible node (nodeSelector and taints as
 * the scheduler judges them), named `<ds>-<5 chars>`, labelled with `controller-revision-hash` and
 * `pod-template-generation`; pods of an old template are replaced, pods on nodes that no longer fit
 * are removed. Status counts as upstream names them.
 * Simplified: the controller sets `spec.nodeName` itself (upstream uses node affinity and the
 * scheduler); template changes replace all pods at once.
 */
import type { NodeObject, Workload } from '../builtinKinds.ts';
import { computeTemplateHash } from '../names.ts';
import { isPodReady, keyOf, splitKey, updateStatusIfChanged, type Controller, type ControllerManager } from './manager.ts';
import { ownedActivePods, podFromTemplate } from './replicaSet.ts';
import { nodeFits } from './scheduler.ts';

export function startDaemonSetController(mgr: ControllerManager): Controller {
  const store = mgr.store;
  const ctrl: Controller = {
    name: 'daemonset',
    reconcile(key) {
      const { namespace, name } = splitKey(key);
      const ds = store.peek('DaemonSet', namespace, name) as Workload | undefined;
      if (!ds || ds.metadata.deletionTimestamp !== undefined) return;
      const hash = computeTemplateHash(ds.spec.template);
      const nodes = [...(store.scan('Node') as NodeObject[])].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
      const eligible = new Set(nodes.filter((n) => nodeFits({ spec: ds.spec.template.spec }, n) === 'ok').map((n) => n.metadata.name));
      const pods = ownedActivePods(store, ds);
      for (const p of pods) {
        const node = p.spec.nodeName ?? '';
        const stale = p.metadata.labels?.['controller-revision-hash'] !== hash;
        const extra = pods.filter((q) => q.spec.nodeName === node).indexOf(p) > 0;
        if (!eligible.has(node) || stale || extra) store.delete('Pod', p.metadata.namespace, p.metadata.name);
      }
      const remaining = ownedActivePods(store, ds);
      for (const n of nodes) {
        if (!eligible.has(n.metadata.name) || remaining.some((p) => p.spec.nodeName === n.metadata.name)) continue;
        store.create(podFromTemplate(ds, { nodeName: n.metadata.name, labels: { 'controller-revision-hash': hash, 'pod-template-generation': String(ds.metadata.generation) } }));
      }
      const fresh = store.peek('DaemonSet', namespace, name) as Workload | undefined;
      if (!fresh) return;
      const now = ownedActivePods(store, fresh);
      const ready = now.filter(isPodReady).length;
      updateStatusIfChanged(store, fresh, {
        currentNumberScheduled: now.length,
        desiredNumberScheduled: eligible.size,
        numberMisscheduled: 0,
        numberReady: ready,
        numberAvailable: ready,
        ...(eligible.size - ready > 0 ? { numberUnavailable: eligible.size - ready } : {}),
        updatedNumberScheduled: now.filter((p) => p.metadata.labels?.['controller-revision-hash'] === hash).length,
        observedGeneration: fresh.metadata.generation,
      });
    },
  };
  mgr.watch({ kind: 'DaemonSet' }, (e) => {
    if (e.type !== 'DELETED') mgr.enqueue(ctrl, keyOf(e.object));
  });
  mgr.watch({ kind: 'Pod' }, (e) => {
    for (const r of e.object.metadata.ownerReferences ?? []) if (r.controller && r.kind === 'DaemonSet') mgr.enqueue(ctrl, `${e.object.metadata.namespace}/${r.name}`);
  });
  mgr.watch({ kind: 'Node' }, () => {
    for (const ds of store.scan('DaemonSet')) mgr.enqueue(ctrl, keyOf(ds));
  });
  for (const ds of store.scan('DaemonSet')) mgr.enqueue(ctrl, keyOf(ds));
  return ctrl;
}
