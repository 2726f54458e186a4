/**
 * Just enough of Go's `encoding/json` behaviour to word bundle-parsing errors as go-spiffe and SPIRE
 * print them: Go's type names in "cannot unmarshal" errors, case-insensitive member matching for
 * structs decoded with the standard library (go-jose's own fork is case-sensitive), and the syntax
 * messages users see most often.
 * Simplified: syntax errors past the first character are reported with JavaScript's reason, not Go
 * scanner's exact text; go-jose's duplicate-key rejection is not modelled (JSON.parse keeps the last).
 */
import { err, ok, type Result } from '../core/result.ts';

export type GoJsonType = 'string' | 'number' | 'bool' | 'array' | 'object' | 'null';

export function goJsonType(v: unknown): GoJsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'bool';
    default:
      return 'object';
  }
}

export const isJsonObject = (v: unknown): v is Record<string, unknown> => goJsonType(v) === 'object';

/** Go's `quoteChar` in scanner errors: `'x'`, `'\''`, `'"'`. */
function quoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  const q = JSON.stringify(c);
  return `'${q.slice(1, -1)}'`;
}

/** `json.Unmarshal`'s syntax check, with Go's wording where it is cheap to reproduce. */
export function parseGoJson(text: string): Result<unknown, string> {
  try {
    return ok(JSON.parse(text) as unknown);
  } catch (e) {
    const trimmed = text.replace(/^[ \t\r\n]+/, '');
    if (trimmed === '') return err('unexpected end of JSON input');
    const first = trimmed[0]! as string;
    if (!/[{["\-0-9tfn]/.test(first)) return err(`invalid character ${quoteChar(first)} looking for beginning of value`);
    const literal = { t: 'true', f: 'false', n: 'null' }[first];
    if (literal) {
      for (let i = 1; i < literal.length; i++) {
        const c = trimmed[i];
        if (c === undefined) return err('unexpected end of JSON input');
        if (c !== literal[i]) return err(`invalid character ${quoteChar(c)} in literal ${literal} (expecting ${quoteChar(literal[i]!)})`);
      }
    }
    const reason = (e as Error).message;
    if (/Unexpected end of JSON input|Unterminated/.test(reason)) return err('unexpected end of JSON input');
    return err(`invalid JSON: ${reason}`);
  }
}

/**
 * A struct member as the standard library finds it: exact name preferred, otherwise the last member
 * whose name matches ignoring ASCII case (each matching key overwrites the field in document order).
 */
export function stdField(obj: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(obj, name)) {
    // An exact match can still be overwritten by a later case-folded duplicate; keep the last.
    let value: unknown = obj[name];
    let seenExact = false;
    for (const k of Object.keys(obj)) {
      if (k === name) seenExact = true;
      else if (seenExact && k.toLowerCase() === name.toLowerCase()) value = obj[k];
    }
    return value;
  }
  let value: unknown;
  for (const k of Object.keys(obj)) if (k.toLowerCase() === name.toLowerCase()) value = obj[k];
  return value;
}

/** `json: cannot unmarshal <type> into Go struct field <Struct>.<field> of type <goType>`. */
export function fieldTypeError(value: unknown, struct: string, field: string, goType: string): string {
  const t = goJsonType(value);
  const shown = t === 'number' ? `number ${String(value)}` : t;
  return `json: cannot unmarshal ${shown} into Go struct field ${struct}.${field} of type ${goType}`;
}

/** `json: cannot unmarshal <type> into Go value of type <goType>`. */
export function valueTypeError(value: unknown, goType: string): string {
  return `json: cannot unmarshal ${goJsonType(value)} into Go value of type ${goType}`;
}

/**
 * Reads an integer member the way Go decodes into `int64`/`uint64`/`int`: null or absent → undefined,
 * a non-number or a fraction or out-of-range value → the type error.
 */
export function goInteger(
  obj: Record<string, unknown>,
  field: string,
  struct: string,
  goType: 'int64' | 'uint64' | 'int',
): Result<number | undefined, string> {
  const v = stdField(obj, field);
  if (v === undefined || v === null) return ok(undefined);
  if (typeof v !== 'number' || !Number.isInteger(v) || (goType === 'uint64' && v < 0)) return err(fieldTypeError(v, struct, field, goType));
  return ok(v);
}

// Character values per alphabet (-1: not in it), so decoding is one table lookup per character.
const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const table = (alphabet: string): Int8Array => {
  const t = new Int8Array(128).fill(-1);
  for (let i = 0; i < 64; i++) t[alphabet.charCodeAt(i)] = i;
  return t;
};
const STD_TABLE = table(STD);
const URL_TABLE = table(URL);

/** Strict base64 as Go's `encoding/base64` decodes it; `undefined` data means `illegal base64 data at input byte N`. */
export function decodeGoBase64(text: string, variant: 'std' | 'rawurl'): { bytes?: Uint8Array; badIndex?: number } {
  const t = variant === 'std' ? STD_TABLE : URL_TABLE;
  const firstPad = variant === 'std' ? text.indexOf('=') : -1;
  const bodyLength = firstPad >= 0 ? firstPad : text.length;
  for (let i = 0; i < bodyLength; i++) {
    const c = text.charCodeAt(i);
    if (c > 127 || t[c]! < 0) return { badIndex: i };
  }
  if (variant === 'rawurl') return bodyLength % 4 === 1 ? { badIndex: bodyLength - 1 } : { bytes: decodeBody(text, bodyLength, t) };
  if (firstPad >= 0) {
    const pad = text.slice(firstPad);
    const okPad = text.length % 4 === 0 && /^={1,2}$/.test(pad) && firstPad % 4 === 4 - pad.length;
    return okPad ? { bytes: decodeBody(text, bodyLength, t) } : { badIndex: firstPad };
  }
  return text.length % 4 === 0 ? { bytes: decodeBody(text, bodyLength, t) } : { badIndex: text.length - (text.length % 4) };
}

/** Decodes the first `length` characters (already checked against the alphabet). */
function decodeBody(s: string, length: number, t: Int8Array): Uint8Array {
  const out = new Uint8Array(Math.floor((length * 6) / 8));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < length; i++) {
    acc = ((acc << 6) | t[s.charCodeAt(i)]!) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}
