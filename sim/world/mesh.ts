/**
 * The mesh on every cluster: istiod where its pod runs (with its webhooks, istiodWebhooks.ts), one
 * Envoy per pod with an `istio-proxy` container (sidecar, native sidecar or gateway) whose pilot-agent
 * picks its certificate source (pilotAgent.ts), and the data plane that connects them (`dial`, `call`).
 * A proxy is ready (its container Ready, its pod in Endpoints) once it has config and both secrets; a
 * native sidecar holds the pod's app containers until then.
 */
import type { Clock } from '../core/clock.ts';
import type { EventLog } from '../core/events.ts';
import type { Rng } from '../core/rng.ts';
import type { TaskTracker } from '../core/tasks.ts';
import type { NetworkFaults } from '../net/faults.ts';
import { fromBase64, SignatureVerifier, type Certificate } from '../pki/index.ts';
import { parsePemCertificates } from '../spiffe/index.ts';
import type { KubeObject } from '../kube/object.ts';
import type { Pod } from '../kube/builtinKinds.ts';
import { callThroughSidecar, type CallTrace, type Dataplane, type HttpRequest, type Reach, type Workload } from '../envoy/call.ts';
import { callFailures } from '../envoy/callFailures.ts';
import type { GatewayListenerConfig } from '../envoy/config.ts';
import { Proxy } from '../envoy/proxy.ts';
import { secretsDump } from '../envoy/secrets.ts';
import type { WireTransport } from '../envoy/wire.ts';
import type { GatewayServer } from '../istiod/push.ts';
import { NETWORK_LABEL } from '../istiod/registry.ts';
import { ok } from '../core/result.ts';
import { appAnswer } from './apps.ts';
import { injectOnCreate, publishRootCert } from './istiodWebhooks.ts';
import { PilotAgent } from './pilotAgent.ts';
import type { ClusterRuntime } from './cluster.ts';
import { IstiodRuntime } from './istiod.ts';
import type { SpireRuntime } from './spire.ts';
import { gatewayApiServers, startGatewayDeployer } from './gatewayDeployer.ts';

interface Container {
  readonly name: string;
  readonly image?: string;
  readonly args?: readonly string[];
  readonly env?: readonly { name: string; value?: string }[];
  readonly restartPolicy?: string;
}


const isRunning = (o: KubeObject | undefined): boolean => (o?.status as { phase?: string } | undefined)?.phase === 'Running';
const podIp = (o: KubeObject | undefined): string | undefined => (o?.status as { podIP?: string } | undefined)?.podIP;
const key = (cluster: string, ns: string, pod: string): string => `${cluster}/${ns}/${pod}`;

export function proxyContainer(pod: KubeObject): Container | undefined {
  const spec = pod.spec as { containers?: Container[]; initContainers?: Container[] };
  return [...(spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'), ...(spec.containers ?? [])].find((c) => c.name === 'istio-proxy' && c.image);
}

const envOf = (c: Container): Record<string, string> => Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value ?? '']));

export interface MeshDeps {
  readonly clock: Clock;
  readonly rng: Rng;
  readonly events: EventLog;
  readonly crypto: Crypto;
  readonly faults: NetworkFaults;
  readonly tasks: TaskTracker;
  readonly clusters: () => readonly ClusterRuntime[];
  readonly spire: (cluster: string) => SpireRuntime | undefined;
  /** The API server a kubeconfig `server:` URL reaches (remote secrets). */
  readonly clusterAt: (server: string) => ClusterRuntime | undefined;
  readonly wire?: WireTransport;
}

export class MeshRuntime implements Dataplane {
  readonly istiods = new Map<string, IstiodRuntime>();
  readonly proxies = new Map<string, Proxy>();
  readonly verifier: SignatureVerifier;
  readonly rng: Rng;
  readonly wire?: WireTransport;
  private readonly stops = new Map<string, (() => void)[]>();
  /** Pods whose app containers wait for their native sidecar's first readiness. */
  private readonly heldUntilReady = new Set<string>();

  private readonly pilotAgent: PilotAgent;

  constructor(private readonly deps: MeshDeps) {
    this.pilotAgent = new PilotAgent({ clock: deps.clock, tasks: deps.tasks, crypto: deps.crypto, spire: deps.spire, refresh: (p) => this.refresh(p) });
    this.verifier = new SignatureVerifier(deps.crypto);
    if (deps.wire) this.wire = deps.wire;
    this.rng = deps.rng.fork('dataplane');
  }

  now(): number {
    return this.deps.clock.now();
  }

  attach(cluster: ClusterRuntime): void {
    cluster.store.watch({ kind: 'Pod' }, (e) => {
      const running = isRunning(e.object);
      const was = isRunning(e.oldObject);
      if (e.type === 'DELETED' || (!running && was)) this.stopPod(cluster, e.object);
      else if (running && !was) this.startPod(cluster, e.object as Pod);
    });
  }

  private onStop(k: string, fn: () => void): void {
    this.stops.set(k, [...(this.stops.get(k) ?? []), fn]);
  }

  private stopPod(cluster: ClusterRuntime, pod: KubeObject): void {
    const k = key(cluster.name, pod.metadata.namespace ?? 'default', pod.metadata.name);
    for (const fn of this.stops.get(k) ?? []) fn();
    this.stops.delete(k);
  }

  private startPod(cluster: ClusterRuntime, pod: Pod): void {
    const containers = (pod.spec as { containers?: Container[] }).containers ?? [];
    if (containers.some((c) => c.name === 'discovery' && /pilot/.test(c.image ?? ''))) this.startIstiod(cluster, pod);
    if (proxyContainer(pod)) this.startProxy(cluster, pod);
  }

  private startIstiod(cluster: ClusterRuntime, pod: Pod): void {
    const istiod = IstiodRuntime.fromPod(cluster, pod, {
      clock: this.deps.clock,
      rng: this.deps.rng.fork(`istiod/${cluster.name}`),
      events: this.deps.events,
      crypto: this.deps.crypto,
      clusterAt: this.deps.clusterAt,
      clusters: this.deps.clusters,
    });
    if ('error' in istiod) {
      cluster.crashLoop(pod.metadata.namespace ?? 'istio-system', pod.metadata.name, 'discovery', istiod.error);
      return;
    }
    this.istiods.set(cluster.name, istiod);
    // The sidecar injector webhook is served by istiod: pods created while it runs are injected.
    const removeWebhook = cluster.store.addAdmission((obj, _old, op) => (op === 'create' && obj.kind === 'Pod' ? injectOnCreate(cluster, istiod, obj, this.deps.events) : ok(obj)));
    this.deps.events.emit('istiod.started', `${cluster.name}/istiod`, { clusterId: istiod.clusterId, trustDomain: istiod.mesh.trustDomain, version: istiod.version });
    const stopPublishing = publishRootCert(cluster, istiod, this.deps.tasks);
    this.onStop(key(cluster.name, pod.metadata.namespace ?? '', pod.metadata.name), startGatewayDeployer(cluster, istiod));
    this.onStop(key(cluster.name, pod.metadata.namespace ?? '', pod.metadata.name), () => {
      stopPublishing();
      removeWebhook();
      istiod.stop();
      if (this.istiods.get(cluster.name) === istiod) this.istiods.delete(cluster.name);
      this.refreshCluster(cluster);
    });
    this.refreshCluster(cluster);
  }

  /** istiod came or went: every proxy of the cluster reconnects (and istiod-CA proxies get certificates). */
  private refreshCluster(cluster: ClusterRuntime): void {
    for (const p of this.proxies.values()) if (p.id.cluster === cluster.name) this.refresh(p);
  }

  istiod(cluster: string): IstiodRuntime | undefined {
    return this.istiods.get(cluster);
  }

  /** Gateway servers for a gateway pod: Istio Gateways selecting it, and the Gateway API Gateway that deployed it. */
  private gatewayServers(cluster: ClusterRuntime, pod: KubeObject): GatewayServer[] {
    const labels = pod.metadata.labels ?? {};
    const out: GatewayServer[] = [];
    type IstioServer = { port?: { number?: number }; tls?: { mode?: string; credentialName?: string }; hosts?: string[] };
    for (const gw of cluster.store.scan({ group: 'networking.istio.io', kind: 'Gateway' })) {
      const spec = gw.spec as { selector?: Record<string, string>; servers?: IstioServer[] };
      if (!spec.selector || !Object.entries(spec.selector).every(([k, v]) => labels[k] === v)) continue;
      for (const s of spec.servers ?? [])
        out.push({ port: s.port?.number ?? 0, mode: (s.tls?.mode as GatewayListenerConfig['mode'] | undefined) ?? undefined, hosts: s.hosts ?? [], ...(s.tls?.credentialName ? { credentialName: s.tls.credentialName } : {}), source: { kind: 'Gateway', namespace: gw.metadata.namespace ?? 'default', name: gw.metadata.name, cluster: cluster.name } });
    }
    out.push(...gatewayApiServers(cluster, pod, this.istiods.get(cluster.name)));
    return out;
  }

  /** Re-reads istiod's configuration for a proxy and updates its readiness. */
  refresh(proxy: Proxy): void {
    const cluster = this.deps.clusters().find((c) => c.name === proxy.id.cluster);
    // Read-only (istiod's push reads labels and containers): the stored pod, uncopied.
    const pod = cluster?.store.peek('Pod', proxy.id.namespace, proxy.id.pod);
    const istiod = this.istiods.get(proxy.id.cluster);
    if (!cluster || !pod) return;
    const c = proxyContainer(pod);
    const view = c ? envOf(c).ISTIO_META_REQUESTED_NETWORK_VIEW : undefined;
    proxy.config = istiod?.push().proxyConfig(
      { namespace: proxy.id.namespace, labels: pod.metadata.labels ?? {}, network: proxy.id.network, type: proxy.id.type, ...(view ? { requestedNetworkView: view.split(',') } : {}) },
      proxy.id.type === 'router' ? this.gatewayServers(cluster, pod) : [],
    );
    if (istiod && proxy.secrets.provider === 'istiod' && !proxy.secrets.default) this.pilotAgent.requestIstiodCert(proxy, istiod);
    cluster.setContainerReady(proxy.id.namespace, proxy.id.pod, 'istio-proxy', proxy.ready);
    const k = key(proxy.id.cluster, proxy.id.namespace, proxy.id.pod);
    if (proxy.ready && this.heldUntilReady.delete(k)) cluster.holdContainers(proxy.id.namespace, proxy.id.pod, false);
  }

  private startProxy(cluster: ClusterRuntime, pod: Pod): void {
    const c = proxyContainer(pod)!;
    const env = envOf(c);
    const ns = pod.metadata.namespace ?? 'default';
    const type = (c.args ?? []).includes('router') ? 'router' : 'sidecar';
    const proxy = new Proxy(
      {
        cluster: cluster.name,
        namespace: ns,
        pod: pod.metadata.name,
        ip: podIp(pod) ?? '',
        serviceAccount: (pod.spec as { serviceAccountName?: string }).serviceAccountName ?? 'default',
        network: env.ISTIO_META_NETWORK ?? pod.metadata.labels?.[NETWORK_LABEL] ?? '',
        type,
      },
      {
        accessLog: (line) => cluster.appendLog(ns, pod.metadata.name, 'istio-proxy', line),
        agentLog: (line) => cluster.appendLog(ns, pod.metadata.name, 'istio-proxy', line),
      },
    );
    const k = key(cluster.name, ns, pod.metadata.name);
    this.proxies.set(k, proxy);
    let alive = true;
    this.onStop(k, () => {
      alive = false;
      this.proxies.delete(k);
    });
    cluster.setContainerReady(ns, pod.metadata.name, 'istio-proxy', false);
    // A native sidecar holds the app containers until its startup probe (/healthz/ready) passes.
    const native = ((pod.spec as { initContainers?: Container[] }).initContainers ?? []).some((x) => x.name === 'istio-proxy' && x.restartPolicy === 'Always');
    if (native) {
      cluster.holdContainers(ns, pod.metadata.name, true);
      this.heldUntilReady.add(k);
    }
    this.pilotAgent.start(cluster, pod, proxy, env, () => alive, (fn) => this.onStop(k, fn));
    this.refresh(proxy);
  }

  proxy(cluster: string, namespace: string, pod: string): Proxy | undefined {
    return this.proxies.get(key(cluster, namespace, pod));
  }

  /** Envoy admin `/config_dump` (the parts the lab models). */
  configDump(proxy: Proxy): Record<string, unknown> {
    return { configs: [secretsDump(proxy.secrets)] };
  }

  // ---- Dataplane -------------------------------------------------------------------------------

  private workload(cluster: ClusterRuntime, pod: KubeObject): Workload {
    const ns = pod.metadata.namespace ?? 'default';
    const proxy = this.proxies.get(key(cluster.name, ns, pod.metadata.name));
    if (proxy) this.refresh(proxy);
    return { cluster: cluster.name, namespace: ns, pod: pod.metadata.name, ip: podIp(pod) ?? '', ...(proxy ? { proxy } : {}), app: (port: number, req: HttpRequest) => appAnswer(pod, port, req) };
  }

  credential(cluster: string, namespace: string, name: string): readonly Certificate[] | undefined {
    const secret = this.deps.clusters().find((c) => c.name === cluster)?.store.find('Secret', namespace, name);
    const b64 = ((secret?.data ?? {}) as Record<string, string>)['tls.crt'];
    if (!b64) return undefined;
    const chain = parsePemCertificates(new TextDecoder().decode(fromBase64(b64)));
    return chain.ok ? chain.value : undefined;
  }

  dial(fromCluster: string, ip: string, port: number): Reach {
    for (const cluster of this.deps.clusters()) {
      const here = cluster.name === fromCluster;
      for (const svc of cluster.store.scan('Service')) {
        const lb = ((svc.status as { loadBalancer?: { ingress?: { ip?: string }[] } } | undefined)?.loadBalancer?.ingress ?? []).map((i) => i.ip);
        if (!lb.includes(ip) && !(here && (svc.spec as { clusterIP?: string }).clusterIP === ip)) continue;
        if (!this.deps.faults.reach(fromCluster, cluster.name, `${cluster.name}/${svc.metadata.name}`, ip).ok) return { kind: 'timeout' };
        const sp = ((svc.spec as { ports?: { port: number; targetPort?: number | string }[] }).ports ?? []).find((p) => p.port === port);
        if (!sp) return { kind: 'refused' };
        const eps = cluster.store.find('Endpoints', svc.metadata.namespace, svc.metadata.name) as { subsets?: { addresses?: { ip: string; targetRef?: { name: string } }[] }[] } | undefined;
        const addrs = (eps?.subsets ?? []).flatMap((s) => s.addresses ?? []);
        if (addrs.length === 0) return { kind: 'refused' };
        const a = addrs[this.rng.int(addrs.length)]!;
        const pod = a.targetRef ? cluster.store.find('Pod', svc.metadata.namespace, a.targetRef.name) : undefined;
        return pod ? this.reachPod(cluster, pod, ip) : { kind: 'refused' };
      }
      const pod = cluster.store.scan('Pod').find((p) => podIp(p) === ip && isRunning(p));
      if (!pod) continue;
      // Pod IPs route only inside their cluster's network (kind/OpenShift pod networks are not flat).
      if (!here) return { kind: 'timeout' };
      return this.reachPod(cluster, pod, ip);
    }
    return { kind: 'timeout' };
  }

  /** A gateway pod answers as its router; any other pod as a workload with its sidecar. */
  private reachPod(cluster: ClusterRuntime, pod: KubeObject, address: string): Reach {
    const proxy = this.proxies.get(key(cluster.name, pod.metadata.namespace ?? 'default', pod.metadata.name));
    if (proxy?.id.type !== 'router') return { kind: 'workload', workload: this.workload(cluster, pod) };
    this.refresh(proxy);
    return { kind: 'gateway', proxy, address };
  }

  /** A request from a pod through its sidecar. */
  async call(client: Proxy, req: HttpRequest): Promise<CallTrace> {
    this.refresh(client);
    const trace = await callThroughSidecar(this, client, req);
    this.deps.events.emit('mesh.call', `${client.id.cluster}/${client.id.pod}`, { host: req.host, port: req.port, path: req.path, status: trace.response.status, servedBy: trace.servedBy?.pod ?? '', attempts: trace.attempts.length, failures: callFailures(trace) });
    return trace;
  }
}
