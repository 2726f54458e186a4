/**
 * FL0001 — a ClusterSPIFFEID the controller manager does not reconcile: no className (or another class)
 * while the controller is class-bound with watchClassless false (ZTWIM always; the SPIRE chart by default).
 * scm reconcileClass: such CRs are skipped silently; on ZTWIM the pod falls to the operator's fallback
 * ClusterSPIFFEID, which has no federatesWith (engine: sim/spire/controllerManager/config.ts reconcilesClass).
 */
import type { Rule } from '../../types.ts';
import { controllerClass, finding, get, objects, perCluster, reconciles, str } from '../util.ts';

export const clusterSpiffeIdClass: Rule = {
  code: 'FL0001',
  severity: 'error',
  title: 'ClusterSPIFFEID not of the controller manager\'s class: it is ignored',
  refs: ['S01', 'G05'],
  check: perCluster((c) => {
    const cc = controllerClass(c);
    if (!cc) return [];
    return objects(c, 'ClusterSPIFFEID').flatMap((o) => {
      const cls = str(get(o.object, 'spec.className')) ?? '';
      if (reconciles(cc, cls)) return [];
      const fed = get(o.object, 'spec.federatesWith');
      const lost = Array.isArray(fed) && fed.length > 0 ? `; its federatesWith (${fed.join(', ')}) never reaches SPIRE` : '';
      const fallback = cc.className === 'zero-trust-workload-identity-manager-spire' ? ': the pods it selects get only the operator\'s fallback entry (no federatesWith)' : ': no entries are created for the pods it selects';
      const what = cls === '' ? 'has no spec.className' : `has spec.className ${JSON.stringify(cls)}`;
      return [finding(clusterSpiffeIdClass, o, 'spec.className', `ClusterSPIFFEID ${JSON.stringify(o.object.metadata && (o.object.metadata as { name?: string }).name)} ${what}: the spire-controller-manager with className ${JSON.stringify(cc.className)} (watchClassless: ${cc.watchClassless}, from ${cc.source}) ignores it${fallback}${lost}. Set spec.className: ${cc.className}`)];
    });
  }),
};
