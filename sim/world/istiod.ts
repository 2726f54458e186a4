/**
 * istiod on one cluster, started the way Kubernetes starts it: when a pod of the pilot image runs,
 * it reads the `istio` ConfigMap of its namespace (revision-suffixed when `REVISION` is set), takes
 * `CLUSTER_ID` from its env, watches Secrets labelled `istio/multiCluster=true` (each data key a
 * remote cluster, pkg/kube/multicluster/secretcontroller.go) and serves its CA and pushes.
 * Remote clusters are reached through the kubeconfig's server address; an address the lab does not
 * know stays `timeout`. From Istio 1.29 a remote cluster's endpoints carry that cluster's own trust
 * domain (its `istio` ConfigMap; falling back to the local one from 1.30), before that the local one.
 */
import type { Clock } from '../core/clock.ts';
import type { EventLog } from '../core/events.ts';
import type { Rng } from '../core/rng.ts';
import { fromBase64 } from '../pki/index.ts';
import { parseRemoteSecretKubeconfig } from '../cli/istioctl/createRemoteSecret.ts';
import type { KubeObject } from '../kube/object.ts';
import { IstiodCa } from '../istiod/ca.ts';
import { DEFAULT_MESH, parseMeshConfig, type MeshConfig } from '../istiod/meshConfig.ts';
import { PushContext } from '../istiod/push.ts';
import type { ClusterView } from '../istiod/registry.ts';
import type { ClusterRuntime } from './cluster.ts';

export type RemoteStatus = 'syncing' | 'synced' | 'timeout' | 'closed';

export interface RemoteCluster {
  readonly id: string;
  readonly secret: string;
  readonly status: RemoteStatus;
  readonly cluster?: ClusterRuntime;
}

export const versionAtLeast = (v: string, major: number, minor: number): boolean => {
  const m = /(\d+)\.(\d+)/.exec(v);
  return m ? Number(m[1]) > major || (Number(m[1]) === major && Number(m[2]) >= minor) : true;
};

const decode = (b64: string): string => {
  try {
    return new TextDecoder().decode(fromBase64(b64));
  } catch {
    return '';
  }
};

export class IstiodRuntime {
  readonly ca: IstiodCa;
  private cached: PushContext | undefined;
  private readonly unwatch: (() => void)[] = [];

  constructor(
    readonly cluster: ClusterRuntime,
    readonly pod: KubeObject,
    readonly clusterId: string,
    readonly namespace: string,
    readonly revision: string,
    readonly version: string,
    private meshAtStart: MeshConfig,
    readonly skipValidateTrustDomain: boolean,
    private readonly deps: { clock: Clock; rng: Rng; events: EventLog; crypto: Crypto; clusterAt: (server: string) => ClusterRuntime | undefined; clusters: () => Iterable<ClusterRuntime> },
  ) {
    this.ca = new IstiodCa(meshAtStart.trustDomain, { crypto: deps.crypto, clock: deps.clock, rng: deps.rng.fork('ca') });
    // Any change in a cluster istiod watches invalidates the push (istiod debounces, then pushes).
    for (const c of deps.clusters()) this.unwatch.push(c.store.watch({}, () => this.invalidate()));
  }

  /** Reads the istiod Deployment's pod: its env, its ConfigMap. Undefined when the config is unreadable (istiod then exits). */
  static fromPod(cluster: ClusterRuntime, pod: KubeObject, deps: IstiodRuntime['deps']): IstiodRuntime | { error: string } {
    const ns = pod.metadata.namespace ?? 'istio-system';
    const c = ((pod.spec as { containers?: { name: string; image?: string; env?: { name: string; value?: string }[] }[] }).containers ?? [])[0];
    const env = Object.fromEntries((c?.env ?? []).map((e) => [e.name, e.value ?? '']));
    const revision = env.REVISION && env.REVISION !== 'default' ? env.REVISION : '';
    const cmName = revision ? `istio-${revision}` : 'istio';
    const cm = cluster.store.find('ConfigMap', ns, cmName);
    const mesh = cm ? parseMeshConfig(cm.data as Record<string, string> | undefined, `ConfigMap ${ns}/${cmName}`) : { ok: true as const, value: DEFAULT_MESH };
    if (!mesh.ok) return { error: mesh.error.message };
    const version = /:(\d+\.\d+(\.\d+)?)/.exec(c?.image ?? '')?.[1] ?? '1.27.0';
    return new IstiodRuntime(cluster, pod, env.CLUSTER_ID || 'Kubernetes', ns, revision, version, mesh.value, env.PILOT_SKIP_VALIDATE_TRUST_DOMAIN === 'true', deps);
  }

  stop(): void {
    for (const u of this.unwatch) u();
  }

  invalidate(): void {
    this.cached = undefined;
  }

  /**
   * The mesh config now: istiod watches its ConfigMap and applies changes without a restart
   * (pkg/config/mesh/watchers.go); an unreadable edit keeps the last good config.
   */
  get mesh(): MeshConfig {
    const name = this.revision ? `istio-${this.revision}` : 'istio';
    const cm = this.cluster.store.find('ConfigMap', this.namespace, name);
    const parsed = cm ? parseMeshConfig(cm.data as Record<string, string> | undefined, `ConfigMap ${this.namespace}/${name}`) : undefined;
    if (parsed?.ok) this.meshAtStart = parsed.value;
    return this.meshAtStart;
  }

  get podName(): string {
    return this.pod.metadata.name;
  }

  /** Remote clusters from the remote secrets, with their sync status. */
  remotes(): RemoteCluster[] {
    const out: RemoteCluster[] = [];
    for (const s of this.cluster.store.scan('Secret', this.namespace)) {
      if (s.metadata.labels?.['istio/multiCluster'] !== 'true') continue;
      const data = { ...Object.fromEntries(Object.entries((s.data as Record<string, string> | undefined) ?? {}).map(([k, v]) => [k, decode(v)])), ...((s as { stringData?: Record<string, string> }).stringData ?? {}) };
      for (const [id, kubeconfig] of Object.entries(data)) {
        // secretcontroller.go: a key equal to the local cluster ID would overwrite the config cluster.
        if (id === this.clusterId) continue;
        const parsed = parseRemoteSecretKubeconfig(kubeconfig);
        const target = parsed.ok ? this.deps.clusterAt(parsed.value.server) : undefined;
        out.push({ id, secret: `${this.namespace}/${s.metadata.name}`, status: target ? 'synced' : 'timeout', ...(target ? { cluster: target } : {}) });
      }
    }
    return out;
  }

  /** The trust domain istiod uses for the SANs of a remote cluster's endpoints. */
  private remoteTrustDomain(remote: ClusterRuntime): string {
    if (!versionAtLeast(this.version, 1, 29)) return this.mesh.trustDomain;
    const cm = remote.store.find('ConfigMap', this.namespace, 'istio');
    const td = cm ? parseMeshConfig(cm.data as Record<string, string> | undefined, 'remote istio ConfigMap') : undefined;
    return td?.ok ? td.value.trustDomain : this.mesh.trustDomain;
  }

  push(): PushContext {
    if (this.cached) return this.cached;
    const view = (c: ClusterRuntime, id: string, trustDomain: string): ClusterView => ({ id, store: c.store, trustDomain, istioNamespace: this.namespace });
    const remotes = this.remotes()
      .filter((r) => r.status === 'synced' && r.cluster && r.cluster !== this.cluster)
      .map((r) => view(r.cluster!, r.id, this.remoteTrustDomain(r.cluster!)));
    const mesh = this.mesh;
    this.cached = new PushContext({ local: view(this.cluster, this.clusterId, mesh.trustDomain), remotes, mesh, skipValidateTrustDomain: this.skipValidateTrustDomain });
    return this.cached;
  }
}
