/**
 * ReplicaSet controller (pkg/controller/replicaset/replica_set.go): keeps `spec.replicas` active pods
 * it controls, created from the template with `generateName: <rs>-` (so names are `<rs>-<5 chars>`
 * from the cluster's seeded rng) and a controller ownerReference; scales down unscheduled, then
 * pending, then not-ready, then the newest pods first (controller.ActivePods ordering); reports
 * replicas / fullyLabeledReplicas / readyReplicas / availableReplicas / observedGeneration.
 * Simplified: no orphan adoption, no minReadySeconds, no burst limits.
 */
import type { Pod, Workload } from '../builtinKinds.ts';
import { controllerRef, deepClone, type KubeObject } from '../object.ts';
import { labelSelectorAsSelector } from '../selector.ts';
import type { Clock } from '../../core/clock.ts';
import type { ClusterStore } from '../store.ts';
import { isControlledBy, isPodActive, isPodReady, keyOf, splitKey, updateStatusIfChanged, type Controller, type ControllerManager } from './manager.ts';

/** A pod for a workload, from its template (controller_utils.go GetPodFromTemplate). */
export function podFromTemplate(owner: Workload, extra: { name?: string; generateName?: string; labels?: Record<string, string>; nodeName?: string; hostname?: string; subdomain?: string } = {}): KubeObject {
  const t = owner.spec.template;
  const metadata: Record<string, unknown> = {
    namespace: owner.metadata.namespace,
    labels: { ...(t.metadata?.labels ?? {}), ...(extra.labels ?? {}) },
    ownerReferences: [controllerRef(owner)],
  };
  if (t.metadata?.annotations) metadata.annotations = { ...t.metadata.annotations };
  if (extra.name) metadata.name = extra.name;
  else metadata.generateName = extra.generateName ?? `${owner.metadata.name}-`;
  const spec = deepClone(t.spec);
  if (extra.nodeName) spec.nodeName = extra.nodeName;
  if (extra.hostname) spec.hostname = extra.hostname;
  if (extra.subdomain) spec.subdomain = extra.subdomain;
  return { apiVersion: 'v1', kind: 'Pod', metadata: metadata as KubeObject['metadata'], spec };
}

/** Pods of `owner` that count (active, controlled by it). */
export function ownedActivePods(store: ClusterStore, owner: KubeObject): Pod[] {
  return (store.scan('Pod', owner.metadata.namespace) as Pod[]).filter((p) => isControlledBy(p, owner) && isPodActive(p));
}

/** Deletion preference: unscheduled < pending < not ready < newer (upstream ActivePods.Less). */
function deletionOrder(a: Pod, b: Pod): number {
  const rank = (p: Pod) => (!p.spec.nodeName ? 0 : p.status?.phase === 'Pending' ? 1 : !isPodReady(p) ? 2 : 3);
  const d = rank(a) - rank(b);
  if (d !== 0) return d;
  const ta = a.metadata.creationTimestamp;
  const tb = b.metadata.creationTimestamp;
  if (ta !== tb) return ta > tb ? -1 : 1;
  return a.metadata.name > b.metadata.name ? -1 : 1;
}

/**
 * A Warning event `FailedCreate` on the ReplicaSet, as client-go's event recorder writes it
 * (tools/record/events_cache.go): an identical event bumps `count`; up to 10 different messages from
 * the same source, object and reason are separate events (a generated pod name makes each message
 * different), then they are aggregated into one `(combined from similar events): …` event whose count grows.
 */
const MAX_SIMILAR_EVENTS = 10;

function recordFailedCreate(store: ClusterStore, rs: Workload, message: string): void {
  const ns = rs.metadata.namespace ?? 'default';
  const now = new Date(store.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const text = `Error creating: ${message.replace(/^Error from server( \([A-Za-z]+\))?: /, '')}`;
  type Ev = KubeObject & { count?: number; message?: string; reason?: string; involvedObject?: { uid?: string } };
  const similar = (store.scan('Event', ns) as Ev[]).filter((e) => e.reason === 'FailedCreate' && e.involvedObject?.uid === rs.metadata.uid);
  const bump = (e: Ev) => store.update({ ...e, count: (e.count ?? 1) + 1, lastTimestamp: now } as KubeObject);
  const same = similar.find((e) => e.message === text);
  if (same) return void bump(same);
  const aggregated = similar.length >= MAX_SIMILAR_EVENTS;
  const combined = aggregated ? similar.find((e) => e.message?.startsWith('(combined from similar events): ')) : undefined;
  if (combined) return void store.update({ ...combined, message: `(combined from similar events): ${text}`, count: (combined.count ?? 1) + 1, lastTimestamp: now } as KubeObject);
  store.create({
    apiVersion: 'v1',
    kind: 'Event',
    // client-go names events `<object>.<hex of the timestamp in ns>`.
    metadata: { name: `${rs.metadata.name}.${(BigInt(store.now()) * 1_000_000n + BigInt(similar.length)).toString(16)}`, namespace: ns },
    involvedObject: { apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: ns, name: rs.metadata.name, uid: rs.metadata.uid },
    reason: 'FailedCreate',
    message: aggregated ? `(combined from similar events): ${text}` : text,
    type: 'Warning',
    count: 1,
    firstTimestamp: now,
    lastTimestamp: now,
    source: { component: 'replicaset-controller' },
  } as unknown as KubeObject);
}

/** client-go's default per-item rate limiter: 5 ms doubling, capped at 1000 s (workqueue.DefaultControllerRateLimiter). */
const RETRY_BASE_MS = 5;
const RETRY_MAX_MS = 1_000_000;

export function startReplicaSetController(mgr: ControllerManager, opts: { clock?: Pick<Clock, 'setTimeout'> } = {}): Controller {
  const store = mgr.store;
  const failures = new Map<string, number>();
  const ctrl: Controller = {
    name: 'replicaset',
    reconcile(key) {
      const { namespace, name } = splitKey(key);
      const rs = store.peek('ReplicaSet', namespace, name) as Workload | undefined;
      if (!rs || rs.metadata.deletionTimestamp !== undefined) return;
      const want = rs.spec.replicas ?? 1;
      let pods = ownedActivePods(store, rs);
      if (pods.length < want) {
        for (let i = pods.length; i < want; i++) {
          const created = store.create(podFromTemplate(rs));
          // An admission or validation refusal: replicaset-controller's FailedCreate event (pkg/controller/replicaset).
          if (!created.ok) {
            recordFailedCreate(store, rs, created.error.message);
            // The sync fails and the key is re-queued rate-limited (replica_set.go processNextWorkItem →
            // AddRateLimited): once the cause is fixed (e.g. the injector template), a retry succeeds.
            const n = failures.get(key) ?? 0;
            failures.set(key, n + 1);
            opts.clock?.setTimeout(() => {
              mgr.enqueue(ctrl, key);
              store.settle();
            }, Math.min(RETRY_BASE_MS * 2 ** n, RETRY_MAX_MS), `replicaset/retry/${key}`);
            break;
          }
          failures.delete(key);
        }
      } else if (pods.length > want) {
        const victims = [...pods].sort(deletionOrder).slice(0, pods.length - want);
        for (const v of victims) store.delete('Pod', v.metadata.namespace, v.metadata.name);
      }
      const fresh = store.peek('ReplicaSet', namespace, name) as Workload | undefined;
      if (!fresh) return;
      pods = ownedActivePods(store, fresh);
      const sel = labelSelectorAsSelector(fresh.spec.selector);
      const ready = pods.filter(isPodReady).length;
      updateStatusIfChanged(store, fresh, {
        replicas: pods.length,
        fullyLabeledReplicas: sel.ok ? pods.filter((p) => sel.value.matches(p.metadata.labels)).length : 0,
        readyReplicas: ready,
        availableReplicas: ready,
        observedGeneration: fresh.metadata.generation,
      });
    },
  };
  mgr.watch({ kind: 'ReplicaSet' }, (e) => {
    if (e.type !== 'DELETED') mgr.enqueue(ctrl, keyOf(e.object));
  });
  mgr.watch({ kind: 'Pod' }, (e) => {
    for (const r of e.object.metadata.ownerReferences ?? [])
      if (r.controller && r.kind === 'ReplicaSet') mgr.enqueue(ctrl, `${e.object.metadata.namespace}/${r.name}`);
  });
  for (const rs of store.scan('ReplicaSet')) mgr.enqueue(ctrl, keyOf(rs));
  return ctrl;
}
