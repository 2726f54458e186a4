/**
 * StatefulSet controller (pkg/controller/statefulset): pods `<name>-0 … <name>-(n-1)` with stable
 * names, `hostname` = pod name and `subdomain` = serviceName, labels `statefulset.kubernetes.io/pod-name`,
 * `apps.kubernetes.io/pod-index` and `controller-revision-hash: <name>-<hash>`. OrderedReady (the
 * default) creates ordinal i+1 only when 0…i are Running and Ready and scales down from the highest
 * ordinal, one at a time; Parallel does all at once. A new template replaces pods from the highest
 * ordinal down, one at a time once the rest are ready (RollingUpdate).
 * Simplified: no volumeClaimTemplates (no PVCs), no partitions.
 */
import type { Pod, Workload } from '../builtinKinds.ts';
import { computeTemplateHash } from '../names.ts';
import { isControlledBy, isPodReady, keyOf, splitKey, updateStatusIfChanged, type Controller, type ControllerManager } from './manager.ts';
import { podFromTemplate } from './replicaSet.ts';

export function startStatefulSetController(mgr: ControllerManager): Controller {
  const store = mgr.store;
  const ctrl: Controller = {
    name: 'statefulset',
    reconcile(key) {
      const { namespace, name } = splitKey(key);
      const sts = store.peek('StatefulSet', namespace, name) as Workload | undefined;
      if (!sts || sts.metadata.deletionTimestamp !== undefined) return;
      const replicas = sts.spec.replicas ?? 1;
      const ordered = (sts.spec.podManagementPolicy ?? 'OrderedReady') === 'OrderedReady';
      const revision = `${name}-${computeTemplateHash(sts.spec.template)}`;
      const podAt = (i: number) => {
        const p = store.peek('Pod', namespace, `${name}-${i}`) as Pod | undefined;
        return p && isControlledBy(p, sts) ? p : undefined;
      };
      const owned = () => (store.scan('Pod', namespace) as Pod[]).filter((p) => isControlledBy(p, sts));
      // Create missing ordinals.
      for (let i = 0; i < replicas; i++) {
        if (podAt(i)) {
          if (ordered && !isPodReady(podAt(i)!)) break;
          continue;
        }
        const podName = `${name}-${i}`;
        if (store.peek('Pod', namespace, podName)) break; // someone else's pod holds the name
        store.create(
          podFromTemplate(sts, {
            name: podName,
            hostname: podName,
            ...(sts.spec.serviceName ? { subdomain: sts.spec.serviceName } : {}),
            labels: { 'controller-revision-hash': revision, 'statefulset.kubernetes.io/pod-name': podName, 'apps.kubernetes.io/pod-index': String(i) },
          }),
        );
        if (ordered) break;
      }
      // Scale down, highest ordinal first.
      const extra = owned()
        .map((p) => ({ p, i: Number(p.metadata.name.slice(name.length + 1)) }))
        .filter(({ i }) => !(i < replicas))
        .sort((a, b) => b.i - a.i);
      for (const { p } of ordered ? extra.slice(0, 1) : extra) store.delete('Pod', namespace, p.metadata.name);
      // Rolling update, highest ordinal first, once everything else is ready.
      if (extra.length === 0) {
        const pods = owned();
        const stale = pods
          .filter((p) => p.metadata.labels?.['controller-revision-hash'] !== revision)
          .sort((a, b) => (a.metadata.name < b.metadata.name ? 1 : -1));
        if (stale.length > 0 && pods.every(isPodReady)) store.delete('Pod', namespace, stale[0]!.metadata.name);
      }
      const fresh = store.peek('StatefulSet', namespace, name) as Workload | undefined;
      if (!fresh) return;
      const pods = owned();
      const ready = pods.filter(isPodReady).length;
      const updated = pods.filter((p) => p.metadata.labels?.['controller-revision-hash'] === revision).length;
      const prevStatus = (fresh.status ?? {}) as Record<string, unknown>;
      const currentRevision = updated === pods.length && pods.length === replicas ? revision : ((prevStatus.currentRevision as string | undefined) ?? revision);
      updateStatusIfChanged(store, fresh, {
        observedGeneration: fresh.metadata.generation,
        replicas: pods.length,
        readyReplicas: ready,
        currentReplicas: currentRevision === revision ? updated : pods.length - updated,
        updatedReplicas: updated,
        availableReplicas: ready,
        currentRevision,
        updateRevision: revision,
        collisionCount: 0,
      });
    },
  };
  mgr.watch({ kind: 'StatefulSet' }, (e) => {
    if (e.type !== 'DELETED') mgr.enqueue(ctrl, keyOf(e.object));
  });
  mgr.watch({ kind: 'Pod' }, (e) => {
    for (const r of e.object.metadata.ownerReferences ?? []) if (r.controller && r.kind === 'StatefulSet') mgr.enqueue(ctrl, `${e.object.metadata.namespace}/${r.name}`);
  });
  for (const s of store.scan('StatefulSet')) mgr.enqueue(ctrl, keyOf(s));
  return ctrl;
}
