/**
 * One simulated cluster: its API server (store + CRD validation as admission), the CRDs its products
 * install, the kube controllers, its nodes, container logs, and `exec` into containers by image.
 * Manifests applied through `apply` keep their provenance (file and line of every field).
 */
import type { VirtualClock } from '../core/clock.ts';
import type { EventLog } from '../core/events.ts';
import { ok, type Result, type SimError } from '../core/result.ts';
import type { Rng } from '../core/rng.ts';
import { applyManifest, type ApplyResult } from '../kube/apply.ts';
import { classifyKind, MODELLED_KINDS } from '../kube/crds/classifyKind.ts';
import { createCrdRegistry, splitApiVersion, type ClusterProducts, type CrdRegistry } from '../kube/crds/registry.ts';
import { startControllers, type KubeControllers } from '../kube/controllers/install.ts';
import type { KubeManifest, KubeObject } from '../kube/object.ts';
import { noKindMatchMessage } from '../kube/schema/fieldError.ts';
import { createValidator } from '../kube/schema/validator.ts';
import { ClusterStore } from '../kube/store.ts';
import { parseYamlDocuments, type YamlDocument } from '../kube/yaml.ts';
import { ensureOpenShiftDnsKind, openShiftDnsManifest } from '../cli/kubectl/index.ts';
import { Shell } from '../cli/shell/shell.ts';
import { done, type Program, type ProgramResult } from '../cli/shell/program.ts';
import type { ClusterSpec } from './spec.ts';
import { imageBinaries, resolveExecutable } from './images.ts';
import { Provenance } from './provenance.ts';
import { CniValidation } from './cniValidation.ts';
import { ClusterFilesystems, type CsiDirectory } from './podFs.ts';

interface ContainerStatusLike {
  readonly name: string;
  readonly ready?: boolean;
  readonly started?: boolean;
  readonly state?: Record<string, unknown>;
}

interface PodStatusLike {
  readonly containerStatuses?: ContainerStatusLike[];
  readonly initContainerStatuses?: ContainerStatusLike[];
  readonly conditions?: { type: string; status: string; reason?: string; lastTransitionTime?: string }[];
}

export interface AppliedObject {
  readonly result: ApplyResult;
  readonly doc: YamlDocument;
}

/** Programs that can run inside containers, by binary name (spire-server, curl, …). */
export type ContainerPrograms = Readonly<Record<string, (ctx: { cluster: string; namespace: string; pod: string; container: string }) => Program>>;

/** OLM's kinds (sim/openshift/olm.ts acts on them). */
export const OLM_KINDS = ['operators.coreos.com/v1/OperatorGroup', 'operators.coreos.com/v1alpha1/ClusterServiceVersion', 'operators.coreos.com/v1alpha1/InstallPlan'];

export function productsOf(spec: ClusterSpec): ClusterProducts {
  const v = spec.versions;
  const ztwim = spec.profile === 'ztwim' ? (v.ztwim?.startsWith('0.2') ? '0.2' : '1.0') : false;
  return {
    platform: spec.platform,
    ztwim,
    spireCrds: ztwim === false && spec.profile === 'helm',
    sail: spec.platform === 'openshift' && (v.ossm !== undefined || v.istio !== undefined),
    istio: v.istio !== undefined || v.ossm !== undefined ? '1.27' : false,
    gatewayApi: v.istio !== undefined || v.ossm !== undefined ? 'standard' : false,
  };
}

/** kube's default plural: lowercase, then -es after s/x/z/ch/sh, -ies after consonant+y, else -s. */
function pluralOf(kind: string): string {
  const k = kind.toLowerCase();
  if (/(s|x|z|ch|sh)$/.test(k)) return `${k}es`;
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

export class ClusterRuntime {
  readonly store: ClusterStore;
  readonly crds: CrdRegistry;
  readonly controllers: KubeControllers;
  readonly provenance = new Provenance();
  /** Kinds something in this cluster acts on (on OpenShift also OLM's). */
  private readonly modelled: ReadonlySet<string>;
  private readonly events: EventLog;
  readonly files: ClusterFilesystems;
  /** CSI drivers registered per node (`<driver>|<node>`): the SPIFFE CSI driver registers when its pod runs. */
  private readonly csiDrivers = new Map<string, CsiDirectory>();
  private readonly logs = new Map<string, string>();
  /** Istio CNI's istio-validation init container (pods stuck in Init without the istio-cni-node DaemonSet). */
  private readonly cniValidation: CniValidation;

  constructor(
    readonly spec: ClusterSpec,
    private readonly deps: { clock: VirtualClock; rng: Rng; events: EventLog; containerPrograms: () => ContainerPrograms; loadBalancerCidr: string },
  ) {
    const { clock, rng, events } = deps;
    this.events = events;
    this.modelled = new Set([...MODELLED_KINDS, ...(spec.platform === 'openshift' ? OLM_KINDS : [])]);
    this.crds = createCrdRegistry(productsOf(spec));
    const crds = this.crds;
    this.store = new ClusterStore({
      clock,
      rng: rng.fork('store'),
      events,
      name: spec.name,
      // Kinds a real cluster of this platform serves that the lab does not model: stored, with a warning.
      discoverKind: (apiVersion, kind) => {
        const info = classifyKind(apiVersion, kind, crds, { platform: spec.platform, modelled: this.modelled });
        if (info.class !== 'stored-with-warning') return undefined;
        const { group, version } = splitApiVersion(apiVersion);
        events.emit('kube.kind.not-modelled', `${spec.name}/kube-apiserver`, { apiVersion, kind, note: info.note ?? '' });
        return { group, version, kind, plural: pluralOf(kind), namespaced: info.scope !== 'Cluster', hasStatus: false };
      },
    });
    for (const crd of this.crds.list()) {
      const storage = crd.versions.find((v) => v.storage) ?? crd.versions[0]!;
      this.store.registerKind({
        group: crd.group,
        version: storage.name,
        versions: crd.versions.filter((v) => v.served).map((v) => v.name),
        kind: crd.kind,
        plural: crd.plural,
        ...(crd.singular ? { singular: crd.singular } : {}),
        ...(crd.shortNames ? { shortNames: [...crd.shortNames] } : {}),
        namespaced: crd.scope === 'Namespaced',
        hasStatus: storage.subresources?.status !== undefined,
      });
    }
    const validator = createValidator({
      registry: this.crds,
      platform: spec.platform,
      modelled: this.modelled,
      onWarning: (w) => {
        events.emit('kube.validation.warning', `${spec.name}/kube-apiserver`, { code: w.code, message: w.message });
      },
    });
    this.store.addAdmission((obj, old, op) => validator.hook(obj, old, op) as Result<KubeObject, SimError>);
    const kubelets = new Map(spec.nodes.map((n) => [n.name, n.kubelet ?? `v${spec.versions.kubernetes ?? '1.33.0'}`]));
    this.cniValidation = new CniValidation({ store: this.store, clock, setLog: (ns, pod, c, text) => this.logs.set(`${ns}/${pod}/${c}`, text), resync: () => this.controllers.kubelet.resync() });
    this.controllers = startControllers(this.store, {
      clock,
      rng: rng.fork('controllers'),
      podCidr: spec.podCIDR,
      serviceCidr: spec.serviceCIDR,
      loadBalancerCidr: deps.loadBalancerCidr,
      kubeletVersion: (node) => kubelets.get(node.metadata.name) ?? `v${spec.versions.kubernetes ?? '1.33.0'}`,
      podStartGate: (pod, node) => {
        const volumes = this.volumeGate(pod, node);
        return volumes === true ? this.cniValidation.gate(pod, node) : volumes;
      },
    });
    this.files = new ClusterFilesystems((pod) => this.controllers.kubelet.mounts(pod), (driver, node) => this.csiDrivers.get(`${driver}|${node}`), spec.platform === 'openshift');
    for (const node of spec.nodes) {
      const created = this.store.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: node.name, labels: { 'kubernetes.io/hostname': node.name, 'kubernetes.io/os': 'linux' } } });
      if (!created.ok) throw new Error(`node ${node.name}: ${created.error.message}`); // names are validated in the scenario
    }
    // Pods waiting for a Secret or ConfigMap start once it exists.
    this.store.watch({}, (e) => {
      if (e.type === 'ADDED' && (e.object.kind === 'Secret' || e.object.kind === 'ConfigMap')) this.controllers.kubelet.resync();
      // A deleted pod's logs go with it: a StatefulSet's replacement of the same name starts a fresh log.
      if (e.type === 'DELETED' && e.object.kind === 'Pod') {
        const prefix = `${e.object.metadata.namespace ?? 'default'}/${e.object.metadata.name}/`;
        for (const k of [...this.logs.keys()]) if (k.startsWith(prefix)) this.logs.delete(k);
      }
    });
    if (spec.platform === 'openshift') {
      ensureOpenShiftDnsKind(this.store);
      const dns = this.store.create(openShiftDnsManifest(spec.baseDomain ?? `${spec.name}.example.com`));
      if (!dns.ok) throw new Error(`dns.config.openshift.io/cluster: ${dns.error.message}`);
    }
    this.store.settle();
  }

  get name(): string {
    return this.spec.name;
  }

  /**
   * `kubectl apply -f` of a YAML text: each document in order; an unknown kind fails with kubectl's
   * message; a built-in kind the lab does not model is stored, with a warning (never fatal).
   */
  apply(text: string, file: string, namespace?: string, originText?: string): Result<{ applied: AppliedObject[]; output: string; errors: string; warnings: string }, SimError> {
    const docs = parseYamlDocuments(text, file);
    if (!docs.ok) return docs;
    // When the text is a patched copy, lines refer to the original file: trace objects back to it.
    const origin = originText === undefined ? undefined : parseYamlDocuments(originText, file);
    const originDoc = (kind: string, ns: string | undefined, name: string): YamlDocument | undefined =>
      origin?.ok
        ? origin.value.find((d) => {
            const o = d.object as { kind?: string; metadata?: { name?: string; namespace?: string } };
            return o.kind === kind && o.metadata?.name === name && (ns === undefined || (o.metadata?.namespace ?? namespace ?? 'default') === ns);
          })
        : undefined;
    const applied: AppliedObject[] = [];
    let output = '';
    let errors = '';
    let warnings = '';
    for (const doc of docs.value) {
      const m = doc.object as unknown as KubeManifest;
      const meta = (m.metadata ?? {}) as { name?: string; namespace?: string };
      const kind = this.store.kindOf({ apiVersion: String(m.apiVersion), kind: String(m.kind) });
      if (!kind.ok) {
        errors += `${noKindMatchMessage({ name: meta.name ?? '', namespace: meta.namespace ?? namespace ?? '', source: file, kind: String(m.kind), apiVersion: String(m.apiVersion) })}\n`;
        continue;
      }
      if (classifyKind(String(m.apiVersion), String(m.kind), this.crds, { platform: this.spec.platform, modelled: this.modelled }).class === 'stored-with-warning')
        warnings += `Warning: ${m.kind} (${m.apiVersion}) is stored but not modelled by fedlab: nothing acts on it\n`;
      const r = applyManifest(this.store, m, namespace ? { namespace } : {});
      if (!r.ok) {
        errors += `${r.error.message.startsWith('error') || r.error.message.startsWith('Error') ? '' : 'Error from server: '}${r.error.message}\n`;
        continue;
      }
      for (const w of r.value.warnings) warnings += `${w}\n`;
      output += `${r.value.message}\n`;
      const o = r.value.object;
      this.provenance.record(o.kind, o.metadata.namespace, o.metadata.name, { file, doc: originDoc(o.kind, o.metadata.namespace, o.metadata.name) ?? doc });
      applied.push({ result: r.value, doc });
    }
    this.store.settle();
    return ok({ applied, output, errors, warnings });
  }

  registerCsiDriver(driver: string, node: string, dir: CsiDirectory): void {
    this.csiDrivers.set(`${driver}|${node}`, dir);
    this.events.emit('kube.csi.registered', `${this.name}/${node}/kubelet`, { driver });
    this.controllers.kubelet.resync();
  }

  unregisterCsiDriver(driver: string, node: string): void {
    this.csiDrivers.delete(`${driver}|${node}`);
  }

  /**
   * The kubelet cannot set up a volume whose source is missing: a CSI driver not registered on the
   * node (pkg/volume/csi/csi_mounter.go), a Secret or ConfigMap that does not exist and is not optional
   * (pkg/volume/secret, pkg/volume/configmap). The pod stays ContainerCreating with the FailedMount text.
   */
  private volumeGate(pod: KubeObject, node: KubeObject): true | { reason: string; message: string } {
    type Vol = { name: string; csi?: { driver: string }; secret?: { secretName: string; optional?: boolean }; configMap?: { name: string; optional?: boolean } };
    const ns = pod.metadata.namespace;
    for (const v of ((pod.spec as { volumes?: Vol[] } | undefined)?.volumes ?? [])) {
      const failed = (why: string) => ({ reason: 'ContainerCreating', message: `MountVolume.SetUp failed for volume "${v.name}" : ${why}` });
      if (v.csi && !this.csiDrivers.has(`${v.csi.driver}|${node.metadata.name}`))
        return failed(`kubernetes.io/csi: mounter.SetUpAt failed to get CSI client: driver name ${v.csi.driver} not found in the list of registered CSI drivers`);
      if (v.secret && !v.secret.optional && !this.store.find('Secret', ns, v.secret.secretName)) return failed(`secret "${v.secret.secretName}" not found`);
      if (v.configMap && !v.configMap.optional && !this.store.find('ConfigMap', ns, v.configMap.name)) return failed(`configmap "${v.configMap.name}" not found`);
    }
    return true;
  }

  /**
   * A container whose process exits with an error (e.g. a SPIRE binary refusing its configuration):
   * the kubelet restarts it with back-off (10 s doubling to 5 min, pkg/kubelet/kubelet.go
   * MaxContainerBackOff), each run fails the same way and prints `line` again; the pod shows the
   * container in CrashLoopBackOff with its restart count, and is not Ready.
   */
  crashLoop(namespace: string, podName: string, container: string, line: string): void {
    const crash = (restarts: number, backoff: number) => {
      const pod = this.store.find('Pod', namespace, podName);
      if (!pod || (pod.status as { phase?: string } | undefined)?.phase !== 'Running') return;
      // `kubectl logs` shows the current run of the container only: each restart starts a fresh log.
      this.logs.delete(`${namespace}/${podName}/${container}`);
      this.appendLog(namespace, podName, container, line);
      const now = new Date(this.deps.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const status = pod.status as { containerStatuses?: Record<string, unknown>[]; conditions?: { type: string; status: string }[] };
      const containerStatuses = (status.containerStatuses ?? []).map((cs) =>
        cs.name !== container
          ? cs
          : {
              ...cs,
              ready: false,
              started: false,
              restartCount: restarts,
              state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${backoff / 1000}s restarting failed container=${container} pod=${podName}_${namespace}(${pod.metadata.uid})` } },
              lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: now, finishedAt: now } },
            },
      );
      const conditions = (status.conditions ?? []).map((c) => (c.type === 'Ready' || c.type === 'ContainersReady' ? { ...c, status: 'False', reason: 'ContainersNotReady' } : c));
      this.store.updateStatus({ ...pod, status: { ...status, containerStatuses, conditions } });
      this.deps.clock.setTimeout(() => crash(restarts + 1, Math.min(backoff * 2, 300_000)), backoff, `${this.name}/${namespace}/${podName}/${container}/backoff`);
    };
    crash(0, 10_000);
  }

  /**
   * A readiness probe's verdict for one container: its `ready`, and the pod's Ready/ContainersReady
   * conditions (True only when every container is ready) — what takes a pod out of its Endpoints.
   */
  setContainerReady(namespace: string, podName: string, container: string, ready: boolean): void {
    // Read-only use (the write below copies): no need for find's copy.
    const pod = this.store.peek('Pod', namespace, podName);
    if (!pod || (pod.status as { phase?: string } | undefined)?.phase !== 'Running') return;
    const status = pod.status as PodStatusLike;
    // A native sidecar (an init container that keeps running) reports readiness like a container.
    const current = [...(status.containerStatuses ?? []), ...(status.initContainerStatuses ?? [])].find((cs) => cs.name === container);
    if (!current || current.ready === ready) return;
    const set = (list: ContainerStatusLike[] | undefined) => list?.map((cs) => (cs.name === container ? { ...cs, ready } : cs));
    const initContainerStatuses = set(status.initContainerStatuses);
    this.store.updateStatus({ ...pod, status: this.withReadiness({ ...status, containerStatuses: set(status.containerStatuses) ?? [], ...(initContainerStatuses ? { initContainerStatuses } : {}) }) });
  }

  /** The pod's Ready/ContainersReady conditions from its containers' readiness (native sidecars included). */
  private withReadiness(status: PodStatusLike): PodStatusLike {
    const all = (status.containerStatuses ?? []).every((cs) => cs.ready === true) && (status.initContainerStatuses ?? []).every((cs) => cs.ready === true || cs.started === false);
    const now = new Date(this.deps.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const conditions = (status.conditions ?? []).map((c) => {
      if (c.type !== 'Ready' && c.type !== 'ContainersReady') return c;
      const was = c.status === 'True';
      const { reason: _reason, ...rest } = c;
      return { ...rest, status: all ? 'True' : 'False', lastTransitionTime: was === all ? c.lastTransitionTime : now, ...(all ? {} : { reason: 'ContainersNotReady' }) };
    });
    return { ...status, conditions };
  }

  /**
   * Native sidecars (init containers with restartPolicy Always and a startupProbe) gate the pod's
   * containers: the kubelet starts them only once the sidecar's startup probe succeeds
   * (KEP-753; istio-proxy's startupProbe on /healthz/ready). Held containers wait in PodInitializing.
   */
  holdContainers(namespace: string, podName: string, hold: boolean): void {
    const pod = this.store.peek('Pod', namespace, podName);
    if (!pod || (pod.status as { phase?: string } | undefined)?.phase !== 'Running') return;
    const status = pod.status as PodStatusLike;
    const now = new Date(this.deps.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const containerStatuses = (status.containerStatuses ?? []).map((cs) =>
      hold ? { ...cs, ready: false, started: false, state: { waiting: { reason: 'PodInitializing' } } } : cs.state?.waiting ? { ...cs, ready: true, started: true, state: { running: { startedAt: now } } } : cs,
    );
    const conditions = (status.conditions ?? []).map((c) => (c.type === 'Initialized' ? { ...c, status: hold ? 'False' : 'True' } : c));
    this.store.updateStatus({ ...pod, status: this.withReadiness({ ...status, containerStatuses, conditions }) });
  }

  appendLog(namespace: string, pod: string, container: string, line: string): void {
    const k = `${namespace}/${pod}/${container}`;
    this.logs.set(k, (this.logs.get(k) ?? '') + (line.endsWith('\n') ? line : `${line}\n`));
  }

  logsOf(namespace: string, pod: string, container: string): string | undefined {
    return this.logs.get(`${namespace}/${pod}/${container}`);
  }

  /** Runs argv in a container: only the binaries its image has (the containerd runtime's error otherwise). */
  async exec(namespace: string, podName: string, container: string, argv: readonly string[], stdin: string): Promise<ProgramResult> {
    const pod = this.store.find('Pod', namespace, podName);
    const spec = pod?.spec as { containers?: { name: string; image?: string }[]; initContainers?: { name: string; image?: string }[] } | undefined;
    const c = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])].find((x) => x.name === container);
    const image = c?.image ?? '';
    const binaries = new Set(imageBinaries(image));
    const programs = this.deps.containerPrograms();
    const ctx = { cluster: this.name, namespace, pod: podName, container };
    const available: Record<string, Program> = {};
    for (const b of binaries) {
      const factory = programs[b];
      if (factory) available[b] = factory(ctx);
    }
    const name = argv[0] ?? '';
    const resolved = resolveExecutable(image, name);
    // containerd's wording (kind, most Kubernetes distributions); exit 126 comes back from the runtime.
    if (!resolved) return done('', `OCI runtime exec failed: exec failed: unable to start container process: exec: "${name}": ${name.includes('/') ? 'stat ' + name + ': no such file or directory' : 'executable file not found in $PATH'}: unknown\n`, 126);
    const base = resolved.slice(resolved.lastIndexOf('/') + 1);
    if (base === 'sh' || base === 'bash') {
      const fs = pod ? this.files.container(pod, container) : undefined;
      const shell = new Shell({ programs: Object.fromEntries([...binaries].filter((b) => available[b]).map((b) => [b, available[b]!])), cwd: '/', ...(fs ? { fs } : {}) });
      const script = argv[1] === '-c' ? (argv[2] ?? '') : '';
      if (argv[1] !== '-c') return done('', '', 0);
      return shell.run(script, stdin);
    }
    const program = available[base];
    if (!program) return done('', `${base}: not modelled by fedlab yet\n`, 127);
    const fs = pod ? this.files.container(pod, container) : undefined;
    return program(argv, { stdin, env: {}, cwd: '/', fs: fs ?? new Shell().fs });
  }
}
