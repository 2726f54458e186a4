/**
 * A small DER codec: just what X.509 issuance and parsing need. The writer builds TLVs from byte
 * arrays; the reader walks TLVs strictly (definite, minimal lengths) and reports failures in Go's
 * `encoding/asn1` wording, because users compare our errors with SPIRE's and go-spiffe's.
 */
import { err, ok, simError, type Result, type SimError } from '../core/result.ts';

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

// ---------------------------------------------------------------- writer

function lengthBytes(len: number): number[] {
  if (len < 0x80) return [len];
  const out: number[] = [];
  for (let l = len; l > 0; l = Math.floor(l / 256)) out.unshift(l & 0xff);
  return [0x80 | out.length, ...out];
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** One TLV whose content is the concatenation of `contents`. */
export function tlv(tag: number, ...contents: readonly Uint8Array[]): Uint8Array {
  let len = 0;
  for (const c of contents) len += c.length;
  const header = lengthBytes(len);
  const out = new Uint8Array(1 + header.length + len);
  out[0] = tag;
  out.set(header, 1);
  let o = 1 + header.length;
  for (const c of contents) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

export const seq = (...items: readonly Uint8Array[]): Uint8Array => tlv(TAG.SEQUENCE, ...items);
export const set = (...items: readonly Uint8Array[]): Uint8Array => tlv(TAG.SET, ...items);
/** `[n] EXPLICIT` (constructed, context-specific). */
export const explicit = (n: number, ...items: readonly Uint8Array[]): Uint8Array => tlv(0xa0 | n, ...items);
/** `[n] IMPLICIT` primitive (context-specific). */
export const implicit = (n: number, content: Uint8Array): Uint8Array => tlv(0x80 | n, content);
export const octetString = (b: Uint8Array): Uint8Array => tlv(TAG.OCTET_STRING, b);
export const bool = (v: boolean): Uint8Array => tlv(TAG.BOOLEAN, Uint8Array.of(v ? 0xff : 0x00));
export const nullValue = (): Uint8Array => Uint8Array.of(TAG.NULL, 0);

const utf8 = new TextEncoder();
export const utf8String = (s: string): Uint8Array => tlv(TAG.UTF8_STRING, utf8.encode(s));
export const printableString = (s: string): Uint8Array => tlv(TAG.PRINTABLE_STRING, utf8.encode(s));
export const ia5String = (s: string): Uint8Array => tlv(TAG.IA5_STRING, utf8.encode(s));

/** Big-endian INTEGER content with minimal length; the writer only ever encodes non-negative values. */
export function integerContent(v: bigint): Uint8Array {
  if (v < 0n) throw new RangeError('der.integerContent: negative integers are never written');
  const bytes: number[] = [];
  for (let x = v; x > 0n; x >>= 8n) bytes.unshift(Number(x & 0xffn));
  if (bytes.length === 0 || bytes[0]! & 0x80) bytes.unshift(0);
  return Uint8Array.from(bytes);
}
export const integer = (v: bigint | number): Uint8Array => tlv(TAG.INTEGER, integerContent(BigInt(v)));

/** INTEGER from unsigned big-endian bytes (e.g. an ECDSA r or s value). */
export function unsignedInteger(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const body = bytes.subarray(i);
  return body[0]! & 0x80 ? tlv(TAG.INTEGER, Uint8Array.of(0), body) : tlv(TAG.INTEGER, body);
}

export function bitString(bytes: Uint8Array, unusedBits = 0): Uint8Array {
  return tlv(TAG.BIT_STRING, Uint8Array.of(unusedBits), bytes);
}

const oidCache = new Map<string, Uint8Array>();
export function oid(dotted: string): Uint8Array {
  const cached = oidCache.get(dotted);
  if (cached) return cached;
  const arcs = dotted.split('.').map(Number);
  const body: number[] = [];
  const first = arcs[0]! * 40 + arcs[1]!;
  for (const arc of [first, ...arcs.slice(2)]) {
    const chunk: number[] = [arc & 0x7f];
    for (let a = Math.floor(arc / 128); a > 0; a = Math.floor(a / 128)) chunk.unshift((a & 0x7f) | 0x80);
    body.push(...chunk);
  }
  const encoded = tlv(TAG.OID, Uint8Array.from(body));
  oidCache.set(dotted, encoded);
  return encoded;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; always Zulu, whole seconds. */
export function time(ms: number): Uint8Array {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const rest = `${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
  if (y >= 1950 && y <= 2049) return tlv(TAG.UTC_TIME, utf8.encode(`${pad(y % 100)}${rest}`));
  return tlv(TAG.GENERALIZED_TIME, utf8.encode(`${pad(y, 4)}${rest}`));
}

// ---------------------------------------------------------------- reader

export interface Tlv {
  readonly tag: number;
  /** Offset of the tag byte. */
  readonly start: number;
  /** Offset of the first content byte. */
  readonly contentStart: number;
  readonly end: number;
  readonly bytes: Uint8Array;
}

export type Asn1Error = SimError<'pki/asn1'>;

const asn1Error = (msg: string): Asn1Error => simError('pki/asn1', `asn1: structure error: ${msg}`);

export const content = (t: Tlv): Uint8Array => t.bytes.subarray(t.contentStart, t.end);
export const raw = (t: Tlv): Uint8Array => t.bytes.subarray(t.start, t.end);
export const isConstructed = (t: Tlv): boolean => (t.tag & 0x20) !== 0;

/** Reads one TLV at `offset` within `[offset, limit)`. */
export function readTlv(bytes: Uint8Array, offset = 0, limit = bytes.length): Result<Tlv, Asn1Error> {
  if (offset + 2 > limit) return err(asn1Error('data truncated'));
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) return err(asn1Error('high-tag-number form not supported'));
  let len = bytes[offset + 1]!;
  let p = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0) return err(asn1Error('indefinite length found (not DER)'));
    if (n > 4 || p + n > limit) return err(asn1Error('length too large'));
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + bytes[p + i]!;
    if (bytes[p] === 0 || len < 0x80) return err(asn1Error('superfluous leading zeros in length'));
    p += n;
  }
  if (p + len > limit) return err(asn1Error('data truncated'));
  return ok({ tag, start: offset, contentStart: p, end: p + len, bytes });
}

/** The children of a constructed TLV. */
export function children(t: Tlv): Result<Tlv[], Asn1Error> {
  const out: Tlv[] = [];
  for (let p = t.contentStart; p < t.end; ) {
    const r = readTlv(t.bytes, p, t.end);
    if (!r.ok) return r;
    out.push(r.value);
    p = r.value.end;
  }
  return ok(out);
}

/** Parses a whole buffer as exactly one TLV (trailing bytes are an error). */
export function readOne(bytes: Uint8Array): Result<Tlv, Asn1Error> {
  const r = readTlv(bytes, 0, bytes.length);
  if (!r.ok) return r;
  if (r.value.end !== bytes.length) return err(asn1Error('trailing data'));
  return r;
}

export function decodeOid(t: Tlv): string {
  const b = content(t);
  const arcs: number[] = [];
  let v = 0;
  for (const byte of b) {
    v = v * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      if (arcs.length === 0) arcs.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else arcs.push(v);
      v = 0;
    }
  }
  return arcs.join('.');
}

export function decodeInteger(t: Tlv): bigint {
  const b = content(t);
  let v = 0n;
  for (const byte of b) v = (v << 8n) | BigInt(byte);
  if (b.length > 0 && b[0]! & 0x80) v -= 1n << BigInt(8 * b.length);
  return v;
}

const utf8d = new TextDecoder();
export const decodeString = (t: Tlv): string => utf8d.decode(content(t));

export function decodeTime(t: Tlv): number | undefined {
  const s = decodeString(t);
  const m =
    t.tag === TAG.UTC_TIME
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s)
      : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return undefined;
  let year = Number(m[1]);
  if (t.tag === TAG.UTC_TIME) year += year >= 50 ? 1900 : 2000;
  return Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const HEX = Array.from({ length: 256 }, (_, x) => x.toString(16).padStart(2, '0'));
// A table lookup per byte: certificates and keys are hex-keyed in caches on hot paths.
export const toHex = (b: Uint8Array): string => {
  let out = '';
  for (let i = 0; i < b.length; i++) out += HEX[b[i]!]!;
  return out;
};
