/**
 * JSON Web Keys as go-jose v4 reads and writes them (`go-jose:jwk.go`), which is what go-spiffe's and
 * SPIRE's bundle code uses: member order on output (`use`, `kty`, `kid`, `crv`, `x`, `y`, `n`, `e`,
 * `x5c`), and on input the x5c chain, the key type checks and the x5c/key match, with go-jose's error
 * texts. Public keys only: SPIFFE bundles never carry private keys.
 * Simplified: `alg`, `x5u` and `x5t` are carried or ignored, not validated; private-key members (`d`)
 * are ignored; duplicate members are not rejected.
 */
import * as der from '../pki/der.ts';
import { OID, parseCertificate, toBase64, type Certificate } from '../pki/index.ts';
import { err, ok, type Result } from '../core/result.ts';
import { decodeGoBase64, isJsonObject, valueTypeError } from './goJson.ts';

export type EcCurve = 'P-256' | 'P-384' | 'P-521';

/** A public key in JWK members, base64url without padding, canonical (as go-jose re-encodes it). */
export type PublicJwk =
  | { readonly kty: 'EC'; readonly crv: EcCurve; readonly x: string; readonly y: string }
  | { readonly kty: 'RSA'; readonly n: string; readonly e: string }
  | { readonly kty: 'OKP'; readonly crv: 'Ed25519'; readonly x: string }
  | { readonly kty: 'oct'; readonly k: string };

export interface JsonWebKey {
  readonly key: PublicJwk;
  readonly keyId: string;
  readonly use: string;
  readonly algorithm: string;
  readonly certificates: readonly Certificate[];
}

const CURVES: Record<EcCurve, { size: number; p: bigint; b: bigint; oid: string }> = {
  'P-256': {
    size: 32,
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
    oid: OID.p256,
  },
  'P-384': {
    size: 48,
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
    b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
    oid: OID.p384,
  },
  'P-521': {
    size: 66,
    p: (1n << 521n) - 1n,
    b: 0x0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00n,
    oid: OID.p521,
  },
};

const toBase64Url = (b: Uint8Array): string => toBase64(b).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

const bigIntOf = (b: Uint8Array): bigint => (b.length === 0 ? 0n : BigInt(`0x${der.toHex(b)}`));

function stripLeadingZeros(b: Uint8Array): Uint8Array {
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  return b.subarray(i);
}

/** `elliptic.Curve.IsOnCurve` for the NIST curves: y² = x³ − 3x + b (mod p), 0 ≤ x, y < p. */
export function isOnCurve(crv: EcCurve, x: Uint8Array, y: Uint8Array): boolean {
  const { p, b } = CURVES[crv];
  const X = bigIntOf(x);
  const Y = bigIntOf(y);
  if (X >= p || Y >= p) return false;
  const mod = (v: bigint): bigint => ((v % p) + p) % p;
  return mod(Y * Y) === mod(X * X * X - 3n * X + b);
}

/** The JWK members of a SubjectPublicKeyInfo (EC, RSA, Ed25519), or undefined for other keys. */
export function publicJwkFromSpki(spki: Uint8Array): PublicJwk | undefined {
  const top = der.readOne(spki);
  const parts = top.ok ? der.children(top.value) : undefined;
  if (!parts?.ok || parts.value.length !== 2) return undefined;
  const alg = der.children(parts.value[0]!);
  if (!alg.ok || alg.value.length === 0) return undefined;
  const oid = der.decodeOid(alg.value[0]!);
  const bits = der.content(parts.value[1]!).subarray(1);
  if (oid === OID.ecPublicKey) {
    const curveOid = alg.value[1] ? der.decodeOid(alg.value[1]) : '';
    const crv = (Object.keys(CURVES) as EcCurve[]).find((c) => CURVES[c].oid === curveOid);
    if (!crv) return undefined;
    const size = CURVES[crv].size;
    if (bits[0] !== 4 || bits.length !== 1 + 2 * size) return undefined;
    return { kty: 'EC', crv, x: toBase64Url(bits.subarray(1, 1 + size)), y: toBase64Url(bits.subarray(1 + size)) };
  }
  if (oid === OID.rsaEncryption) {
    const key = der.readOne(bits);
    const nums = key.ok ? der.children(key.value) : undefined;
    if (!nums?.ok || nums.value.length !== 2) return undefined;
    return { kty: 'RSA', n: toBase64Url(stripLeadingZeros(der.content(nums.value[0]!))), e: toBase64Url(stripLeadingZeros(der.content(nums.value[1]!))) };
  }
  if (oid === OID.ed25519) return { kty: 'OKP', crv: 'Ed25519', x: toBase64Url(bits) };
  return undefined;
}

export function publicJwkEquals(a: PublicJwk, b: PublicJwk): boolean {
  return JSON.stringify(jwkMembers(a)) === JSON.stringify(jwkMembers(b));
}

function jwkMembers(k: PublicJwk): Record<string, string> {
  switch (k.kty) {
    case 'EC':
      return { kty: k.kty, crv: k.crv, x: k.x, y: k.y };
    case 'RSA':
      return { kty: k.kty, n: k.n, e: k.e };
    case 'OKP':
      return { kty: k.kty, crv: k.crv, x: k.x };
    case 'oct':
      return { kty: k.kty, k: k.k };
  }
}

/**
 * A JWK as go-jose's `JSONWebKey.MarshalJSON` writes it: members in rawJSONWebKey order, empty ones
 * omitted, `x5c` standard base64.
 */
export function marshalJsonWebKey(k: { key: PublicJwk; keyId?: string; use?: string; algorithm?: string; certificates?: readonly Certificate[] }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (k.use) out.use = k.use;
  out.kty = k.key.kty;
  if (k.keyId) out.kid = k.keyId;
  if (k.key.kty === 'EC' || k.key.kty === 'OKP') out.crv = k.key.crv;
  if (k.algorithm) out.alg = k.algorithm;
  if (k.key.kty === 'oct') out.k = k.key.k;
  if (k.key.kty === 'EC' || k.key.kty === 'OKP') out.x = k.key.x;
  if (k.key.kty === 'EC') out.y = k.key.y;
  if (k.key.kty === 'RSA') {
    out.n = k.key.n;
    out.e = k.key.e;
  }
  if (k.certificates && k.certificates.length > 0) out.x5c = k.certificates.map((c) => toBase64(c.der));
  return out;
}

const STRING_MEMBERS = ['use', 'kty', 'kid', 'crv', 'alg', 'x5u', 'x5t', 'x5t#S256'] as const;
const BYTE_MEMBERS = ['k', 'x', 'y', 'n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] as const;

/**
 * `JSONWebKey.UnmarshalJSON` on one decoded JSON value. The error is go-jose's bare message (the
 * caller adds its package prefix, as go-spiffe does via `json.Unmarshal`).
 */
export function parseJsonWebKey(value: unknown): Result<JsonWebKey, string> {
  // A JSON null decodes as an empty object (the Unmarshaler is still called).
  const raw = value === null ? {} : value;
  if (!isJsonObject(raw)) return err(valueTypeError(raw, 'jose.rawJSONWebKey'));
  const str: Record<string, string> = {};
  const bytes: Record<string, Uint8Array | undefined> = {};
  // go-jose's JSON fork matches member names case-sensitively.
  for (const name of STRING_MEMBERS) {
    const v = raw[name];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') return err(valueTypeError(v, 'string'));
    str[name] = v;
  }
  for (const name of BYTE_MEMBERS) {
    const v = raw[name];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') return err(valueTypeError(v, 'string'));
    if (v === '') {
      bytes[name] = new Uint8Array();
      continue;
    }
    const d = decodeGoBase64(v, 'rawurl');
    if (!d.bytes) return err(`illegal base64 data at input byte ${d.badIndex}`);
    bytes[name] = d.bytes;
  }
  const x5cRaw = raw.x5c;
  const certificates: Certificate[] = [];
  if (x5cRaw !== undefined && x5cRaw !== null) {
    if (!Array.isArray(x5cRaw)) return err(valueTypeError(x5cRaw, '[]string'));
    for (const item of x5cRaw) if (typeof item !== 'string') return err(valueTypeError(item, 'string'));
    for (const item of x5cRaw as string[]) {
      const d = decodeGoBase64(item, 'std');
      if (!d.bytes) return err(`go-jose/go-jose: failed to unmarshal x5c field: illegal base64 data at input byte ${d.badIndex}`);
      const cert = parseCertificate(d.bytes);
      if (!cert.ok) return err(`go-jose/go-jose: failed to unmarshal x5c field: ${cert.error.message}`);
      certificates.push(cert.value);
    }
  }

  let key: PublicJwk | undefined;
  switch (str.kty) {
    case 'EC': {
      const crv = str.crv ?? '';
      if (crv !== 'P-256' && crv !== 'P-384' && crv !== 'P-521') return err(`go-jose/go-jose: unsupported elliptic curve '${crv}'`);
      const { x, y } = bytes;
      if (!x || !y) return err('go-jose/go-jose: invalid EC key, missing x/y values');
      if (x.length !== CURVES[crv].size) return err('go-jose/go-jose: invalid EC public key, wrong length for x');
      if (y.length !== CURVES[crv].size) return err('go-jose/go-jose: invalid EC public key, wrong length for y');
      if (!isOnCurve(crv, x, y)) return err('go-jose/go-jose: invalid EC key, X/Y are not on declared curve');
      key = { kty: 'EC', crv, x: toBase64Url(x), y: toBase64Url(y) };
      break;
    }
    case 'RSA': {
      const { n, e } = bytes;
      if (!n || !e) return err('go-jose/go-jose: invalid RSA key, missing n/e values');
      key = { kty: 'RSA', n: toBase64Url(stripLeadingZeros(n)), e: toBase64Url(stripLeadingZeros(e)) };
      break;
    }
    case 'oct': {
      if (certificates.length > 0) return err("go-jose/go-jose: invalid JWK, found 'oct' (symmetric) key with cert chain");
      key = { kty: 'oct', k: toBase64Url(bytes.k ?? new Uint8Array()) };
      break;
    }
    case 'OKP': {
      if (str.crv === 'Ed25519') {
        if (!bytes.x) return err('go-jose/go-jose: invalid Ed key, missing x value');
        const x = new Uint8Array(32);
        x.set(bytes.x.subarray(0, 32));
        key = { kty: 'OKP', crv: 'Ed25519', x: toBase64Url(x) };
      }
      break;
    }
    case undefined:
    case '':
      return err('go-jose/go-jose: missing json web key type');
  }
  if (!key) return err('go-jose/go-jose: unsupported key type/format');
  if (certificates.length > 0 && key.kty !== 'oct') {
    const certKey = publicJwkFromSpki(certificates[0]!.spki);
    if (!certKey || !publicJwkEquals(certKey, key)) return err('go-jose/go-jose: invalid JWK, public keys in key and x5c fields do not match');
  }
  return ok({ key, keyId: str.kid ?? '', use: str.use ?? '', algorithm: str.alg ?? '', certificates });
}

