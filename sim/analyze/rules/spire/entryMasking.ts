/**
 * FL0010 — two ClusterSPIFFEIDs of the controller's class, neither a fallback, select the same pod and
 * render the same SPIFFE ID: the entries have the same key (SPIFFE ID + parent + selectors), one wins —
 * the oldest resource, not the "more specific" one (G15) — and the other is masked (`entriesMasked`), with
 * whatever federatesWith it carried (S10). Mark the catch-all `fallback: true`. When both federate with the
 * same peers the entry is the same whoever wins: info, not a warning (f04's universal ClusterSPIFFEID).
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

/** A ClusterSPIFFEID's federatesWith without the cluster's own trust domain, sorted (what the entry adds to the local bundle). */
const peerDomains = (o: AnalyzedObject, td: string): string[] => {
  const f = get(o.object, 'spec.federatesWith');
  return [...new Set((Array.isArray(f) ? f : []).map(String).filter((d) => d !== td))].sort();
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
        const head = `ClusterSPIFFEIDs ${JSON.stringify(nameOf(broad))} and ${JSON.stringify(nameOf(narrow))} both select ${w.object.object.kind}/${w.namespace}/${nameOf(w.object)} and render the same entry (${render(a, w, td)}): entries are keyed by SPIFFE ID, parent and selectors, so one wins — the oldest resource, not the more specific selector — and the other is masked (status entriesMasked)`;
        const fa = peerDomains(a, td);
        const fb = peerDomains(b, td);
        if (fa.length === fb.length && fa.every((d, i) => d === fb[i])) {
          // Whichever wins, the entry federates with the same peers: the masking shows only in the status.
          out.push(finding(entryMasking, broad, 'spec.fallback', `${head}. Harmless here: both federate with the same peer trust domains (${fa.join(', ') || 'none'}), so whichever wins the pod's entry is the same; only the loser's status counts entriesMasked. Mark the catch-all ${JSON.stringify(nameOf(broad))} spec.fallback: true to make the owner explicit`, { severity: 'info' }));
          continue;
        }
        out.push(finding(entryMasking, broad, 'spec.fallback', `${head}${Array.isArray(fed) && fed.length ? `, losing ${JSON.stringify(nameOf(narrow))}'s federatesWith ${fed.join(', ')}` : ''}. Mark the catch-all ${JSON.stringify(nameOf(broad))} spec.fallback: true (or make their selectors disjoint)`));
      }
    }
    return out;
  }),
};
