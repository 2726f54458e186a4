/**
 * FL0015 — CREATE_ONLY_MODE is on and a ZTWIM CR is changed after the operator created its objects:
 * in create-only mode the operator skips every update of existing objects, so the change (e.g. federation
 * added to the SpireServer CR) never reaches server.conf, the Service or the Route (S17; G12: it freezes
 * the operator's own CRs, not only manual ConfigMap edits).
 */
import type { Rule } from '../../types.ts';
import { finding, get, groupOf, kindOf, nameOf, perCluster } from '../util.ts';
import { createOnly, createOnlyAt, ZTWIM_CRS, ztwimSubscription } from './ztwim.ts';

export const createOnlyFreezesCr: Rule = {
  code: 'FL0015',
  severity: 'error',
  title: 'ZTWIM CR changed while CREATE_ONLY_MODE is on: the change never reaches SPIRE',
  refs: ['S17', 'G12'],
  check: perCluster((c) => {
    const sub = ztwimSubscription(c);
    if (!sub || !createOnly(sub)) return [];
    return c.objects
      .filter((o) => o.changed && !o.partial && createOnlyAt(sub, o) && groupOf(o) === 'operator.openshift.io' && ZTWIM_CRS.includes(kindOf(o)))
      .map((o) => {
        const fed = kindOf(o) === 'SpireServer' && get(o.object, 'spec.federation') !== undefined;
        return finding(createOnlyFreezesCr, o, fed ? 'spec.federation' : 'spec', `${kindOf(o)} ${JSON.stringify(nameOf(o))} is changed after the operator created its objects, but CREATE_ONLY_MODE=true (Subscription ${nameOf(sub)}): the operator skips every update of existing objects, so ${fed ? 'the federation never reaches server.conf — no federation relationship, no bundle endpoint, no bundle refresh' : 'the change never reaches the ConfigMaps and workloads it renders'}. Turn CREATE_ONLY_MODE off for the change (and re-apply manual ConfigMap edits afterwards)`);
      });
  }),
};
