/**
 * FL0008 — a ClusterFederatedTrustDomain's bundleEndpointURL port is not exposed by the peer cluster:
 * the peer's SPIRE server serves its bundle endpoint on `federation.bundle_endpoint.port` (8443 by
 * default), and none of the Services selecting the server's pods maps the URL's port to it (or the server
 * serves no bundle endpoint at all). Every refresh is refused and the bundle goes stale (S08).
 * Only checked when the peer's manifests hold its server.conf and Services (not ZTWIM's managed Route).
 */
import type { Finding, Rule } from '../../types.ts';
import { labelSelectorMatches } from '../../../kube/selector.ts';
import { finding, get, isObj, nameOf, namespaceOf, objects, spireConfigs, str, trustDomainOf, workloads } from '../util.ts';

function urlPort(url: string): number | undefined {
  const m = /^https:\/\/(\[[^\]]*\]|[^/:]*)(?::(\d+))?/.exec(url);
  return m ? (m[2] ? Number(m[2]) : 443) : undefined;
}

export const bundleEndpointExposed: Rule = {
  code: 'FL0008',
  severity: 'error',
  title: 'Bundle endpoint port not exposed by the peer cluster',
  refs: ['S08'],
  check(input) {
    const out: Finding[] = [];
    for (const a of input.clusters) {
      for (const cftd of objects(a, 'ClusterFederatedTrustDomain')) {
        const td = str(get(cftd.object, 'spec.trustDomain'));
        const url = str(get(cftd.object, 'spec.bundleEndpointURL'));
        const port = url ? urlPort(url) : undefined;
        const b = input.clusters.find((x) => x !== a && td !== undefined && trustDomainOf(x) === td);
        if (!b || port === undefined) continue;
        const conf = spireConfigs(b, 'server')[0];
        if (!conf) continue;
        const be = get(conf.conf, 'server.federation.bundle_endpoint') ?? get(conf.conf, 'federation.bundle_endpoint');
        const serverWorkloads = workloads(b).filter((w) => (w.podSpec.containers as unknown[] | undefined)?.some((ct) => /spire-server/.test(String(get(ct, 'image') ?? '')) || get(ct, 'name') === 'spire-server'));
        if (!isObj(be)) {
          out.push(finding(bundleEndpointExposed, cftd, 'spec.bundleEndpointURL', `cluster ${b.name}'s SPIRE server serves no bundle endpoint (no federation.bundle_endpoint in ${conf.key} of ConfigMap ${nameOf(conf.cm)}): fetching ${url} fails and ${td}'s bundle never refreshes`));
          continue;
        }
        const target = Number(get(be, 'port') ?? 8443);
        const ns = namespaceOf(conf.cm);
        // Container ports by name, to resolve named targetPorts.
        const named = new Map<string, number>();
        for (const w of serverWorkloads) for (const ct of (w.podSpec.containers as unknown[]) ?? []) for (const p of (get(ct, 'ports') as unknown[] | undefined) ?? []) if (str(get(p, 'name'))) named.set(str(get(p, 'name'))!, Number(get(p, 'containerPort')));
        const services = objects(b, 'Service').filter((s) => (ns === undefined || namespaceOf(s) === ns) && isObj(get(s.object, 'spec.selector')) && serverWorkloads.some((w) => labelSelectorMatches({ matchLabels: get(s.object, 'spec.selector') as Record<string, string> }, w.labels)));
        if (services.length === 0) continue;
        const exposes = services.some((s) =>
          ((get(s.object, 'spec.ports') as unknown[] | undefined) ?? []).some((p) => {
            const tp = get(p, 'targetPort') ?? get(p, 'port');
            const resolved = typeof tp === 'string' && !/^\d+$/.test(tp) ? named.get(tp) : Number(tp);
            return Number(get(p, 'port')) === port && resolved === target;
          }),
        );
        if (exposes) continue;
        const svc = services.find((s) => get(s.object, 'spec.type') === 'LoadBalancer') ?? services[0]!;
        const ports = ((get(svc.object, 'spec.ports') as unknown[] | undefined) ?? []).map((p) => String(get(p, 'port'))).join(', ');
        out.push(finding(bundleEndpointExposed, svc, 'spec.ports', `Service ${namespaceOf(svc)}/${nameOf(svc)} in ${b.name} exposes port(s) ${ports || 'none'}, but ${a.name}'s ClusterFederatedTrustDomain ${JSON.stringify(nameOf(cftd))} fetches ${url} (port ${port}) and the SPIRE server serves its bundle endpoint on container port ${target}: every refresh is refused ("connect: connection refused") and ${td}'s bundle in ${a.name} goes stale. Add a port ${port} → targetPort ${target} to the Service`));
      }
    }
    return out;
  },
};
