/**
 * The API server's admission-time checks for an object, as one hook the object store calls on create and
 * update: `(obj, oldObj | undefined, op) => Result<object, SimError>`.
 *
 * Order (apiserver create/update handlers → apiextensions-apiserver `customResourceStrategy`):
 * 1. kind lookup — unknown apiVersion/kind → `kube/no-kind-match` (kubectl's REST-mapping error);
 * 2. decode — strict server-side field validation: unknown fields → `kube/strict-decoding` (HTTP 400
 *    BadRequest); non-string labels/annotations are decode errors too;
 * 3. defaulting (non-nullable nulls dropped, `default`s filled in); cluster-scoped objects lose
 *    `metadata.namespace` (apiserver `rest/create.go` `BeforeCreate`);
 * 4. validation — ObjectMeta, OpenAPI schema, then CEL `x-kubernetes-validations` → `kube/invalid` (HTTP 422).
 *    On update, schema errors on values that did not change are dropped (CRD validation ratcheting, beta and
 *    on by default since Kubernetes 1.30) and transition rules (`oldSelf`) run against the old object.
 *
 * Built-in kinds have no schema in the lab: only steps 1, 2 (metadata) and ObjectMeta are checked.
 * CEL rules the lab cannot evaluate are reported once per rule through `onWarning` and never pass silently.
 */
import { ok, err, simError, type Result, type SimError } from '../../core/result.ts';
import type { CelRule, SchemaNode } from '../crds/compact.ts';
import { createCrdRegistry, splitApiVersion, type CrdRegistry } from '../crds/registry.ts';
import { classifyKind, type ClassifyOptions, type KindInfo } from '../crds/classifyKind.ts';
import { applyDefaults, findUnknownFields, schemaTypeName, validateSchema, OBJECT_META_FIELDS } from './openapi.ts';
import { evaluateMessage, evaluateRule, isTransitionRule } from './cel.ts';
import { validateObjectMeta } from './objectMeta.ts';
import {
  fieldErrors,
  formatFieldError,
  invalidMessage,
  noKindMatchMessage,
  strictDecodingMessage,
  type FieldError,
  type Verb,
} from './fieldError.ts';

/** A Kubernetes object in wire shape, as the store keeps it. */
export interface PlainObject {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown>;
  [key: string]: unknown;
}

export type ValidationOp = 'create' | 'update';

/** Where the object came from, for kubectl-shaped messages (`error when creating "f.yaml"`). */
export interface ValidationContext {
  readonly source?: string;
  readonly verb?: Verb;
}

export type ValidationWarningCode = 'kube/cel-unevaluated' | 'kube/pattern-unchecked' | 'kube/kind-not-modelled';

export interface ValidationWarning {
  readonly code: ValidationWarningCode;
  readonly message: string;
  readonly kind: string;
  readonly field?: string;
  readonly rule?: string;
}

export type ValidationErrorCode = 'kube/no-kind-match' | 'kube/strict-decoding' | 'kube/invalid' | 'kube/missing-kind';

/** The store's injected hook; generic so a store's own object type flows through unchanged. */
export type ValidationHook = <T extends PlainObject>(
  obj: T,
  oldObj: T | undefined,
  op: ValidationOp,
  ctx?: ValidationContext,
) => Result<T, SimError<ValidationErrorCode>>;

export interface ValidatorOptions extends ClassifyOptions {
  /** Installed CRDs (default: `createCrdRegistry()`: OpenShift + ZTWIM 1.0 + OSSM 3.2 + Istio 1.27 + Gateway API). */
  readonly registry?: CrdRegistry;
  /** Receives each warning once (per rule text / pattern / kind). */
  readonly onWarning?: (w: ValidationWarning) => void;
}

/** Everything a validation found (the hook turns it into a Result). */
export interface ValidationReport {
  readonly info: KindInfo;
  /** The defaulted object (undefined when decoding failed). */
  readonly object?: PlainObject;
  readonly unknownFields: readonly string[];
  readonly decodeErrors: readonly string[];
  readonly errors: readonly FieldError[];
  readonly warnings: readonly ValidationWarning[];
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function goTypeOf(v: unknown): string {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'number';
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return 'object';
}

/** Labels/annotations must decode into map[string]string (`json: cannot unmarshal …`). */
function metadataDecodeErrors(meta: unknown): string[] {
  const out: string[] = [];
  if (!isObj(meta)) return out;
  for (const field of ['labels', 'annotations'] as const) {
    const m = meta[field];
    if (m === undefined || m === null) continue;
    if (!isObj(m)) {
      out.push(`json: cannot unmarshal ${goTypeOf(m)} into Go struct field ObjectMeta.metadata.${field} of type map[string]string`);
      continue;
    }
    for (const v of Object.values(m)) {
      if (typeof v !== 'string' && v !== null) {
        out.push(`json: cannot unmarshal ${goTypeOf(v)} into Go struct field ObjectMeta.metadata.${field} of type string`);
        break;
      }
    }
  }
  return out;
}

/** JSON.parse(JSON.stringify(v)) without the text in between (it was a tenth of a scenario's setup):
 * the same result for JSON-shaped data — undefined/functions dropped from objects and null in arrays,
 * non-finite numbers null; anything with toJSON takes the JSON round trip itself. */
function clone<T>(v: T): T {
  return jsonClone(v) as T;
}

function jsonClone(v: unknown): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return JSON.parse(JSON.stringify(v)) as unknown; // throws, as the round trip did
  if (typeof v !== 'object') return undefined;
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return JSON.parse(JSON.stringify(v)) as unknown;
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) {
      const x = jsonClone(v[i]);
      out[i] = x === undefined ? null : x;
    }
    return out;
  }
  const src = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(src)) {
    const x = jsonClone(src[k]);
    if (x === undefined) continue;
    if (k === '__proto__') Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
    else out[k] = x;
  }
  return out;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Value at a kube field path (`spec.a[0].b`), or undefined. */
function valueAt(root: unknown, path: string): unknown {
  if (path === '' || path === '<nil>') return root;
  let cur: unknown = root;
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) cur = Array.isArray(cur) ? cur[Number(m[2])] : undefined;
    else cur = isObj(cur) ? cur[m[1] as string] : undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** JSONPath `fieldPath` of a rule (`.spec.foo`, `.a['b.c']`) appended to a kube path. */
function appendFieldPath(base: string, fieldPath: string | undefined): string {
  if (!fieldPath) return base;
  let p = base === '<nil>' ? '' : base;
  for (const m of fieldPath.matchAll(/\.([A-Za-z0-9_$-]+)|\['([^']*)'\]|\[(\d+)\]/g)) {
    if (m[1] !== undefined) p = p === '' ? m[1] : `${p}.${m[1]}`;
    else if (m[2] !== undefined) p = `${p}[${m[2]}]`;
    else p = `${p}[${m[3]}]`;
  }
  return p === '' ? '<nil>' : p;
}

interface CelContext {
  readonly op: ValidationOp;
  readonly kind: string;
  readonly errors: FieldError[];
  readonly warn: (w: ValidationWarning) => void;
}

function ruleText(rule: CelRule): string {
  return rule.rule.trim();
}

/** Runs the rules of one schema node, then recurses (apiextensions-apiserver `schema/cel/validation.go`). */
function runCel(self: unknown, old: unknown, hasOld: boolean, schema: SchemaNode, path: string, ctx: CelContext): void {
  if (self === undefined) return;
  const rules = schema['x-kubernetes-validations'];
  if (rules) {
    for (const rule of rules) {
      const transition = isTransitionRule(rule.rule);
      if (transition && !hasOld && !rule.optionalOldSelf) continue;
      const env = { self, oldSelf: hasOld ? old : null };
      const out = evaluateRule(rule.rule, env);
      const field = appendFieldPath(path === '' ? '<nil>' : path, rule.fieldPath);
      if (out.kind === 'pass') continue;
      if (out.kind === 'unsupported') {
        ctx.warn({
          code: 'kube/cel-unevaluated',
          kind: ctx.kind,
          field,
          rule: rule.rule,
          message: `${ctx.kind}: ${field}: the lab cannot evaluate the CEL rule ${JSON.stringify(ruleText(rule))} (${out.reason}); not checked`,
        });
        continue;
      }
      const type = schemaTypeName(schema);
      if (out.kind === 'error') {
        ctx.errors.push(fieldErrors.invalid(field, type, `${out.message} evaluating rule: ${ruleText(rule)}`));
        continue;
      }
      const msg = (rule.messageExpression ? evaluateMessage(rule.messageExpression, env) : undefined) ?? rule.message ?? `failed rule: ${ruleText(rule)}`;
      switch (rule.reason) {
        case 'FieldValueForbidden':
          ctx.errors.push(fieldErrors.forbidden(field, msg));
          break;
        case 'FieldValueRequired':
          ctx.errors.push(fieldErrors.required(field, msg));
          break;
        case 'FieldValueDuplicate':
          ctx.errors.push(fieldErrors.duplicate(field, type));
          break;
        default:
          ctx.errors.push(fieldErrors.invalid(field, type, msg));
      }
    }
  }
  const child = (k: string): string => (path === '' ? k : `${path}.${k}`);
  if (isObj(self)) {
    if (schema.properties) {
      for (const [k, sub] of Object.entries(schema.properties)) {
        if (self[k] === undefined) continue;
        const o = isObj(old) ? old[k] : undefined;
        runCel(self[k], o, hasOld && o !== undefined, sub, child(k), ctx);
      }
    } else if (isObj(schema.additionalProperties)) {
      for (const [k, v] of Object.entries(self)) {
        const o = isObj(old) ? old[k] : undefined;
        runCel(v, o, hasOld && o !== undefined, schema.additionalProperties, child(k), ctx);
      }
    }
  } else if (Array.isArray(self) && schema.items) {
    const keys = schema['x-kubernetes-list-type'] === 'map' ? (schema['x-kubernetes-list-map-keys'] ?? []) : undefined;
    self.forEach((item, i) => {
      // Only list-type=map items correlate with an old item (by their keys); others have no oldSelf.
      let o: unknown;
      if (keys && Array.isArray(old) && isObj(item)) {
        o = old.find((x) => isObj(x) && keys.every((k) => deepEqual(x[k], item[k])));
      }
      runCel(item, o, hasOld && o !== undefined, schema.items as SchemaNode, `${path}[${i}]`, ctx);
    });
  }
}

/** Creates a validator bound to a cluster's CRDs; `validate` gives the full report, `hook` the store's Result. */
export function createValidator(opts: ValidatorOptions = {}): { validate: (obj: PlainObject, oldObj: PlainObject | undefined, op: ValidationOp) => ValidationReport; hook: ValidationHook; registry: CrdRegistry } {
  const registry = opts.registry ?? createCrdRegistry();
  const warned = new Set<string>();

  const validate = (obj: PlainObject, oldObj: PlainObject | undefined, op: ValidationOp): ValidationReport => {
    const warnings: ValidationWarning[] = [];
    const warn = (w: ValidationWarning): void => {
      const key = `${w.code}|${w.kind}|${w.rule ?? ''}|${w.field ?? ''}`;
      warnings.push(w);
      if (!warned.has(key)) {
        warned.add(key);
        opts.onWarning?.(w);
      }
    };
    const info = classifyKind(obj.apiVersion, obj.kind, registry, opts);
    const empty = { info, unknownFields: [], decodeErrors: [], errors: [], warnings };
    if (info.class === 'no-match') return empty;
    const { group } = splitApiVersion(obj.apiVersion);

    const metaUnknown = isObj(obj.metadata) ? Object.keys(obj.metadata).filter((k) => !OBJECT_META_FIELDS.has(k)).map((k) => `metadata.${k}`) : [];
    const decodeErrors = metadataDecodeErrors(obj.metadata);
    let unknownFields: string[] = metaUnknown;
    let schema: SchemaNode | undefined;
    if (info.class === 'crd') {
      const resolved = registry.resolve(obj.apiVersion, obj.kind);
      schema = resolved.ok ? resolved.value.version.schema : undefined;
      if (schema) unknownFields = findUnknownFields(obj, schema);
    }
    if (unknownFields.length > 0 || decodeErrors.length > 0) return { info, unknownFields: [...unknownFields].sort(), decodeErrors, errors: [], warnings };

    const object = clone(obj);
    if (schema) applyDefaults(object, schema);
    // The stored old object is defaulted already; default a caller's raw one the same way.
    const old = oldObj && schema ? (applyDefaults(clone(oldObj), schema) as PlainObject) : oldObj;
    if (info.scope === 'Cluster' && isObj(object.metadata) && object.metadata.namespace !== undefined) delete object.metadata.namespace;

    if (info.class === 'stored-with-warning') {
      warn({ code: 'kube/kind-not-modelled', kind: obj.kind, message: `Warning: ${info.note ?? obj.kind}; stored without validation of its spec` });
    }

    const errors: FieldError[] = validateObjectMeta(object.metadata, group, obj.kind);
    if (schema) {
      let schemaErrors = validateSchema(object, schema, '', {
        onUncheckedPattern: (field, pattern) =>
          warn({ code: 'kube/pattern-unchecked', kind: obj.kind, field, rule: pattern, message: `${obj.kind}: ${field}: pattern ${JSON.stringify(pattern)} cannot be checked by the lab` }),
      });
      if (op === 'update' && old) {
        // Ratcheting: a value that did not change may stay invalid.
        schemaErrors = schemaErrors.filter((e) => {
          if (e.type === 'FieldValueRequired') return true;
          const now = valueAt(object, e.field);
          return now === undefined || !deepEqual(now, valueAt(old, e.field));
        });
      }
      errors.push(...schemaErrors);
      runCel(object, op === 'update' ? old : undefined, op === 'update' && old !== undefined, schema, '', { op, kind: obj.kind, errors, warn });
    }
    return { info, object, unknownFields: [], decodeErrors: [], errors, warnings };
  };

  const hook: ValidationHook = (obj, oldObj, op, ctx = {}) => {
    const name = isObj(obj.metadata) && typeof obj.metadata.name === 'string' ? obj.metadata.name : '';
    const namespace = isObj(obj.metadata) && typeof obj.metadata.namespace === 'string' ? obj.metadata.namespace : '';
    if (!obj.apiVersion || !obj.kind) {
      const missing = [!obj.apiVersion ? 'apiVersion not set' : '', !obj.kind ? 'kind not set' : ''].filter(Boolean);
      return err(
        simError(
          'kube/missing-kind',
          `error: error validating ${JSON.stringify(ctx.source ?? '')}: error validating data: [${missing.join(', ')}]; if you choose to ignore these errors, turn validation off with --validate=false`,
        ),
      );
    }
    const report = validate(obj, oldObj, op);
    if (report.info.class === 'no-match') {
      return err(
        simError('kube/no-kind-match', noKindMatchMessage({ name, namespace, source: ctx.source ?? '', kind: obj.kind, apiVersion: obj.apiVersion }), {
          apiVersion: obj.apiVersion,
          kind: obj.kind,
          name,
          namespace,
          reason: `no matches for kind ${JSON.stringify(obj.kind)} in version ${JSON.stringify(obj.apiVersion)}`,
        }),
      );
    }
    const verb: Verb = ctx.verb ?? (op === 'create' ? 'creating' : 'patching');
    const { version } = splitApiVersion(obj.apiVersion);
    if (report.unknownFields.length > 0) {
      return err(
        simError('kube/strict-decoding', strictDecodingMessage({ kind: obj.kind, version, unknownFields: report.unknownFields, verb, ...(ctx.source ? { source: ctx.source } : {}) }), {
          status: 400,
          reason: 'BadRequest',
          unknownFields: report.unknownFields,
        }),
      );
    }
    if (report.decodeErrors.length > 0) {
      const base = `${obj.kind} in version ${JSON.stringify(version)} cannot be handled as a ${obj.kind}: ${report.decodeErrors[0]}`;
      const msg = ctx.source ? `error when ${verb} ${JSON.stringify(ctx.source)}: ${base}` : base;
      return err(simError('kube/strict-decoding', `Error from server (BadRequest): ${msg}`, { status: 400, reason: 'BadRequest', decodeErrors: report.decodeErrors }));
    }
    if (report.errors.length > 0) {
      return err(
        simError('kube/invalid', invalidMessage(obj.kind, name, report.errors), {
          status: 422,
          reason: 'Invalid',
          causes: report.errors.map((e) => ({ field: e.field, type: e.type, message: formatFieldError(e) })),
        }),
      );
    }
    return ok(report.object as typeof obj);
  };

  return { validate, hook, registry };
}
