/**
 * Key pairs and signatures over WebCrypto (the `Crypto` object is passed in: browser or Node).
 * Key types are SPIRE's (`spire:pkg/server/plugin/keymanager/keymanager.go`): ec-p256 (default, and
 * every agent's SVID key), ec-p384, rsa-2048 (ZTWIM's `caKeyType` default), rsa-4096.
 */
import * as der from './der.ts';
import { OID } from './oid.ts';
import { fromBase64 } from './pem.ts';
import { err, ok, simError, type Result, type SimError } from '../core/result.ts';

export const KEY_TYPES = ['rsa-2048', 'rsa-4096', 'ec-p256', 'ec-p384'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

export interface KeyPair {
  readonly type: KeyType;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  /** SubjectPublicKeyInfo, DER. */
  readonly spki: Uint8Array;
  readonly info: PublicKeyInfo;
}

/** SPIRE's parser: case-insensitive, with its error text. */
export function parseKeyType(text: string): Result<KeyType, SimError<'pki/unknown-key-type'>> {
  const t = text.toLowerCase();
  if ((KEY_TYPES as readonly string[]).includes(t)) return ok(t as KeyType);
  return err(simError('pki/unknown-key-type', `key type "${text}" is unknown; must be one of [${KEY_TYPES.join(', ')}]`, { value: text }));
}

interface Algorithms {
  readonly generate: EcKeyGenParams | RsaHashedKeyGenParams;
  readonly sign: EcdsaParams | Algorithm;
  readonly signatureOid: string;
}

const RSA_EXPONENT = Uint8Array.of(1, 0, 1);

function algorithms(type: KeyType): Algorithms {
  switch (type) {
    case 'ec-p256':
      return { generate: { name: 'ECDSA', namedCurve: 'P-256' }, sign: { name: 'ECDSA', hash: 'SHA-256' }, signatureOid: OID.ecdsaWithSha256 };
    case 'ec-p384':
      return { generate: { name: 'ECDSA', namedCurve: 'P-384' }, sign: { name: 'ECDSA', hash: 'SHA-384' }, signatureOid: OID.ecdsaWithSha384 };
    case 'rsa-2048':
    case 'rsa-4096':
      // Go's x509 signs with SHA256WithRSA for RSA keys of any size.
      return {
        generate: { name: 'RSASSA-PKCS1-v1_5', modulusLength: type === 'rsa-2048' ? 2048 : 4096, publicExponent: RSA_EXPONENT, hash: 'SHA-256' },
        sign: { name: 'RSASSA-PKCS1-v1_5' },
        signatureOid: OID.sha256WithRsa,
      };
  }
}

export const signatureOidFor = (type: KeyType): string => algorithms(type).signatureOid;

// An EC SubjectPublicKeyInfo is a fixed header followed by the uncompressed point, so exporting the
// raw point and prepending the header yields the same DER as an 'spki' export, at a third of the cost.
const EC_SPKI_HEADERS: Partial<Record<KeyType, Uint8Array>> = {
  'ec-p256': der.seq(der.oid(OID.ecPublicKey), der.oid(OID.p256)),
  'ec-p384': der.seq(der.oid(OID.ecPublicKey), der.oid(OID.p384)),
};

function ecSpkiFromPoint(algId: Uint8Array, point: Uint8Array): Uint8Array {
  return der.seq(algId, der.bitString(point));
}

const KEY_INFO: Record<KeyType, PublicKeyInfo> = {
  'ec-p256': { algorithm: 'ec', curve: 'P-256', bits: 256 },
  'ec-p384': { algorithm: 'ec', curve: 'P-384', bits: 384 },
  'rsa-2048': { algorithm: 'rsa', bits: 2048 },
  'rsa-4096': { algorithm: 'rsa', bits: 4096 },
};

export async function generateKeyPair(crypto: Crypto, type: KeyType): Promise<KeyPair> {
  const pair = (await crypto.subtle.generateKey(algorithms(type).generate, true, ['sign', 'verify'])) as CryptoKeyPair;
  const ecHeader = EC_SPKI_HEADERS[type];
  const spki = ecHeader
    ? ecSpkiFromPoint(ecHeader, new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey)))
    : new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  return { type, privateKey: pair.privateKey, publicKey: pair.publicKey, spki, info: KEY_INFO[type] };
}

/** Signs `data`; returns the signature in X.509's encoding (DER `ECDSA-Sig-Value` for EC). */
export async function signData(crypto: Crypto, key: KeyPair, data: Uint8Array): Promise<Uint8Array> {
  const sig = new Uint8Array(await crypto.subtle.sign(algorithms(key.type).sign, key.privateKey, data as BufferSource));
  return key.type.startsWith('ec-') ? ecdsaP1363ToDer(sig) : sig;
}

export function ecdsaP1363ToDer(sig: Uint8Array): Uint8Array {
  const half = sig.length / 2;
  return der.seq(der.unsignedInteger(sig.subarray(0, half)), der.unsignedInteger(sig.subarray(half)));
}

function ecdsaDerToP1363(sig: Uint8Array, size: number): Uint8Array | undefined {
  const top = der.readOne(sig);
  if (!top.ok) return undefined;
  const parts = der.children(top.value);
  if (!parts.ok || parts.value.length !== 2) return undefined;
  const out = new Uint8Array(2 * size);
  for (const [i, p] of parts.value.entries()) {
    let c = der.content(p);
    while (c.length > size && c[0] === 0) c = c.subarray(1);
    if (c.length > size) return undefined;
    out.set(c, (i + 1) * size - c.length);
  }
  return out;
}

// ---------------------------------------------------------------- public keys

export type PublicKeyInfo =
  | { readonly algorithm: 'ec'; readonly curve: 'P-256' | 'P-384' | 'P-521' | string; readonly bits: number }
  | { readonly algorithm: 'rsa'; readonly bits: number }
  | { readonly algorithm: 'ed25519'; readonly bits: 256 }
  | { readonly algorithm: 'unknown'; readonly oid: string; readonly bits: 0 };

const CURVES: Record<string, { name: string; bits: number }> = {
  [OID.p256]: { name: 'P-256', bits: 256 },
  [OID.p384]: { name: 'P-384', bits: 384 },
  [OID.p521]: { name: 'P-521', bits: 521 },
};

export function describePublicKey(spki: Uint8Array): PublicKeyInfo {
  const top = der.readOne(spki);
  const parts = top.ok ? der.children(top.value) : undefined;
  const alg = parts?.ok ? der.children(parts.value[0]!) : undefined;
  if (!parts?.ok || !alg?.ok || alg.value.length === 0) return { algorithm: 'unknown', oid: '', bits: 0 };
  const oid = der.decodeOid(alg.value[0]!);
  if (oid === OID.ecPublicKey) {
    const curveOid = alg.value[1] ? der.decodeOid(alg.value[1]) : '';
    const curve = CURVES[curveOid];
    return { algorithm: 'ec', curve: curve?.name ?? curveOid, bits: curve?.bits ?? 0 };
  }
  if (oid === OID.rsaEncryption) {
    const key = der.readOne(der.content(parts.value[1]!).subarray(1));
    const nums = key.ok ? der.children(key.value) : undefined;
    let modulus = nums?.ok ? der.content(nums.value[0]!) : new Uint8Array();
    while (modulus.length > 0 && modulus[0] === 0) modulus = modulus.subarray(1);
    return { algorithm: 'rsa', bits: modulus.length * 8 };
  }
  if (oid === OID.ed25519) return { algorithm: 'ed25519', bits: 256 };
  return { algorithm: 'unknown', oid, bits: 0 };
}

type VerifyParams = { importAlg: EcKeyImportParams | RsaHashedImportParams | Algorithm; verifyAlg: EcdsaParams | Algorithm; ecSize?: number };

function verifyParams(spki: Uint8Array, signatureOid: string): VerifyParams | undefined {
  const key = describePublicKey(spki);
  const hashes: Record<string, string> = {
    [OID.ecdsaWithSha256]: 'SHA-256',
    [OID.ecdsaWithSha384]: 'SHA-384',
    [OID.ecdsaWithSha512]: 'SHA-512',
    [OID.sha256WithRsa]: 'SHA-256',
    [OID.sha384WithRsa]: 'SHA-384',
    [OID.sha512WithRsa]: 'SHA-512',
    [OID.sha1WithRsa]: 'SHA-1',
  };
  const hash = hashes[signatureOid];
  if (key.algorithm === 'ec' && hash && signatureOid.startsWith('1.2.840.10045.4.3')) {
    return { importAlg: { name: 'ECDSA', namedCurve: key.curve }, verifyAlg: { name: 'ECDSA', hash }, ecSize: Math.ceil(key.bits / 8) };
  }
  if (key.algorithm === 'rsa' && hash && signatureOid.startsWith('1.2.840.113549.1.1')) {
    return { importAlg: { name: 'RSASSA-PKCS1-v1_5', hash }, verifyAlg: { name: 'RSASSA-PKCS1-v1_5' } };
  }
  if (key.algorithm === 'ed25519' && signatureOid === OID.ed25519) return { importAlg: { name: 'Ed25519' }, verifyAlg: { name: 'Ed25519' } };
  return undefined;
}

/**
 * Verifies an X.509-encoded signature made by the key in `spki`. Imported keys are cached per
 * crypto object, key and algorithm: chain validation checks the same CA key again and again.
 * Verdicts are cached too (a verdict is a pure function of key, algorithm, signature and data): a
 * federation client re-verifies the same endpoint certificate on every refresh, and each WebCrypto
 * round trip costs ~1 ms of wall time for an RSA key.
 */
export class SignatureVerifier {
  private readonly keys = new Map<string, Promise<CryptoKey | undefined>>();
  private readonly verdicts = new Map<string, Promise<boolean>>();

  constructor(private readonly crypto: Crypto) {}

  async verify(spki: Uint8Array, signatureOid: string, signature: Uint8Array, data: Uint8Array): Promise<Result<void, SimError<'pki/unsupported-algorithm' | 'pki/bad-signature'>>> {
    const params = verifyParams(spki, signatureOid);
    if (!params) return err(simError('pki/unsupported-algorithm', `x509: cannot verify signature: algorithm unimplemented (${signatureOid})`));
    const cacheKey = `${signatureOid}|${der.toHex(spki)}`;
    let keyPromise = this.keys.get(cacheKey);
    if (!keyPromise) {
      keyPromise = this.crypto.subtle.importKey('spki', spki as BufferSource, params.importAlg, false, ['verify']).catch(() => undefined);
      this.keys.set(cacheKey, keyPromise);
    }
    const key = await keyPromise;
    if (!key) return err(simError('pki/unsupported-algorithm', 'x509: cannot verify signature: unsupported public key'));
    const sig = params.ecSize ? ecdsaDerToP1363(signature, params.ecSize) : signature;
    const good = sig !== undefined && (await this.verdict(`${cacheKey}|${der.toHex(sig)}|${der.toHex(data)}`, () => this.crypto.subtle.verify(params.verifyAlg, key, sig as BufferSource, data as BufferSource)));
    const algName = params.ecSize ? 'ECDSA' : 'crypto/rsa';
    return good ? ok(undefined) : err(simError('pki/bad-signature', params.ecSize ? `x509: ${algName} verification failure` : `${algName}: verification error`));
  }

  /** The cached verdict for `key` (keys hold the whole signed data: the cache starts over when full). */
  private verdict(key: string, compute: () => Promise<boolean>): Promise<boolean> {
    let v = this.verdicts.get(key);
    if (!v) {
      if (this.verdicts.size >= MAX_VERDICTS) this.verdicts.clear();
      this.verdicts.set(key, (v = compute()));
    }
    return v;
  }
}

/** Verdicts kept per verifier: a world's working set of certificates is far smaller. */
const MAX_VERDICTS = 4096;

// ---------------------------------------------------------------- private keys

export interface PrivateKeyInfo {
  readonly key: CryptoKey;
  /** The matching public key, derived from the private key. */
  readonly spki: Uint8Array;
  readonly algorithm: 'ec' | 'rsa' | 'ed25519';
}

export type PrivateKeyError = SimError<'pki/asn1' | 'pki/unsupported-private-key'>;

function ecSpki(curveOid: string, x: Uint8Array, y: Uint8Array): Uint8Array {
  return ecSpkiFromPoint(der.seq(der.oid(OID.ecPublicKey), der.oid(curveOid)), der.concat([Uint8Array.of(4), x, y]));
}

function rsaSpki(n: Uint8Array, e: Uint8Array): Uint8Array {
  return der.seq(der.seq(der.oid(OID.rsaEncryption), der.nullValue()), der.bitString(der.seq(der.unsignedInteger(n), der.unsignedInteger(e))));
}

/**
 * Parses a PKCS#8 private key (`PRIVATE KEY` PEM blocks, which is what SPIRE and spiffe-helper
 * write) and derives its public key. Structural errors use Go's encoding/asn1 wording, because
 * go-spiffe reports them as `cannot parse PEM encoded private key: asn1: structure error: …`.
 */
export async function parsePkcs8PrivateKey(crypto: Crypto, pkcs8: Uint8Array): Promise<Result<PrivateKeyInfo, PrivateKeyError>> {
  // Go's encoding/asn1 checks the outer tag before the length: a non-SEQUENCE is a tag mismatch.
  const first = pkcs8[0];
  if (first !== undefined && first !== der.TAG.SEQUENCE) {
    const length = (pkcs8[1] ?? 0) & 0x80 ? '?' : String(pkcs8[1] ?? 0);
    return err(
      simError(
        'pki/asn1',
        `asn1: structure error: tags don't match (16 vs {class:${first >> 6} tag:${first & 0x1f} length:${length} isCompound:${(first & 0x20) !== 0}}) {optional:false explicit:false application:false private:false defaultValue:<nil> tag:<nil> stringType:0 timeType:0 set:false omitEmpty:false} pkcs8 @2`,
      ),
    );
  }
  const top = der.readOne(pkcs8);
  if (!top.ok) return err(simError('pki/asn1', top.error.message.replace('structure error: data truncated', 'syntax error: data truncated')));
  const parts = der.children(top.value);
  const alg = parts.ok && parts.value[1] ? der.children(parts.value[1]) : undefined;
  if (!parts.ok || !alg?.ok || alg.value.length === 0) return err(simError('pki/asn1', 'asn1: structure error: invalid PKCS#8 PrivateKeyInfo'));
  const oid = der.decodeOid(alg.value[0]!);
  try {
    if (oid === OID.ecPublicKey) {
      const curveOid = alg.value[1] ? der.decodeOid(alg.value[1]) : '';
      const curve = CURVES[curveOid];
      if (!curve) return err(simError('pki/unsupported-private-key', `x509: unknown elliptic curve ${curveOid}`));
      const key = await crypto.subtle.importKey('pkcs8', pkcs8 as BufferSource, { name: 'ECDSA', namedCurve: curve.name }, true, ['sign']);
      const jwk = await crypto.subtle.exportKey('jwk', key);
      return ok({ key, algorithm: 'ec', spki: ecSpki(curveOid, fromBase64(jwk.x!), fromBase64(jwk.y!)) });
    }
    if (oid === OID.rsaEncryption) {
      const key = await crypto.subtle.importKey('pkcs8', pkcs8 as BufferSource, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, true, ['sign']);
      const jwk = await crypto.subtle.exportKey('jwk', key);
      return ok({ key, algorithm: 'rsa', spki: rsaSpki(fromBase64(jwk.n!), fromBase64(jwk.e!)) });
    }
    if (oid === OID.ed25519) {
      const key = await crypto.subtle.importKey('pkcs8', pkcs8 as BufferSource, { name: 'Ed25519' }, true, ['sign']);
      const jwk = await crypto.subtle.exportKey('jwk', key);
      return ok({ key, algorithm: 'ed25519', spki: der.seq(der.seq(der.oid(OID.ed25519)), der.bitString(fromBase64(jwk.x!))) });
    }
  } catch (e) {
    return err(simError('pki/asn1', `asn1: structure error: ${(e as Error).message}`));
  }
  return err(simError('pki/unsupported-private-key', `x509: PKCS#8 wrapping contained private key with unknown algorithm: ${oid}`));
}

export async function exportPkcs8(crypto: Crypto, key: KeyPair): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.exportKey('pkcs8', key.privateKey));
}

/** A PKCS#8 private key read from a file (a mounted serving certificate's tls.key) as a KeyPair of SPIRE's key types. */
export async function keyPairFromPkcs8(crypto: Crypto, pkcs8: Uint8Array): Promise<Result<KeyPair, PrivateKeyError>> {
  const parsed = await parsePkcs8PrivateKey(crypto, pkcs8);
  if (!parsed.ok) return parsed;
  const info = describePublicKey(parsed.value.spki);
  const type = KEY_TYPES.find((t) => KEY_INFO[t].algorithm === info.algorithm && KEY_INFO[t].bits === info.bits);
  if (!type) return err(simError('pki/unsupported-private-key', `x509: unsupported ${info.algorithm} key of ${info.bits} bits`));
  const publicKey = await crypto.subtle.importKey('spki', parsed.value.spki as BufferSource, algorithms(type).generate, true, ['verify']);
  return ok({ type, privateKey: parsed.value.key, publicKey, spki: parsed.value.spki, info: KEY_INFO[type] });
}
