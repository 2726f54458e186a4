/**
 * Kubernetes field errors and the messages the API server and kubectl build from them.
 *
 * - `FieldError` + `errorBody`: apimachinery `pkg/util/validation/field/errors.go` (`Error.ErrorBody`,
 *   `ErrorType.String`, `NotSupported`, `TooLong`, `TooMany`, `Required`).
 * - `invalidMessage`: kubectl `cmd/util/helpers.go` `StandardErrorMessage` for `IsInvalid` errors
 *   (`The %s %q is invalid` + `MultilineError`: one cause inline, several as `\n* cause`).
 * - `strictDecodingMessage`: apiserver `endpoints/handlers/rest.go` `transformDecodeError`
 *   (`%s in version %q cannot be handled as a %s: %v`) around `strict decoding error: unknown field "…"`
 *   (apimachinery `runtime/serializer` strict errors), as kubectl prints it after `cmdutil.AddSourceToErr`
 *   (`error when creating "f.yaml": …`) with the `Error from server (BadRequest): ` prefix.
 * - `noKindMatchMessage`: cli-runtime `pkg/resource/mapper.go` `infoForData`
 *   (`resource mapping not found for name: %q namespace: %q from %q: %w\nensure CRDs are installed first`)
 *   wrapping apimachinery `pkg/api/meta/errors.go` `NoKindMatchError` (`no matches for kind %q in version %q`),
 *   printed by kubectl with `error: `.
 */

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueTooFew'
  | 'InternalError'
  | 'FieldValueTypeInvalid'
  | 'FieldValueTooShort';

/** A value that is printed as the bare type word (kube's `omitValue`). */
export const OMIT_VALUE: unique symbol = Symbol('omitValue');

export interface FieldError {
  readonly type: FieldErrorType;
  /** kube field path (`spec.federation.federatesWith[0].trustDomain`; `<nil>` for the root). */
  readonly field: string;
  readonly badValue?: unknown;
  readonly detail?: string;
}

const TYPE_WORDS: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueTooFew: 'Too few',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
  FieldValueTooShort: 'Too short',
};

/** Go's `%q` for a string (close enough: JSON escaping; Go escapes non-printables the same way). */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** Renders a bad value as `ErrorBody` does: simple types with `%v`, strings with `%q`, the rest as JSON. */
function renderValue(v: unknown): string {
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return 'null';
  // Go prints a map[string]string (labels, selectors) with %#v: map[string]string{"app":"web"}
  if (typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string')) {
    const entries = Object.entries(v as Record<string, string>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[string]string{${entries.map(([k, x]) => `${JSON.stringify(k)}:${JSON.stringify(x)}`).join(', ')}}`;
  }
  return JSON.stringify(v);
}

/** `ErrorBody`: the message without the field name. */
export function errorBody(e: FieldError): string {
  let s: string;
  switch (e.type) {
    case 'FieldValueRequired':
    case 'FieldValueForbidden':
    case 'FieldValueTooLong':
    case 'FieldValueTooShort':
    case 'InternalError':
      s = TYPE_WORDS[e.type];
      break;
    default:
      s = e.badValue === OMIT_VALUE ? TYPE_WORDS[e.type] : `${TYPE_WORDS[e.type]}: ${renderValue(e.badValue)}`;
  }
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

/** `Error.Error()`: `field: body`. */
export function formatFieldError(e: FieldError): string {
  return `${e.field}: ${errorBody(e)}`;
}

// Constructors, named as in field/errors.go.
export const fieldErrors = {
  required: (field: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field, badValue: '', detail }),
  invalid: (field: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, badValue: value, detail }),
  typeInvalid: (field: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueTypeInvalid', field, badValue: value, detail }),
  forbidden: (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, badValue: '', detail }),
  duplicate: (field: string, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field, badValue: value }),
  notSupported: (field: string, value: unknown, valid: readonly unknown[]): FieldError => ({
    type: 'FieldValueNotSupported',
    field,
    badValue: value,
    detail: valid.length > 0 ? `supported values: ${valid.map((v) => goQuote(typeof v === 'string' ? v : JSON.stringify(v))).join(', ')}` : '',
  }),
  tooLong: (field: string, maxLength: number): FieldError => ({
    type: 'FieldValueTooLong',
    field,
    badValue: '<value omitted>',
    detail: maxLength >= 0 ? `may not be more than ${maxLength} ${maxLength === 1 ? 'byte' : 'bytes'}` : 'value is too long',
  }),
  tooMany: (field: string, actual: number, max: number): FieldError => ({
    type: 'FieldValueTooMany',
    field,
    badValue: actual >= 0 ? actual : OMIT_VALUE,
    detail: max >= 0 ? `must have at most ${max} ${max === 1 ? 'item' : 'items'}` : 'has too many items',
  }),
};

/**
 * kubectl's rendering of a 422 Invalid status: `The SpireServer "cluster" is invalid: spec.x: Required value`,
 * or with several causes `The SpireServer "cluster" is invalid: \n* a\n* b`.
 */
export function invalidMessage(kind: string, name: string, errors: readonly FieldError[]): string {
  const prefix = `The ${kind} ${goQuote(name)} is invalid: `;
  if (errors.length === 1) return prefix + formatFieldError(errors[0] as FieldError);
  return prefix + errors.map((e) => `\n* ${formatFieldError(e)}`).join('');
}

export type Verb = 'creating' | 'updating' | 'patching';

/**
 * kubectl's rendering of the 400 a strict server-side field validation returns:
 * `Error from server (BadRequest): error when creating "f.yaml": SpireServer in version "v1alpha1" cannot be
 * handled as a SpireServer: strict decoding error: unknown field "spec.persistence.type"`.
 * Without a source (e.g. stdin piped through a patch) the `error when …` part is left out, as AddSourceToErr does.
 */
export function strictDecodingMessage(opts: { kind: string; version: string; unknownFields: readonly string[]; verb?: Verb; source?: string }): string {
  const fields = opts.unknownFields.map((f) => `unknown field ${goQuote(f)}`).join(', ');
  const base = `${opts.kind} in version ${goQuote(opts.version)} cannot be handled as a ${opts.kind}: strict decoding error: ${fields}`;
  const withSource = opts.source ? `error when ${opts.verb ?? 'creating'} ${goQuote(opts.source)}: ${base}` : base;
  return `Error from server (BadRequest): ${withSource}`;
}

/**
 * kubectl's message for a kind the cluster does not serve:
 * `error: resource mapping not found for name: "x" namespace: "y" from "f.yaml": no matches for kind "K" in version "g/v"`
 * + `\nensure CRDs are installed first`.
 */
export function noKindMatchMessage(opts: { name: string; namespace: string; source: string; kind: string; apiVersion: string }): string {
  return (
    `error: resource mapping not found for name: ${goQuote(opts.name)} namespace: ${goQuote(opts.namespace)} from ${goQuote(opts.source)}: ` +
    `no matches for kind ${goQuote(opts.kind)} in version ${goQuote(opts.apiVersion)}\nensure CRDs are installed first`
  );
}
