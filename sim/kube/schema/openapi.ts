/**
 * Structural-schema handling of a custom resource, in the order the API server applies it on create/update:
 * 1. `findUnknownFields` — what strict server-side field validation rejects (`kubectl apply` default,
 *    `--validate=strict`; the pruning walk of apiextensions-apiserver `pkg/apiserver/schema/pruning/algorithm.go`
 *    reports the pruned paths as `unknown field "…"`).
 * 2. `applyDefaults` — non-nullable `null`s are dropped (or defaulted) and `default`s are filled in where the
 *    parent exists (apiextensions-apiserver `pkg/apiserver/schema/defaulting/algorithm.go`, `prunenulls.go`).
 * 3. `validateSchema` — OpenAPI value validation with go-openapi's messages (kube-openapi
 *    `pkg/validation/errors/schema.go`, `validate/*_validator.go`) turned into field errors the way
 *    apiextensions-apiserver `pkg/apiserver/validation/validation.go` `kubeOpenAPIResultToFieldErrors` does.
 *
 * Simplified: errors come out in schema/document order (kube's order follows Go map iteration and is not
 * stable); `allOf`/`anyOf`/`oneOf`/`not` report only the combinator's own message, not the nested errors;
 * only the formats the lab's CRDs use are checked (date-time, duration, ipv4, ipv6, int32/int64 on strings…).
 */
import type { SchemaNode } from '../crds/compact.ts';
import { fieldErrors, type FieldError } from './fieldError.ts';
import { parseDuration } from '../../core/duration.ts';

type Json = unknown;
type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function child(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function index(path: string, i: number): string {
  return `${path}[${i}]`;
}

/** ObjectMeta's JSON fields (apimachinery `pkg/apis/meta/v1/types.go`). */
export const OBJECT_META_FIELDS: ReadonlySet<string> = new Set([
  'name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp',
  'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields',
]);

function unknownMetadata(meta: unknown, path: string, out: string[]): void {
  if (!isObj(meta)) return;
  for (const k of Object.keys(meta)) if (!OBJECT_META_FIELDS.has(k)) out.push(child(path, k));
}

/**
 * Paths of fields the schema does not know (sorted, as the apiserver reports them).
 * `root` marks the top of a resource (apiVersion/kind/metadata are implicit).
 */
export function findUnknownFields(value: Json, schema: SchemaNode, path = '', root = true): string[] {
  const out: string[] = [];
  walkUnknown(value, schema, path, root, out);
  return out.sort();
}

function walkUnknown(value: Json, schema: SchemaNode, path: string, root: boolean, out: string[]): void {
  if (Array.isArray(value)) {
    if (schema.items) value.forEach((v, i) => walkUnknown(v, schema.items as SchemaNode, index(path, i), false, out));
    return;
  }
  if (!isObj(value)) return;
  const embedded = root || schema['x-kubernetes-embedded-resource'] === true;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const props = schema.properties;
  const addl = schema.additionalProperties;
  for (const [k, v] of Object.entries(value)) {
    const p = child(path, k);
    if (embedded && (k === 'apiVersion' || k === 'kind')) continue;
    if (embedded && k === 'metadata') {
      unknownMetadata(v, p, out);
      continue;
    }
    const sub = props?.[k];
    if (sub) walkUnknown(v, sub, p, false, out);
    else if (isObj(addl)) walkUnknown(v, addl, p, false, out);
    else if (addl === true || preserve) continue;
    else if (props !== undefined || addl === false || schema.type === 'object') out.push(p);
  }
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** Drops non-nullable nulls (defaulting them when a default exists) and fills in defaults; mutates `value`. */
export function applyDefaults(value: Json, schema: SchemaNode): Json {
  if (Array.isArray(value)) {
    if (schema.items) for (let i = 0; i < value.length; i++) value[i] = applyDefaults(value[i], schema.items);
    return value;
  }
  if (!isObj(value)) return value;
  if (schema.properties) {
    for (const [k, sub] of Object.entries(schema.properties)) {
      if (value[k] === null && sub.nullable !== true) {
        if (sub.default !== undefined) value[k] = clone(sub.default);
        else delete value[k];
      } else if (value[k] === undefined && sub.default !== undefined) value[k] = clone(sub.default);
      if (value[k] !== undefined) value[k] = applyDefaults(value[k], sub);
    }
  }
  if (isObj(schema.additionalProperties)) {
    const sub = schema.additionalProperties;
    for (const k of Object.keys(value)) {
      if (value[k] === null && sub.nullable !== true) {
        if (sub.default !== undefined) value[k] = clone(sub.default);
        else delete value[k];
      }
      if (value[k] !== undefined) value[k] = applyDefaults(value[k], sub);
    }
  }
  return value;
}

/** go-openapi's name for a value's type. */
export function jsonTypeOf(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string') return 'string';
  return 'object';
}

/** Schema type as CEL/kube name it for error values (`Invalid value: "object"`). */
export function schemaTypeName(schema: SchemaNode): string {
  if (schema.type) return schema.type;
  if (schema['x-kubernetes-int-or-string']) return 'string';
  return 'object';
}

const regexCache = new Map<string, RegExp | null>();

/** Go RE2 → JS RegExp (leading `(?i)`/`(?s)` flags, `(?P<n>`); null when JS cannot compile it. */
export function goRegExp(pattern: string): RegExp | null {
  const cached = regexCache.get(pattern);
  if (cached !== undefined) return cached;
  let src = pattern;
  let flags = '';
  // RE2 lets flags open the pattern, also right after `^` (ZTWIM's jwtIssuer: `^(?i)https?://…`).
  const m = /^(\^?)\(\?([imsU]+)\)/.exec(src);
  if (m) {
    src = (m[1] ?? '') + src.slice(m[0].length);
    if (m[2]?.includes('i')) flags += 'i';
    if (m[2]?.includes('s')) flags += 's';
    if (m[2]?.includes('m')) flags += 'm';
  }
  src = src.replace(/\(\?P</g, '(?<').replace(/\\z/g, '$').replace(/\\A/g, '^');
  let re: RegExp | null = null;
  for (const f of [flags + 'u', flags]) {
    try {
      re = new RegExp(src, f);
      break;
    } catch {
      re = null;
    }
  }
  regexCache.set(pattern, re);
  return re;
}

const DURATION_UNIT = /^(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s|m|h|d|w)$/;

/** kube-openapi strfmt `IsDuration`: Go durations, plus `N unit` forms with d/w. */
function isDuration(s: string): boolean {
  if (parseDuration(s).ok) return true;
  return s.split(/(?<=[a-zµ])\s*(?=\d)/).every((part) => DURATION_UNIT.test(part.trim()));
}

const FORMAT_CHECKS: Record<string, (s: string) => boolean> = {
  'date-time': (s) => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(s),
  date: (s) => /^\d{4}-\d{2}-\d{2}$/.test(s),
  duration: isDuration,
  ipv4: (s) => /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(s),
  ipv6: (s) => s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s) && (s.match(/::/g) ?? []).length <= 1,
  int32: (s) => /^[-+]?\d+$/.test(s) && Math.abs(Number(s)) <= 2 ** 31,
  int64: (s) => /^[-+]?\d+$/.test(s),
  uuid: (s) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s),
  byte: (s) => /^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0,
};

function fmtNumber(n: number): string {
  return String(n);
}

export interface SchemaValidationOptions {
  /** Called once per pattern JS cannot compile (the check is skipped, not passed silently). */
  onUncheckedPattern?: (path: string, pattern: string) => void;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Validates `value` (already defaulted) against `schema`; paths are kube field paths. */
export function validateSchema(value: Json, schema: SchemaNode, path = '', opts: SchemaValidationOptions = {}): FieldError[] {
  const errs: FieldError[] = [];
  validateNode(value, schema, path, errs, opts, true);
  return errs;
}

function typeMatches(value: unknown, schema: SchemaNode): boolean {
  const actual = jsonTypeOf(value);
  if (schema['x-kubernetes-int-or-string']) return actual === 'integer' || actual === 'string';
  if (!schema.type) return true;
  if (actual === 'null') return schema.nullable === true;
  if (schema.type === 'number') return actual === 'number' || actual === 'integer';
  return schema.type === actual;
}

function validateNode(value: unknown, schema: SchemaNode, path: string, errs: FieldError[], opts: SchemaValidationOptions, root = false): void {
  const name = path === '' ? '.' : path;
  if (value === null && schema.nullable === true) return;
  if (!typeMatches(value, schema)) {
    const expected = schema['x-kubernetes-int-or-string'] ? 'integer,string' : (schema.type ?? 'object');
    const actual = jsonTypeOf(value);
    errs.push(fieldErrors.typeInvalid(path || '<nil>', actual, `${name} in body must be of type ${expected}: ${JSON.stringify(actual)}`));
    return;
  }

  combinators(value, schema, path, errs, opts);

  if (schema.enum && !schema.enum.some((e) => deepEqual(e, value))) {
    errs.push(fieldErrors.notSupported(path, value, schema.enum));
  }

  if (typeof value === 'string') {
    const len = [...value].length;
    if (schema.maxLength !== undefined && len > schema.maxLength) errs.push(fieldErrors.tooLong(path, schema.maxLength));
    if (schema.minLength !== undefined && len < schema.minLength) {
      errs.push(fieldErrors.invalid(path, value, `${name} in body should be at least ${schema.minLength} chars long`));
    }
    if (schema.pattern !== undefined) {
      const re = goRegExp(schema.pattern);
      if (re === null) opts.onUncheckedPattern?.(path, schema.pattern);
      else if (!re.test(value)) errs.push(fieldErrors.invalid(path, value, `${name} in body should match '${schema.pattern}'`));
    }
    if (schema.format !== undefined) {
      const check = FORMAT_CHECKS[schema.format];
      if (check && !check(value)) {
        errs.push(fieldErrors.typeInvalid(path, value, `${name} in body must be of type ${schema.format}: ${JSON.stringify(value)}`));
      }
    }
  }

  if (typeof value === 'number') {
    if (schema.maximum !== undefined) {
      const bad = schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum;
      if (bad) errs.push(fieldErrors.invalid(path, value, `${name} in body should be less than ${schema.exclusiveMaximum ? '' : 'or equal to '}${fmtNumber(schema.maximum)}`));
    }
    if (schema.minimum !== undefined) {
      const bad = schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum;
      if (bad) errs.push(fieldErrors.invalid(path, value, `${name} in body should be greater than ${schema.exclusiveMinimum ? '' : 'or equal to '}${fmtNumber(schema.minimum)}`));
    }
    if (schema.multipleOf !== undefined && schema.multipleOf > 0 && !Number.isInteger(value / schema.multipleOf)) {
      errs.push(fieldErrors.invalid(path, value, `${name} in body should be a multiple of ${fmtNumber(schema.multipleOf)}`));
    }
  }

  if (Array.isArray(value)) {
    if (schema.items) value.forEach((v, i) => validateNode(v, schema.items as SchemaNode, index(path, i), errs, opts));
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      errs.push(fieldErrors.invalid(path, value.length, `${name} in body should have at least ${schema.minItems} items`));
    }
    if (schema.maxItems !== undefined && value.length > schema.maxItems) errs.push(fieldErrors.tooMany(path, value.length, schema.maxItems));
    if (schema.uniqueItems && value.some((v, i) => value.findIndex((w) => deepEqual(v, w)) !== i)) {
      errs.push(fieldErrors.invalid(path, '', `${name} in body shouldn't contain duplicates`));
    }
    listType(value, schema, path, errs);
  }

  if (isObj(value)) {
    const isRootResource = root || schema['x-kubernetes-embedded-resource'] === true;
    for (const req of schema.required ?? []) {
      if (value[req] === undefined) errs.push(fieldErrors.required(child(path, req)));
    }
    const keys = Object.keys(value);
    if (schema.maxProperties !== undefined && keys.length > schema.maxProperties) errs.push(fieldErrors.tooMany(path, keys.length, schema.maxProperties));
    if (schema.minProperties !== undefined && keys.length < schema.minProperties) {
      errs.push(fieldErrors.invalid(path, keys.length, `${name} in body should have at least ${schema.minProperties} properties`));
    }
    for (const [k, v] of Object.entries(value)) {
      if (isRootResource && (k === 'apiVersion' || k === 'kind' || k === 'metadata') && !schema.properties?.[k]?.properties) continue;
      const sub = schema.properties?.[k] ?? (isObj(schema.additionalProperties) ? schema.additionalProperties : undefined);
      if (sub) validateNode(v, sub, child(path, k), errs, opts);
    }
  }
}

/** `x-kubernetes-list-type: set|map` uniqueness (apiextensions-apiserver `schema/listtype/validation.go`). */
function listType(value: unknown[], schema: SchemaNode, path: string, errs: FieldError[]): void {
  const lt = schema['x-kubernetes-list-type'];
  if (lt === 'set') {
    value.forEach((v, i) => {
      if (value.findIndex((w) => deepEqual(v, w)) !== i) errs.push(fieldErrors.duplicate(index(path, i), v));
    });
  } else if (lt === 'map') {
    const keys = schema['x-kubernetes-list-map-keys'] ?? [];
    const seen: Obj[] = [];
    value.forEach((v, i) => {
      if (!isObj(v)) return;
      const key: Obj = {};
      for (const k of keys) if (v[k] !== undefined) key[k] = v[k];
      if (seen.some((s) => deepEqual(s, key))) errs.push(fieldErrors.duplicate(index(path, i), key));
      else seen.push(key);
    });
  }
}

function passes(value: unknown, schema: SchemaNode, path: string, opts: SchemaValidationOptions): boolean {
  const errs: FieldError[] = [];
  validateNode(value, schema, path, errs, opts);
  return errs.length === 0;
}

/** allOf/anyOf/oneOf/not: value-validation combinators (kube-openapi `validate/schema_props.go`). */
function combinators(value: unknown, schema: SchemaNode, path: string, errs: FieldError[], opts: SchemaValidationOptions): void {
  const name = path === '' ? '.' : path;
  if (schema.allOf) for (const s of schema.allOf) validateNode(value, { ...s, type: s.type }, path, errs, opts);
  if (schema.anyOf && !schema.anyOf.some((s) => passes(value, s, path, opts))) {
    errs.push(fieldErrors.invalid('<nil>', '', `${JSON.stringify(name)} must validate at least one schema (anyOf)`));
  }
  if (schema.oneOf) {
    const n = schema.oneOf.filter((s) => passes(value, s, path, opts)).length;
    if (n !== 1) {
      const found = n === 0 ? 'Found none valid' : `Found ${n} valid alternatives`;
      errs.push(fieldErrors.invalid('<nil>', '', `${JSON.stringify(name)} must validate one and only one schema (oneOf). ${found}`));
    }
  }
  if (schema.not && passes(value, schema.not, path, opts)) {
    errs.push(fieldErrors.invalid('<nil>', '', `${JSON.stringify(name)} must not validate the schema (not)`));
  }
}
