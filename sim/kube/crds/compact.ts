/**
 * Reduces a CustomResourceDefinition to what the lab's API server needs to serve and validate it:
 * names, scope, versions (served/storage), the openAPIV3Schema without descriptions, subresources,
 * the `x-kubernetes-*` markers and CEL rules. Pure: `scripts/sync-crds.ts` does the file I/O.
 * Shape follows apiextensions.k8s.io/v1 `CustomResourceDefinitionSpec`
 * (kubernetes:staging/src/k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1/types.go).
 */

/** A JSON-schema node as kept in the generated data (a subset of JSONSchemaProps). */
export interface SchemaNode {
  type?: string;
  format?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
  required?: string[];
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  uniqueItems?: boolean;
  multipleOf?: number;
  nullable?: boolean;
  default?: unknown;
  allOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  not?: SchemaNode;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
  'x-kubernetes-validations'?: CelRule[];
}

/** One `x-kubernetes-validations` entry (apiextensions v1 `ValidationRule`). */
export interface CelRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  schema?: SchemaNode;
  subresources?: { status?: Record<string, never>; scale?: Record<string, string> };
}

export interface CompactCrd {
  /** Where the CRD came from, relative to shared/crds (e.g. `ztwim/operator.openshift.io_spireservers.yaml`). */
  source: string;
  group: string;
  kind: string;
  plural: string;
  singular?: string;
  listKind?: string;
  shortNames?: string[];
  scope: 'Namespaced' | 'Cluster';
  versions: CrdVersion[];
}

const SCHEMA_KEYS: ReadonlyArray<keyof SchemaNode> = [
  'type', 'format', 'required', 'enum', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties', 'uniqueItems', 'multipleOf',
  'nullable', 'default', 'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-int-or-string',
  'x-kubernetes-embedded-resource', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-map-type',
];

const RULE_KEYS: ReadonlyArray<keyof CelRule> = ['rule', 'message', 'messageExpression', 'reason', 'fieldPath', 'optionalOldSelf'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Strips a schema node down to the validation-relevant keywords (descriptions, examples, titles go). */
export function compactSchema(node: unknown): SchemaNode {
  if (!isRecord(node)) return {};
  const out: Record<string, unknown> = {};
  for (const key of SCHEMA_KEYS) if (node[key] !== undefined) out[key] = node[key];
  if (isRecord(node.properties)) {
    const props: Record<string, SchemaNode> = {};
    for (const [k, v] of Object.entries(node.properties)) props[k] = compactSchema(v);
    out.properties = props;
  }
  if (node.items !== undefined) out.items = compactSchema(node.items);
  if (typeof node.additionalProperties === 'boolean') out.additionalProperties = node.additionalProperties;
  else if (isRecord(node.additionalProperties)) out.additionalProperties = compactSchema(node.additionalProperties);
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = node[key];
    if (Array.isArray(list)) out[key] = list.map(compactSchema);
  }
  if (node.not !== undefined) out.not = compactSchema(node.not);
  const rules = node['x-kubernetes-validations'];
  if (Array.isArray(rules)) {
    out['x-kubernetes-validations'] = rules.filter(isRecord).map((r) => {
      const rule: Record<string, unknown> = {};
      for (const key of RULE_KEYS) if (r[key] !== undefined) rule[key] = r[key];
      return rule as unknown as CelRule;
    });
  }
  return out as SchemaNode;
}

/** Compacts one parsed CustomResourceDefinition object; returns undefined for anything else. */
export function compactCrd(doc: unknown, source: string): CompactCrd | undefined {
  if (!isRecord(doc) || doc.kind !== 'CustomResourceDefinition' || !isRecord(doc.spec)) return undefined;
  const spec = doc.spec;
  const names = isRecord(spec.names) ? spec.names : {};
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isRecord) : [];
  const crd: CompactCrd = {
    source,
    group: String(spec.group),
    kind: String(names.kind),
    plural: String(names.plural),
    scope: spec.scope === 'Cluster' ? 'Cluster' : 'Namespaced',
    versions: versions.map((v) => {
      const out: CrdVersion = { name: String(v.name), served: v.served === true, storage: v.storage === true };
      if (v.deprecated === true) out.deprecated = true;
      if (typeof v.deprecationWarning === 'string') out.deprecationWarning = v.deprecationWarning;
      const schema = isRecord(v.schema) ? v.schema.openAPIV3Schema : undefined;
      if (schema !== undefined) out.schema = compactSchema(schema);
      if (isRecord(v.subresources)) out.subresources = v.subresources as CrdVersion['subresources'];
      return out;
    }),
  };
  if (typeof names.singular === 'string') crd.singular = names.singular;
  if (typeof names.listKind === 'string') crd.listKind = names.listKind;
  if (Array.isArray(names.shortNames)) crd.shortNames = names.shortNames.map(String);
  return crd;
}
