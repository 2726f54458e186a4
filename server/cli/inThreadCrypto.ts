/**
 * WebCrypto for the command line with signing, verifying and public-key export done in the calling
 * thread through node:crypto. Node's WebCrypto runs every operation as a job on the libuv pool: an
 * ECDSA signature costs ~50 µs of CPU but ~1 ms of round trip, and a world issuing hundreds of SVIDs
 * waits for each. The results are the same bytes (RSA PKCS#1 v1.5 signatures are deterministic; ECDSA
 * ones are random either way), so verdicts do not change. RSA signing pairs are built from primes
 * (rsaFromPrimes.ts). Anything else — other key generation, imports, unusual parameters, or an
 * operation node:crypto refuses — goes to WebCrypto, which also keeps its errors.
 */
import { KeyObject, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { overriding } from '../../sim/pki/overriding.ts';
import { isPrimeBuildable, rsaPairFromPrimes } from './rsaFromPrimes.ts';

const HASHES: Readonly<Record<string, string>> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
const hashOf = (h: unknown): string | undefined => HASHES[typeof h === 'string' ? h : ((h as { name?: string } | undefined)?.name ?? '')];

const bytes = (d: BufferSource): Uint8Array => (ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : new Uint8Array(d));
const arrayBuffer = (b: Uint8Array): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

const keyObjects = new WeakMap<CryptoKey, KeyObject>();
const keyObject = (k: CryptoKey): KeyObject => {
  let o = keyObjects.get(k);
  if (!o) keyObjects.set(k, (o = KeyObject.from(k)));
  return o;
};

type SignAlgorithm = AlgorithmIdentifier | EcdsaParams | RsaPssParams;

/** How node:crypto does what WebCrypto was asked, or undefined to leave it to WebCrypto. */
function signingPlan(alg: SignAlgorithm, key: CryptoKey, usage: KeyUsage): { hash: string; key: KeyObject; dsaEncoding?: 'ieee-p1363' } | undefined {
  if (!key.usages.includes(usage)) return undefined;
  const name = typeof alg === 'string' ? alg : alg.name;
  if (name === 'ECDSA' && key.algorithm.name === 'ECDSA') {
    const hash = hashOf((alg as EcdsaParams).hash);
    return hash ? { hash, key: keyObject(key), dsaEncoding: 'ieee-p1363' } : undefined;
  }
  if (name === 'RSASSA-PKCS1-v1_5' && key.algorithm.name === 'RSASSA-PKCS1-v1_5') {
    const hash = hashOf((key.algorithm as RsaHashedKeyAlgorithm).hash);
    return hash ? { hash, key: keyObject(key) } : undefined;
  }
  return undefined;
}

export function inThreadCrypto(base: Crypto): Crypto {
  const subtle = base.subtle;
  const sign = (alg: SignAlgorithm, key: CryptoKey, data: BufferSource): Promise<ArrayBuffer> => {
    const plan = signingPlan(alg, key, 'sign');
    if (!plan) return subtle.sign(alg, key, data);
    try {
      const { hash, ...opts } = plan;
      return Promise.resolve(arrayBuffer(nodeSign(hash, bytes(data), opts)));
    } catch {
      return subtle.sign(alg, key, data);
    }
  };
  const verify = (alg: SignAlgorithm, key: CryptoKey, signature: BufferSource, data: BufferSource): Promise<boolean> => {
    const plan = signingPlan(alg, key, 'verify');
    if (!plan) return subtle.verify(alg, key, signature, data);
    try {
      const { hash, ...opts } = plan;
      return Promise.resolve(nodeVerify(hash, bytes(data), opts, bytes(signature)));
    } catch {
      return subtle.verify(alg, key, signature, data);
    }
  };
  const exportKey = (format: KeyFormat, key: CryptoKey): Promise<ArrayBuffer | JsonWebKey> => {
    if (key.type === 'public' && (format === 'spki' || (format === 'raw' && key.algorithm.name === 'ECDSA'))) {
      try {
        const o = keyObject(key);
        if (format === 'spki') return Promise.resolve(arrayBuffer(o.export({ type: 'spki', format: 'der' })));
        // An EC public key's raw form is the uncompressed point: 0x04 ‖ x ‖ y.
        const jwk = o.export({ format: 'jwk' });
        if (jwk.x && jwk.y) return Promise.resolve(arrayBuffer(Buffer.concat([Buffer.of(4), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')])));
      } catch {
        // fall through to WebCrypto
      }
    }
    // PKCS#8 of an extractable private key (SVID and CA keys written to disk): the same DER as
    // WebCrypto's export (checked for EC and RSA keys), without the pool round trip. A key that is
    // not extractable goes to WebCrypto, which refuses it with its own error.
    if (key.type === 'private' && format === 'pkcs8' && key.extractable) {
      try {
        return Promise.resolve(arrayBuffer(keyObject(key).export({ type: 'pkcs8', format: 'der' })));
      } catch {
        // fall through to WebCrypto
      }
    }
    return subtle.exportKey(format as 'jwk', key);
  };
  // RSA signing pairs are built from node:crypto primes, a third of OpenSSL's RSA key generation time (rsaFromPrimes.ts).
  const generateKey = (alg: AlgorithmIdentifier | RsaHashedKeyGenParams | EcKeyGenParams, extractable: boolean, usages: KeyUsage[]): Promise<CryptoKeyPair | CryptoKey> =>
    isPrimeBuildable(alg, usages) ? rsaPairFromPrimes(subtle, alg, extractable, usages) : (subtle.generateKey(alg as AlgorithmIdentifier, extractable, usages) as Promise<CryptoKeyPair | CryptoKey>);
  return overriding(base, { subtle: overriding(subtle, { sign, verify, exportKey, generateKey }) });
}
