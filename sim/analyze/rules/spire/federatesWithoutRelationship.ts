/**
 * FL0003 — a ClusterSPIFFEID federates with a trust domain the cluster has no federation relationship
 * with: no ClusterFederatedTrustDomain, no static `federates_with` in server.conf, no federation on the
 * ZTWIM SpireServer. SPIRE then holds that domain's bundle only if someone loaded it by hand
 * (`spire-server bundle set`), and nothing refreshes it when the peer's CA rotates (S06); without it the
 * entry cannot federate at all and the peer cannot be verified (S02).
 */
import type { ClusterInput, Rule } from '../../types.ts';
import { finding, get, isObj, isPlaceholder, nameOf, objects, perCluster, selectedWorkloads, spireConfigs, str, trustDomainOf } from '../util.ts';

/** Trust domains the cluster has a federation relationship with (CFTDs, static federates_with, SpireServer CR). */
export function relationships(c: ClusterInput): Set<string> {
  const out = new Set<string>();
  for (const o of objects(c, 'ClusterFederatedTrustDomain')) {
    const td = str(get(o.object, 'spec.trustDomain'));
    if (td) out.add(td);
  }
  for (const s of spireConfigs(c, 'server')) {
    const fw = get(s.conf, 'server.federation.federates_with');
    if (isObj(fw)) for (const k of Object.keys(fw)) out.add(k);
  }
  for (const o of objects(c, 'SpireServer')) {
    const fw = get(o.object, 'spec.federation.federatesWith');
    if (Array.isArray(fw)) for (const f of fw) if (str(get(f, 'trustDomain'))) out.add(str(get(f, 'trustDomain'))!);
  }
  return out;
}

export const federatesWithoutRelationship: Rule = {
  code: 'FL0003',
  severity: 'error',
  title: 'ClusterSPIFFEID federates with a trust domain the cluster has no federation relationship with',
  refs: ['S06', 'S02'],
  check: perCluster((c) => {
    const rel = relationships(c);
    const own = trustDomainOf(c);
    return objects(c, 'ClusterSPIFFEID').flatMap((o) => {
      const fed = get(o.object, 'spec.federatesWith');
      if (!Array.isArray(fed)) return [];
      // Only where it matters: a ClusterSPIFFEID that selects workloads the manifests define.
      if (selectedWorkloads(c, o).length === 0) return [];
      return fed.flatMap((td, i) => {
        if (typeof td !== 'string' || td === own || rel.has(td) || isPlaceholder(td)) return [];
        return [finding(federatesWithoutRelationship, o, `spec.federatesWith[${i}]`, `ClusterSPIFFEID ${JSON.stringify(nameOf(o))} federates with ${td}, but cluster ${c.name} has no ClusterFederatedTrustDomain (nor federates_with) for ${td}: SPIRE has that bundle only if it was loaded by hand with "bundle set", and nothing refreshes it when ${td} rotates its CA, so its workloads stop verifying ${td}'s SVIDs. Add a ClusterFederatedTrustDomain for ${td} with its bundle endpoint`)];
      });
    });
  }),
};
