/**
 * The composition root: turns the clusters of a scenario into running models on one virtual clock
 * and one event log, with a workstation shell (kubectl/oc and coreutils) whose contexts are the
 * clusters, the network fault model, and the stand-in identity source. Everything a run does goes
 * through here, so that a seed fixes names, addresses, serials and event order.
 */
import { VirtualClock } from '../core/clock.ts';
import { EventLog } from '../core/events.ts';
import { Rng } from '../core/rng.ts';
import { TaskTracker, advanceSettled } from '../core/tasks.ts';
import { NetworkFaults } from '../net/faults.ts';
import { MemoryBundleClient, type BundleEndpointClient, type EndpointResolver } from '../net/bundleEndpoint.ts';
import { makeCurl } from '../cli/curl.ts';
import { makeOpenssl } from '../cli/openssl.ts';
import { LabNetwork } from './network.ts';
import { SpireRuntime } from './spire.ts';
import { OpenShiftPlatform } from './openshift.ts';
import { makeKubectl, type ClusterHandle, type KubectlEnv } from '../cli/kubectl/index.ts';
import { COREUTILS } from '../cli/shell/coreutils.ts';
import type { ProgramResult } from '../cli/shell/program.ts';
import { Shell } from '../cli/shell/shell.ts';
import type { ClusterSpec } from './spec.ts';
import { ClusterRuntime, type ContainerPrograms } from './cluster.ts';
import { StandinIdentity } from './standinIdentity.ts';
import { MeshRuntime } from './mesh.ts';
import type { WireTransport } from '../envoy/wire.ts';
import { makeIstioctl } from '../cli/istioctl/index.ts';
import { meshHttp, meshEndpoints } from './meshHttp.ts';
import { meshTls } from './meshTls.ts';
import { passthroughSServer } from './sServer.ts';
import type { RouterCluster } from '../openshift/index.ts';
import { makeIstioctlInstall } from '../cli/istioctl/install.ts';
import { makeGenEastwestGateway } from '../cli/genEastwestGateway.ts';
import { applyInstallObject, DEFAULT_ISTIO_VERSION, parseIstioVersion, startSailOperator } from '../istiod/install/index.ts';
import { err, ok, simError } from '../core/result.ts';

export interface WorldOptions {
  readonly seed: number;
  /** Virtual time at the start, ms since the epoch. */
  readonly start: number;
  readonly crypto: Crypto;
  /** Signatures in flight when the stand-in CA signs (does not change results, only speed). */
  readonly signingConcurrency?: number;
  /** How SPIRE servers fetch peers' bundles: in memory by default; Node passes real HTTPS. */
  readonly bundleClient?: (resolve: EndpointResolver) => BundleEndpointClient;
  /** Real sockets for the mesh's handshakes (`--wire`, Node only). */
  readonly wire?: WireTransport;
}

export const DEFAULT_START = Date.UTC(2026, 0, 15, 9, 0, 0);

export class World {
  readonly clock: VirtualClock;
  readonly events: EventLog;
  readonly rng: Rng;
  readonly faults: NetworkFaults;
  readonly tasks = new TaskTracker();
  readonly spire = new Map<string, SpireRuntime>();
  readonly openshift = new Map<string, OpenShiftPlatform>();
  readonly network: LabNetwork;
  readonly bundleClient: BundleEndpointClient;
  readonly clusters = new Map<string, ClusterRuntime>();
  readonly identities = new Map<string, StandinIdentity>();
  readonly shell: Shell;
  readonly mesh: MeshRuntime;
  /** Each cluster's API server address (`https://172.18.0.N:6443`), what kubeconfigs and remote secrets name. */
  readonly apiServers = new Map<string, string>();
  currentContext: string;

  private constructor(specs: readonly ClusterSpec[], readonly options: WorldOptions) {
    this.clock = new VirtualClock(options.start);
    this.events = new EventLog(this.clock);
    this.rng = new Rng(options.seed);
    this.faults = new NetworkFaults(this.events);
    const routers = (): RouterCluster[] => [...this.openshift.values()].map((p) => ({ name: p.cluster.name, store: p.cluster.store, ...(p.ingress ? { ingress: p.ingress } : {}) }));
    this.network = new LabNetwork(
      () => [...this.clusters.values()].map((cluster) => ({ cluster, spire: this.spire.get(cluster.name)! })),
      this.faults,
      routers,
    );
    const resolve = (from: string, host: string, port: number) => this.network.resolve(from, host, port);
    this.bundleClient = options.bundleClient?.(resolve) ?? new MemoryBundleClient(options.crypto, resolve);
    const podServer = (host: string, port: number) => passthroughSServer(routers(), host, port, (name) => this.clusters.get(name), this.mesh.verifier, () => this.clock.now());
    const containerPrograms = (): ContainerPrograms => ({
      ...Object.fromEntries(Object.entries(COREUTILS).map(([name, p]) => [name, () => p])),
      'spire-server': (ctx) => this.spire.get(ctx.cluster)!.serverCli(ctx.namespace, ctx.pod),
      curl: (ctx) => makeCurl(ctx.cluster, { resolve, webRoots: () => [], now: () => this.clock.now(), http: (req) => meshHttp(this.mesh, this.clusters.get(ctx.cluster)!, ctx, req) }, options.crypto),
      openssl: (ctx) => makeOpenssl(() => this.clock.now(), options.crypto, meshTls(this.mesh, { from: ctx.cluster, namespace: ctx.namespace, cluster: this.clusters.get(ctx.cluster), resolve, podServer })),
    });
    this.mesh = new MeshRuntime({
      clock: this.clock,
      rng: this.rng.fork('mesh'),
      events: this.events,
      crypto: options.crypto,
      faults: this.faults,
      tasks: this.tasks,
      clusters: () => [...this.clusters.values()],
      spire: (name) => this.spire.get(name),
      ...(options.wire ? { wire: options.wire } : {}),
      clusterAt: (server) => {
        const host = /^https?:\/\/([^/:]+)/.exec(server)?.[1];
        return [...this.clusters.values()].find((c) => this.apiServers.get(c.name) === server || (host !== undefined && (host === `${c.name}-control-plane` || new URL(this.apiServers.get(c.name) ?? 'https://x').hostname === host)));
      },
    });
    for (const [index, spec] of specs.entries()) {
      // kind's control-plane containers sit on the docker network 172.18.0.0/16.
      this.apiServers.set(spec.name, `https://172.18.0.${index + 2}:6443`);
      // Each cluster's LoadBalancer addresses come from its own documentation range (RFC 5737 style).
      const loadBalancerCidr = `198.51.${100 + index}.0/24`;
      const cluster = new ClusterRuntime(spec, { clock: this.clock, rng: this.rng.fork(`cluster/${spec.name}`), events: this.events, containerPrograms, loadBalancerCidr });
      this.clusters.set(spec.name, cluster);
      this.mesh.attach(cluster);
      if (spec.platform === 'openshift' && (spec.versions.ossm !== undefined || spec.versions.istio !== undefined)) startSailOperator(cluster.store, { platform: 'openshift', distribution: 'ossm' });
      this.spire.set(spec.name, new SpireRuntime(cluster, { clock: this.clock, rng: this.rng.fork(`spire/${spec.name}`), events: this.events, crypto: options.crypto, faults: this.faults, tasks: this.tasks, bundleClient: this.bundleClient }));
      const identity = new StandinIdentity(spec.name, spec.trustDomain, {
        crypto: options.crypto,
        clock: this.clock,
        rng: this.rng.fork(`identity/${spec.name}`),
        events: this.events,
        concurrency: options.signingConcurrency ?? 16,
      });
      this.identities.set(spec.name, identity);
      cluster.store.watch({ kind: 'Pod' }, (e) => {
        const pod = e.object as { metadata: { name: string; namespace?: string }; spec?: { serviceAccountName?: string }; status?: { phase?: string } };
        const wasRunning = (e.oldObject as { status?: { phase?: string } } | undefined)?.status?.phase === 'Running';
        if (e.type !== 'DELETED' && pod.status?.phase === 'Running' && !wasRunning) identity.request(pod.metadata.namespace ?? 'default', pod.spec?.serviceAccountName ?? 'default', pod.metadata.name);
      });
    }
    this.currentContext = specs[0]?.name ?? '';
    // istioctl's own version: the first cluster's Istio (the guides use one istioctl for all clusters).
    const istioVersion = (() => {
      const v = parseIstioVersion(specs.find((x) => x.versions.istio)?.versions.istio ?? '');
      return v.ok ? v.value : DEFAULT_ISTIO_VERSION;
    })();
    const installIstio = makeIstioctlInstall({
      version: istioVersion,
      target: (context) => {
        const c = this.clusters.get(context ?? this.currentContext);
        if (!c) return err(simError('istio/no-context', `context "${context ?? ''}" does not exist`));
        return ok({
          apply: (manifests) => {
            for (const m of manifests) {
              const r = applyInstallObject(c.store, m);
              if (!r.ok) return r;
            }
            c.store.settle();
            return ok(undefined);
          },
          hasNamespace: (n) => c.store.find('Namespace', undefined, n) !== undefined,
        });
      },
    });
    const env: KubectlEnv = {
      clusters: () => [...this.clusters.values()].map((c) => this.handle(c)),
      currentContext: () => this.currentContext,
      setCurrentContext: (name) => {
        this.currentContext = name;
      },
    };
    this.shell = new Shell({
      programs: {
        kubectl: makeKubectl(env, 'kubectl'),
        oc: makeKubectl(env, 'oc'),
        curl: makeCurl('workstation', { resolve, webRoots: () => [], now: () => this.clock.now() }, options.crypto),
        openssl: makeOpenssl(() => this.clock.now(), options.crypto, meshTls(this.mesh, { from: 'workstation', resolve, podServer })),
        istioctl: makeIstioctl({
          currentContext: () => this.currentContext,
          store: (name) => this.clusters.get(name)?.store,
          now: () => this.clock.now(),
          configDump: (c, ns, pod) => {
            const proxy = this.mesh.proxy(c, ns, pod);
            return proxy ? this.mesh.configDump(proxy) : undefined;
          },
          endpoints: (c, ns, pod) => meshEndpoints(this.mesh, c, ns, pod),
          remoteClusters: (c) => {
            const istiod = this.mesh.istiod(c);
            if (!istiod) return undefined;
            return [{ name: istiod.clusterId, secret: '', status: 'synced', istiod: istiod.podName }, ...istiod.remotes().map((r) => ({ name: r.id, secret: r.secret, status: r.status, istiod: istiod.podName }))];
          },
          apiServer: (c) => (this.apiServers.has(c) ? { server: this.apiServers.get(c)!, caData: btoa(`fedlab ${c} cluster CA`), token: `fedlab-${c}-istio-reader-token` } : undefined),
          istioctlVersion: (c) => this.clusters.get(c)?.spec.versions.istio ?? '1.27.0',
          subcommands: { install: () => installIstio, apply: () => installIstio },
        }),
        'gen-eastwest-gateway.sh': makeGenEastwestGateway(istioVersion),
      },
      env: { USER: 'trainee' },
    });
  }

  static async create(specs: readonly ClusterSpec[], options: WorldOptions): Promise<World> {
    const world = new World(specs, options);
    for (const [name, cluster] of world.clusters) {
      if (cluster.spec.platform !== 'openshift') continue;
      world.openshift.set(name, await OpenShiftPlatform.start(cluster, { clock: world.clock, rng: world.rng.fork(`openshift/${name}`), events: world.events, crypto: options.crypto, tasks: world.tasks }));
    }
    for (const [name, identity] of world.identities) await identity.start(world.clusters.get(name)!.store);
    return world;
  }

  cluster(name: string): ClusterRuntime | undefined {
    return this.clusters.get(name);
  }

  private handle(c: ClusterRuntime): ClusterHandle {
    return {
      name: c.name,
      store: c.store,
      platform: c.spec.platform,
      ...(this.apiServers.has(c.name) ? { server: this.apiServers.get(c.name)! } : {}),
      logs: (ns, pod, container) => c.logsOf(ns, pod, container),
      exec: (ns, pod, container, argv, stdin) => c.exec(ns, pod, container, argv, stdin),
    };
  }

  /** Runs a command line on the workstation, optionally against one cluster's context. */
  async run(command: string, opts: { cluster?: string; stdin?: string } = {}): Promise<ProgramResult> {
    const saved = this.currentContext;
    if (opts.cluster) this.currentContext = opts.cluster;
    try {
      const r = await this.shell.run(command, opts.stdin ?? '');
      await this.settle();
      return r;
    } finally {
      if (opts.cluster) this.currentContext = saved;
    }
  }

  /** Finishes asynchronous work (signing, fetches) so that the next step sees a settled world. */
  async settle(): Promise<void> {
    for (let round = 0; round < 1000; round++) {
      for (const c of this.clusters.values()) c.store.settle();
      for (const identity of this.identities.values()) await identity.settle();
      for (const spire of this.spire.values()) await spire.settle();
      if (this.tasks.size === 0) return;
      await this.tasks.idle();
    }
  }

  /**
   * Moves virtual time forward by `ms`, stopping at every due timer to let the work it starts finish
   * at that instant (a fetch begun at t+75 s completes at t+75 s, not after the clock has moved on).
   */
  advance(ms: number): Promise<void> {
    return advanceSettled(this.clock, ms, () => this.settle());
  }
}
