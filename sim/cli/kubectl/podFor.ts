/**
 * Which pod and container `kubectl logs` and `kubectl exec` talk to.
 * Pod: a pod name, `pod/NAME`, or a workload/service (`deploy/web`) whose selector picks the most
 * active pod (kubectl:pkg/polymorphichelpers/attachablepodforobject.go, helpers.go GetFirstPod and
 * SelectorsForObject; sort.Reverse(podutils.ActivePods)).
 * Container: kubectl:pkg/cmd/util/podcmd/podcmd.go — `-c`, else the
 * `kubectl.kubernetes.io/default-container` annotation, else the first container with
 * `Defaulted container "x" out of: x, y (init)` on stderr when there are several.
 * Simplified: with no matching pod kubectl waits --pod-running-timeout (1m) before failing; we fail at once.
 */
import { isPlainObject, type KubeObject } from '../../kube/object.ts';
import { labelSelectorAsSelector, selectorFromSet, type LabelSelector, type Selector } from '../../kube/selector.ts';
import { CommandError, resolveKind, type Session } from './session.ts';

export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (isPlainObject(v) ? v : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export const containerNames = (pod: KubeObject, field: 'containers' | 'initContainers' | 'ephemeralContainers'): string[] =>
  arr(rec(pod.spec)[field]).map((c) => String(rec(c).name ?? ''));

/** podcmd.AllContainerNames. */
export function allContainerNames(pod: KubeObject): string {
  return [
    ...containerNames(pod, 'containers'),
    ...containerNames(pod, 'ephemeralContainers').map((n) => `${n} (ephem)`),
    ...containerNames(pod, 'initContainers').map((n) => `${n} (init)`),
  ].join(', ');
}

export function hasContainer(pod: KubeObject, name: string): boolean {
  return [...containerNames(pod, 'containers'), ...containerNames(pod, 'initContainers'), ...containerNames(pod, 'ephemeralContainers')].includes(name);
}

/** ActivePods "less active" ordering, reversed: the pod kubectl picks sorts first. */
function activity(p: KubeObject): number[] {
  const st = rec(p.status);
  const phaseRank: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
  const ready = arr(st.conditions).some((c) => rec(c).type === 'Ready' && rec(c).status === 'True');
  const restarts = arr(st.containerStatuses).reduce<number>((a, c) => a + Number(rec(c).restartCount ?? 0), 0);
  const created = Date.parse(p.metadata.creationTimestamp) || 0;
  return [rec(p.spec).nodeName ? 1 : 0, phaseRank[String(st.phase)] ?? 0, ready ? 1 : 0, -restarts, -created];
}

function byActivity(a: KubeObject, b: KubeObject): number {
  const x = activity(a);
  const y = activity(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return y[i]! - x[i]!;
  return 0;
}

export interface PodChoice {
  readonly pod: KubeObject;
  /** How many pods the selector matched (for `Found N pods, using pod/x`). */
  readonly matched: number;
}

export function podFor(s: Session, arg: string): PodChoice | CommandError {
  const slash = arg.indexOf('/');
  const type = slash < 0 ? 'pods' : arg.slice(0, slash);
  const name = slash < 0 ? arg : arg.slice(slash + 1);
  const kind = resolveKind(s, type);
  if (kind instanceof CommandError) return kind;
  const obj = s.store.get(kind, s.namespace, name);
  if (!obj.ok) return new CommandError(obj.error.message);
  if (kind.group === '' && kind.kind === 'Pod') return { pod: obj.value, matched: 1 };
  let selector: Selector;
  const spec = rec(obj.value.spec);
  if (kind.group === '' && kind.kind === 'Service') {
    if (!isPlainObject(spec.selector) || Object.keys(spec.selector).length === 0) return new CommandError(`error: cannot attach to *v1.Service: invalid service '${name}': Service is defined without a selector`);
    selector = selectorFromSet(spec.selector as Record<string, string>);
  } else if (['apps/Deployment', 'apps/ReplicaSet', 'apps/StatefulSet', 'apps/DaemonSet', 'batch/Job'].includes(`${kind.group}/${kind.kind}`)) {
    const sel = labelSelectorAsSelector(spec.selector as LabelSelector | undefined);
    if (!sel.ok) return new CommandError(`error: cannot attach to *v1.${kind.kind}: invalid label selector: ${sel.error.message}`);
    selector = sel.value;
  } else {
    const goType = `*${kind.version}.${kind.kind}`;
    return new CommandError(`error: cannot attach to ${goType}: selector for ${goType} not implemented`);
  }
  const pods = s.store.list('pods', { namespace: s.namespace, labelSelector: selector });
  const list = pods.ok ? pods.value.sort(byActivity) : [];
  if (list.length === 0) return new CommandError('error: timed out waiting for the condition');
  return { pod: list[0]!, matched: list.length };
}

/** FindOrDefaultContainerByName; `warn` receives the "Defaulted container" notice. */
export function containerFor(pod: KubeObject, requested: string | undefined, warn: (line: string) => void): string | CommandError {
  const containers = containerNames(pod, 'containers');
  if (containers.length === 0) return new CommandError(`error: pod ${pod.metadata.namespace}/${pod.metadata.name} does not have any containers`);
  const name = requested ?? pod.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  if (name !== undefined && name !== '') {
    if (!hasContainer(pod, name)) return new CommandError(`error: container ${name} is not valid for pod ${pod.metadata.name} out of: ${allContainerNames(pod)}`);
    return name;
  }
  if (containers.length > 1 || containerNames(pod, 'initContainers').length > 0 || containerNames(pod, 'ephemeralContainers').length > 0)
    warn(`Defaulted container "${containers[0]}" out of: ${allContainerNames(pod)}`);
  return containers[0]!;
}
