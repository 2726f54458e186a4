/**
 * The kubelets of all nodes, reduced to the pod lifecycle a user sees: a scheduled Pending pod gets
 * an IP from its node's podCIDR and, after an optional start-up delay on the injected Clock, turns
 * Running with Initialized/ContainersReady/Ready conditions and running container statuses. At start
 * the kubelet reads the ConfigMaps and Secrets the pod mounts or takes env from, and keeps that
 * snapshot: changing a ConfigMap later does not change a running pod; a new pod (after a delete or a
 * rollout restart) reads the new content. A start gate lets other models hold pods back (no CNI →
 * stays Pending with a waiting reason).
 * Upstream: pkg/kubelet/kubelet.go (syncPod), pkg/kubelet/status/generate.go (conditions).
 * Simplified: no probes, restarts or resource accounting; env `valueFrom.fieldRef` is not resolved;
 * mounted ConfigMaps are not refreshed in place (upstream refreshes non-subPath volumes eventually).
 */
import type { Clock } from '../../core/clock.ts';
import type { Rng } from '../../core/rng.ts';
import type { Pod, PodCondition } from '../builtinKinds.ts';
import type { ClusterIpam } from '../ipam.ts';
import { isPlainObject, rfc3339, type KubeObject } from '../object.ts';
import { keyOf, splitKey, type Controller, type ControllerManager } from './manager.ts';
import { nodeInternalIP } from './node.ts';

/** What a pod read at start: ConfigMap and Secret data by name (Secret values decoded as stored, base64). */
export interface PodMounts {
  readonly configMaps: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly secrets: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Resolved environment per container (value, configMapKeyRef, secretKeyRef, envFrom). */
  readonly env: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** Returns true to let the pod start, or a waiting reason to keep it Pending (e.g. `ContainerCreating`). */
export type PodStartGate = (pod: Pod, node: KubeObject) => true | { reason: string; message?: string };

export interface KubeletOptions {
  readonly clock: Clock;
  readonly rng: Rng;
  readonly ipam: ClusterIpam;
  /** Virtual ms between scheduling and Running; 0 (default) starts pods synchronously. */
  readonly startupDelayMs?: number;
  readonly startGate?: PodStartGate;
}

export class Kubelet implements Controller {
  readonly name = 'kubelet';
  private readonly mountsByUid = new Map<string, PodMounts>();
  private readonly ipByUid = new Map<string, { pool: string; ip: string }>();
  private readonly starting = new Set<string>();

  constructor(
    private readonly mgr: ControllerManager,
    private readonly opts: KubeletOptions,
  ) {
    mgr.watch({ kind: 'Pod' }, (e) => {
      if (e.type === 'DELETED') this.forget(e.object);
      else if ((e.object as Pod).spec?.nodeName && (e.object as Pod).status?.phase === 'Pending') mgr.enqueue(this, keyOf(e.object));
    });
    // A node that just got its podCIDR can start the pods waiting on it.
    mgr.watch({ kind: 'Node' }, (e) => {
      if (e.type === 'DELETED') return;
      for (const p of mgr.store.scan('Pod') as Pod[]) if (p.spec.nodeName === e.object.metadata.name && p.status?.phase === 'Pending') mgr.enqueue(this, keyOf(p));
    });
    for (const p of mgr.store.scan('Pod')) mgr.enqueue(this, keyOf(p));
  }

  /** The ConfigMaps/Secrets/env a running pod read when it started. */
  mounts(pod: KubeObject | string): PodMounts | undefined {
    return this.mountsByUid.get(typeof pod === 'string' ? pod : pod.metadata.uid);
  }

  /** Re-examines Pending pods (after a start gate's answer may have changed). */
  resync(): void {
    for (const p of this.mgr.store.scan('Pod') as Pod[]) if (p.spec.nodeName && p.status?.phase === 'Pending') this.mgr.enqueue(this, keyOf(p));
    this.mgr.store.settle();
  }

  reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const pod = this.mgr.store.peek('Pod', namespace, name) as Pod | undefined;
    if (!pod || !pod.spec.nodeName || pod.status?.phase !== 'Pending' || pod.metadata.deletionTimestamp !== undefined) return;
    if (this.starting.has(pod.metadata.uid)) return;
    const delay = this.opts.startupDelayMs ?? 0;
    if (delay <= 0) {
      this.start(key, pod.metadata.uid);
      return;
    }
    this.starting.add(pod.metadata.uid);
    this.opts.clock.setTimeout(
      () => {
        this.starting.delete(pod.metadata.uid);
        this.start(key, pod.metadata.uid);
        this.mgr.store.settle();
      },
      delay,
      `kubelet/start/${key}`,
    );
  }

  private start(key: string, uid: string): void {
    const store = this.mgr.store;
    const { namespace, name } = splitKey(key);
    const pod = store.peek('Pod', namespace, name) as Pod | undefined;
    if (!pod || pod.metadata.uid !== uid || pod.status?.phase !== 'Pending') return;
    const node = store.peek('Node', undefined, pod.spec.nodeName!);
    if (!node) return;
    const podCIDR = isPlainObject(node.spec) && typeof node.spec.podCIDR === 'string' ? node.spec.podCIDR : undefined;
    if (!podCIDR) return; // waits for the node IPAM; the node's update re-queues nothing, resync() does
    const now = rfc3339(this.opts.clock.now());
    const gate = this.opts.startGate?.(pod, node) ?? true;
    const containers = pod.spec.containers ?? [];
    if (gate !== true) {
      const waiting = containers.map((c) => ({ name: c.name, image: c.image, imageID: '', ready: false, restartCount: 0, started: false, state: { waiting: { reason: gate.reason, ...(gate.message ? { message: gate.message } : {}) } } }));
      const status = { ...(pod.status ?? {}), hostIP: nodeInternalIP(node), containerStatuses: waiting };
      store.updateStatus({ ...pod, status });
      return;
    }
    let ip = this.ipByUid.get(uid)?.ip;
    if (!ip) {
      const r = this.opts.ipam.podPool(podCIDR).allocate();
      if (!r.ok) return;
      ip = r.value;
      this.ipByUid.set(uid, { pool: podCIDR, ip });
    }
    this.mountsByUid.set(uid, this.readMounts(pod));
    // A started container; `running: false` is an init container that ran to completion.
    const containerStatus = (c: { name: string; image?: string }, running: boolean) => ({
      name: c.name,
      image: c.image,
      imageID: `${c.image ?? ''}@sha256:${this.hex(64)}`,
      containerID: `containerd://${this.hex(64)}`,
      ready: true,
      restartCount: 0,
      started: running,
      state: running ? { running: { startedAt: now } } : { terminated: { exitCode: 0, reason: 'Completed', startedAt: now, finishedAt: now } },
    });
    const cond = (type: string): PodCondition => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: now });
    const hostIP = nodeInternalIP(node);
    const status = {
      ...(pod.status ?? {}),
      phase: 'Running',
      conditions: [cond('PodReadyToStartContainers'), cond('Initialized'), cond('Ready'), cond('ContainersReady'), ...(pod.status?.conditions ?? []).filter((c) => c.type === 'PodScheduled')],
      hostIP,
      ...(hostIP ? { hostIPs: [{ ip: hostIP }] } : {}),
      podIP: ip,
      podIPs: [{ ip }],
      startTime: now,
      // Init containers ran to completion; native sidecars (restartPolicy Always) keep running.
      ...((pod.spec.initContainers ?? []).length
        ? { initContainerStatuses: (pod.spec.initContainers ?? []).map((c) => containerStatus(c, (c as { restartPolicy?: string }).restartPolicy === 'Always')) }
        : {}),
      containerStatuses: containers.map((c) => containerStatus(c, true)),
    };
    store.updateStatus({ ...pod, status });
  }

  private hex(n: number): string {
    return [...this.opts.rng.bytes(n / 2)].map((b) => b.toString(16).padStart(2, '0')).join('');
  }

  private readMounts(pod: Pod): PodMounts {
    const store = this.mgr.store;
    const ns = pod.metadata.namespace;
    const configMaps: Record<string, Record<string, string>> = {};
    const secrets: Record<string, Record<string, string>> = {};
    const cm = (n: string) => {
      if (!(n in configMaps)) {
        const o = store.peek('ConfigMap', ns, n);
        if (o && isPlainObject(o.data)) configMaps[n] = { ...(o.data as Record<string, string>) };
      }
      return configMaps[n];
    };
    const sec = (n: string) => {
      if (!(n in secrets)) {
        const o = store.peek('Secret', ns, n);
        if (o && isPlainObject(o.data)) secrets[n] = { ...(o.data as Record<string, string>) };
      }
      return secrets[n];
    };
    for (const v of pod.spec.volumes ?? []) {
      if (v.configMap?.name) cm(v.configMap.name);
      if (v.secret?.secretName) sec(v.secret.secretName);
      const projected = (v as { projected?: { sources?: { configMap?: { name: string }; secret?: { name: string } }[] } }).projected;
      for (const s of projected?.sources ?? []) {
        if (s.configMap?.name) cm(s.configMap.name);
        if (s.secret?.name) sec(s.secret.name);
      }
    }
    const env: Record<string, Record<string, string>> = {};
    for (const c of [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])]) {
      const e: Record<string, string> = {};
      for (const from of c.envFrom ?? []) {
        const src = from.configMapRef ? cm(from.configMapRef.name) : from.secretRef ? sec(from.secretRef.name) : undefined;
        for (const [k, v] of Object.entries(src ?? {})) e[(from.prefix ?? '') + k] = v;
      }
      for (const ev of c.env ?? []) {
        if (ev.value !== undefined) e[ev.name] = ev.value;
        else if (ev.valueFrom?.configMapKeyRef) {
          const v = cm(ev.valueFrom.configMapKeyRef.name)?.[ev.valueFrom.configMapKeyRef.key];
          if (v !== undefined) e[ev.name] = v;
        } else if (ev.valueFrom?.secretKeyRef) {
          const v = sec(ev.valueFrom.secretKeyRef.name)?.[ev.valueFrom.secretKeyRef.key];
          if (v !== undefined) e[ev.name] = v;
        }
      }
      env[c.name] = e;
    }
    return { configMaps, secrets, env };
  }

  private forget(pod: KubeObject): void {
    const uid = pod.metadata.uid;
    const ip = this.ipByUid.get(uid);
    if (ip) this.opts.ipam.podPool(ip.pool).release(ip.ip);
    this.ipByUid.delete(uid);
    this.mountsByUid.delete(uid);
    this.starting.delete(uid);
  }
}
