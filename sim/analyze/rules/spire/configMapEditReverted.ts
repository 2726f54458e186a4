/**
 * FL0014 — an operator-rendered ConfigMap is edited by hand while the ZTWIM operator is not in
 * CREATE_ONLY_MODE: the operator reconciles it back to its own rendering on the next change (S14,
 * seed 000 step 5). Only edits the analyzer saw (a patch of a ConfigMap the operator renders).
 */
import type { Rule } from '../../types.ts';
import { finding, nameOf, namespaceOf, objects, perCluster, ZTWIM_NAMESPACE } from '../util.ts';
import { createOnlyAt, OPERATOR_CONFIGMAPS, ztwimSubscription } from './ztwim.ts';

export const configMapEditReverted: Rule = {
  code: 'FL0014',
  severity: 'error',
  title: 'Manual edit of a ZTWIM-rendered ConfigMap without CREATE_ONLY_MODE: the operator reverts it',
  refs: ['S14', 'G12'],
  check: perCluster((c) => {
    const sub = ztwimSubscription(c);
    if (!sub) return [];
    return objects(c, 'ConfigMap')
      .filter((o) => o.changed && !createOnlyAt(sub, o) && namespaceOf(o) === ZTWIM_NAMESPACE && OPERATOR_CONFIGMAPS.includes(nameOf(o)))
      .map((o) => finding(configMapEditReverted, o, 'data', `ConfigMap ${ZTWIM_NAMESPACE}/${nameOf(o)} is edited by hand, but the ZTWIM operator renders it and is not in CREATE_ONLY_MODE (Subscription ${nameOf(sub)} has no CREATE_ONLY_MODE=true in spec.config.env): it writes its own rendering back at the next reconcile and the edit is lost. Set CREATE_ONLY_MODE=true first (it then freezes CR-driven updates too, S17), or change the operator's CRs instead`, { refs: ['S14'] }));
  }),
};
