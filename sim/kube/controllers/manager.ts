/**
 * How the lab's controllers run: each watches the store and puts the keys of the objects it must
 * reconcile on one shared, de-duplicated FIFO work queue (client-go's workqueue); the queue is worked
 * off whenever the store's event queue is empty (ClusterStore.onIdle), one key at a time, so a write
 * made by one controller is seen by the others before the next key. Everything runs synchronously
 * inside the write that started it, in a deterministic order; the only deferred work is what a
 * controller schedules on the injected Clock (the kubelet's pod start-up delay).
 * Also the small pod helpers the controllers share (pkg/api/v1/pod/util.go).
 */
import { deepEqual, type KubeObject } from '../object.ts';
import type { ClusterStore, WatchEvent, WatchFilter } from '../store.ts';
import type { Pod, PodCondition } from '../builtinKinds.ts';

export interface Controller {
  readonly name: string;
  /** Brings the world in line with the object named by `key` (`namespace/name`, or `name`). */
  reconcile(key: string): void;
}

export class ControllerManager {
  private readonly queue = new Map<string, { controller: Controller; key: string }>();
  private readonly stops: (() => void)[] = [];

  constructor(readonly store: ClusterStore) {
    this.stops.push(store.onIdle(() => this.step()));
  }

  enqueue(controller: Controller, key: string): void {
    const id = `${controller.name}|${key}`;
    if (!this.queue.has(id)) this.queue.set(id, { controller, key });
  }

  /** Watches through the manager, so `stop()` unsubscribes everything. */
  watch(filter: WatchFilter, handler: (e: WatchEvent) => void): void {
    this.stops.push(this.store.watch(filter, handler));
  }

  /** Works off one key; false when the queue is empty. */
  step(): boolean {
    const first = this.queue.entries().next();
    if (first.done) return false;
    const [id, { controller, key }] = first.value;
    this.queue.delete(id);
    controller.reconcile(key);
    return true;
  }

  get pending(): number {
    return this.queue.size;
  }

  stop(): void {
    for (const s of this.stops.splice(0)) s();
    this.queue.clear();
  }
}

export const keyOf = (o: KubeObject): string => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name);

export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: undefined, name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

export function podCondition(pod: Pod, type: string): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

/** IsPodReady: the Ready condition is True. */
export function isPodReady(pod: KubeObject): boolean {
  return podCondition(pod as Pod, 'Ready')?.status === 'True';
}

/** Counts towards a controller's replicas: not finished, not being deleted (controller_utils.IsPodActive). */
export function isPodActive(pod: KubeObject): boolean {
  const phase = (pod as Pod).status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && pod.metadata.deletionTimestamp === undefined;
}

export function isControlledBy(obj: KubeObject, owner: KubeObject): boolean {
  return obj.metadata.ownerReferences?.some((r) => r.controller === true && r.uid === owner.metadata.uid) === true;
}

/** Writes `status` only when it differs (controllers must not spin on their own writes). */
export function updateStatusIfChanged(store: ClusterStore, obj: KubeObject, status: Record<string, unknown>): void {
  if (deepEqual(obj.status ?? {}, status)) return;
  store.updateStatus({ ...obj, status });
}
