/**
 * pilot-agent in each istio-proxy container: its one start-up check of the workload socket
 * (istio: pkg/istio-agent/agent.go Run/checkSocket, istio-spec.md §1.2) and what follows —
 * - a SPIRE socket at `/var/run/secrets/workload-spiffe-uds/socket` (the proxy image links /var/run to
 *   /run, so a mount at either path counts) ⇒ Envoy's `sds-grpc` streams `default` and `ROOTCA` from the
 *   SPIRE agent (one stream per secret, redialled on errors);
 * - no socket and the directory writable ⇒ pilot-agent serves istiod-CA certificates itself (a CSR to istiod);
 * - no socket and the directory a read-only CSI mount ⇒ the UDS bind fails (security/pkg/nodeagent/sds/server.go
 *   retries), no certificates; Envoy keeps dialling, so a socket that appears later is used;
 * - a non-default socket file name without a socket ⇒ fatal.
 */
import type { Clock } from '../core/clock.ts';
import type { TaskTracker } from '../core/tasks.ts';
import type { Pod } from '../kube/builtinKinds.ts';
import { encodePem, exportPkcs8, type Certificate } from '../pki/index.ts';
import { parsePemCertificates } from '../spiffe/index.ts';
import type { DiscoveryResponse, SdsStep } from '../spire/agent/index.ts';
import type { Proxy } from '../envoy/proxy.ts';
import type { ProxySecrets, RootCaSecret } from '../envoy/secrets.ts';
import { agentLogLine, caEndpoint, existingWorkloadSocket, FILE_MOUNTED_CERTS, nonDefaultSocketMissing, SDS_GRPC_STARTING, sdsListening, STARTING_DEFAULT_SDS, udsReadOnlyError, udsSetupFailures, type AgentLogEntry } from '../envoy/pilotAgentLog.ts';
import type { ClusterRuntime } from './cluster.ts';
import type { IstiodRuntime } from './istiod.ts';
import type { SpireRuntime } from './spire.ts';

const WORKLOAD_DIRS = ['/var/run/secrets/workload-spiffe-uds', '/run/secrets/workload-spiffe-uds'];
const SDS_RETRY_MS = 5_000;

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

export interface PilotAgentDeps {
  readonly clock: Clock;
  readonly tasks: TaskTracker;
  readonly crypto: Crypto;
  readonly spire: (cluster: string) => SpireRuntime | undefined;
  /** Secrets changed: re-read config and readiness. */
  readonly refresh: (proxy: Proxy) => void;
}

export class PilotAgent {
  constructor(private readonly deps: PilotAgentDeps) {}

  log(proxy: Proxy, entry: AgentLogEntry): void {
    proxy.agentLog(agentLogLine(this.deps.clock.now(), entry));
  }

  /** pilot-agent's one check at start-up (agent.go Run/checkSocket). */
  start(cluster: ClusterRuntime, pod: Pod, proxy: Proxy, env: Record<string, string>, alive: () => boolean, onStop: (fn: () => void) => void): void {
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
  retrySpire(cluster: ClusterRuntime, pod: Pod, proxy: Proxy, alive: () => boolean, onStop: (fn: () => void) => void): void {
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
  connectSpire(cluster: ClusterRuntime, pod: Pod, proxy: Proxy, path: string, alive: () => boolean, onStop: (fn: () => void) => void): void {
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

  applySds(proxy: Proxy, resp: DiscoveryResponse): void {
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
    this.deps.refresh(proxy);
  }

  requestIstiodCert(proxy: Proxy, istiod: IstiodRuntime): void {
    if ((proxy as { pendingCsr?: boolean }).pendingCsr) return;
    (proxy as { pendingCsr?: boolean }).pendingCsr = true;
    void this.deps.tasks.track(
      (async () => {
        const [signed, roots] = await Promise.all([istiod.ca.sign(proxy.id.namespace, proxy.id.serviceAccount), istiod.ca.roots()]);
        const keyPem = encodePem('PRIVATE KEY', await exportPkcs8(this.deps.crypto, signed.issued.key));
        const now = this.deps.clock.now();
        proxy.secrets = { provider: 'istiod', warming: [], default: { chain: signed.chain, keyPem, lastUpdated: now, version: String(now) }, rootCa: { kind: 'trusted-ca', roots, lastUpdated: now, version: String(now) } };
        this.deps.refresh(proxy);
      })(),
    );
  }
}
