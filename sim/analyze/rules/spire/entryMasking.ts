/**
 * FL0010 — two ClusterSPIFFEIDs of the controller's class, neither a fallback, select the same pod and
 * render the same SPIFFE ID: the entries have the same key (SPIFFE ID + parent + selectors), one wins —
 * the oldest resource, not the "more specific" one (G15) — and the other is masked (`entriesMasked`), with
 * whatever federatesWith it carried (S10). Mark the catch-all `fallback: true`.
 */
import type { AnalyzedObject, Finding, Rule } from '../../types.ts';
import { controllerClass, finding, get, isObj, nameOf, objects, perCluster, reconciles, selectedWorkloads, str, trustDomainOf, workloads, type Workload } from '../util.ts';

function render(o: AnalyzedObject, w: Workload, td: string): string {
  const t = str(get(o.object, 'spec.spiffeIDTemplate')) ?? '';
  return t
    .replace(/\{\{\s*\.TrustDomain\s*\}\}/g, td)
    .replace(/\{\{\s*\.PodMeta\.Namespace\s*\}\}/g, w.namespace)
    .replace(/\{\{\s*\.PodSpec\.ServiceAccountName\s*\}\}/g, str(w.podSpec.serviceAccountName) ?? 'default')
    .replace(/\s+/g, '');
}

const breadth = (o: AnalyzedObject): number => {
  const s = get(o.object, 'spec.podSelector');
  return isObj(s) ? Object.keys((s.matchLabels as object | undefined) ?? {}).length + ((s.matchExpressions as unknown[] | undefined)?.length ?? 0) : 0;
};

export const entryMasking: Rule = {
  code: 'FL0010',
  severity: 'warning',
  title: 'Overlapping ClusterSPIFFEIDs render the same entry: one masks the other',
  refs: ['S10', 'G15'],
  check: perCluster((c) => {
    const cc = controllerClass(c);
    const td = trustDomainOf(c) ?? '';
    const ws = workloads(c);
    const csids = objects(c, 'ClusterSPIFFEID').filter((o) => !o.partial && get(o.object, 'spec.fallback') !== true && (!cc || reconciles(cc, str(get(o.object, 'spec.className')) ?? '')));
    const out: Finding[] = [];
    const seen = new Set<string>();
    const sel = new Map(csids.map((o) => [o, selectedWorkloads(c, o, ws)]));
    for (const a of csids) {
      for (const b of csids) {
        if (a === b || seen.has(`${nameOf(b)}|${nameOf(a)}`)) continue;
        const shared = sel.get(a)!.filter((w) => sel.get(b)!.includes(w) && render(a, w, td) === render(b, w, td));
        if (shared.length === 0) continue;
        seen.add(`${nameOf(a)}|${nameOf(b)}`);
        const [broad, narrow] = breadth(a) <= breadth(b) ? [a, b] : [b, a];
        const w = shared[0]!;
        const fed = get(narrow.object, 'spec.federatesWith');
        out.push(finding(entryMasking, broad, 'spec.fallback', `ClusterSPIFFEIDs ${JSON.stringify(nameOf(broad))} and ${JSON.stringify(nameOf(narrow))} both select ${w.object.object.kind}/${w.namespace}/${nameOf(w.object)} and render the same entry (${render(a, w, td)}): entries are keyed by SPIFFE ID, parent and selectors, so one wins — the oldest resource, not the more specific selector — and the other is masked (status entriesMasked)${Array.isArray(fed) && fed.length ? `, losing ${JSON.stringify(nameOf(narrow))}'s federatesWith ${fed.join(', ')}` : ''}. Mark the catch-all ${JSON.stringify(nameOf(broad))} spec.fallback: true (or make their selectors disjoint)`));
      }
    }
    return out;
  }),
};
