/**
 * FL0017 — ZTWIM CRs written as a guide writes them (G11): `spire.openshift.io/v1alpha1` (no such API:
 * `no matches for kind "SpireServer" in version "spire.openshift.io/v1alpha1"`), namespaced, named
 * `spire-server`. The real API is `operator.openshift.io/v1alpha1`, cluster-scoped singletons named `cluster`.
 */
import type { Finding, Rule } from '../../types.ts';
import { finding, groupOf, kindOf, nameOf, namespaceOf, perCluster } from '../util.ts';
import { ZTWIM_CRS } from './ztwim.ts';

export const spireServerApi: Rule = {
  code: 'FL0017',
  severity: 'error',
  title: 'ZTWIM CR with the wrong API group, scope or name (operator.openshift.io/v1alpha1, cluster-scoped, named cluster)',
  refs: ['G11'],
  check: perCluster((c) => {
    const out: Finding[] = [];
    for (const o of c.objects) {
      if (!ZTWIM_CRS.includes(kindOf(o)) || o.partial) continue;
      const g = groupOf(o);
      if (g !== 'operator.openshift.io') {
        out.push(finding(spireServerApi, o, 'apiVersion', `${kindOf(o)} is written as ${String(o.object.apiVersion)}: no such API — the API server answers 'no matches for kind "${kindOf(o)}" in version "${String(o.object.apiVersion)}"'. ZTWIM's ${kindOf(o)} is operator.openshift.io/v1alpha1, a cluster-scoped singleton named "cluster"`));
        continue;
      }
      if (nameOf(o) !== 'cluster') out.push(finding(spireServerApi, o, 'metadata.name', `${kindOf(o)} ${JSON.stringify(nameOf(o))}: ZTWIM's ${kindOf(o)} is a singleton that must be named "cluster"; the API server rejects any other name`));
      if (namespaceOf(o)) out.push(finding(spireServerApi, o, 'metadata.namespace', `${kindOf(o)} is cluster-scoped: metadata.namespace ${JSON.stringify(namespaceOf(o))} is ignored (and \`oc get ${kindOf(o).toLowerCase()} … -n ${namespaceOf(o)}\` finds nothing by that name)`, { severity: 'warning' }));
    }
    return out;
  }),
};
