/**
 * FL0002 — a ClusterFederatedTrustDomain the controller manager does not reconcile (no className on a
 * class-bound controller). The relationship and its trustDomainBundle never reach SPIRE; a static
 * federates_with (ZTWIM's SpireServer federation) then has no local copy of the peer's bundle
 * ("local copy of bundle not found") — the guide's "manual bundle set" (G10) is only needed because of this.
 */
import type { Rule } from '../../types.ts';
import { controllerClass, finding, get, nameOf, objects, perCluster, reconciles, str } from '../util.ts';

export const cftdClass: Rule = {
  code: 'FL0002',
  severity: 'error',
  title: 'ClusterFederatedTrustDomain not of the controller manager\'s class: it is ignored',
  refs: ['S04', 'G05', 'G10'],
  check: perCluster((c) => {
    const cc = controllerClass(c);
    if (!cc) return [];
    return objects(c, 'ClusterFederatedTrustDomain').flatMap((o) => {
      const cls = str(get(o.object, 'spec.className')) ?? '';
      if (reconciles(cc, cls)) return [];
      const td = str(get(o.object, 'spec.trustDomain')) ?? '?';
      const what = cls === '' ? 'has no spec.className' : `has spec.className ${JSON.stringify(cls)}`;
      return [finding(cftdClass, o, 'spec.className', `ClusterFederatedTrustDomain ${JSON.stringify(nameOf(o))} ${what}: the spire-controller-manager with className ${JSON.stringify(cc.className)} (from ${cc.source}) ignores it, so no federation relationship with ${td} is created from it and its trustDomainBundle is never loaded (a static federates_with then logs "local copy of bundle not found"). Set spec.className: ${cc.className}`)];
    });
  }),
};
