/**
 * ObjectMeta checks every kind gets from the API server (apimachinery `pkg/api/validation/objectmeta.go`
 * `ValidateObjectMetaAccessor`, name rules from `pkg/util/validation/validation.go` and
 * kubernetes `pkg/apis/core/validation/validation.go`): name or generateName, the kind's name format,
 * label keys and values.
 * Non-string label/annotation values are decode errors (see `decodeErrors` in validator.ts), not field errors.
 * Simplified: annotations size, ownerReferences and finalizers are not checked.
 */
import { fieldErrors, type FieldError } from './fieldError.ts';

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const DNS1035_LABEL = '[a-z]([-a-z0-9]*[a-z0-9])?';
const QUALIFIED_NAME_PART = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE = `(${QUALIFIED_NAME_PART})?`;

/** `RegexError`: msg + ` (e.g. 'a',  or 'b', regex used for validation is '…')` (note kube's double space). */
function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  let s = `${msg} (e.g. `;
  examples.forEach((e, i) => {
    if (i > 0) s += ' or ';
    s += `'${e}', `;
  });
  return `${s}regex used for validation is '${fmt}')`;
}

const full = (re: string): RegExp => new RegExp(`^${re}$`);

/** IsDNS1123Label. */
export function isDNS1123Label(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push('must be no more than 63 characters');
  if (!full(DNS1123_LABEL).test(v)) {
    if (full(DNS1123_SUBDOMAIN).test(v)) errs.push('must not contain dots');
    else errs.push(regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character", DNS1123_LABEL, 'my-name', '123-abc'));
  }
  return errs;
}

/** IsDNS1123Subdomain. */
export function isDNS1123Subdomain(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 253) errs.push('must be no more than 253 characters');
  if (!full(DNS1123_SUBDOMAIN).test(v)) {
    errs.push(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", DNS1123_SUBDOMAIN, 'example.com'));
  }
  return errs;
}

/** IsDNS1035Label (Service names). */
export function isDNS1035Label(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push('must be no more than 63 characters');
  if (!full(DNS1035_LABEL).test(v)) {
    errs.push(regexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character", DNS1035_LABEL, 'my-name', 'abc-123'));
  }
  return errs;
}

/** ValidatePathSegmentName (RBAC names). */
export function isPathSegmentName(v: string): string[] {
  if (v === '.' || v === '..') return [`may not be '${v}'`];
  const errs: string[] = [];
  for (const ch of ['/', '%']) if (v.includes(ch)) errs.push(`may not contain '${ch}'`);
  return errs;
}

/** The name rule the API server applies per kind (default: DNS-1123 subdomain). */
export function nameRuleFor(group: string, kind: string): (v: string) => string[] {
  if (group === '' && kind === 'Namespace') return isDNS1123Label;
  if (group === '' && kind === 'Service') return isDNS1035Label;
  if (group === 'rbac.authorization.k8s.io') return isPathSegmentName;
  return isDNS1123Subdomain;
}

function isQualifiedName(key: string): string[] {
  const errs: string[] = [];
  const parts = key.split('/');
  let name = key;
  if (parts.length === 2) {
    const [prefix, n] = parts as [string, string];
    name = n;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else for (const m of isDNS1123Subdomain(prefix)) errs.push(`prefix part ${m}`);
  } else if (parts.length > 2) {
    return [regexError("a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", QUALIFIED_NAME_PART, 'MyName', 'my.name', '123-abc') + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 characters');
  if (name.length > 0 && !full(QUALIFIED_NAME_PART).test(name)) {
    errs.push(regexError("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", QUALIFIED_NAME_PART, 'MyName', 'my.name', '123-abc'));
  }
  return errs;
}

function isLabelValue(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push('must be no more than 63 characters');
  if (!full(LABEL_VALUE).test(v)) {
    errs.push(regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", LABEL_VALUE, 'MyValue', 'my_value', '12345'));
  }
  return errs;
}

/** Validates `metadata` the way every create/update does. */
export function validateObjectMeta(metadata: unknown, group: string, kind: string): FieldError[] {
  const errs: FieldError[] = [];
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    return [fieldErrors.required('metadata.name', 'name or generateName is required')];
  }
  const m = metadata as Record<string, unknown>;
  const name = m.name;
  if (name === undefined || name === '') {
    if (m.generateName === undefined || m.generateName === '') errs.push(fieldErrors.required('metadata.name', 'name or generateName is required'));
  } else if (typeof name !== 'string') {
    errs.push(fieldErrors.invalid('metadata.name', name, 'must be a string'));
  } else {
    for (const msg of nameRuleFor(group, kind)(name)) errs.push(fieldErrors.invalid('metadata.name', name, msg));
  }
  const labels = m.labels;
  if (labels !== undefined && labels !== null && typeof labels === 'object' && !Array.isArray(labels)) {
    for (const [k, v] of Object.entries(labels as Record<string, unknown>)) {
      for (const msg of isQualifiedName(k)) errs.push(fieldErrors.invalid('metadata.labels', k, msg));
      if (typeof v === 'string') for (const msg of isLabelValue(v)) errs.push(fieldErrors.invalid('metadata.labels', v, msg));
    }
  }
  const annotations = m.annotations;
  if (annotations !== undefined && annotations !== null && typeof annotations === 'object' && !Array.isArray(annotations)) {
    for (const k of Object.keys(annotations as Record<string, unknown>)) {
      for (const msg of isQualifiedName(k.toLowerCase())) errs.push(fieldErrors.invalid('metadata.annotations', k, msg));
    }
  }
  return errs;
}
