/**
 * The scheduler, reduced to a deterministic rule: a pod without `spec.nodeName` goes to the Ready,
 * schedulable node that matches its nodeSelector and whose NoSchedule/NoExecute taints it tolerates,
 * choosing the node with the fewest pods, ties by name. A pod nowhere to go stays Pending with
 * PodScheduled=False/Unschedulable (pkg/scheduler; the message follows its "0/N nodes are available" form).
 * Simplified: no resources, affinity, topology spread or preemption.
 */
import { rfc3339 } from '../object.ts';
import type { Clock } from '../../core/clock.ts';
import type { NodeObject, Pod, PodCondition, Toleration } from '../builtinKinds.ts';
import { keyOf, splitKey, updateStatusIfChanged, type Controller, type ControllerManager } from './manager.ts';

function tolerates(tols: readonly Toleration[] | undefined, taint: { key: string; value?: string; effect: string }): boolean {
  return (tols ?? []).some(
    (t) =>
      (t.effect === undefined || t.effect === '' || t.effect === taint.effect) &&
      (t.operator === 'Exists' ? t.key === undefined || t.key === '' || t.key === taint.key : t.key === taint.key && (t.value ?? '') === (taint.value ?? '')),
  );
}

/** Can this pod run on this node (selector, taints, readiness)? Shared with the DaemonSet controller. */
export function nodeFits(pod: { spec: Pod['spec'] }, node: NodeObject): 'ok' | 'selector' | 'taint' | 'unschedulable' | 'not-ready' {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
  if (!ready) return 'not-ready';
  if (node.spec?.unschedulable) return 'unschedulable';
  for (const [k, v] of Object.entries(pod.spec.nodeSelector ?? {})) if (node.metadata.labels?.[k] !== v) return 'selector';
  for (const t of node.spec?.taints ?? []) if ((t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(pod.spec.tolerations, t)) return 'taint';
  return 'ok';
}

const REASONS: Record<string, string> = {
  selector: "node(s) didn't match Pod's node affinity/selector",
  taint: 'node(s) had untolerated taint',
  unschedulable: 'node(s) were unschedulable',
  'not-ready': 'node(s) had untolerated taint {node.kubernetes.io/not-ready: }',
};

export function startScheduler(mgr: ControllerManager, opts: { clock: Pick<Clock, 'now'> }): Controller {
  const store = mgr.store;
  const ctrl: Controller = {
    name: 'scheduler',
    reconcile(key) {
      const { namespace, name } = splitKey(key);
      const pod = store.peek('Pod', namespace, name) as Pod | undefined;
      if (!pod || pod.spec.nodeName || pod.metadata.deletionTimestamp !== undefined) return;
      const nodes = [...(store.scan('Node') as NodeObject[])].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
      const load = new Map<string, number>();
      for (const p of store.scan('Pod') as Pod[]) if (p.spec.nodeName) load.set(p.spec.nodeName, (load.get(p.spec.nodeName) ?? 0) + 1);
      const why = new Map<string, number>();
      let best: NodeObject | undefined;
      for (const n of nodes) {
        const fit = nodeFits(pod, n);
        if (fit !== 'ok') {
          why.set(fit, (why.get(fit) ?? 0) + 1);
          continue;
        }
        if (!best || (load.get(n.metadata.name) ?? 0) < (load.get(best.metadata.name) ?? 0)) best = n;
      }
      const now = rfc3339(opts.clock.now());
      if (!best) {
        const parts = [...why.entries()].map(([k, c]) => `${c} ${REASONS[k]}`).sort();
        const message = `0/${nodes.length} nodes are available${parts.length > 0 ? `: ${parts.join(', ')}` : ''}. preemption: 0/${nodes.length} nodes are available: ${nodes.length} Preemption is not helpful for scheduling.`;
        const cond: PodCondition = { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: now };
        const prev = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
        if (prev?.message === message) return;
        updateStatusIfChanged(store, pod, { ...(pod.status ?? {}), conditions: [...(pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled'), cond] });
        return;
      }
      // The binding subresource sets spec.nodeName and the PodScheduled condition.
      const bound = store.update({ ...pod, spec: { ...pod.spec, nodeName: best.metadata.name } });
      if (!bound.ok) return;
      const b = bound.value as Pod;
      const cond: PodCondition = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now };
      updateStatusIfChanged(store, b, { ...(b.status ?? {}), conditions: [...(b.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled'), cond] });
    },
  };
  mgr.watch({ kind: 'Pod' }, (e) => {
    if (e.type !== 'DELETED' && !(e.object as Pod).spec?.nodeName) mgr.enqueue(ctrl, keyOf(e.object));
  });
  const retryUnscheduled = () => {
    for (const p of store.scan('Pod') as Pod[]) if (!p.spec.nodeName) mgr.enqueue(ctrl, keyOf(p));
  };
  mgr.watch({ kind: 'Node' }, () => retryUnscheduled());
  retryUnscheduled();
  return ctrl;
}

