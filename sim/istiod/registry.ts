/**
 * istiod's service registry over one cluster (kube controller) plus ServiceEntries of the config
 * cluster: hosts, ports and the endpoints behind them, with what the data plane needs per endpoint —
 * network, mTLS capability (`security.istio.io/tlsMode`) and identity (`spiffe://<td>/ns/<ns>/sa/<sa>`,
 * kube/conversion.go SecureNamingSAN). Only ready addresses of Endpoints count, as EDS sends them.
 */
import type { KubeObject } from '../kube/object.ts';
import type { KindRef } from '../kube/store.ts';
import type { MeshConfig } from './meshConfig.ts';

/** The read side of a cluster's API that istiod watches (its own, or a remote one through a remote secret). */
export interface ReadStore {
  scan(kind: KindRef, namespace?: string): readonly KubeObject[];
  find(kind: KindRef, namespace: string | undefined, name: string): KubeObject | undefined;
  /** `find` without the copy (ClusterStore.peek): read-only callers on hot paths use it when present. */
  peek?(kind: KindRef, namespace: string | undefined, name: string): KubeObject | undefined;
}

/** The stored object without a copy when the store offers it; callers must not modify it. */
const look = (store: ReadStore, kind: KindRef, namespace: string | undefined, name: string): KubeObject | undefined =>
  store.peek ? store.peek(kind, namespace, name) : store.find(kind, namespace, name);

export interface ClusterView {
  readonly id: string;
  readonly store: ReadStore;
  /** Trust domain used for this cluster's endpoint SANs (istio-spec.md §4.1: the remote's own from 1.29, else istiod's). */
  readonly trustDomain: string;
  readonly istioNamespace: string;
}

export interface ServicePort {
  readonly port: number;
  readonly name: string;
  readonly protocol: string;
}

export interface WorkloadEndpoint {
  readonly cluster: string;
  readonly namespace: string;
  readonly pod: string;
  readonly ip: string;
  /** service port → target port */
  readonly targetPorts: ReadonlyMap<number, number>;
  readonly network: string;
  readonly tlsMode: 'istio' | 'disabled';
  readonly identity: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
}

export interface MeshService {
  readonly host: string;
  readonly namespace: string;
  readonly name: string;
  readonly ports: readonly ServicePort[];
  readonly meshExternal: boolean;
  /** From a ServiceEntry: its subjectAltNames; the kind and name for traces. */
  readonly subjectAltNames: readonly string[];
  readonly source: { readonly kind: 'Service' | 'ServiceEntry'; readonly cluster: string; readonly namespace: string; readonly name: string };
  readonly endpoints: readonly WorkloadEndpoint[];
}

export const NETWORK_LABEL = 'topology.istio.io/network';
export const serviceHost = (name: string, ns: string): string => `${name}.${ns}.svc.cluster.local`;

type PodSpec = { serviceAccountName?: string; containers?: { ports?: { name?: string; containerPort: number }[] }[] };

function ipInCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const toInt = (a: string) => a.split('.').reduce((n, o) => (n << 8) + Number(o), 0) >>> 0;
  const mask = bits === undefined ? 0xffffffff : Number(bits) === 0 ? 0 : (0xffffffff << (32 - Number(bits))) >>> 0;
  return (toInt(ip) & mask) === (toInt(base ?? '') & mask);
}

/** Network of an endpoint (pilot/pkg/serviceregistry/kube/controller/controller.go Network): pod label, namespace label, meshNetworks. */
export function endpointNetwork(view: ClusterView, podLabels: Readonly<Record<string, string>>, ip: string, mesh: MeshConfig): string {
  const fromPod = podLabels[NETWORK_LABEL];
  if (fromPod) return fromPod;
  const nsLabel = look(view.store, 'Namespace', undefined, view.istioNamespace)?.metadata.labels?.[NETWORK_LABEL];
  if (nsLabel) return nsLabel;
  for (const [name, n] of Object.entries(mesh.networks)) if (n.endpoints.some((e) => e.fromRegistry === view.id || (e.fromCidr !== undefined && ipInCidr(ip, e.fromCidr)))) return name;
  return '';
}

function targetPortOf(pod: KubeObject | undefined, target: unknown, fallback: number): number {
  if (typeof target === 'number') return target;
  if (typeof target === 'string' && /^\d+$/.test(target)) return Number(target);
  if (typeof target === 'string') for (const c of (pod?.spec as PodSpec | undefined)?.containers ?? []) for (const p of c.ports ?? []) if (p.name === target) return p.containerPort;
  return fallback;
}

/** The Kubernetes Services of one cluster, with their ready endpoints. */
export function kubeServices(view: ClusterView, mesh: MeshConfig): MeshService[] {
  const out: MeshService[] = [];
  for (const svc of view.store.scan('Service')) {
    const ns = svc.metadata.namespace ?? 'default';
    const spec = svc.spec as { ports?: { port: number; name?: string; protocol?: string; targetPort?: unknown; appProtocol?: string }[] };
    const ports = (spec.ports ?? []).map((p) => ({ port: p.port, name: p.name ?? '', protocol: p.appProtocol ?? (p.name?.split('-')[0] ?? 'tcp').toUpperCase() }));
    const eps = look(view.store, 'Endpoints', ns, svc.metadata.name) as { subsets?: { addresses?: { ip: string; targetRef?: { name: string; namespace?: string } }[] }[] } | undefined;
    const endpoints: WorkloadEndpoint[] = [];
    for (const a of (eps?.subsets ?? []).flatMap((s) => s.addresses ?? [])) {
      const pod = a.targetRef ? look(view.store, 'Pod', a.targetRef.namespace ?? ns, a.targetRef.name) : undefined;
      const labels = pod?.metadata.labels ?? {};
      const sa = (pod?.spec as PodSpec | undefined)?.serviceAccountName ?? 'default';
      endpoints.push({
        cluster: view.id,
        namespace: ns,
        pod: pod?.metadata.name ?? a.ip,
        ip: a.ip,
        targetPorts: new Map((spec.ports ?? []).map((p) => [p.port, targetPortOf(pod, p.targetPort, p.port)])),
        network: endpointNetwork(view, labels, a.ip, mesh),
        tlsMode: labels['security.istio.io/tlsMode'] === 'istio' ? 'istio' : 'disabled',
        identity: pod ? `spiffe://${view.trustDomain}/ns/${ns}/sa/${sa}` : undefined,
        labels,
      });
    }
    out.push({ host: serviceHost(svc.metadata.name, ns), namespace: ns, name: svc.metadata.name, ports, meshExternal: false, subjectAltNames: [], source: { kind: 'Service', cluster: view.id, namespace: ns, name: svc.metadata.name }, endpoints });
  }
  return out;
}

/**
 * ServiceEntries of the config cluster (pilot/pkg/serviceregistry/serviceentry/conversion.go): one
 * service per host; STATIC endpoints from `endpoints` (ports by port name, labels, network,
 * serviceAccount in the **local** trust domain) or pods chosen by `workloadSelector`.
 */
export function serviceEntries(view: ClusterView, mesh: MeshConfig): MeshService[] {
  const out: MeshService[] = [];
  for (const se of view.store.scan('ServiceEntry')) {
    const ns = se.metadata.namespace ?? 'default';
    const spec = se.spec as {
      hosts?: string[];
      location?: string;
      ports?: { number: number; name?: string; protocol?: string; targetPort?: number }[];
      endpoints?: { address?: string; ports?: Record<string, number>; labels?: Record<string, string>; network?: string; serviceAccount?: string }[];
      workloadSelector?: { labels?: Record<string, string> };
      subjectAltNames?: string[];
    };
    const ports = (spec.ports ?? []).map((p) => ({ port: p.number, name: p.name ?? '', protocol: (p.protocol ?? 'TCP').toUpperCase() }));
    const endpoints: WorkloadEndpoint[] = [];
    for (const e of spec.endpoints ?? []) {
      if (!e.address) continue;
      const labels = e.labels ?? {};
      endpoints.push({
        cluster: view.id,
        namespace: ns,
        pod: e.address,
        ip: e.address,
        targetPorts: new Map((spec.ports ?? []).map((p) => [p.number, (p.name ? e.ports?.[p.name] : undefined) ?? p.targetPort ?? p.number])),
        network: e.network ?? '',
        tlsMode: labels['security.istio.io/tlsMode'] === 'istio' || e.serviceAccount ? 'istio' : 'disabled',
        identity: e.serviceAccount ? `spiffe://${mesh.trustDomain}/ns/${ns}/sa/${e.serviceAccount}` : undefined,
        labels,
      });
    }
    const sel = spec.workloadSelector?.labels;
    if (sel)
      for (const pod of view.store.scan('Pod', ns)) {
        const labels = pod.metadata.labels ?? {};
        const ip = (pod.status as { podIP?: string; phase?: string } | undefined)?.podIP;
        if (!ip || !Object.entries(sel).every(([k, v]) => labels[k] === v)) continue;
        endpoints.push({
          cluster: view.id,
          namespace: ns,
          pod: pod.metadata.name,
          ip,
          targetPorts: new Map((spec.ports ?? []).map((p) => [p.number, p.targetPort ?? p.number])),
          network: endpointNetwork(view, labels, ip, mesh),
          tlsMode: labels['security.istio.io/tlsMode'] === 'istio' ? 'istio' : 'disabled',
          identity: `spiffe://${mesh.trustDomain}/ns/${ns}/sa/${(pod.spec as PodSpec).serviceAccountName ?? 'default'}`,
          labels,
        });
      }
    for (const host of spec.hosts ?? [])
      out.push({ host, namespace: ns, name: se.metadata.name, ports, meshExternal: spec.location !== 'MESH_INTERNAL', subjectAltNames: spec.subjectAltNames ?? [], source: { kind: 'ServiceEntry', cluster: view.id, namespace: ns, name: se.metadata.name }, endpoints });
  }
  return out;
}
