/**
 * Kubernetes objects in wire shape (apiVersion, kind, metadata, spec, status, …), and the small
 * helpers every part of sim/kube shares: group/version/kind from apiVersion, object references,
 * deep clone and equality over JSON data, and canonical field paths (`spec.containers[0].image`,
 * the form apimachinery's `field.Path.String()` prints).
 * Upstream: apimachinery/pkg/apis/meta/v1/types.go, apimachinery/pkg/util/validation/field/path.go.
 */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  generateName?: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  generation: number;
  creationTimestamp: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  deletionTimestamp?: string;
  [key: string]: unknown;
}

/** A stored object: metadata complete (uid, resourceVersion, generation, creationTimestamp). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: unknown;
  status?: unknown;
  data?: unknown;
  [key: string]: unknown;
}

/** What a user writes (a manifest): metadata is partial, the server fills the rest. */
export interface KubeManifest {
  apiVersion: string;
  kind: string;
  metadata?: Partial<ObjectMeta>;
  [key: string]: unknown;
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** A pointer at one object (what kubectl's `TYPE/NAME` and an ObjectReference carry). */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
}

/** `apps/v1` → { group: 'apps', version: 'v1' }; `v1` → core group ''. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

export function formatApiVersion(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

export function gvkOf(obj: { apiVersion: string; kind: string }): GroupVersionKind {
  return { ...parseApiVersion(obj.apiVersion), kind: obj.kind };
}

export function refOf(obj: KubeObject): ObjectRef {
  const r: ObjectRef = { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, uid: obj.metadata.uid };
  if (obj.metadata.namespace !== undefined) r.namespace = obj.metadata.namespace;
  return r;
}

/** The ownerReference a controller puts on what it creates (controller: true, blockOwnerDeletion: true). */
export function controllerRef(owner: KubeObject): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true };
}

/** The controlling owner (ownerReferences[].controller == true), as apimachinery's GetControllerOf. */
export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep copy of JSON-shaped data (objects, arrays, primitives). */
export function deepClone<T>(v: T): T {
  // The store clones on every read and write: plain loops, no entry pairs or closures per member.
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = deepClone(v[i]);
    return out as T;
  }
  const src = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(src)) {
    const x = src[k];
    if (x !== undefined) out[k] = deepClone(x);
  }
  return out as T;
}

/** Structural equality of JSON-shaped data; key order does not matter, `undefined` members are absent. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    if (ka.length !== kb.length) return false;
    for (const k of ka) if (!deepEqual(a[k], b[k])) return false;
    return true;
  }
  return false;
}

/** JSON with object keys sorted, as Go's encoding/json writes maps (used for hashes and last-applied). */
export function canonicalJson(v: unknown): string {
  // Controllers hash their pod templates on every pass: plain loops, no closures or arrays per member.
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) out += (i > 0 ? ',' : '') + canonicalJson(v[i] === undefined ? null : v[i]);
    return `${out}]`;
  }
  if (isPlainObject(v)) {
    const keys = Object.keys(v).sort();
    let out = '{';
    let first = true;
    for (const k of keys) {
      if (v[k] === undefined) continue;
      out += `${first ? '' : ','}${JSON.stringify(k)}:${canonicalJson(v[k])}`;
      first = false;
    }
    return `${out}}`;
  }
  return JSON.stringify(v ?? null);
}

export type PathSegment = string | number;

/** `['spec','containers',0,'image']` → `spec.containers[0].image` (field.Path.String()). Map keys that
 * are not identifiers print as `[key]`, e.g. `metadata.labels[app.kubernetes.io/name]`. */
export function formatFieldPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${s}]`;
  }
  return out;
}

/** Parses `spec.containers[0].image` (and `metadata.labels[app.kubernetes.io/name]`) into segments. */
export function parseFieldPath(path: string): PathSegment[] {
  const out: PathSegment[] = [];
  const re = /([^.[\]]+)|\[([^\]]*)\]/g;
  for (let m = re.exec(path); m !== null; m = re.exec(path)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(/^\d+$/.test(m[2]) ? Number(m[2]) : m[2]);
  }
  return out;
}

/** Reads a value at a path (segments or the string form); undefined when any step is missing. */
export function getPath(obj: unknown, path: readonly PathSegment[] | string): unknown {
  const segs = typeof path === 'string' ? parseFieldPath(path) : path;
  let cur: unknown = obj;
  for (const s of segs) {
    if (typeof s === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[s];
    } else {
      if (!isPlainObject(cur)) return undefined;
      cur = cur[s];
    }
  }
  return cur;
}

/** The RFC 3339 timestamp (whole seconds, UTC) metav1.Time serialises to. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';
