/**
 * Kind names as kubectl resolves them (`deploy`, `svc`, `clusterspiffeids`, `gateway.networking.istio.io`)
 * for the analyzer, which follows `kubectl patch|delete|label` without an API server: the table is the
 * lab's built-in kinds plus every CRD set it ships, so scope (namespaced or not) is known too.
 */
import { BUILTIN_KINDS } from '../kube/builtinKinds.ts';
import { createCrdRegistry, crdSets, splitApiVersion } from '../kube/crds/registry.ts';

export interface KindRef {
  readonly group: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

interface Entry extends KindRef {
  readonly names: readonly string[];
}

function table(): Entry[] {
  const out: Entry[] = [];
  for (const k of BUILTIN_KINDS) out.push({ group: k.group, kind: k.kind, namespaced: k.namespaced, names: [k.kind.toLowerCase(), k.plural, k.singular ?? '', ...(k.shortNames ?? [])].filter(Boolean) });
  const registry = createCrdRegistry(crdSets().map((s) => s.id));
  for (const c of registry.list()) out.push({ group: c.group, kind: c.kind, namespaced: c.scope === 'Namespaced', names: [c.kind.toLowerCase(), c.plural, c.singular ?? '', ...(c.shortNames ?? [])].filter(Boolean) });
  // Kinds the lab models outside those sets (istioctl's IstioOperator, OpenShift's cluster-scoped APIs).
  out.push({ group: 'install.istio.io', kind: 'IstioOperator', namespaced: true, names: ['istiooperator', 'istiooperators', 'iop'] });
  for (const [group, kind] of [['project.openshift.io', 'Project'], ['security.openshift.io', 'SecurityContextConstraints'], ['config.openshift.io', 'DNS']] as const) {
    out.push({ group, kind, namespaced: false, names: [kind.toLowerCase()] });
  }
  return out;
}

let cache: Entry[] | undefined;
const entries = (): Entry[] => (cache ??= table());

/** Every kind a kubectl resource word may name (`gateway` names two; `gateway.networking.istio.io` one). */
export function resolveKindWord(word: string): KindRef[] {
  const w = word.toLowerCase();
  const dot = w.indexOf('.');
  const [name, group] = dot < 0 ? [w, undefined] : [w.slice(0, dot), w.slice(dot + 1)];
  const found = entries().filter((e) => e.names.includes(name) && (group === undefined || e.group === group || e.group.startsWith(`${group}.`)));
  if (found.length > 0) return found;
  // Unknown to the lab: keep the word as the kind, any group.
  return [{ group: group ?? '*', kind: word, namespaced: true }];
}

/** The kind of a manifest object (apiVersion + kind). Unknown kinds are taken as namespaced, as most are. */
export function kindOfObject(apiVersion: unknown, kind: unknown): KindRef {
  const k = String(kind ?? '');
  const { group } = splitApiVersion(String(apiVersion ?? ''));
  const e = entries().find((x) => x.kind === k && x.group === group);
  return e ? { group: e.group, kind: e.kind, namespaced: e.namespaced } : { group, kind: k, namespaced: true };
}

export const sameKind = (a: KindRef, b: KindRef): boolean => a.kind.toLowerCase() === b.kind.toLowerCase() && (a.group === '*' || b.group === '*' || a.group === b.group);
