/**
 * FL0021 — a ClusterSPIFFEID federates with some of the cluster's federated trust domains but not all:
 * its entries carry FederatesWith only for those listed, so the workloads get no bundle for the others
 * although the server holds it — typical after a new cluster joins (F03: existing ClusterSPIFFEIDs must
 * add the newcomer's trust domain).
 */
import type { Rule } from '../../types.ts';
import { finding, get, isPlaceholder, nameOf, objects, perCluster, selectedWorkloads, trustDomainOf } from '../util.ts';
import { relationships } from './federatesWithoutRelationship.ts';

export const partialFederatesWith: Rule = {
  code: 'FL0021',
  severity: 'warning',
  title: 'ClusterSPIFFEID federates with only some of the cluster\'s federated trust domains',
  refs: ['F03'],
  check: perCluster((c) => {
    const rel = [...relationships(c)].filter((td) => td !== trustDomainOf(c) && !isPlaceholder(td));
    return objects(c, 'ClusterSPIFFEID').flatMap((o) => {
      const fed = get(o.object, 'spec.federatesWith');
      if (!Array.isArray(fed) || fed.length === 0) return [];
      const missing = rel.filter((td) => !fed.includes(td));
      if (missing.length === 0 || selectedWorkloads(c, o).length === 0) return [];
      return [finding(partialFederatesWith, o, 'spec.federatesWith', `ClusterSPIFFEID ${JSON.stringify(nameOf(o))} federates with ${fed.join(', ')} but not with ${missing.join(', ')}, which cluster ${c.name} also federates with: its workloads get no bundle for ${missing.join(', ')} and cannot verify peers from there. Add ${missing.join(', ')} to spec.federatesWith if they should`)];
    });
  }),
};
