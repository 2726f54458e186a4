/**
 * M14: a ClusterSPIFFEID without federatesWith, in a cluster whose other entries federate, gives the
 * workloads it selects an entry with no FederatesWith, so their Envoy's ROOTCA holds only the local bundle
 * and any call to another trust domain fails the chain check (CERTIFICATE_VERIFY_FAILED, "no trust bundle").
 * That is the intended isolation when those workloads must not call across — the finding says which it is.
 */
import type { Finding, Rule } from '../../types.ts';
import { arr, describe, finding, injectionTemplates, obj, ofKind, specOf, spireTemplateNames, strings, str, SYSTEM_NAMESPACE, workloads } from './facts.ts';
import { calls } from './multiCluster.ts';

/** Namespaces a ClusterSPIFFEID names by `kubernetes.io/metadata.name` (matchLabels or an In expression); undefined = any. */
function namedNamespaces(spec: Record<string, unknown>): string[] | undefined {
  const sel = obj(spec.namespaceSelector);
  const byLabel = str(obj(sel.matchLabels)['kubernetes.io/metadata.name']);
  if (byLabel) return [byLabel];
  const inExpr = arr(sel.matchExpressions).map(obj).find((e) => e.key === 'kubernetes.io/metadata.name' && e.operator === 'In');
  return inExpr ? strings(inExpr.values) : undefined;
}

export const unfederatedWorkload: Rule = {
  code: 'FL0118',
  severity: 'warning',
  title: 'ClusterSPIFFEID without federatesWith in a federating cluster: its workloads cannot call other trust domains',
  refs: ['M14'],
  check(input) {
    const out: Finding[] = [];
    for (const c of input.clusters) {
      const ids = ofKind(c, 'ClusterSPIFFEID');
      const domains = [...ids.flatMap((i) => strings(specOf(i).federatesWith)), ...ofKind(c, 'ClusterFederatedTrustDomain').map((f) => str(specOf(f).trustDomain) ?? '')];
      // Placeholders (`<TRUST_DOMAIN_2>`) are the SPIRE rules' business.
      const federated = new Set(domains.filter((td) => td && !td.includes('<')));
      // Only where mesh clients here call another cluster (remote secret or ServiceEntry): otherwise local-only
      // identities are the norm, not a blocked cross-domain call.
      if (federated.size === 0 || !input.clusters.some((o) => o !== c && calls(c, o))) continue;
      const spire = spireTemplateNames(input.clusters);
      const meshClients = workloads(c).filter((w) => (injectionTemplates(w) ?? []).some((t) => spire.has(t)));
      for (const id of ids) {
        const spec = specOf(id);
        const named = namedNamespaces(spec);
        if (named && named.every((n) => SYSTEM_NAMESPACE.test(n))) continue;
        const clients = meshClients.filter((w) => !named || named.includes(w.namespace));
        if (clients.length === 0) continue;
        // Only the unfederated case: a partial federatesWith list is the SPIRE rules' business (and often intended).
        if (strings(spec.federatesWith).length > 0) continue;
        const missing = [...federated];
        const field = spec.federatesWith === undefined ? 'spec' : 'spec.federatesWith';
        out.push(finding(unfederatedWorkload, id, field,
          `${describe(id)} selects ${named ? `namespace ${named.join(', ')}` : 'workloads'} (mesh clients: ${clients.map((w) => describe(w.object)).join(', ')}) but does not federate with ${missing.join(', ')}, which this cluster federates with elsewhere: their SPIRE entries have no FederatesWith ${missing.join(', ')}, Envoy's ROOTCA holds no bundle for it, and every call they make to that trust domain fails the chain check (CERTIFICATE_VERIFY_FAILED). If they must not call across, this is the isolation you want; otherwise add spec.federatesWith: [${missing.join(', ')}].`, { positionField: field }));
      }
    }
    return out;
  },
};
