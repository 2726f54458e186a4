/**
 * JSON Patch (RFC 6902): add, remove, replace, move, copy, test, as the apiserver applies it
 * (apiserver:pkg/endpoints/handlers/patch.go with gopkg.in/evanphx/json-patch.v4). A patch that does
 * not apply is refused whole with 422, which kubectl prints as `The request is invalid: the server
 * rejected our request due to an error in our request`; the library's reason is kept in
 * `detail.cause` (`testing value /spec/replicas failed: test failed`).
 * Simplified: negative array indices (a json-patch.v4 extension) are not supported.
 */
import { err, ok, type Result } from '../../core/result.ts';
import { badRequest, jsonPatchFailed, type KubeError } from '../errors.ts';
import { deepClone, deepEqual, isPlainObject } from '../object.ts';

export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test' | string;
  path: string;
  from?: string;
  value?: unknown;
}

type Container = Record<string, unknown> | unknown[];

function decodePointer(path: string): string[] | undefined {
  if (path === '') return [];
  if (!path.startsWith('/')) return undefined;
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The container holding the last segment, and that segment; undefined when a step is missing. */
function parentOf(doc: unknown, path: string): { con: Container; key: string } | undefined {
  const segs = decodePointer(path);
  if (segs === undefined || segs.length === 0) return undefined;
  let cur: unknown = doc;
  for (const s of segs.slice(0, -1)) {
    if (Array.isArray(cur)) {
      if (!/^\d+$/.test(s)) return undefined;
      cur = cur[Number(s)];
    } else if (isPlainObject(cur)) {
      cur = cur[s];
    } else return undefined;
    if (cur === undefined) return undefined;
  }
  if (!Array.isArray(cur) && !isPlainObject(cur)) return undefined;
  return { con: cur, key: segs[segs.length - 1]! };
}

class PatchError {
  constructor(readonly message: string) {}
}

function getIn(con: Container, key: string): unknown {
  if (Array.isArray(con)) {
    if (!/^\d+$/.test(key)) throw new PatchError(`Unable to access invalid index: ${key}: invalid index referenced`);
    const i = Number(key);
    if (i >= con.length) throw new PatchError(`Unable to access invalid index: ${i}: invalid index referenced`);
    return con[i];
  }
  return Object.prototype.hasOwnProperty.call(con, key) ? con[key] : undefined;
}

function addIn(con: Container, key: string, value: unknown): void {
  if (Array.isArray(con)) {
    const i = key === '-' ? con.length : /^\d+$/.test(key) ? Number(key) : NaN;
    if (!(i >= 0 && i <= con.length)) throw new PatchError(`Unable to access invalid index: ${key}: invalid index referenced`);
    con.splice(i, 0, value);
  } else con[key] = value;
}

function removeIn(con: Container, key: string, path: string): unknown {
  if (Array.isArray(con)) {
    const i = /^\d+$/.test(key) ? Number(key) : NaN;
    if (!(i >= 0 && i < con.length)) throw new PatchError(`Unable to access invalid index: ${key}: invalid index referenced`);
    return con.splice(i, 1)[0];
  }
  if (!Object.prototype.hasOwnProperty.call(con, key)) throw new PatchError(`remove operation does not apply: doc is missing path: "${path}": missing value`);
  const v = con[key];
  delete con[key];
  return v;
}

function applyOne(doc: unknown, op: JsonPatchOperation): unknown {
  const path = op.path;
  switch (op.op) {
    case 'add': {
      if (path === '') return deepClone(op.value);
      const p = parentOf(doc, path);
      if (!p) throw new PatchError(`add operation does not apply: doc is missing path: "${path}": missing value`);
      addIn(p.con, p.key, deepClone(op.value));
      return doc;
    }
    case 'remove': {
      const p = parentOf(doc, path);
      if (!p) throw new PatchError(`remove operation does not apply: doc is missing path: "${path}": missing value`);
      removeIn(p.con, p.key, path);
      return doc;
    }
    case 'replace': {
      if (path === '') return deepClone(op.value);
      const p = parentOf(doc, path);
      if (!p) throw new PatchError(`replace operation does not apply: doc is missing path: ${path}: missing value`);
      if (getIn(p.con, p.key) === undefined) throw new PatchError(`replace operation does not apply: doc is missing key: ${path}: missing value`);
      if (Array.isArray(p.con)) p.con[Number(p.key)] = deepClone(op.value);
      else p.con[p.key] = deepClone(op.value);
      return doc;
    }
    case 'move':
    case 'copy': {
      const from = op.from ?? '';
      const f = parentOf(doc, from);
      if (!f) throw new PatchError(`${op.op} operation does not apply: doc is missing from path: ${from}: missing value`);
      let v: unknown;
      if (op.op === 'move') v = removeIn(f.con, f.key, from);
      else {
        v = getIn(f.con, f.key);
        if (v === undefined) throw new PatchError(`copy operation does not apply: doc is missing from key: ${from}: missing value`);
        v = deepClone(v);
      }
      const t = parentOf(doc, path);
      if (!t) throw new PatchError(`${op.op} operation does not apply: doc is missing destination path: ${path}: missing value`);
      addIn(t.con, t.key, v);
      return doc;
    }
    case 'test': {
      let actual: unknown;
      if (path === '') actual = doc;
      else {
        const p = parentOf(doc, path);
        if (!p) throw new PatchError(`test operation does not apply: is missing path: ${path}: missing value`);
        actual = getIn(p.con, p.key);
      }
      const want = op.value === undefined ? null : op.value;
      if (actual === undefined || actual === null) {
        if (want === null) return doc;
        throw new PatchError(`testing value ${path} failed: test failed`);
      }
      if (!deepEqual(actual, want)) throw new PatchError(`testing value ${path} failed: test failed`);
      return doc;
    }
    default:
      throw new PatchError(`Unexpected kind: ${op.op}: unknown object type`);
  }
}

/** Checks a decoded patch's shape (the apiserver's DecodePatch answers 400 BadRequest). */
export function decodeJsonPatch(patch: unknown): Result<JsonPatchOperation[], KubeError> {
  if (!Array.isArray(patch)) {
    const t = isPlainObject(patch) ? 'object' : typeof patch;
    return err(badRequest(`json: cannot unmarshal ${t} into Go value of type jsonpatch.Patch`));
  }
  for (const op of patch) if (!isPlainObject(op)) return err(badRequest(`json: cannot unmarshal ${typeof op} into Go value of type jsonpatch.Operation`));
  return ok(patch as JsonPatchOperation[]);
}

/** Applies every operation in order to a copy of `doc`; all or nothing. */
export function applyJsonPatch<T>(doc: T, patch: unknown): Result<T, KubeError> {
  const ops = decodeJsonPatch(patch);
  if (!ops.ok) return ops;
  let cur: unknown = deepClone(doc);
  try {
    for (const op of ops.value) cur = applyOne(cur, op);
  } catch (e) {
    if (e instanceof PatchError) return err(jsonPatchFailed(e.message));
    throw e;
  }
  return ok(cur as T);
}
