import { execFileSync } from 'node:child_process';
import { createPrivateKey, generatePrimeSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inThreadCrypto } from '../../../server/cli/inThreadCrypto.ts';
import { isPrimeBuildable, rsaJwk } from '../../../server/cli/rsaFromPrimes.ts';

const alg: RsaHashedKeyGenParams = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };

describe('RSA pairs from node:crypto primes', () => {
  it('gives the CryptoKeys WebCrypto would, signing and verifying, and a private key OpenSSL checks as valid', async () => {
    const crypto = inThreadCrypto(globalThis.crypto);
    const pair = (await crypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
    const ref = (await globalThis.crypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
    for (const k of ['privateKey', 'publicKey'] as const) {
      expect(pair[k].algorithm).toEqual(ref[k].algorithm);
      expect(pair[k].usages).toEqual(ref[k].usages);
      expect(pair[k].extractable).toBe(ref[k].extractable);
    }
    const data = new TextEncoder().encode('spiffe://east.local/ns/default/sa/curl');
    const sig = await globalThis.crypto.subtle.sign('RSASSA-PKCS1-v1_5', pair.privateKey, data);
    expect(await globalThis.crypto.subtle.verify('RSASSA-PKCS1-v1_5', pair.publicKey, sig, data)).toBe(true);
    const pem = createPrivateKey({ key: Buffer.from(await globalThis.crypto.subtle.exportKey('pkcs8', pair.privateKey)), format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' }) as string;
    expect(execFileSync('openssl', ['rsa', '-check', '-noout'], { input: pem, encoding: 'utf8' })).toContain('RSA key ok');
  });

  it('builds only what it can build exactly; everything else is left to WebCrypto', () => {
    expect(isPrimeBuildable(alg, ['sign', 'verify'])).toBe(true);
    expect(isPrimeBuildable({ ...alg, publicExponent: new Uint8Array([3]) }, ['sign', 'verify'])).toBe(false);
    expect(isPrimeBuildable({ ...alg, name: 'RSA-PSS' }, ['sign', 'verify'])).toBe(false);
    expect(isPrimeBuildable({ ...alg, hash: 'SHA-3' }, ['sign', 'verify'])).toBe(false);
    expect(isPrimeBuildable(alg, ['verify'])).toBe(false); // WebCrypto's own error: no usage for the private key
    expect(isPrimeBuildable(alg, ['sign', 'encrypt'])).toBe(false);
  });

  it('refuses primes that do not make a key of the asked size with e = 65537', () => {
    const p = generatePrimeSync(512, { bigint: true });
    expect(rsaJwk(p, p, 1024)).toBeUndefined();
    expect(rsaJwk(p, generatePrimeSync(256, { bigint: true }), 1024)).toBeUndefined();
  });
});
