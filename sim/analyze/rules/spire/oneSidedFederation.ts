/**
 * FL0004 — federation configured on one side only (cross-cluster): cluster A has a relationship with
 * cluster B's trust domain, but B (also analyzed) has none with A's. mTLS needs both: whichever side lacks
 * the other's bundle rejects the handshake (S02; seed 002 "Federation is Bidirectional"). Only where B runs
 * workloads of its own (outside SPIRE's and the platform's namespaces): a peer with nothing that verifies
 * A's SVIDs loses nothing by not federating back (s10's east only serves its bundle).
 */
import type { ClusterInput, Finding, Rule } from '../../types.ts';
import { finding, get, nameOf, objects, selectedWorkloads, spireConfigs, str, trustDomainOf, workloads } from '../util.ts';
import { relationships } from './federatesWithoutRelationship.ts';

/** Namespaces of SPIRE, its operator and the platform: their pods do not verify peers' SVIDs. */
const INFRA_NAMESPACE = /^(kube-|openshift|spire|zero-trust-workload-identity-manager|cert-manager|local-path-storage|metallb)/;

/** Whether the cluster runs workloads that could verify a peer's SVIDs (anything outside the infrastructure namespaces). */
const runsWorkloads = (c: ClusterInput): boolean => workloads(c).some((w) => !INFRA_NAMESPACE.test(w.namespace));

export const oneSidedFederation: Rule = {
  code: 'FL0004',
  severity: 'warning',
  title: 'Federation configured on one side only: the peer cluster does not federate back',
  refs: ['S02'],
  check(input) {
    const out: Finding[] = [];
    const tds = input.clusters.map((c) => ({ c, td: trustDomainOf(c), rel: relationships(c), spire: objects(c, 'ClusterSPIFFEID').length > 0 || spireConfigs(c, 'server').length > 0 }));
    for (const a of tds) {
      for (const cftd of objects(a.c, 'ClusterFederatedTrustDomain')) {
        const td = str(get(cftd.object, 'spec.trustDomain'));
        const b = tds.find((x) => x !== a && x.td !== undefined && x.td === td);
        if (!b || !b.spire || !a.td || b.rel.has(a.td) || !runsWorkloads(b.c)) continue;
        // Only where A's workloads mean to talk to B: a ClusterSPIFFEID selecting them federates with B.
        if (!objects(a.c, 'ClusterSPIFFEID').some((o) => Array.isArray(get(o.object, 'spec.federatesWith')) && (get(o.object, 'spec.federatesWith') as unknown[]).includes(td) && selectedWorkloads(a.c, o).length > 0)) continue;
        out.push(finding(oneSidedFederation, cftd, 'spec.trustDomain', `cluster ${a.c.name} federates with ${td} (ClusterFederatedTrustDomain ${JSON.stringify(nameOf(cftd))}), but cluster ${b.c.name} has no ClusterFederatedTrustDomain for ${a.td}: ${b.c.name} never gets ${a.td}'s bundle, so its workloads reject ${a.c.name}'s SVIDs and mTLS fails. Federation is bidirectional: add a ClusterFederatedTrustDomain for ${a.td} in ${b.c.name} (and federatesWith: [${a.td}] on its ClusterSPIFFEIDs)`));
      }
    }
    return out;
  },
};
