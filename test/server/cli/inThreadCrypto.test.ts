// The command line's in-thread signing and export give what WebCrypto gives.
import { describe, expect, it } from 'vitest';
import { inThreadCrypto } from '../../../server/cli/inThreadCrypto.ts';

const web = globalThis.crypto;
const fast = inThreadCrypto(web);
const data = new TextEncoder().encode('tbsCertificate');
const gen = (alg: RsaHashedKeyGenParams | EcKeyGenParams) => web.subtle.generateKey(alg, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;

describe('inThreadCrypto', () => {
  it('exports EC public keys (raw and SPKI) byte for byte as WebCrypto does', async () => {
    for (const namedCurve of ['P-256', 'P-384']) {
      const k = await gen({ name: 'ECDSA', namedCurve });
      expect(new Uint8Array((await fast.subtle.exportKey('raw', k.publicKey)) as ArrayBuffer)).toEqual(new Uint8Array(await web.subtle.exportKey('raw', k.publicKey)));
      expect(new Uint8Array((await fast.subtle.exportKey('spki', k.publicKey)) as ArrayBuffer)).toEqual(new Uint8Array(await web.subtle.exportKey('spki', k.publicKey)));
      // PKCS#8 of an extractable private key: in this thread, the same DER.
      expect(new Uint8Array((await fast.subtle.exportKey('pkcs8', k.privateKey)) as ArrayBuffer)).toEqual(new Uint8Array(await web.subtle.exportKey('pkcs8', k.privateKey)));
    }
  });

  it('exports RSA private keys (PKCS#8) as WebCrypto does, and leaves a non-extractable key to WebCrypto\'s refusal', async () => {
    const rsa = await gen({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: Uint8Array.of(1, 0, 1), hash: 'SHA-256' });
    expect(new Uint8Array((await fast.subtle.exportKey('pkcs8', rsa.privateKey)) as ArrayBuffer)).toEqual(new Uint8Array(await web.subtle.exportKey('pkcs8', rsa.privateKey)));
    const sealed = (await web.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])) as CryptoKeyPair;
    await expect(fast.subtle.exportKey('pkcs8', sealed.privateKey)).rejects.toThrow('key is not extractable');
  }, 30_000);

  it('makes ECDSA (P1363) and RSA PKCS#1 v1.5 signatures WebCrypto verifies, and verifies WebCrypto\'s', async () => {
    const ec = await gen({ name: 'ECDSA', namedCurve: 'P-256' });
    const ecSig = await fast.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, ec.privateKey, data);
    expect(ecSig.byteLength).toBe(64);
    expect(await web.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, ec.publicKey, ecSig, data)).toBe(true);
    const webEcSig = await web.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, ec.privateKey, data);
    expect(await fast.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, ec.publicKey, webEcSig, data)).toBe(true);
    expect(await fast.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, ec.publicKey, webEcSig, new Uint8Array([1]))).toBe(false);

    const rsa = await gen({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: Uint8Array.of(1, 0, 1), hash: 'SHA-256' });
    const rsaSig = new Uint8Array(await fast.subtle.sign({ name: 'RSASSA-PKCS1-v1_5' }, rsa.privateKey, data));
    // Deterministic: the very bytes WebCrypto produces.
    expect(rsaSig).toEqual(new Uint8Array(await web.subtle.sign({ name: 'RSASSA-PKCS1-v1_5' }, rsa.privateKey, data)));
    expect(await fast.subtle.verify({ name: 'RSASSA-PKCS1-v1_5' }, rsa.publicKey, rsaSig, data)).toBe(true);
  }, 30_000);

  it('leaves WebCrypto\'s errors to WebCrypto (a key without the usage)', async () => {
    const ec = (await web.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify', 'sign'])) as CryptoKeyPair;
    await expect(fast.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, ec.publicKey, data)).rejects.toThrow();
    expect(fast.getRandomValues(new Uint8Array(4))).toHaveLength(4);
  });
});
