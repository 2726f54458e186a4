/**
 * The API server's admission checks (sim/kube/schema/validator.ts: kind lookup, strict decoding, ObjectMeta,
 * the CRDs' OpenAPI schemas and CEL rules; the Pod spec checks of podValidation.ts) run on the documents of
 * a manifest file without a cluster, each problem located in the file:
 * `east/03-ClusterSPIFFEID-x.yaml:12: ClusterSPIFFEID/x: spec.className: Invalid value: …`.
 * Used by `fedlab export` (every exported manifest is checked before a human applies it) and by the
 * loaders' property tests. Never throws: a document of any shape yields problems, not exceptions.
 */
import { formatLocation, type PathSegment, type YamlDocument } from './yaml.ts';
import { errorBody, type FieldError } from './schema/fieldError.ts';
import { podSpecErrors } from './podValidation.ts';
import type { createValidator, PlainObject } from './schema/validator.ts';

export interface ManifestProblem {
  readonly file: string;
  readonly line: number;
  /** `Kind/name` of the object, when it has them. */
  readonly subject?: string;
  /** Kubernetes field path (`spec.className`), `<root>` for the document itself. */
  readonly field: string;
  readonly reason: string;
  /** `file:line: subject: field: reason`. */
  readonly message: string;
}

type Validator = Pick<ReturnType<typeof createValidator>, 'validate'>;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Workload kinds whose pod template the API server validates as a PodSpec. */
const POD_TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/** Splits a kube field path for `YamlDocument.locate` (`a.b[0]`, `labels[x.y/z]`). */
function segments(field: string): PathSegment[] {
  const out: PathSegment[] = [];
  for (const m of field.matchAll(/([^.[\]]+)|\[([^\]]*)\]/g)) {
    if (m[2] !== undefined) out.push(/^\d+$/.test(m[2]) ? Number(m[2]) : m[2]);
    else out.push(m[1]!);
  }
  return out;
}

/** Checks one parsed document as `kubectl apply` would have the API server check it on create. */
export function checkManifestDocument(doc: YamlDocument, validator: Validator): ManifestProblem[] {
  const o = doc.object;
  const meta = isObj(o.metadata) ? o.metadata : {};
  const kind = typeof o.kind === 'string' ? o.kind : undefined;
  const subject = kind !== undefined && typeof meta.name === 'string' ? `${kind}/${meta.name}` : kind;
  const problems: ManifestProblem[] = [];
  const add = (field: string, reason: string): void => {
    const line = field === '<root>' ? doc.start.line : doc.locate(segments(field)).position.line;
    problems.push({ file: doc.file, line, ...(subject ? { subject } : {}), field, reason, message: formatLocation(doc.file, line, subject, field, reason) });
  };
  // kubectl's client-side check before anything reaches the server (`error validating data: [kind not set]`).
  for (const key of ['apiVersion', 'kind'] as const) {
    if (o[key] === undefined || o[key] === null || o[key] === '') add(key, `${key} not set`);
    else if (typeof o[key] !== 'string') add(key, `must be a string, got ${Array.isArray(o[key]) ? 'a list' : typeof o[key]}`);
  }
  if (problems.length > 0) return problems;
  if (o.metadata !== undefined && !isObj(o.metadata)) {
    add('metadata', 'json: cannot unmarshal into Go struct field of type v1.ObjectMeta: must be a mapping');
    return problems;
  }
  const report = validator.validate(o as PlainObject, undefined, 'create');
  if (report.info.class === 'no-match') {
    add('kind', `no matches for kind ${JSON.stringify(kind)} in version ${JSON.stringify(o.apiVersion)} (ensure CRDs are installed first)`);
    return problems;
  }
  for (const f of report.unknownFields) add(f, 'strict decoding error: unknown field');
  for (const d of report.decodeErrors) add(/ObjectMeta\.metadata\.annotations/.test(d) ? 'metadata.annotations' : 'metadata.labels', d);
  const errors: FieldError[] = [...report.errors];
  const object = report.object ?? (o as PlainObject);
  if (kind === 'Pod') errors.push(...podSpecErrors(object as { spec?: unknown }));
  else if (kind !== undefined && POD_TEMPLATE_KINDS.has(kind) && isObj(object.spec) && isObj(object.spec.template)) {
    let tpl = object.spec.template as { spec?: unknown };
    // A StatefulSet's pods also get a volume per volumeClaimTemplate: their mounts are valid.
    const claims = Array.isArray(object.spec.volumeClaimTemplates) ? object.spec.volumeClaimTemplates.flatMap((c) => (isObj(c) && isObj(c.metadata) && typeof c.metadata.name === 'string' ? [c.metadata.name] : [])) : [];
    if (claims.length > 0 && isObj(tpl.spec)) {
      const volumes = Array.isArray(tpl.spec.volumes) ? tpl.spec.volumes : [];
      tpl = { ...tpl, spec: { ...tpl.spec, volumes: [...volumes, ...claims.map((name) => ({ name, persistentVolumeClaim: { claimName: name } }))] } };
    }
    errors.push(...podSpecErrors(tpl).map((e) => ({ ...e, field: `spec.template.${e.field}` })));
  }
  for (const e of errors) add(e.field === '<nil>' || e.field === '' ? '<root>' : e.field, errorBody(e));
  return problems;
}

/** Checks every document; the problems in file order. */
export function checkManifestDocuments(docs: readonly YamlDocument[], validator: Validator): ManifestProblem[] {
  return docs.flatMap((d) => checkManifestDocument(d, validator)).sort((a, b) => a.line - b.line);
}
