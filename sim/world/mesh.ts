/**
 * The mesh on every cluster: istiod where its pod runs, one Envoy per pod with an `istio-proxy`
 * container (sidecar, native sidecar or gateway), and the data plane that connects them. pilot-agent's
 * start-up decision is taken from what the container sees (istio: pkg/istio-agent/agent.go, istio-spec.md §1.2):
 * - a SPIRE socket at `/var/run/secrets/workload-spiffe-uds/socket` (the proxy image links /var/run to
 *   /run, so a mount at either path counts) ⇒ Envoy's SDS talks to the SPIRE agent;
 * - no socket and the directory writable ⇒ pilot-agent serves istiod-CA certificates itself;
 * - no socket and the directory a read-only CSI mount ⇒ the bind fails: no certificates
 *   (`Unverified:` inferred from the code, not run); Envoy keeps reconnecting, so a socket that appears
 *   later is used.
 * A proxy is ready (its container Ready, its pod in Endpoints) once it has config and both secrets.
 */
import type { Clock } from '../core/clock.ts';
import type { EventLog } from '../core/events.ts';
import type { Rng } from '../core/rng.ts';
import type { TaskTracker } from '../core/tasks.ts';
import type { NetworkFaults } from '../net/faults.ts';
import { encodePem, exportPkcs8, fromBase64, SignatureVerifier, type Certificate } from '../pki/index.ts';
import { parsePemCertificates } from '../spiffe/index.ts';
import type { KubeObject } from '../kube/object.ts';
import type { Pod } from '../kube/builtinKinds.ts';
import type { DiscoveryResponse, SdsStep } from '../spire/agent/index.ts';
import { callThroughSidecar, type CallTrace, type Dataplane, type HttpRequest, type Reach, type Workload } from '../envoy/call.ts';
import { callFailures } from '../envoy/callFailures.ts';
import type { GatewayListenerConfig } from '../envoy/config.ts';
import { Proxy } from '../envoy/proxy.ts';
import { agentLogLine, caEndpoint, existingWorkloadSocket, FILE_MOUNTED_CERTS, nonDefaultSocketMissing, SDS_GRPC_STARTING, sdsListening, STARTING_DEFAULT_SDS, udsReadOnlyError, udsSetupFailures, type AgentLogEntry } from '../envoy/pilotAgentLog.ts';
import { secretsDump, type ProxySecrets, type RootCaSecret } from '../envoy/secrets.ts';
import type { GatewayServer } from '../istiod/push.ts';
import { NETWORK_LABEL } from '../istiod/registry.ts';
import { admitPod, type InjectionConfig, type NativeSidecarMode, type PodLike } from '../istiod/inject/index.ts';
import { podInvalidMessage, validatePodSpec } from '../kube/podValidation.ts';
import { parseYamlDocuments } from '../kube/yaml.ts';
import { err, ok, simError } from '../core/result.ts';
import { appAnswer } from './apps.ts';
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

const WORKLOAD_DIRS = ['/var/run/secrets/workload-spiffe-uds', '/run/secrets/workload-spiffe-uds'];
const SDS_RETRY_MS = 5_000;

const isRunning = (o: KubeObject | undefined): boolean => (o?.status as { phase?: string } | undefined)?.phase === 'Running';
const podIp = (o: KubeObject | undefined): string | undefined => (o?.status as { podIP?: string } | undefined)?.podIP;
const key = (cluster: string, ns: string, pod: string): string => `${cluster}/${ns}/${pod}`;

export function proxyContainer(pod: KubeObject): Container | undefined {
  const spec = pod.spec as { containers?: Container[]; initContainers?: Container[] };
  return [...(spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'), ...(spec.containers ?? [])].find((c) => c.name === 'istio-proxy' && c.image);
}

/** pilot-agent options/security.go: CA_ADDR, else ProxyConfig.discoveryAddress (PROXY_CONFIG holds only non-defaults). */
function caAddress(env: Record<string, string>): string {
  if (env.CA_ADDR) return env.CA_ADDR;
  try {
    const pc = JSON.parse(env.PROXY_CONFIG ?? '{}') as { discoveryAddress?: unknown };
    if (typeof pc.discoveryAddress === 'string' && pc.discoveryAddress) return pc.discoveryAddress;
  } catch {
    // a PROXY_CONFIG pilot-agent cannot parse would have stopped it earlier; keep the default
  }
  return 'istiod.istio-system.svc:15012';
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
}

export class MeshRuntime implements Dataplane {
  readonly istiods = new Map<string, IstiodRuntime>();
  readonly proxies = new Map<string, Proxy>();
  readonly verifier: SignatureVerifier;
  readonly rng: Rng;
  private readonly stops = new Map<string, (() => void)[]>();
  /** Pods whose app containers wait for their native sidecar's first readiness. */
  private readonly heldUntilReady = new Set<string>();

  constructor(private readonly deps: MeshDeps) {
    this.verifier = new SignatureVerifier(deps.crypto);
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
    const removeWebhook = cluster.store.addAdmission((obj, _old, op) => (op === 'create' && obj.kind === 'Pod' ? this.inject(cluster, istiod, obj) : ok(obj)));
    this.deps.events.emit('istiod.started', `${cluster.name}/istiod`, { clusterId: istiod.clusterId, trustDomain: istiod.mesh.trustDomain, version: istiod.version });
    const stopPublishing = this.publishRootCert(cluster, istiod);
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

  /**
   * istiod's namespace controller (pilot/pkg/bootstrap/namespacecontroller.go): the `istio-ca-root-cert`
   * ConfigMap with istiod's root in every namespace, which injected pods mount (`istiod-ca-cert`) —
   * without it they stay ContainerCreating. Simplified: kube-system, kube-public and kube-node-lease
   * are skipped (Unverified: the exact exclusion list).
   */
  private publishRootCert(cluster: ClusterRuntime, istiod: IstiodRuntime): () => void {
    const skip = new Set(['kube-system', 'kube-public', 'kube-node-lease']);
    let pem: string | undefined;
    const publish = (ns: string) => {
      if (pem === undefined || skip.has(ns) || cluster.store.find('ConfigMap', ns, 'istio-ca-root-cert')) return;
      cluster.store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio-ca-root-cert', namespace: ns, labels: { 'istio.io/config': 'true' } }, data: { 'root-cert.pem': pem } });
    };
    const unwatch = cluster.store.watch({ kind: 'Namespace' }, (e) => {
      if (e.type === 'ADDED') publish(e.object.metadata.name);
    });
    void this.deps.tasks.track(
      istiod.ca.roots().then((roots) => {
        pem = roots.map((r) => encodePem('CERTIFICATE', r.der)).join('');
        for (const n of cluster.store.scan('Namespace')) publish(n.metadata.name);
        cluster.store.settle();
        cluster.controllers.kubelet.resync();
      }),
    );
    return unwatch;
  }

  /**
   * The injector's configuration from the `istio-sidecar-injector` ConfigMap its install rendered
   * (`data.values` JSON, `data.config` YAML with the templates) and the mesh config.
   */
  private injectionConfig(cluster: ClusterRuntime, istiod: IstiodRuntime): InjectionConfig | undefined {
    const name = istiod.revision ? `istio-sidecar-injector-${istiod.revision}` : 'istio-sidecar-injector';
    const cm = cluster.store.find('ConfigMap', istiod.namespace, name);
    if (!cm) return undefined;
    const data = (cm.data ?? {}) as Record<string, string>;
    let values: Record<string, unknown>;
    try {
      values = JSON.parse(data.values ?? '{}') as Record<string, unknown>;
    } catch {
      return undefined;
    }
    const config = parseYamlDocuments(data.config ?? '', `ConfigMap ${istiod.namespace}/${name}[data.config]`);
    const cfg = (config.ok ? config.value[0]?.object : {}) as { templates?: Record<string, string>; defaultTemplates?: string[] } | undefined;
    const templates = Object.fromEntries(Object.entries(cfg?.templates ?? {}).filter(([, v]) => v !== '<built-in>'));
    const meshCm = cluster.store.find('ConfigMap', istiod.namespace, istiod.revision ? `istio-${istiod.revision}` : 'istio');
    const mesh = parseYamlDocuments(((meshCm?.data ?? {}) as Record<string, string>).mesh ?? '', 'mesh');
    const env = ((values.pilot as { env?: Record<string, unknown> } | undefined)?.env ?? {}) as Record<string, unknown>;
    const native = String(env.ENABLE_NATIVE_SIDECARS ?? (istiod.version >= '1.27' ? 'auto' : 'false')) as NativeSidecarMode;
    return { istioVersion: istiod.version, templates, ...(cfg?.defaultTemplates ? { defaultTemplates: cfg.defaultTemplates } : {}), values, meshConfig: mesh.ok ? (mesh.value[0]?.object ?? {}) : {}, nativeSidecars: native };
  }

  /** The webhook on Pod CREATE, then the API server's validation of what it returned (where M10 is refused). */
  private inject(cluster: ClusterRuntime, istiod: IstiodRuntime, obj: KubeObject) {
    const config = this.injectionConfig(cluster, istiod);
    if (!config) return ok(obj);
    const ns = obj.metadata.namespace ?? 'default';
    const nodes = cluster.store.scan('Node').map((n) => ({ name: n.metadata.name, kubeletVersion: (n.status as { nodeInfo?: { kubeletVersion?: string } } | undefined)?.nodeInfo?.kubeletVersion ?? '' }));
    const nodeName = (obj.spec as { nodeName?: string } | undefined)?.nodeName;
    const r = admitPod(obj as unknown as PodLike, { config, namespace: ns, namespaceLabels: cluster.store.find('Namespace', undefined, ns)?.metadata.labels ?? {}, nodes, ...(nodeName ? { nodeName } : {}) });
    if (!r.ok) return err(r.error);
    if (!r.value.injected) return ok(obj);
    const problems = validatePodSpec(r.value.pod);
    if (problems.length) return err(simError('kube/invalid', podInvalidMessage(obj.metadata.name || `${obj.metadata.generateName ?? ''}`, problems)));
    this.deps.events.emit('istiod.injected', `${cluster.name}/istiod`, { pod: `${ns}/${obj.metadata.name}` });
    return ok(r.value.pod as unknown as KubeObject);
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
    const pod = cluster?.store.find('Pod', proxy.id.namespace, proxy.id.pod);
    const istiod = this.istiods.get(proxy.id.cluster);
    if (!cluster || !pod) return;
    const c = proxyContainer(pod);
    const view = c ? envOf(c).ISTIO_META_REQUESTED_NETWORK_VIEW : undefined;
    proxy.config = istiod?.push().proxyConfig(
      { namespace: proxy.id.namespace, labels: pod.metadata.labels ?? {}, network: proxy.id.network, type: proxy.id.type, ...(view ? { requestedNetworkView: view.split(',') } : {}) },
      proxy.id.type === 'router' ? this.gatewayServers(cluster, pod) : [],
    );
    if (istiod && proxy.secrets.provider === 'istiod' && !proxy.secrets.default) this.requestIstiodCert(proxy, istiod);
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
    this.chooseSds(cluster, pod, proxy, env, () => alive, (fn) => this.onStop(k, fn));
    this.refresh(proxy);
  }

  private log(proxy: Proxy, entry: AgentLogEntry): void {
    proxy.agentLog(agentLogLine(this.deps.clock.now(), entry));
  }

  /** pilot-agent's one check at start-up (agent.go Run/checkSocket). */
  private chooseSds(cluster: ClusterRuntime, pod: Pod, proxy: Proxy, env: Record<string, string>, alive: () => boolean, onStop: (fn: () => void) => void): void {
    const file = env.WORKLOAD_IDENTITY_SOCKET_FILE || 'socket';
    if (file.includes('/')) {
      cluster.crashLoop(proxy.id.namespace, proxy.id.pod, 'istio-proxy', 'workload identity socket file override must be a filename, not a path');
      return;
    }
    const fs = cluster.files.container(pod, 'istio-proxy');
    const path = WORKLOAD_DIRS.map((d) => `${d}/${file}`).find((p) => fs?.read(p) !== undefined) ?? `${WORKLOAD_DIRS[0]}/${file}`;
    const content = fs?.read(path);
    // Go's filepath.Join drops the `./` of WorkloadIdentityPath (pilotAgentLog.ts WORKLOAD_SOCKET_PATH).
    const rel = `var/run/secrets/workload-spiffe-uds/${file}`;
    if (content?.startsWith('socket:')) {
      // agent.go Run: "Starting default Istio SDS Server" follows in both branches; this one serves only files.
      this.log(proxy, existingWorkloadSocket(rel));
      this.log(proxy, STARTING_DEFAULT_SDS);
      this.log(proxy, FILE_MOUNTED_CERTS);
      this.log(proxy, SDS_GRPC_STARTING);
      this.log(proxy, sdsListening(true));
      proxy.secrets = { ...proxy.secrets, provider: 'spire' };
      this.connectSpire(cluster, pod, proxy, path, alive, onStop);
      return;
    }
    if (file !== 'socket') {
      cluster.crashLoop(proxy.id.namespace, proxy.id.pod, 'istio-proxy', nonDefaultSocketMissing(rel));
      return;
    }
    try {
      fs?.write(`${WORKLOAD_DIRS[0]}/socket`, 'socket:pilot-agent');
    } catch {
      // pkg/uds/listener.go on a read-only CSI mount: the retries of sds/server.go, then no SDS server at all.
      this.log(proxy, STARTING_DEFAULT_SDS);
      this.log(proxy, caEndpoint(caAddress(env)));
      this.log(proxy, SDS_GRPC_STARTING);
      const t0 = this.deps.clock.now();
      for (const f of udsSetupFailures(udsReadOnlyError(rel, content !== undefined))) {
        const line = agentLogLine(t0 + f.afterMs, f.entry);
        if (f.afterMs === 0) proxy.agentLog(line);
        else {
          const t = this.deps.clock.setTimeout(() => alive() && proxy.agentLog(line), f.afterMs, `${proxy.id.cluster}/${proxy.id.pod}/sds-uds`);
          onStop(() => this.deps.clock.clearTimeout(t));
        }
      }
      proxy.secrets = { ...proxy.secrets, provider: 'none' };
      this.retrySpire(cluster, pod, proxy, alive, onStop);
      return;
    }
    this.log(proxy, STARTING_DEFAULT_SDS);
    this.log(proxy, caEndpoint(caAddress(env)));
    this.log(proxy, SDS_GRPC_STARTING);
    this.log(proxy, sdsListening(false, rel));
    proxy.secrets = { ...proxy.secrets, provider: 'istiod' };
  }

  /** Envoy's sds-grpc static cluster redials the socket path with back-off until an SDS server answers there. */
  private retrySpire(cluster: ClusterRuntime, pod: Pod, proxy: Proxy, alive: () => boolean, onStop: (fn: () => void) => void): void {
    const tick = () => {
      if (!alive() || proxy.secrets.provider === 'spire') return;
      const fs = cluster.files.container(pod, 'istio-proxy');
      const path = WORKLOAD_DIRS.map((d) => `${d}/socket`).find((p) => fs?.read(p)?.startsWith('socket:spire-agent'));
      if (path) {
        proxy.secrets = { ...proxy.secrets, provider: 'spire' };
        this.connectSpire(cluster, pod, proxy, path, alive, onStop);
        return;
      }
      const t = this.deps.clock.setTimeout(tick, SDS_RETRY_MS, `${proxy.id.cluster}/${proxy.id.namespace}/${proxy.id.pod}/sds-retry`);
      onStop(() => this.deps.clock.clearTimeout(t));
    };
    tick();
  }

  /** Two SDS streams to the SPIRE agent, `default` and `ROOTCA`, as Envoy opens them (one per secret). */
  private connectSpire(cluster: ClusterRuntime, pod: Pod, proxy: Proxy, path: string, alive: () => boolean, onStop: (fn: () => void) => void): void {
    const spire = this.deps.spire(cluster.name);
    for (const name of ['default', 'ROOTCA']) {
      const open = () => {
        if (!alive()) return;
        const apply = (step: SdsStep) => {
          if (step.response) this.applySds(proxy, step.response);
          if (step.error) {
            this.log(proxy, { level: 'warn', scope: '', message: `envoy config: StreamSecrets gRPC config stream to sds-grpc closed: ${step.error.message}` });
            const t = this.deps.clock.setTimeout(open, SDS_RETRY_MS, `${proxy.id.cluster}/${proxy.id.pod}/sds/${name}`);
            onStop(() => this.deps.clock.clearTimeout(t));
          }
        };
        const s = spire?.openSds(pod, 'istio-proxy', path, apply);
        if (!s?.ok) {
          const t = this.deps.clock.setTimeout(open, SDS_RETRY_MS, `${proxy.id.cluster}/${proxy.id.pod}/sds/${name}`);
          onStop(() => this.deps.clock.clearTimeout(t));
          return;
        }
        onStop(() => s.value.close());
        apply(s.value.stream.request({ node: { id: `sidecar~${proxy.id.ip}~${proxy.id.pod}.${proxy.id.namespace}~${proxy.id.namespace}.svc.cluster.local`, cluster: proxy.id.pod }, resourceNames: [name] }));
      };
      open();
    }
  }

  private applySds(proxy: Proxy, resp: DiscoveryResponse): void {
    const now = this.deps.clock.now();
    let secrets: ProxySecrets = proxy.secrets;
    for (const r of resp.resources) {
      if ('tls_certificate' in r) {
        const chain = parsePemCertificates(r.tls_certificate.certificate_chain.inline_bytes);
        if (chain.ok) secrets = { ...secrets, default: { chain: chain.value, keyPem: r.tls_certificate.private_key.inline_bytes, lastUpdated: now, version: resp.version_info } };
      } else {
        const vc = r.validation_context;
        let root: RootCaSecret | undefined;
        if ('custom_validator_config' in vc) {
          const tds = new Map<string, readonly Certificate[]>();
          for (const td of vc.custom_validator_config.typed_config.trust_domains) {
            const certs = parsePemCertificates(td.trust_bundle.inline_bytes);
            if (certs.ok) tds.set(td.name, certs.value);
          }
          root = { kind: 'spiffe', trustDomains: tds, lastUpdated: now, version: resp.version_info };
        } else {
          const certs = parsePemCertificates(vc.trusted_ca.inline_bytes);
          if (certs.ok) root = { kind: 'trusted-ca', roots: certs.value, lastUpdated: now, version: resp.version_info };
        }
        // Envoy asked for ROOTCA; a response under another name (the agent's trust-domain ID) is not what it waits for.
        if (root && r.name === 'ROOTCA') secrets = { ...secrets, rootCa: root };
      }
    }
    const warming = ['default', 'ROOTCA'].filter((n) => (n === 'default' ? !secrets.default : !secrets.rootCa));
    proxy.secrets = { ...secrets, warming };
    this.refresh(proxy);
  }

  private requestIstiodCert(proxy: Proxy, istiod: IstiodRuntime): void {
    if ((proxy as { pendingCsr?: boolean }).pendingCsr) return;
    (proxy as { pendingCsr?: boolean }).pendingCsr = true;
    void this.deps.tasks.track(
      (async () => {
        const [signed, roots] = await Promise.all([istiod.ca.sign(proxy.id.namespace, proxy.id.serviceAccount), istiod.ca.roots()]);
        const keyPem = encodePem('PRIVATE KEY', await exportPkcs8(this.deps.crypto, signed.issued.key));
        const now = this.deps.clock.now();
        proxy.secrets = { provider: 'istiod', warming: [], default: { chain: signed.chain, keyPem, lastUpdated: now, version: String(now) }, rootCa: { kind: 'trusted-ca', roots, lastUpdated: now, version: String(now) } };
        this.refresh(proxy);
      })(),
    );
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
