/**
 * Deployment controller (pkg/controller/deployment): one ReplicaSet per pod template, named
 * `<deployment>-<pod-template-hash>` with the hash label added to its selector and template, the
 * `deployment.kubernetes.io/revision` annotation counting templates; the current ReplicaSet is scaled
 * to `spec.replicas`, older ones to 0, and history beyond `revisionHistoryLimit` is deleted. Status:
 * replicas, updatedReplicas, readyReplicas, availableReplicas, unavailableReplicas, observedGeneration
 * and the Available/Progressing conditions. `restartWorkload` is `kubectl rollout restart`
 * (kubectl/pkg/polymorphichelpers/objectrestarter.go: the restartedAt template annotation).
 * Simplified: a new template replaces the old pods at once (no surge/unavailability stepping), no
 * hash-collision handling, no progress deadline.
 */
import type { Clock } from '../../core/clock.ts';
import type { Result, SimError } from '../../core/result.ts';
import type { Workload } from '../builtinKinds.ts';
import { computeTemplateHash } from '../names.ts';
import { controllerRef, deepClone, rfc3339, RESTARTED_AT_ANNOTATION, type KubeObject } from '../object.ts';
import type { ClusterStore, KindRef, PatchResult } from '../store.ts';
import { isControlledBy, keyOf, splitKey, updateStatusIfChanged, type Controller, type ControllerManager } from './manager.ts';

const REVISION = 'deployment.kubernetes.io/revision';
const HASH_LABEL = 'pod-template-hash';

const revisionOf = (o: KubeObject) => Number(o.metadata.annotations?.[REVISION] ?? '0') || 0;

export function startDeploymentController(mgr: ControllerManager, opts: { clock: Pick<Clock, 'now'> }): Controller {
  const store = mgr.store;
  const ctrl: Controller = {
    name: 'deployment',
    reconcile(key) {
      const { namespace, name } = splitKey(key);
      const d = store.peek('Deployment', namespace, name) as Workload | undefined;
      if (!d || d.metadata.deletionTimestamp !== undefined) return;
      const replicas = d.spec.replicas ?? 1;
      const hash = computeTemplateHash(d.spec.template);
      const owned = (store.scan('ReplicaSet', namespace) as Workload[]).filter((rs) => isControlledBy(rs, d));
      let current = owned.find((rs) => rs.metadata.labels?.[HASH_LABEL] === hash);
      const maxRevision = owned.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
      if (!d.spec.paused) {
        if (!current) {
          const labels = { ...(d.spec.template.metadata?.labels ?? {}), [HASH_LABEL]: hash };
          const sel = d.spec.selector ?? {};
          const created = store.create({
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            metadata: {
              name: `${name}-${hash}`,
              namespace,
              labels,
              annotations: {
                'deployment.kubernetes.io/desired-replicas': String(replicas),
                'deployment.kubernetes.io/max-replicas': String(replicas + Math.ceil(replicas * 0.25)),
                [REVISION]: String(maxRevision + 1),
              },
              ownerReferences: [controllerRef(d)],
            },
            spec: {
              replicas,
              selector: { ...deepClone(sel), matchLabels: { ...(sel.matchLabels ?? {}), [HASH_LABEL]: hash } },
              template: { metadata: { ...deepClone(d.spec.template.metadata ?? {}), labels }, spec: deepClone(d.spec.template.spec) },
            },
          });
          if (!created.ok) return;
          current = created.value as Workload;
        } else {
          const ann: Record<string, string> = { ...(current.metadata.annotations ?? {}), 'deployment.kubernetes.io/desired-replicas': String(replicas) };
          if (revisionOf(current) < maxRevision) ann[REVISION] = String(maxRevision + 1); // rolled back to an older template
          if (current.spec.replicas !== replicas || JSON.stringify(ann) !== JSON.stringify(current.metadata.annotations ?? {})) {
            const r = store.update({ ...current, metadata: { ...current.metadata, annotations: ann }, spec: { ...current.spec, replicas } });
            if (r.ok) current = r.value as Workload;
          }
        }
        for (const old of owned) if (old !== current && old.metadata.uid !== current.metadata.uid && (old.spec.replicas ?? 0) !== 0) store.update({ ...old, spec: { ...old.spec, replicas: 0 } });
        // History: keep revisionHistoryLimit old, scaled-down ReplicaSets.
        const limit = typeof d.spec.revisionHistoryLimit === 'number' ? d.spec.revisionHistoryLimit : 10;
        const history = (store.scan('ReplicaSet', namespace) as Workload[])
          .filter((rs) => isControlledBy(rs, d) && rs.metadata.uid !== current!.metadata.uid && (rs.spec.replicas ?? 0) === 0 && ((rs.status?.replicas as number | undefined) ?? 0) === 0)
          .sort((a, b) => revisionOf(a) - revisionOf(b));
        for (const rs of history.slice(0, Math.max(0, history.length - limit))) store.delete('ReplicaSet', namespace, rs.metadata.name);
      }
      const fresh = store.peek('Deployment', namespace, name) as Workload | undefined;
      if (!fresh) return;
      if (current && fresh.metadata.annotations?.[REVISION] !== current.metadata.annotations?.[REVISION]) {
        store.update({ ...fresh, metadata: { ...fresh.metadata, annotations: { ...(fresh.metadata.annotations ?? {}), [REVISION]: current.metadata.annotations?.[REVISION] ?? '1' } } });
      }
      const latest = (store.peek('Deployment', namespace, name) as Workload | undefined) ?? fresh;
      const sets = (store.scan('ReplicaSet', namespace) as Workload[]).filter((rs) => isControlledBy(rs, latest));
      const cur = current ? sets.find((rs) => rs.metadata.uid === current!.metadata.uid) : undefined;
      const num = (o: KubeObject | undefined, f: string) => ((o?.status as Record<string, number> | undefined)?.[f] ?? 0);
      const total = sets.reduce((s, rs) => s + num(rs, 'replicas'), 0);
      const ready = sets.reduce((s, rs) => s + num(rs, 'readyReplicas'), 0);
      const available = sets.reduce((s, rs) => s + num(rs, 'availableReplicas'), 0);
      const updated = num(cur, 'replicas');
      const now = rfc3339(opts.clock.now());
      const prev = ((latest.status?.conditions as Record<string, string>[] | undefined) ?? []);
      const cond = (type: string, status: string, reason: string, message: string) => {
        const old = prev.find((c) => c.type === type);
        const same = old && old.status === status && old.reason === reason && old.message === message;
        return same ? old : { type, status, lastUpdateTime: now, lastTransitionTime: old && old.status === status ? old.lastTransitionTime : now, reason, message };
      };
      const availableCond = available >= replicas ? cond('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.') : cond('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.');
      const rsName = cur?.metadata.name ?? `${name}-${hash}`;
      const progressing =
        num(cur, 'availableReplicas') >= replicas && total === replicas
          ? cond('Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${rsName}" has successfully progressed.`)
          : cond('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${rsName}" is progressing.`);
      const status: Record<string, unknown> = {
        observedGeneration: latest.metadata.generation,
        replicas: total,
        updatedReplicas: updated,
        readyReplicas: ready,
        availableReplicas: available,
        conditions: [availableCond, progressing],
      };
      if (replicas - available > 0) status.unavailableReplicas = replicas - available;
      updateStatusIfChanged(store, latest, status);
    },
  };
  mgr.watch({ kind: 'Deployment' }, (e) => {
    if (e.type !== 'DELETED') mgr.enqueue(ctrl, keyOf(e.object));
  });
  mgr.watch({ kind: 'ReplicaSet' }, (e) => {
    for (const r of e.object.metadata.ownerReferences ?? []) if (r.controller && r.kind === 'Deployment') mgr.enqueue(ctrl, `${e.object.metadata.namespace}/${r.name}`);
  });
  for (const d of store.scan('Deployment')) mgr.enqueue(ctrl, keyOf(d));
  return ctrl;
}

/**
 * `kubectl rollout restart`: sets `kubectl.kubernetes.io/restartedAt` on the pod template of a
 * Deployment, DaemonSet or StatefulSet, which makes its controller replace every pod.
 */
export function restartWorkload(store: ClusterStore, clock: Pick<Clock, 'now'>, kind: KindRef, namespace: string, name: string): Result<PatchResult, SimError> {
  const patch = { spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: rfc3339(clock.now()) } } } } };
  return store.patch(kind, namespace, name, 'strategic', patch);
}
