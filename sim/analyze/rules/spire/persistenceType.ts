/**
 * FL0018 — SpireServer `spec.persistence.type` (seed 001, G14): a ZTWIM 0.2 field; ZTWIM 1.0's
 * SpireServer has no `type` (accessMode, size, storageClass only), so the API server rejects or drops it.
 */
import type { Rule } from '../../types.ts';
import { finding, get, groupOf, objects, perCluster } from '../util.ts';

export const persistenceType: Rule = {
  code: 'FL0018',
  severity: 'warning',
  title: 'SpireServer spec.persistence.type is not a ZTWIM 1.0 field',
  refs: ['G14'],
  check: perCluster((c) => {
    const v = c.versions?.ztwim;
    if (v !== undefined && /^0\./.test(v)) return [];
    return objects(c, 'SpireServer')
      .filter((o) => groupOf(o) === 'operator.openshift.io' && get(o.object, 'spec.persistence.type') !== undefined)
      .map((o) => finding(persistenceType, o, 'spec.persistence.type', `spec.persistence.type is a ZTWIM 0.2 field; ZTWIM 1.0's SpireServer has only accessMode, size and storageClass under persistence, so the API server rejects (strict field validation) or drops it. Remove it${v ? '' : ' (or pin versions.ztwim: 0.2)'}`, { severity: v === undefined ? 'warning' : 'error' }));
  }),
};
