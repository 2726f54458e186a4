/**
 * Strategic merge patch: JSON merge patch plus per-field metadata from the Go API types
 * (`patchStrategy` / `patchMergeKey` struct tags) so lists of containers, ports, env… merge by key
 * instead of being replaced. Applying a patch, and building the two- and three-way patches kubectl
 * apply sends. Upstream: apimachinery/pkg/util/strategicpatch/patch.go (mergeMap, mergeSlice,
 * diffMaps, CreateThreeWayMergePatch), apimachinery/pkg/util/mergepatch/errors.go.
 *
 * Supported directives: `$patch: replace|delete|merge` on maps and list elements (`{$patch: replace}`
 * as a list element replaces the list), `$retainKeys`, `$deleteFromPrimitiveList/<field>`,
 * `$setElementOrder/<field>` (applied: listed elements first in the given order, others after in
 * their current order).
 * Simplified: generated patches carry no `$setElementOrder` (new list elements are appended after
 * the existing ones instead of taking the file's order); a field whose type changes between map,
 * list and scalar is replaced rather than refused.
 */
import { err, ok, type Result } from '../../core/result.ts';
import { badPatch, type KubeError } from '../errors.ts';
import { deepClone, deepEqual, isPlainObject } from '../object.ts';

/** Patch metadata of one object type: its fields' strategies. Fields without an entry merge as maps
 * (if maps) and replace as lists. */
export interface PatchSchema {
  readonly fields?: Readonly<Record<string, PatchField>>;
}

export interface PatchField {
  /** `merge` for lists merged by `mergeKey` (lists of maps) or as sets (lists of scalars). */
  readonly strategy?: 'merge' | 'replace';
  readonly mergeKey?: string;
  /** `patchStrategy:"retainKeys"`: a patch to this map (or to each list element) clears keys it omits. */
  readonly retainKeys?: boolean;
  /** The field's own type (for a list: its elements'). */
  readonly schema?: PatchSchema;
}

const PATCH = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ORDER = '$setElementOrder/';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList/';

type Obj = Record<string, unknown>;

class SmpError {
  constructor(readonly message: string) {}
}

/** Go's `%v` of a decoded JSON value (`map[image:nginx name:a]`), as the library's errors print it. */
function goFormat(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goFormat).join(' ')}]`;
  if (isPlainObject(v))
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goFormat(v[k])}`)
      .join(' ')}]`;
  if (v === null || v === undefined) return '<nil>';
  return String(v);
}

const fieldOf = (schema: PatchSchema | undefined, k: string): PatchField | undefined => schema?.fields?.[k];
const isDirectiveKey = (k: string) => k === PATCH || k === RETAIN_KEYS || k.startsWith(SET_ORDER) || k.startsWith(DELETE_PRIMITIVE);

// ---------------------------------------------------------------- applying

/** StrategicMergeMapPatch: applies `patch` to a copy of `original` under `schema`. */
export function applyStrategicMergePatch<T>(original: T, patch: unknown, schema: PatchSchema | undefined): Result<T, KubeError> {
  if (!isPlainObject(patch)) return err(badPatch(`expected a map, but received a ${Array.isArray(patch) ? 'slice' : typeof patch}`));
  try {
    const base = isPlainObject(original) ? deepClone(original) : {};
    return ok(mergeMap(base, patch, schema) as T);
  } catch (e) {
    if (e instanceof SmpError) return err(badPatch(e.message));
    throw e;
  }
}

function mergeMap(original: Obj, patch: Obj, schema: PatchSchema | undefined): Obj {
  const directive = patch[PATCH];
  if (directive !== undefined) {
    if (directive === 'replace') return stripDirectives(withoutKey(patch, PATCH), schema) as Obj;
    if (directive === 'delete') return {};
    if (directive !== 'merge') throw new SmpError(`unknown patch type: ${String(directive)} in map: ${goFormat(patch)}`);
  }
  const retain = patch[RETAIN_KEYS];
  if (retain !== undefined) {
    if (!Array.isArray(retain)) throw new SmpError('invalid patch: $retainKeys must be a list');
    const keep = new Set(retain.map(String));
    for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
  }
  const orders: [string, unknown[]][] = [];
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith(DELETE_PRIMITIVE)) {
      const field = k.slice(DELETE_PRIMITIVE.length);
      const cur = original[field];
      if (Array.isArray(cur) && Array.isArray(v)) {
        const drop = v.map((x) => JSON.stringify(x));
        original[field] = cur.filter((x) => !drop.includes(JSON.stringify(x)));
      }
    } else if (k.startsWith(SET_ORDER) && Array.isArray(v)) {
      orders.push([k.slice(SET_ORDER.length), v]);
    }
  }
  for (const [k, pv] of Object.entries(patch)) {
    if (isDirectiveKey(k) || pv === undefined) continue;
    const f = fieldOf(schema, k);
    if (pv === null) {
      delete original[k];
      continue;
    }
    const ov = original[k];
    if (ov === undefined || ov === null) {
      original[k] = stripDirectives(pv, f?.schema, f);
    } else if (isPlainObject(pv) && isPlainObject(ov)) {
      original[k] = f?.strategy === 'replace' ? stripDirectives(pv, f.schema) : mergeMap(ov, pv, f?.schema);
    } else if (Array.isArray(pv) && Array.isArray(ov)) {
      original[k] = mergeList(ov, pv, f);
    } else {
      original[k] = stripDirectives(pv, f?.schema, f);
    }
  }
  for (const [field, order] of orders) {
    const cur = original[field];
    if (Array.isArray(cur)) original[field] = reorder(cur, order, fieldOf(schema, field)?.mergeKey);
  }
  return original;
}

function withoutKey(o: Obj, key: string): Obj {
  const out = { ...o };
  delete out[key];
  return out;
}

/** A patch value landing where nothing was: merged into emptiness, so directives do not leak. */
function stripDirectives(v: unknown, schema: PatchSchema | undefined, asField?: PatchField): unknown {
  if (isPlainObject(v)) return mergeMap({}, v, schema);
  if (Array.isArray(v)) return asField ? mergeList([], v, asField) : v.map((x) => stripDirectives(x, schema));
  return v;
}

function mergeList(original: unknown[], patch: unknown[], f: PatchField | undefined): unknown[] {
  const isMerge = f?.strategy === 'merge';
  if (!isMerge) return patch.filter((x) => !(isPlainObject(x) && x[PATCH] !== undefined)).map((x) => stripDirectives(x, f?.schema));
  const mergeKey = f.mergeKey;
  const objects = patch.some(isPlainObject) || original.some(isPlainObject);
  if (!objects || mergeKey === undefined) {
    // A set of scalars (e.g. metadata.finalizers): union, keeping the original order.
    const out = [...original];
    for (const x of patch) if (!out.some((y) => deepEqual(x, y))) out.push(deepClone(x));
    return out;
  }
  if (patch.some((x) => isPlainObject(x) && x[PATCH] === 'replace')) {
    return patch.filter((x) => !(isPlainObject(x) && x[PATCH] === 'replace')).map((x) => stripDirectives(x, f.schema));
  }
  const out = original.map((x) => x);
  for (const item of patch) {
    if (!isPlainObject(item)) throw new SmpError(`expected a map, but received a ${typeof item}`);
    const key = item[mergeKey];
    const directive = item[PATCH];
    if (key === undefined) {
      throw new SmpError(`map: ${goFormat(item)} does not contain declared merge key: ${mergeKey}`);
    }
    const idx = out.findIndex((o) => isPlainObject(o) && deepEqual(o[mergeKey], key));
    if (directive === 'delete') {
      for (let i = out.length - 1; i >= 0; i--) {
        const o = out[i];
        if (isPlainObject(o) && deepEqual(o[mergeKey], key)) out.splice(i, 1);
      }
      continue;
    }
    if (directive !== undefined && directive !== 'merge' && directive !== 'replace') throw new SmpError(`unknown patch type: ${String(directive)} in map: ${goFormat(item)}`);
    if (idx >= 0) {
      const cur = out[idx];
      out[idx] = directive === 'replace' ? stripDirectives(withoutKey(item, PATCH), f.schema) : mergeMap(isPlainObject(cur) ? deepClone(cur) : {}, item, f.schema);
    } else {
      out.push(mergeMap({}, item, f.schema));
    }
  }
  return out;
}

function reorder(list: unknown[], order: unknown[], mergeKey: string | undefined): unknown[] {
  const keyOf = (x: unknown): unknown => (mergeKey !== undefined && isPlainObject(x) ? x[mergeKey] : x);
  const wanted = order.map((o) => (mergeKey !== undefined && isPlainObject(o) ? o[mergeKey] : o));
  const first: unknown[] = [];
  for (const w of wanted) for (const x of list) if (deepEqual(keyOf(x), w) && !first.includes(x)) first.push(x);
  return [...first, ...list.filter((x) => !first.includes(x))];
}

// ---------------------------------------------------------------- building patches

interface DiffOptions {
  ignoreDeletions: boolean;
  ignoreChangesAndAdditions: boolean;
}

/** CreateTwoWayMergePatch: the strategic patch turning `original` into `modified`. */
export function createTwoWayMergePatch(original: unknown, modified: unknown, schema: PatchSchema | undefined): Obj {
  return diffMaps(asObj(original), asObj(modified), schema, { ignoreDeletions: false, ignoreChangesAndAdditions: false });
}

/**
 * CreateThreeWayMergePatch (kubectl apply): deletions from `original` (last-applied) vs `modified`
 * (the file); changes and additions from `current` (live) vs `modified`. What only the live object has
 * (set by controllers, defaulting or other writers) is kept.
 */
export function createThreeWayMergePatch(original: unknown, modified: unknown, current: unknown, schema: PatchSchema | undefined): Obj {
  const delta = diffMaps(asObj(current), asObj(modified), schema, { ignoreDeletions: true, ignoreChangesAndAdditions: false });
  const deletions = diffMaps(asObj(original), asObj(modified), schema, { ignoreDeletions: false, ignoreChangesAndAdditions: true });
  return combinePatches(deletions, delta);
}

const asObj = (v: unknown): Obj => (isPlainObject(v) ? v : {});

function diffMaps(original: Obj, modified: Obj, schema: PatchSchema | undefined, opts: DiffOptions): Obj {
  const patch: Obj = {};
  for (const [k, mv] of Object.entries(modified)) {
    if (mv === undefined) continue;
    const ov = original[k];
    const f = fieldOf(schema, k);
    if (ov === undefined) {
      if (!opts.ignoreChangesAndAdditions) patch[k] = deepClone(mv);
      continue;
    }
    if (isPlainObject(ov) && isPlainObject(mv)) {
      if (f?.strategy === 'replace') {
        if (!opts.ignoreChangesAndAdditions && !deepEqual(ov, mv)) patch[k] = deepClone(mv);
        continue;
      }
      const sub = diffMaps(ov, mv, f?.schema, opts);
      if (Object.keys(sub).length > 0) {
        if (f?.retainKeys && !opts.ignoreChangesAndAdditions) sub[RETAIN_KEYS] = Object.keys(mv).sort();
        patch[k] = sub;
      }
      continue;
    }
    if (Array.isArray(ov) && Array.isArray(mv)) {
      diffLists(patch, k, ov, mv, f, opts);
      continue;
    }
    if (!deepEqual(ov, mv) && !opts.ignoreChangesAndAdditions) patch[k] = deepClone(mv);
  }
  if (!opts.ignoreDeletions) for (const k of Object.keys(original)) if (original[k] !== undefined && modified[k] === undefined) patch[k] = null;
  return patch;
}

function diffLists(patch: Obj, k: string, ov: unknown[], mv: unknown[], f: PatchField | undefined, opts: DiffOptions): void {
  if (f?.strategy !== 'merge') {
    if (!opts.ignoreChangesAndAdditions && !deepEqual(ov, mv)) patch[k] = deepClone(mv);
    return;
  }
  const mergeKey = f.mergeKey;
  const objects = mv.some(isPlainObject) || ov.some(isPlainObject);
  if (!objects || mergeKey === undefined) {
    const added = mv.filter((x) => !ov.some((y) => deepEqual(x, y)));
    const removed = ov.filter((x) => !mv.some((y) => deepEqual(x, y)));
    if (added.length > 0 && !opts.ignoreChangesAndAdditions) patch[k] = deepClone(added);
    if (removed.length > 0 && !opts.ignoreDeletions) patch[`${DELETE_PRIMITIVE}${k}`] = deepClone(removed);
    return;
  }
  const out: unknown[] = [];
  const keyOf = (x: unknown) => (isPlainObject(x) ? x[mergeKey] : undefined);
  for (const m of mv) {
    const o = ov.find((x) => keyOf(x) !== undefined && deepEqual(keyOf(x), keyOf(m)));
    if (o === undefined) {
      if (!opts.ignoreChangesAndAdditions) out.push(deepClone(m));
      continue;
    }
    if (!isPlainObject(o) || !isPlainObject(m)) continue;
    const sub = diffMaps(o, m, f.schema, opts);
    if (Object.keys(sub).length > 0) {
      if (f.retainKeys && !opts.ignoreChangesAndAdditions) sub[RETAIN_KEYS] = Object.keys(m).sort();
      out.push({ [mergeKey]: deepClone(m[mergeKey]), ...sub });
    }
  }
  if (!opts.ignoreDeletions) {
    for (const o of ov) {
      const key = keyOf(o);
      if (key !== undefined && !mv.some((m) => deepEqual(keyOf(m), key))) out.push({ [mergeKey]: deepClone(key), [PATCH]: 'delete' });
    }
  }
  if (out.length > 0) patch[k] = out;
}

/** Merges the deletions patch and the changes patch (they touch disjoint fields or list elements). */
function combinePatches(a: Obj, b: Obj): Obj {
  const out: Obj = deepClone(a);
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    if (isPlainObject(cur) && isPlainObject(v)) out[k] = combinePatches(cur, v);
    else if (Array.isArray(cur) && Array.isArray(v)) out[k] = [...cur, ...deepClone(v)];
    else out[k] = deepClone(v);
  }
  return out;
}
