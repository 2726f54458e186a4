/**
 * JSON Merge Patch (RFC 7386): objects merge recursively, `null` deletes, everything else (lists
 * included) replaces. This is `kubectl patch --type merge` and what kubectl apply sends for custom
 * resources. Also the two- and three-way patch builders kubectl uses for them
 * (apimachinery/pkg/util/jsonmergepatch/patch.go CreateThreeWayJSONMergePatch).
 */
import { deepClone, deepEqual, isPlainObject } from '../object.ts';

/** RFC 7386 MergePatch(target, patch); `target` is not modified. */
export function applyMergePatch<T>(target: T, patch: unknown): T {
  return merge(deepClone(target), patch) as T;
}

function merge(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return deepClone(patch);
  const out: Record<string, unknown> = isPlainObject(target) ? target : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = merge(out[k], v);
  }
  return out;
}

/** The merge patch that turns `original` into `modified` (lists compared whole). */
export function createMergePatch(original: unknown, modified: unknown): Record<string, unknown> {
  return diff(original, modified, { additions: true, deletions: true });
}

/**
 * kubectl apply's patch for resources without strategic-merge metadata: deletions come from
 * last-applied (`original`) vs the file (`modified`), changes and additions from the live object
 * (`current`) vs the file. Fields only the live object has are left alone.
 */
export function createThreeWayMergePatch(original: unknown, modified: unknown, current: unknown): Record<string, unknown> {
  const changes = diff(current, modified, { additions: true, deletions: false });
  const deletions = diff(original, modified, { additions: false, deletions: true });
  return combine(deletions, changes);
}

function diff(a: unknown, b: unknown, opts: { additions: boolean; deletions: boolean }): Record<string, unknown> {
  const from = isPlainObject(a) ? a : {};
  const to = isPlainObject(b) ? b : {};
  const out: Record<string, unknown> = {};
  for (const [k, bv] of Object.entries(to)) {
    if (bv === undefined) continue;
    const av = from[k];
    if (av === undefined) {
      if (opts.additions) out[k] = deepClone(bv);
    } else if (isPlainObject(av) && isPlainObject(bv)) {
      const sub = diff(av, bv, opts);
      if (Object.keys(sub).length > 0) out[k] = sub;
    } else if (!deepEqual(av, bv) && opts.additions) {
      out[k] = deepClone(bv);
    }
  }
  if (opts.deletions) for (const k of Object.keys(from)) if (from[k] !== undefined && to[k] === undefined) out[k] = null;
  return out;
}

function combine(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = deepClone(a);
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] = isPlainObject(cur) && isPlainObject(v) ? combine(cur, v) : deepClone(v);
  }
  return out;
}
