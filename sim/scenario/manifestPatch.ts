/**
 * A scenario's manifest patch (`patches:` under a manifest source or the fix) applied to one object: which
 * objects it targets, and the patched copy. Shared by the engine (which plays it), `fedlab export` and
 * `fedlab analyze` (which read the same manifests statically), so all three see the same objects.
 */
import { ok, simError, type Result, type SimError } from '../core/result.ts';
import { applyJsonPatch } from '../kube/patch/jsonPatch.ts';
import { applyMergePatch } from '../kube/patch/mergePatch.ts';
import { splitFieldPath } from '../kube/yaml.ts';
import type { ManifestPatch } from './format.ts';

type Obj = Record<string, unknown>;

/** Whether `p` targets `obj` (kind case-insensitively, name, and namespace when the patch names one). */
export function patchTargets(obj: Obj, p: ManifestPatch): boolean {
  const meta = (obj.metadata ?? {}) as { name?: string; namespace?: string };
  return String(obj.kind).toLowerCase() === p.kind.toLowerCase() && meta.name === p.name && (p.namespace === undefined || (meta.namespace ?? 'default') === p.namespace);
}

/** The object with `p` applied; a text replacement whose `from` does not occur is an error, never a silent no-op. */
export function applyManifestPatch(obj: Obj, p: ManifestPatch): Result<Obj, SimError> {
  if (p.type === 'text') {
    const path = splitFieldPath(p.field!);
    const copy = JSON.parse(JSON.stringify(obj)) as Obj;
    let parent: Obj = copy;
    for (const seg of path.slice(0, -1)) parent = (parent?.[seg] ?? {}) as Obj;
    const last = path[path.length - 1]!;
    const current = parent?.[last];
    if (typeof current !== 'string') return { ok: false, error: simError('scenario/patch-target', `${p.at}: ${p.field} of ${p.kind} "${p.name}" is not a string`) };
    let value = current;
    for (const r of p.replace ?? []) {
      if (!value.includes(r.from)) return { ok: false, error: simError('scenario/patch-target', `${p.at}: ${JSON.stringify(r.from)} does not occur in ${p.field} of ${p.kind} "${p.name}"`) };
      value = value.split(r.from).join(r.to);
    }
    parent[last] = value;
    return ok(copy);
  }
  const body = JSON.parse(p.patch!) as unknown;
  // Manifests are plain YAML here: strategic and merge patches both merge (lists are replaced).
  return p.type === 'json' ? (applyJsonPatch(obj, body) as Result<Obj, SimError>) : ok(applyMergePatch(obj, body) as Obj);
}
