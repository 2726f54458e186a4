/**
 * Where an address leads in the lab, as Kubernetes networking would route it:
 * - a Service's LoadBalancer ingress IP: reachable from every cluster and the workstation;
 * - a ClusterIP, a pod IP, or a Service DNS name (`svc.ns`, `svc.ns.svc`, `svc.ns.svc.cluster.local`):
 *   only from inside the same cluster;
 * - anything else does not resolve (`dial tcp: lookup NAME: no such host`).
 * The Service's port maps to the pod's targetPort (by number or container port name); the fault model
 * then applies (partitions, DNS failures, stopped components), with Go's dial errors.
 */
import { err, simError, type Result, type SimError } from '../core/result.ts';
import type { KubeObject } from '../kube/object.ts';
import type { BundleEndpoint } from '../net/bundleEndpoint.ts';
import type { NetworkFaults } from '../net/faults.ts';
import type { ClusterRuntime } from './cluster.ts';
import type { SpireRuntime } from './spire.ts';
import { resolveRouteHost, type RouterCluster } from '../openshift/index.ts';

interface ServicePort {
  readonly port: number;
  readonly targetPort?: number | string;
}

const isIPv4 = (h: string): boolean => /^\d{1,3}(\.\d{1,3}){3}$/.test(h);

function targetPortNumber(pod: KubeObject, target: number | string | undefined, fallback: number): number | undefined {
  if (target === undefined) return fallback;
  if (typeof target === 'number' || /^\d+$/.test(String(target))) return Number(target);
  const containers = (pod.spec as { containers?: { ports?: { name?: string; containerPort: number }[] }[] }).containers ?? [];
  return containers.flatMap((c) => c.ports ?? []).find((p) => p.name === target)?.containerPort;
}

export class LabNetwork {
  constructor(
    private readonly clusters: () => Iterable<{ cluster: ClusterRuntime; spire: SpireRuntime }>,
    private readonly faults: NetworkFaults,
    private readonly routers: () => Iterable<RouterCluster> = () => [],
  ) {}

  private viaService(c: { cluster: ClusterRuntime; spire: SpireRuntime }, svc: KubeObject, port: number): BundleEndpoint | undefined {
    const sp = ((svc.spec as { ports?: ServicePort[] }).ports ?? []).find((p) => p.port === port);
    if (!sp) return undefined;
    const eps = c.cluster.store.peek('Endpoints', svc.metadata.namespace, svc.metadata.name) as { subsets?: { addresses?: { ip: string; targetRef?: { name: string; namespace?: string } }[] }[] } | undefined;
    for (const a of (eps?.subsets ?? []).flatMap((s) => s.addresses ?? [])) {
      const pod = a.targetRef ? c.cluster.store.peek('Pod', a.targetRef.namespace ?? svc.metadata.namespace, a.targetRef.name) : undefined;
      const target = pod ? targetPortNumber(pod, sp.targetPort, sp.port) : undefined;
      const ep = target !== undefined ? c.spire.endpointAt(a.ip, target) : undefined;
      if (ep) return ep;
    }
    return undefined;
  }

  /** Resolves `host:port` as seen from a cluster (by name) or from `workstation`. */
  resolve(from: string, host: string, port: number): Result<BundleEndpoint, SimError> {
    const h = host.replace(/\.$/, '').toLowerCase();
    const refused = simError('net/connection-refused', `dial tcp ${h}:${port}: connect: connection refused`);
    for (const c of this.clusters()) {
      const here = c.cluster.name === from;
      let found: BundleEndpoint | undefined;
      let matched = false;
      if (isIPv4(h)) {
        for (const svc of c.cluster.store.scan('Service')) {
          const spec = svc.spec as { clusterIP?: string };
          const lb = ((svc.status as { loadBalancer?: { ingress?: { ip?: string }[] } } | undefined)?.loadBalancer?.ingress ?? []).map((i) => i.ip);
          if (lb.includes(h) || (here && spec.clusterIP === h)) {
            matched = true;
            found ??= this.viaService(c, svc, port);
          }
        }
        if (here && !found) {
          const ep = c.spire.endpointAt(h, port);
          if (ep) found = ep;
          matched = ep !== undefined || c.cluster.store.scan('Pod').some((p) => (p.status as { podIP?: string } | undefined)?.podIP === h);
        }
      } else if (here) {
        const m = /^([a-z0-9-]+)\.([a-z0-9-]+)(\.svc(\.cluster\.local)?)?$/.exec(h);
        const svc = m ? c.cluster.store.peek('Service', m[2], m[1]!) : undefined;
        if (svc) {
          matched = true;
          found = this.viaService(c, svc, port);
        }
      }
      if (!matched) continue;
      const reach = this.faults.reach(from, c.cluster.name, found?.component ?? `${c.cluster.name}/unknown`, h);
      if (!reach.ok) return err(reach.error);
      return found ? { ok: true, value: found } : err(refused);
    }
    // OpenShift: names under a cluster's *.apps domain go to its router (Routes).
    const routed = resolveRouteHost(this.routers(), h, port, (cluster, ip, p) => [...this.clusters()].find((c) => c.cluster.name === cluster)?.spire.endpointAt(ip, p));
    if (routed) {
      const owner = [...this.routers()].find((r) => h.endsWith(`.apps.${(r.store.find('DNS', undefined, 'cluster')?.spec as { baseDomain?: string } | undefined)?.baseDomain ?? ''}`))?.name ?? from;
      const component = routed.ok ? routed.value.component : `${owner}/router-default`;
      const reach = this.faults.reach(from, owner, component, h);
      if (!reach.ok) return err(reach.error);
      return routed;
    }
    const dns = this.faults.reach(from, from, '', h);
    if (!dns.ok) return err(dns.error);
    return isIPv4(h) ? err(simError('net/partitioned', `dial tcp ${h}:${port}: i/o timeout`)) : err(simError('net/no-such-host', `dial tcp: lookup ${h}: no such host`));
  }
}
