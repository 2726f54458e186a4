/** A lab for the kubectl tests: real ClusterStores on a VirtualClock, the workstation shell, and
 * ClusterHandles whose logs and exec are scripted per container. */
import { VirtualClock } from '../../../../sim/core/clock.ts';
import { Rng } from '../../../../sim/core/rng.ts';
import { ClusterStore } from '../../../../sim/kube/store.ts';
import type { KubeManifest } from '../../../../sim/kube/object.ts';
import { Shell } from '../../../../sim/cli/shell/shell.ts';
import { done, type ProgramResult } from '../../../../sim/cli/shell/program.ts';
import { makeKubectl, type ClusterHandle, type KubectlEnv } from '../../../../sim/cli/kubectl/index.ts';

export const T0 = Date.parse('2026-03-01T10:00:00Z');

export interface ExecCall {
  cluster: string;
  namespace: string;
  pod: string;
  container: string;
  argv: readonly string[];
  stdin: string;
}

export interface Lab {
  clock: VirtualClock;
  stores: Record<string, ClusterStore>;
  shell: Shell;
  logs: Map<string, string>;
  execs: ExecCall[];
  execResult: (call: ExecCall) => ProgramResult;
  run(line: string, stdin?: string): Promise<ProgramResult>;
  apply(cluster: string, ...manifests: KubeManifest[]): void;
  setContext(name: string): void;
}

export function makeLab(clusters: { name: string; platform?: 'kubernetes' | 'openshift' }[] = [{ name: 'west' }]): Lab {
  const clock = new VirtualClock(T0);
  const stores: Record<string, ClusterStore> = {};
  const logs = new Map<string, string>();
  const execs: ExecCall[] = [];
  let current = clusters[0]!.name;
  const lab: Lab = {
    clock,
    stores,
    shell: undefined as unknown as Shell,
    logs,
    execs,
    execResult: (call) => done(`ran ${call.argv.join(' ')} in ${call.container}\n`),
    run: (line, stdin) => lab.shell.run(line, stdin),
    apply(cluster, ...manifests) {
      for (const m of manifests) {
        const r = stores[cluster]!.create(m);
        if (!r.ok) throw new Error(r.error.message);
      }
    },
    setContext(name) {
      current = name;
    },
  };
  const handles: ClusterHandle[] = clusters.map((c) => {
    const store = new ClusterStore({ clock, rng: new Rng(`lab/${c.name}`), name: c.name });
    for (const ns of ['default', 'kube-system']) store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    stores[c.name] = store;
    return {
      name: c.name,
      store,
      platform: c.platform ?? 'kubernetes',
      logs: (ns, pod, container) => logs.get(`${c.name}/${ns}/${pod}/${container}`),
      exec: async (namespace, pod, container, argv, stdin) => {
        const call = { cluster: c.name, namespace, pod, container, argv, stdin };
        execs.push(call);
        return lab.execResult(call);
      },
    };
  });
  const env: KubectlEnv = {
    clusters: () => handles,
    currentContext: () => current,
    setCurrentContext: (n) => {
      current = n;
    },
  };
  lab.shell = new Shell({ programs: { kubectl: makeKubectl(env, 'kubectl'), oc: makeKubectl(env, 'oc') } });
  return lab;
}

/** A running pod as the kubelet would report it. */
export function runningPod(store: ClusterStore, namespace: string, name: string, opts: { labels?: Record<string, string>; containers?: string[]; annotations?: Record<string, string>; ip?: string; node?: string; restarts?: number; owner?: string } = {}): void {
  const containers = opts.containers ?? ['app'];
  const created = store.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: opts.labels ?? {}, ...(opts.annotations ? { annotations: opts.annotations } : {}) },
    spec: { nodeName: opts.node ?? 'node-1', containers: containers.map((c) => ({ name: c, image: `registry.example/${c}:1.0` })) },
  });
  if (!created.ok) throw new Error(created.error.message);
  const pod = created.value;
  pod.status = {
    phase: 'Running',
    podIP: opts.ip ?? '10.128.0.5',
    podIPs: [{ ip: opts.ip ?? '10.128.0.5' }],
    conditions: [{ type: 'Ready', status: 'True' }],
    containerStatuses: containers.map((c) => ({ name: c, ready: true, restartCount: opts.restarts ?? 0, state: { running: { startedAt: pod.metadata.creationTimestamp } } })),
  };
  const r = store.updateStatus(pod);
  if (!r.ok) throw new Error(r.error.message);
}
