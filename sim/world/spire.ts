/**
 * SPIRE on a cluster, started the way Kubernetes starts it: when a pod runs an image of a SPIRE
 * component, the model starts with the configuration that container reads from its mounted files
 * (server.conf, agent.conf, the controller-manager config, helper.conf), its logs go to
 * `kubectl logs`, and its sockets appear on the node's filesystem where hostPath and CSI volumes
 * expose them. Nothing here is configured by the scenario beyond the manifests themselves.
 */
import type { Clock } from '../core/clock.ts';
import type { EventLog } from '../core/events.ts';
import { err, ok, simError, type Result, type SimError } from '../core/result.ts';
import type { Rng } from '../core/rng.ts';
import type { TaskTracker } from '../core/tasks.ts';
import type { Pod } from '../kube/builtinKinds.ts';
import type { KubeObject } from '../kube/object.ts';
import type { BundleEndpoint, BundleEndpointClient } from '../net/bundleEndpoint.ts';
import type { NetworkFaults } from '../net/faults.ts';
import type { ComponentDeps, SpireServerApi } from '../spire/api.ts';
import { attestK8sWorkload, dialWorkloadApi, grpcError, parseAgentConfig, SpireAgent, type AgentError, type SdsStep, type SdsStream, type WorkloadApiEndpoint } from '../spire/agent/index.ts';
import { controllerManagerWebhook, parseControllerManagerConfig, startControllerManager } from '../spire/controllerManager/index.ts';
import { SpiffeHelper } from '../spire/helper/index.ts';
import { DEFAULT_OIDC_CONFIG_PATH, OidcDiscoveryProvider, oidcConfigLoadError } from '../spire/oidc/index.ts';
import { decodePem, keyPairFromPkcs8, type Certificate, type KeyPair } from '../pki/index.ts';
import { parsePemCertificates } from '../spiffe/index.ts';
import { makeSpireServerCli, parseServerConfig, SpireServer, type ServerPersistentState } from '../spire/server/index.ts';
import { done, type Program } from '../cli/shell/program.ts';
import type { ClusterRuntime } from './cluster.ts';
import { imageInfo } from './images.ts';

interface Container {
  readonly name: string;
  readonly image?: string;
  readonly args?: readonly string[];
  readonly command?: readonly string[];
}

const SOCKET_PREFIX = 'socket:';
/** A symbolic link whose target is not a socket here (dangling): it exists, but dialling it finds no file. */
const DANGLING_LINK_PREFIX = 'symlink:';
/** What a dial of `path` finds: a dangling link is ENOENT like a missing file (its `content` is dropped). */
const dialable = (content: string | undefined): string | undefined => (content?.startsWith(DANGLING_LINK_PREFIX) ? undefined : content);

/** `-config PATH`, `--config=PATH`, `-config=PATH` in a container's args. */
function flagValue(args: readonly string[], ...names: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    for (const n of names) {
      if (a === n || a === `-${n}` || a === `--${n}`) return args[i + 1];
      for (const p of [`${n}=`, `-${n}=`, `--${n}=`]) if (a.startsWith(p)) return a.slice(p.length);
    }
  }
  return undefined;
}

const kind = (image: string | undefined): string | undefined => {
  const bin = imageInfo(image ?? '').binaries[0] ?? '';
  return ['spire-server', 'spire-agent', 'spire-controller-manager', 'spiffe-csi-driver', 'spiffe-helper', 'oidc-discovery-provider'].find((k) => bin.endsWith(`/${k}`));
};

/** `ln -s TARGET NAME` lines of the pod's init containers whose TARGET is the agent socket's file name. */
function alternateSocketNames(pod: KubeObject, socketFile: string): string[] {
  return initContainerLinks(pod).filter((l) => l.target === socketFile).map((l) => l.name);
}

/** Every `ln -s TARGET NAME` (both plain file names) in the pod's init containers. */
function initContainerLinks(pod: KubeObject): { target: string; name: string }[] {
  const inits = ((pod.spec as { initContainers?: Container[] }).initContainers ?? []).map((c) => [...(c.command ?? []), ...(c.args ?? [])].join('\n'));
  const links: { target: string; name: string }[] = [];
  for (const script of inits) for (const m of script.matchAll(/ln -s\s+(\S+)\s+(\S+)/g)) if (!m[1]!.includes('/') && !m[2]!.includes('/')) links.push({ target: m[1]!, name: m[2]! });
  return links;
}

/** `-daemon-mode[=bool]` on spiffe-helper's command line; absent → the config (default true) decides. */
function daemonModeFlag(args: readonly string[]): { daemonModeFlag?: boolean } {
  const a = args.find((x) => /^--?daemon-mode(=(true|false))?$/.test(x));
  return a === undefined ? {} : { daemonModeFlag: !a.endsWith('=false') };
}

/** `$VAR` / `${VAR}` expansion as `-expandEnv` does (unset → empty). */
const expandEnv = (text: string, env: Readonly<Record<string, string>>): string => text.replace(/\$\{(\w+)\}|\$(\w+)/g, (_m, a: string | undefined, b: string | undefined) => env[a ?? b ?? ''] ?? '');

interface OidcRunning {
  readonly provider: OidcDiscoveryProvider;
  readonly pod: Pod;
  readonly endpoint: BundleEndpoint;
  identity?: { readonly chain: readonly Certificate[]; readonly key: KeyPair };
}

interface HttpProbe {
  readonly httpGet?: { readonly path?: string; readonly port?: number | string };
  readonly initialDelaySeconds?: number;
  readonly periodSeconds?: number;
}

export interface SpireRuntimeDeps {
  readonly clock: Clock;
  readonly rng: Rng;
  readonly events: EventLog;
  readonly crypto: Crypto;
  readonly faults: NetworkFaults;
  readonly tasks: TaskTracker;
  readonly bundleClient: BundleEndpointClient;
}

export class SpireRuntime {
  readonly servers = new Map<string, SpireServer>();
  readonly agents = new Map<string, SpireAgent>();
  readonly helpers = new Map<string, SpiffeHelper>();
  /** OIDC discovery providers by pod/container, with the serving certificate read from their files. */
  readonly oidcProviders = new Map<string, OidcRunning>();
  private readonly stops = new Map<string, (() => void)[]>();
  /** Open SDS streams per agent: what breaks when its process stops. */
  private readonly sdsClients = new Map<SpireAgent, Set<() => void>>();
  /** Servers' state on persistent volumes, by volume (what the next pod mounting it reloads). */
  private readonly volumes = new Map<string, ServerPersistentState>();
  /** Agents whose pods run before any server does: they start when one appears (a real agent retries). */
  private readonly waitingForServer: (() => void)[] = [];

  constructor(
    private readonly cluster: ClusterRuntime,
    private readonly deps: SpireRuntimeDeps,
  ) {
    cluster.store.watch({ kind: 'Pod' }, (e) => {
      const pod = e.object as Pod;
      const running = (pod.status as { phase?: string } | undefined)?.phase === 'Running';
      const wasRunning = (e.oldObject?.status as { phase?: string } | undefined)?.phase === 'Running';
      if (e.type === 'DELETED' || (!running && wasRunning)) this.stopPod(pod);
      else if (running && !wasRunning) this.startPod(pod);
    });
    for (const p of cluster.store.scan('Pod')) if ((p.status as { phase?: string } | undefined)?.phase === 'Running') this.startPod(p as Pod);
  }

  private key = (pod: KubeObject, container = ''): string => `${pod.metadata.namespace ?? ''}/${pod.metadata.name}${container ? `/${container}` : ''}`;

  private componentDeps(pod: KubeObject, container: string, component: string): ComponentDeps {
    const { clock, rng, events, crypto, faults } = this.deps;
    return {
      clock,
      rng: rng.fork(`${this.cluster.name}/${this.key(pod, container)}`),
      events,
      crypto,
      faults,
      name: `${this.cluster.name}/${component}`,
      log: (line) => this.cluster.appendLog(pod.metadata.namespace ?? 'default', pod.metadata.name, container, line),
    };
  }

  private readConfig(pod: KubeObject, c: Container, path: string): Result<string, SimError> {
    const fs = this.cluster.files.container(pod, c.name);
    const abs = path.startsWith('/') ? path : `/${path}`;
    const text = fs?.read(abs);
    return text === undefined ? err(simError('spire/config-missing', `open ${path}: no such file or directory`)) : ok(text);
  }

  /** The component's process exits with `message` (bad configuration): the container crash-loops. */
  private fail(pod: KubeObject, c: Container, message: string): void {
    this.deps.events.emit('spire.component.failed', `${this.cluster.name}/${c.name}`, { pod: this.key(pod), message });
    this.cluster.crashLoop(pod.metadata.namespace ?? 'default', pod.metadata.name, c.name, message);
  }

  private onStop(pod: KubeObject, fn: () => void): void {
    const k = this.key(pod);
    this.stops.set(k, [...(this.stops.get(k) ?? []), fn]);
  }

  private startPod(pod: Pod): void {
    const containers = ((pod.spec as { containers?: Container[] }).containers ?? []).map((c) => ({ c, kind: kind(c.image) }));
    // Order matters inside a pod: the server before the controller manager that dials it.
    const order = ['spire-server', 'spiffe-csi-driver', 'spire-agent', 'spire-controller-manager', 'spiffe-helper', 'oidc-discovery-provider'];
    containers.sort((a, b) => order.indexOf(a.kind ?? '') - order.indexOf(b.kind ?? ''));
    for (const { c, kind: k } of containers) {
      if (k === 'spire-server') this.startServer(pod, c);
      else if (k === 'spiffe-csi-driver') this.startCsiDriver(pod, c);
      else if (k === 'spire-agent') this.startAgent(pod, c);
      else if (k === 'spire-controller-manager') this.startControllerManager(pod, c);
      else if (k === 'spiffe-helper') this.startHelper(pod, c);
      else if (k === 'oidc-discovery-provider') this.startOidcProvider(pod, c);
    }
  }

  private stopPod(pod: KubeObject): void {
    for (const fn of this.stops.get(this.key(pod)) ?? []) fn();
    this.stops.delete(this.key(pod));
  }

  private env(pod: KubeObject, c: Container): Record<string, string> {
    return { ...(this.cluster.controllers.kubelet.mounts(pod)?.env[c.name] ?? {}) };
  }

  private startServer(pod: Pod, c: Container): void {
    const path = flagValue(c.args ?? [], 'config') ?? '/opt/spire/conf/server/server.conf';
    const text = this.readConfig(pod, c, path);
    if (!text.ok) return this.fail(pod, c, text.error.message);
    const expanded = (c.args ?? []).includes('-expandEnv') ? expandEnv(text.value, this.env(pod, c)) : text.value;
    const cfg = parseServerConfig(expanded, path);
    if (!cfg.ok) return this.fail(pod, c, cfg.error.message);
    const deps = this.componentDeps(pod, c.name, 'spire-server');
    const volume = this.persistentVolumeOf(pod, c, cfg.value.config.dataDir);
    const persisted = volume ? this.volumes.get(volume) : undefined;
    const server = new SpireServer(deps, cfg.value.config, { bundleClient: this.deps.bundleClient, tasks: this.deps.tasks, configWarnings: cfg.value.warnings, ...(persisted ? { persisted } : {}) });
    this.servers.set(this.key(pod), server);
    void this.deps.tasks.track(server.start());
    for (const start of this.waitingForServer.splice(0)) start();
    this.onStop(pod, () => {
      server.stop();
      if (volume) this.volumes.set(volume, server.persistentState());
      this.servers.delete(this.key(pod));
    });
  }

  /**
   * The persistent volume holding `dataDir`, as a key: a PersistentVolumeClaim (a StatefulSet's
   * volumeClaimTemplates give each pod its own claim `<template>-<pod>`) or a hostPath. An emptyDir, or
   * no volume at all, dies with the pod — the next server starts with a new datastore and CA.
   */
  private persistentVolumeOf(pod: Pod, c: Container, dataDir: string): string | undefined {
    const spec = pod.spec as { volumes?: { name: string; persistentVolumeClaim?: { claimName: string }; hostPath?: { path: string } }[]; containers?: { name: string; volumeMounts?: { name: string; mountPath: string }[] }[] };
    const mount = (spec.containers?.find((x) => x.name === c.name)?.volumeMounts ?? [])
      .filter((m) => dataDir === m.mountPath || dataDir.startsWith(`${m.mountPath.replace(/\/$/, '')}/`))
      .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
    if (!mount) return undefined;
    const ns = pod.metadata.namespace ?? 'default';
    const v = spec.volumes?.find((x) => x.name === mount.name);
    if (v?.persistentVolumeClaim) return `pvc:${ns}/${v.persistentVolumeClaim.claimName}`;
    if (v?.hostPath) return `hostPath:${(pod.spec as { nodeName?: string }).nodeName ?? ''}:${v.hostPath.path}`;
    const owner = pod.metadata.ownerReferences?.find((o) => o.kind === 'StatefulSet');
    const templates = owner ? ((this.cluster.store.find('StatefulSet', ns, owner.name)?.spec as { volumeClaimTemplates?: { metadata?: { name?: string } }[] } | undefined)?.volumeClaimTemplates ?? []) : [];
    return !v && templates.some((t) => t.metadata?.name === mount.name) ? `pvc:${ns}/${mount.name}-${pod.metadata.name}` : undefined;
  }

  /**
   * The server as an agent reaches it: whichever server pod answers the configured address now, so
   * an agent reconnects after the server's pod is replaced (gRPC redials; spire:pkg/agent/client).
   */
  private readonly currentServer: SpireServerApi = new Proxy({} as SpireServerApi, {
    get: (_t, prop) => {
      const s = this.server();
      if (prop === 'isServing') return () => s?.isServing() ?? false;
      const v = s ? (s as unknown as Record<string | symbol, unknown>)[prop] : undefined;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(s) : v;
    },
  });

  /** Waits for the components' asynchronous work (syncs, signatures, fetches) to finish. */
  async settle(): Promise<void> {
    await Promise.all([...[...this.servers.values()].map((s) => s.settle()), ...[...this.agents.values()].map((a) => a.idle())]);
  }

  /** The server a client in this cluster reaches (the chart runs one; Simplified: no HA). */
  server(): SpireServer | undefined {
    return [...this.servers.values()][0];
  }

  private startControllerManager(pod: Pod, c: Container): void {
    const path = flagValue(c.args ?? [], 'config') ?? 'controller-manager-config.yaml';
    const text = this.readConfig(pod, c, path);
    if (!text.ok) return this.fail(pod, c, text.error.message);
    const cfg = parseControllerManagerConfig(text.value, { detectedClusterDomain: 'cluster.local' });
    if (!cfg.ok) return this.fail(pod, c, cfg.error.message);
    const server = this.servers.get(this.key(pod)) ?? this.server();
    const d = this.componentDeps(pod, c.name, 'spire-controller-manager');
    if (!server) {
      // It keeps running and retries the server's socket (scm: pkg/spireapi dials lazily).
      d.log(`${new Date(d.clock.now()).toISOString()}\tERROR\tentry-reconciler\tFailed to list SPIRE entries\t{"error": "rpc error: code = Unavailable desc = connection error: desc = \\"transport: Error while dialing: dial unix /tmp/spire-server/private/api.sock: connect: no such file or directory\\""}`);
      this.waitingForServer.push(() => this.startControllerManager(pod, c));
      return;
    }
    const cm = startControllerManager({ store: this.cluster.store, api: server, config: cfg.value, deps: { clock: d.clock, rng: d.rng, log: d.log, events: d.events, name: d.name } });
    // Its validating webhook refuses bad ClusterSPIFFEIDs/ClusterFederatedTrustDomains while the pod runs.
    const removeWebhook = this.cluster.store.addAdmission(controllerManagerWebhook());
    this.onStop(pod, () => {
      cm.stop();
      removeWebhook();
    });
  }

  private startAgent(pod: Pod, c: Container): void {
    const path = flagValue(c.args ?? [], 'config') ?? '/opt/spire/conf/agent/agent.conf';
    const text = this.readConfig(pod, c, path);
    if (!text.ok) return this.fail(pod, c, text.error.message);
    const cfg = parseAgentConfig((c.args ?? []).includes('-expandEnv') ? expandEnv(text.value, this.env(pod, c)) : text.value, path);
    if (!cfg.ok) return this.fail(pod, c, cfg.error.message);
    if (!this.server()) {
      this.waitingForServer.push(() => this.startAgent(pod, c));
      return;
    }
    const nodeName = (pod.spec as { nodeName?: string }).nodeName ?? '';
    const node = this.cluster.store.find('Node', undefined, nodeName);
    const agent = new SpireAgent({ deps: this.componentDeps(pod, c.name, `spire-agent/${nodeName}`), config: cfg.value.config, server: this.currentServer, node: { name: nodeName, uid: node?.metadata.uid ?? '' } });
    this.agents.set(nodeName, agent);
    void this.deps.tasks.track(agent.start());
    // The agent listens on socket_path inside its container; hostPath volumes put it on the node.
    const fs = this.cluster.files.container(pod, c.name);
    const socketPath = cfg.value.config.socketPath;
    const dir = socketPath.slice(0, socketPath.lastIndexOf('/'));
    // The socket, and the names an init container links to it (the chart's `ensure-alternate-names`
    // runs `ln -s spire-agent.sock socket` and `ln -s spire-agent.sock api.sock` in the socket directory).
    const names = [socketPath, ...alternateSocketNames(pod, socketPath.slice(dir.length + 1)).map((n) => `${dir}/${n}`)];
    const mark = (owner: string) => {
      for (const n of names) {
        try {
          fs?.write(n, `${SOCKET_PREFIX}${owner}`);
        } catch {
          this.fail(pod, c, `failed to listen on ${n}: read-only file system`);
        }
      }
    };
    mark(`spire-agent/${nodeName}`);
    // The chart's links to another name (`socket -> spire-agent.sock` when socket_path was edited to a
    // different file) dangle: pilot-agent sees a `socket` entry it cannot use or remove (istio#58516).
    const socketFile = socketPath.slice(dir.length + 1);
    for (const l of initContainerLinks(pod)) if (l.target !== socketFile && l.name !== socketFile) this.writeQuietly(fs, `${dir}/${l.name}`, `${DANGLING_LINK_PREFIX}${l.target}`);
    this.onStop(pod, () => {
      agent.stop();
      this.agents.delete(nodeName);
      for (const drop of [...(this.sdsClients.get(agent) ?? [])]) drop();
      this.sdsClients.delete(agent);
      // Go's UnixListener.Close unlinks the socket file; the links to it (on the hostPath) now dangle.
      fs?.remove(socketPath);
      for (const n of names.slice(1)) this.writeQuietly(fs, n, `${DANGLING_LINK_PREFIX}${socketFile}`);
    });
  }

  /**
   * The SPIFFE CSI driver publishes the node's agent socket directory (`-workload-api-socket-dir`,
   * a hostPath in the chart) to pods that ask for `csi.spiffe.io`, read-only.
   */
  private startCsiDriver(pod: Pod, c: Container): void {
    const dir = flagValue(c.args ?? [], 'workload-api-socket-dir') ?? '/spire-agent-socket';
    const hostDir = this.hostPathOf(pod, c, dir);
    const nodeName = (pod.spec as { nodeName?: string }).nodeName ?? '';
    this.cluster.registerCsiDriver('csi.spiffe.io', nodeName, { fs: this.cluster.files.node(nodeName), root: hostDir ?? dir, readOnly: true });
    this.onStop(pod, () => this.cluster.unregisterCsiDriver('csi.spiffe.io', nodeName));
  }

  private hostPathOf(pod: KubeObject, c: Container, path: string): string | undefined {
    const spec = pod.spec as { volumes?: { name: string; hostPath?: { path: string } }[]; containers?: { name: string; volumeMounts?: { name: string; mountPath: string }[] }[] };
    const mounts = spec.containers?.find((x) => x.name === c.name)?.volumeMounts ?? [];
    for (const m of mounts) {
      const v = spec.volumes?.find((x) => x.name === m.name);
      if (v?.hostPath && (path === m.mountPath || path.startsWith(`${m.mountPath}/`))) return `${v.hostPath.path}${path.slice(m.mountPath.length)}`;
    }
    return undefined;
  }

  private writeQuietly(fs: { write(path: string, content: string): void } | undefined, path: string, content: string): void {
    try {
      fs?.write(path, content);
    } catch {
      // a read-only socket directory: the init container could not have linked there either
    }
  }

  /** What a process in `pod`/`container` reaches when it dials the unix socket at `path`. */
  dialWorkloadApi(pod: Pod, container: string, path: string): Result<WorkloadApiEndpoint, AgentError> {
    const fs = this.cluster.files.container(pod, container);
    const content = dialable(fs?.read(path.replace(/^unix:\/\//, '')));
    const owner = content?.startsWith(SOCKET_PREFIX) ? content.slice(SOCKET_PREFIX.length) : undefined;
    const agent = owner?.startsWith('spire-agent/') ? this.agents.get(owner.slice('spire-agent/'.length)) : undefined;
    const state = agent ? { state: 'listening' as const, endpoint: agent.workloadApi(attestK8sWorkload(pod, container)) } : content !== undefined ? { state: 'refused' as const } : undefined;
    return dialWorkloadApi(path.replace(/^unix:\/\//, ''), state as never);
  }

  /**
   * Envoy's SDS client dialling the unix socket at `path` from `pod`/`container` (the SPIRE agent's SDS
   * service on the Workload API socket): the stream and its updates, or the dial error.
   */
  openSds(pod: Pod, container: string, path: string, onStep: (step: SdsStep) => void): Result<{ stream: SdsStream; close(): void }, AgentError> {
    const fs = this.cluster.files.container(pod, container);
    const content = dialable(fs?.read(path));
    const owner = content?.startsWith(SOCKET_PREFIX) ? content.slice(SOCKET_PREFIX.length) : undefined;
    const agent = owner?.startsWith('spire-agent/') ? this.agents.get(owner.slice('spire-agent/'.length)) : undefined;
    if (!agent) return dialWorkloadApi(path, (content !== undefined ? { state: 'refused' } : undefined) as never);
    const s = agent.openSdsStream(attestK8sWorkload(pod, container), onStep);
    // The agent process going away breaks the gRPC stream; Envoy sees it closed and redials the path.
    const clients = this.sdsClients.get(agent) ?? new Set<() => void>();
    this.sdsClients.set(agent, clients);
    const drop = () => {
      clients.delete(drop);
      s.close();
      // Unverified: the status text Envoy logs for a dropped SDS stream (istio#58516 shows only "14, upstream c…").
      onStep({ error: grpcError('unavailable', 'upstream connect error or disconnect/reset before headers. reset reason: connection termination') });
    };
    clients.add(drop);
    return ok({
      stream: s.stream,
      close: () => {
        clients.delete(drop);
        s.close();
      },
    });
  }

  private startHelper(pod: Pod, c: Container): void {
    const path = flagValue(c.args ?? [], 'config') ?? 'helper.conf';
    const text = this.readConfig(pod, c, path);
    if (!text.ok) return this.fail(pod, c, `failed to parse configuration: ${text.error.message}`);
    const fs = this.cluster.files.container(pod, c.name);
    const helper = new SpiffeHelper({
      clock: this.deps.clock,
      log: (line) => this.cluster.appendLog(pod.metadata.namespace ?? 'default', pod.metadata.name, c.name, line),
      configText: text.value,
      configPath: path,
      version: /spiffe-helper:0\.8/.test(c.image ?? '') ? '0.8' : 'latest',
      env: this.env(pod, c),
      ...daemonModeFlag(c.args ?? []),
      dial: (p) => this.dialWorkloadApi(pod, c.name, p),
      writeFile: (p, file) => {
        try {
          fs?.write(p, file.content);
          fs?.chmod(p, file.mode);
          return ok(undefined);
        } catch (e) {
          return err(simError('spire/helper-write', `open ${p}: ${(e as Error).message.replace(/^.*: /, '')}`));
        }
      },
    });
    this.helpers.set(this.key(pod, c.name), helper);
    helper.start();
    this.onStop(pod, () => {
      helper.stop();
      this.helpers.delete(this.key(pod, c.name));
    });
  }

  /**
   * `oidc-discovery-provider -config PATH` (ZTWIM's SpireOIDCDiscoveryProvider operand): it serves
   * HTTPS with the certificate files it names (the service CA's Secret in ZTWIM), polls the Workload
   * API through the CSI volume, and its readiness probe (`/ready` on the health port) decides whether
   * the pod is in its Service's Endpoints — and so whether the Route answers.
   */
  private startOidcProvider(pod: Pod, c: Container): void {
    const path = flagValue(c.args ?? [], 'config') ?? DEFAULT_OIDC_CONFIG_PATH;
    const text = this.readConfig(pod, c, path);
    if (!text.ok) return this.fail(pod, c, oidcConfigLoadError(path).message);
    const fs = this.cluster.files.container(pod, c.name);
    const ns = pod.metadata.namespace ?? 'default';
    const provider = new OidcDiscoveryProvider({
      clock: this.deps.clock,
      log: (line) => this.cluster.appendLog(ns, pod.metadata.name, c.name, line),
      stderr: () => undefined, // the crash loop shows the message
      configText: text.value,
      configPath: path,
      dial: (p) => this.dialWorkloadApi(pod, c.name, p),
      fileExists: (p) => fs?.read(p) !== undefined,
    });
    const started = provider.start();
    if (!started.ok) return this.fail(pod, c, started.error.message);
    const key = this.key(pod, c.name);
    const running: OidcRunning = {
      provider,
      pod,
      endpoint: {
        component: `${this.cluster.name}/${key}`,
        serve: (method, p, host) => provider.serve(method, p, host ?? ''),
        tlsIdentity: () => running.identity,
      },
    };
    this.oidcProviders.set(key, running);
    const cert = provider.config?.servingCertFile;
    if (cert)
      void this.deps.tasks.track(
        this.loadServingIdentity(fs?.read(cert.certFilePath) ?? '', fs?.read(cert.keyFilePath) ?? '').then((id) => {
          if (id) running.identity = id;
        }),
      );
    // The probe reaches the provider only on its health port (nothing else listens there).
    const probe = this.readinessProbe(pod, c, (probePath, port) => port === provider.healthPort && provider.serveHealth('GET', probePath).status === 200);
    this.onStop(pod, () => {
      probe.cancel();
      provider.stop();
      this.oidcProviders.delete(key);
    });
  }

  private async loadServingIdentity(certPem: string, keyPem: string): Promise<OidcRunning['identity']> {
    const chain = parsePemCertificates(certPem);
    const blocks = decodePem(keyPem);
    const block = blocks.ok ? blocks.value.find((b) => b.type === 'PRIVATE KEY') : undefined;
    if (!chain.ok || chain.value.length === 0 || !block) return undefined;
    const key = await keyPairFromPkcs8(this.deps.crypto, block.der);
    return key.ok ? { chain: chain.value, key: key.value } : undefined;
  }

  /**
   * The kubelet's HTTP readiness probe (pkg/kubelet/prober): the container is not ready until a probe
   * succeeds; the first runs after `initialDelaySeconds`, then every `periodSeconds` (default 10).
   * Simplified: failureThreshold/successThreshold of 1; liveness probes do not restart containers.
   */
  private readinessProbe(pod: Pod, c: Container, check: (path: string, port: number | undefined) => boolean): { cancel(): void } {
    const probe = (c as { readinessProbe?: HttpProbe }).readinessProbe;
    if (!probe?.httpGet) return { cancel: () => undefined };
    const ns = pod.metadata.namespace ?? 'default';
    const set = (ready: boolean) => this.cluster.setContainerReady(ns, pod.metadata.name, c.name, ready);
    set(false);
    let timer: number | undefined;
    const tick = (delayS: number) => {
      timer = this.deps.clock.setTimeout(() => {
        const port = probe.httpGet?.port;
        // A named port is the container's port of that name.
        const portNumber = typeof port === 'number' ? port : (c as { ports?: { name?: string; containerPort: number }[] }).ports?.find((x) => x.name === port)?.containerPort;
        set(check(probe.httpGet?.path ?? '/', portNumber));
        tick(probe.periodSeconds ?? 10);
      }, delayS * 1000, `${this.cluster.name}/${ns}/${pod.metadata.name}/${c.name}/readiness`);
    };
    tick(probe.initialDelaySeconds ?? 0);
    return { cancel: () => timer !== undefined && this.deps.clock.clearTimeout(timer) };
  }

  /** The HTTPS endpoint at `podIp:port`: a server's bundle endpoint or an OIDC provider's listener. */
  endpointAt(podIp: string, port: number): BundleEndpoint | undefined {
    for (const o of this.oidcProviders.values()) {
      // Read-only, on every bundle fetch: the stored pod, not a copy.
      if ((this.cluster.store.peek('Pod', o.pod.metadata.namespace, o.pod.metadata.name)?.status as { podIP?: string } | undefined)?.podIP !== podIp) continue;
      if (o.provider.state === 'running' && Number(/:(\d+)$/.exec(o.provider.listenAddress ?? '')?.[1]) === port) return o.endpoint;
    }
    for (const [key, server] of this.servers) {
      const [ns, name] = key.split('/');
      const pod = this.cluster.store.peek('Pod', ns, name!);
      if ((pod?.status as { podIP?: string } | undefined)?.podIP !== podIp) continue;
      const ep = server.bundleEndpoint();
      if (ep && server.config.bundleEndpoint?.port === port) return ep;
    }
    return undefined;
  }

  /** `spire-server` inside the server's container: the CLI bound to that pod's server. */
  serverCli(namespace: string, pod: string): Program {
    return async (argv, io) => {
      const server = this.servers.get(`${namespace}/${pod}`);
      if (!server) return done('', 'Error: connection error: desc = "transport: error while dialing: dial unix /tmp/spire-server/private/api.sock: connect: no such file or directory"\n', 1);
      const cli = makeSpireServerCli(server, { socketPath: server.config.socketPath });
      const r = await cli(argv.slice(1), { stdin: io.stdin, cwd: io.cwd, fs: io.fs });
      return done(r.stdout, r.stderr, r.exitCode);
    };
  }
}
