/**
 * Istio CNI's `istio-validation` init container, as the kubelet runs it. The injector adds it instead of
 * `istio-init` when `pilot.cni.enabled` / `istio_cni.enabled` is set (sim/istiod/inject/sidecarTemplate.ts):
 * it does not program iptables (`--skip-rule-apply`), it only checks that the istio-cni plugin already did
 * (`--run-validation`). It listens on 127.0.0.1:<-p> and :<-z>, dials 127.0.0.6:15002 once a second and
 * passes only if the connection arrives redirected; without the plugin nothing redirects, every dial is
 * refused, and after the 5 s probe timeout it exits 126 (istio: tools/istio-iptables/pkg/validation/validator.go
 * `Run`, `Client.Run`; tools/istio-iptables/pkg/cmd/root.go `handleErrorWithCode(msg, ValidationErrorCode)`;
 * tools/istio-iptables/pkg/constants/constants.go DefaultIptablesProbePortUint 15002, DefaultProbeTimeout 5s,
 * ValidationErrorCode 126). The pod stays Pending with the init container in CrashLoopBackOff.
 *
 * The plugin is there when an `istio-cni-node` DaemonSet pod runs on the node. A pod that already failed
 * recovers on its next restart once it is: the CNI agent's repair controller (`cni.repair.repairPods`, default
 * true, manifests/charts/istio-cni/values.yaml) sets up the broken pod's redirection in place.
 *
 * Restart timing (kubelet kuberuntime_manager.go `doBackOff`): the first failure restarts at once (modelled as
 * the 1 s PLEG relist), later ones wait 10 s doubling to 5 min in CrashLoopBackOff.
 * Not modelled: the pod's sandbox IP (the pod shows none while initializing), kubelet BackOff events, the
 * multus path of OpenShift (`provider: multus`: without IstioCNI the NetworkAttachmentDefinition
 * `default/istio-cni` is missing and the sandbox is never created — a different symptom).
 */
import type { Clock } from '../core/clock.ts';
import { agentLogLine } from '../envoy/pilotAgentLog.ts';
import type { ClusterStore } from '../kube/store.ts';
import type { KubeObject } from '../kube/object.ts';

export const VALIDATION_CONTAINER = 'istio-validation';
const PROBE_PORT = 15002;
const PROBE_TIMEOUT_MS = 5_000;
const RELIST_MS = 1_000;
const MAX_BACKOFF_MS = 300_000;

/** tools/istio-iptables/pkg/cmd/root.go: the error istio-validation logs before exiting 126 (verbatim, incl. the trailing newline). */
export const VALIDATION_FAILED = `iptables validation failed; workload is not ready for Istio.
When using Istio CNI, this can occur if a pod is scheduled before the node is ready.

If installed with 'cni.repair.deletePods=true', this pod should automatically be deleted and retry.
Otherwise, this pod will need to be manually removed so that it is scheduled on a node with istio-cni running, allowing iptables rules to be established.
`;

type Container = { name: string; image?: string; args?: string[]; restartPolicy?: string };
type Status = Record<string, unknown>;

export interface CniValidationDeps {
  readonly store: ClusterStore;
  readonly clock: Clock;
  /** Replaces the container's log (a restart starts a fresh one). */
  readonly setLog: (namespace: string, pod: string, container: string, text: string) => void;
  /** Asks the kubelet to look at Pending pods again (the gate's answer changed). */
  readonly resync: () => void;
}

interface Attempt {
  readonly uid: string;
  readonly node: string;
  restarts: number;
  passed: boolean;
  last?: { startedAt: string; finishedAt: string };
}

const rfc = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function flag(args: readonly string[] | undefined, name: string, fallback: string): string {
  const i = (args ?? []).indexOf(name);
  return i >= 0 && args![i + 1] ? args![i + 1]! : fallback;
}

export class CniValidation {
  private readonly attempts = new Map<string, Attempt>();

  constructor(private readonly deps: CniValidationDeps) {}

  /** Whether the istio-cni plugin is on the node: a running `istio-cni-node` pod there. */
  cniOnNode(node: string): boolean {
    return this.deps.store.scan('Pod').some((p) => p.metadata.labels?.['k8s-app'] === 'istio-cni-node' && (p.spec as { nodeName?: string } | undefined)?.nodeName === node && (p.status as { phase?: string } | undefined)?.phase === 'Running');
  }

  /** The kubelet's start gate: a pod with istio-validation starts once the validation has passed. */
  gate(pod: KubeObject, node: KubeObject): true | { reason: string } {
    const inits = ((pod.spec as { initContainers?: Container[] } | undefined)?.initContainers ?? []);
    if (!inits.some((c) => c.name === VALIDATION_CONTAINER)) return true;
    const uid = pod.metadata.uid;
    const a = this.attempts.get(uid);
    if (a?.passed) return true;
    if (a === undefined) {
      if (this.cniOnNode(node.metadata.name)) {
        this.attempts.set(uid, { uid, node: node.metadata.name, restarts: 0, passed: true });
        this.deps.setLog(pod.metadata.namespace ?? 'default', pod.metadata.name, VALIDATION_CONTAINER, this.passedLog(pod));
        return true;
      }
      const fresh: Attempt = { uid, node: node.metadata.name, restarts: 0, passed: false };
      this.attempts.set(uid, fresh);
      // Not written from inside the kubelet's sync (it writes the pod right after): the run starts next tick.
      this.deps.clock.setTimeout(() => this.run(pod.metadata.namespace ?? 'default', pod.metadata.name, fresh), 0, `kubelet/${pod.metadata.name}/${VALIDATION_CONTAINER}`);
    }
    return { reason: 'PodInitializing' };
  }

  private current(ns: string, name: string, a: Attempt): KubeObject | undefined {
    const pod = this.deps.store.find('Pod', ns, name);
    if (!pod || pod.metadata.uid !== a.uid || (pod.status as { phase?: string } | undefined)?.phase !== 'Pending') {
      this.attempts.delete(a.uid);
      return undefined;
    }
    return pod;
  }

  private run(ns: string, name: string, a: Attempt): void {
    const pod = this.current(ns, name, a);
    if (!pod) return;
    if (this.cniOnNode(a.node)) {
      a.passed = true;
      this.deps.setLog(ns, name, VALIDATION_CONTAINER, this.passedLog(pod));
      this.deps.resync();
      return;
    }
    const start = this.deps.clock.now();
    const text = this.startLog(pod, start);
    this.deps.setLog(ns, name, VALIDATION_CONTAINER, text);
    this.writeStatus(pod, a, { running: { startedAt: rfc(start) } });
    this.deps.clock.setTimeout(() => this.fail(ns, name, a, start, text), PROBE_TIMEOUT_MS, `kubelet/${name}/${VALIDATION_CONTAINER}/probe-timeout`);
  }

  /** validator.go `Run`: the start, one listener per capture port (`-p`, `-z`). */
  private startLog(pod: KubeObject, at: number): string {
    const init = ((pod.spec as { initContainers?: Container[] }).initContainers ?? []).find((c) => c.name === VALIDATION_CONTAINER);
    let text = `${agentLogLine(at, { level: 'info', scope: '', message: 'Starting iptables validation. This check verifies that iptables rules are properly established for the network.' })}\n`;
    for (const port of [flag(init?.args, '-p', '15001'), flag(init?.args, '-z', '15006')]) text += `${agentLogLine(at, { level: 'info', scope: '', message: `Listening on 127.0.0.1:${port}` })}\n`;
    return text;
  }

  /** A run that finds the redirection in place: the first dial arrives on the listener. */
  private passedLog(pod: KubeObject): string {
    const at = this.deps.clock.now();
    return `${this.startLog(pod, at)}${agentLogLine(at, { level: 'info', scope: '', message: 'Validation passed, iptables rules established' })}\n`;
  }

  private fail(ns: string, name: string, a: Attempt, start: number, text: string): void {
    const pod = this.current(ns, name, a);
    if (!pod) return;
    // The client dials once a second until the timeout; nothing listens on 127.0.0.6:15002 without the redirect.
    const target = `127.0.0.6:${PROBE_PORT}`;
    for (let s = 0; s < PROBE_TIMEOUT_MS / 1000; s++) text += `${agentLogLine(start + s * 1000, { level: 'error', scope: '', message: `Error connecting to ${target}: dial tcp 127.0.0.1:0->${target}: connect: connection refused` })}\n`;
    const end = start + PROBE_TIMEOUT_MS;
    text += `${agentLogLine(end, { level: 'error', scope: '', message: VALIDATION_FAILED })}\n`;
    this.deps.setLog(ns, name, VALIDATION_CONTAINER, text);
    a.last = { startedAt: rfc(start), finishedAt: rfc(end) };
    const terminated = { exitCode: 126, reason: 'Error', ...a.last };
    const first = a.restarts === 0;
    const backoff = first ? RELIST_MS : Math.min(10_000 * 2 ** (a.restarts - 1), MAX_BACKOFF_MS);
    const state = first ? { terminated } : { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${backoff / 1000}s restarting failed container=${VALIDATION_CONTAINER} pod=${name}_${ns}(${a.uid})` } };
    this.writeStatus(pod, a, state, first ? undefined : { terminated });
    this.deps.clock.setTimeout(
      () => {
        a.restarts++;
        this.run(ns, name, a);
      },
      backoff,
      `kubelet/${name}/${VALIDATION_CONTAINER}/backoff`,
    );
  }

  /** The pod while its init containers have not completed (kubelet status/generate.go conditions). */
  private writeStatus(pod: KubeObject, a: Attempt, state: Status, lastState?: Status): void {
    const spec = pod.spec as { initContainers?: Container[]; containers?: Container[] };
    const inits = spec.initContainers ?? [];
    const containers = spec.containers ?? [];
    const previous = a.last && !lastState && 'running' in state && a.restarts > 0 ? { terminated: { exitCode: 126, reason: 'Error', ...a.last } } : lastState;
    const waiting = (c: Container) => ({ name: c.name, image: c.image, imageID: '', ready: false, restartCount: 0, started: false, state: { waiting: { reason: 'PodInitializing' } } });
    const initContainerStatuses = inits.map((c) =>
      c.name === VALIDATION_CONTAINER
        ? { name: c.name, image: c.image, imageID: '', ready: false, restartCount: a.restarts, started: 'running' in state, state, ...(previous ? { lastState: previous } : {}) }
        : waiting(c),
    );
    const now = rfc(this.deps.clock.now());
    const notInit = inits.filter((c) => c.name === VALIDATION_CONTAINER || c.restartPolicy === 'Always' || inits.indexOf(c) > inits.findIndex((x) => x.name === VALIDATION_CONTAINER)).map((c) => c.name);
    const unready = [...inits.filter((c) => c.restartPolicy === 'Always'), ...containers].map((c) => c.name);
    const old = ((pod.status as { conditions?: { type: string; lastTransitionTime?: string }[] } | undefined)?.conditions ?? []);
    const since = (type: string) => old.find((c) => c.type === type)?.lastTransitionTime ?? now;
    const cond = (type: string, status: string, extra: Status = {}) => ({ type, status, lastProbeTime: null, lastTransitionTime: since(type), ...extra });
    const conditions = [
      cond('PodReadyToStartContainers', 'True'),
      cond('Initialized', 'False', { reason: 'ContainersNotInitialized', message: `containers with incomplete status: [${notInit.join(' ')}]` }),
      cond('Ready', 'False', { reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` }),
      cond('ContainersReady', 'False', { reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` }),
      ...old.filter((c) => c.type === 'PodScheduled'),
    ];
    const status = { ...((pod.status as Status | undefined) ?? {}), phase: 'Pending', conditions, initContainerStatuses, containerStatuses: containers.map(waiting) };
    this.deps.store.updateStatus({ ...pod, status });
    this.deps.store.settle();
  }
}
