/**
 * Istio's DNS proxy in the sidecar (pilot-agent with `ISTIO_META_DNS_CAPTURE=true`, pkg/istio-agent/agent.go
 * `isDNSServerEnabled`): the pod's DNS queries are captured and answered from the name table istiod sends
 * (pkg/dns/server/name_table.go `BuildNameTable`) before they go on to kube-dns. This is how a ServiceEntry
 * host such as a remote cluster's `svcB.apps.svc.cluster.local` resolves in a cluster without that Service.
 *
 * A ServiceEntry host enters the table only with an address: its `spec.addresses`, or one auto-allocated
 * from 240.240.0.0/16 (pilot/pkg/controllers/ipallocate, `PILOT_ENABLE_IP_AUTOALLOCATE`, default true from
 * 1.25; before, `ISTIO_META_DNS_AUTO_ALLOCATE=true` on the proxy) — and a proxy uses auto-allocated
 * addresses only with DNS capture (pilot/pkg/model/service.go `nodeUsesAutoallocatedIPs`). Resolution
 * `NONE` and the label `networking.istio.io/enable-autoallocate-ip: "false"` opt out
 * (pilot/pkg/networking/serviceentry/ip_autoallocation.go). Not modelled: remote clusters' Kubernetes
 * Services in the table, headless services, `status.addresses` written back to the ServiceEntry.
 */
import type { KubeObject } from '../kube/object.ts';
import { versionAtLeast } from './istiod.ts';

type Env = { name: string; value?: string }[];
type Container = { name: string; env?: Env };

/** The env of the pod's istio-proxy container (a native sidecar is an init container). */
function proxyEnv(pod: KubeObject | undefined): Readonly<Record<string, string>> | undefined {
  const spec = pod?.spec as { containers?: Container[]; initContainers?: Container[] } | undefined;
  const c = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])].find((x) => x.name === 'istio-proxy');
  return c ? Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value ?? ''])) : undefined;
}

function envOf(pod: KubeObject | undefined): Readonly<Record<string, string>> {
  const c = ((pod?.spec as { containers?: Container[] } | undefined)?.containers ?? [])[0];
  return Object.fromEntries((c?.env ?? []).map((e) => [e.name, e.value ?? '']));
}

export interface DnsProxyInput {
  /** The client pod (its istio-proxy env decides capture and auto-allocation). */
  readonly pod: KubeObject | undefined;
  /** istiod's pod (its env and image version decide auto-allocation), if istiod runs. */
  readonly istiod: { readonly pod: KubeObject; readonly version: string } | undefined;
  /** The ServiceEntries of istiod's config cluster. */
  readonly serviceEntries: readonly KubeObject[];
}

/** Whether the sidecar answers DNS itself. */
export function dnsCaptureEnabled(pod: KubeObject | undefined): boolean {
  return proxyEnv(pod)?.ISTIO_META_DNS_CAPTURE === 'true';
}

const hostMatches = (pattern: string, name: string): boolean => pattern === name || (pattern.startsWith('*.') && name.endsWith(pattern.slice(1)));

const exportedTo = (se: KubeObject, ns: string): boolean => {
  const to = (se.spec as { exportTo?: string[] }).exportTo;
  return !to || to.length === 0 || to.includes('*') || to.includes(ns) || (to.includes('.') && se.metadata.namespace === ns);
};

/**
 * The ServiceEntry host and address the DNS proxy answers for `fqdn` (an absolute name, after the
 * resolver's search path), or undefined when the query goes on to kube-dns.
 */
export function dnsProxyLookup(input: DnsProxyInput, namespace: string, fqdn: string): { host: string; address: string } | undefined {
  const env = proxyEnv(input.pod);
  if (env?.ISTIO_META_DNS_CAPTURE !== 'true' || !input.istiod) return undefined;
  const istiodEnv = envOf(input.istiod.pod);
  const pilotAuto = istiodEnv.PILOT_ENABLE_IP_AUTOALLOCATE !== undefined ? istiodEnv.PILOT_ENABLE_IP_AUTOALLOCATE === 'true' : versionAtLeast(input.istiod.version, 1, 25);
  const autoAllocate = pilotAuto || env.ISTIO_META_DNS_AUTO_ALLOCATE === 'true';
  // The allocator hands out 240.240.0.1, .2, … in the order it reconciles ServiceEntries (creation order).
  const ordered = [...input.serviceEntries].sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
  let next = 0;
  for (const se of ordered) {
    const spec = se.spec as { hosts?: string[]; addresses?: string[]; resolution?: string };
    const eligible = (spec.addresses ?? []).length === 0 && spec.resolution !== 'NONE' && se.metadata.labels?.['networking.istio.io/enable-autoallocate-ip']?.toLowerCase() !== 'false';
    const auto = eligible ? `240.240.0.${++next}` : undefined;
    if (!exportedTo(se, namespace)) continue;
    const host = (spec.hosts ?? []).find((h) => hostMatches(h, fqdn));
    if (!host) continue;
    const address = spec.addresses?.find((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a)) ?? (autoAllocate ? auto : undefined);
    if (address) return { host, address };
  }
  return undefined;
}

/** The names glibc asks for (`ndots:5`, search `<ns>.svc.cluster.local svc.cluster.local cluster.local`). */
export function searchNames(namespace: string, name: string): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const search = [`${namespace}.svc.cluster.local`, 'svc.cluster.local', 'cluster.local'].map((s) => `${name}.${s}`);
  return name.split('.').length - 1 >= 5 ? [name, ...search] : [...search, name];
}

/** What the captured query finally answers: the first search-path name in the proxy's table. */
export function resolveViaDnsProxy(input: DnsProxyInput, namespace: string, name: string): { host: string; ip: string } | undefined {
  for (const fqdn of searchNames(namespace, name)) {
    const hit = dnsProxyLookup(input, namespace, fqdn);
    // The sidecar routes the request to the ServiceEntry host's cluster (a wildcard host's own, too).
    if (hit) return { host: hit.host, ip: hit.address };
  }
  return undefined;
}
