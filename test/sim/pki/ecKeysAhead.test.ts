import { describe, expect, it } from 'vitest';
import { EcKeysAhead } from '../../../sim/pki/ecKeysAhead.ts';

const crypto = globalThis.crypto;
const spki = async (p: CryptoKeyPair) => Buffer.from(await crypto.subtle.exportKey('spki', p.publicKey)).toString('hex');

describe('EcKeysAhead', () => {
  it('hands out a fresh pair per request, generated ahead, with the requested curve, extractability and usages', async () => {
    let generated = 0;
    const counting = new Proxy(crypto.subtle, { get: (t, p) => (p === 'generateKey' ? (...a: Parameters<SubtleCrypto['generateKey']>) => (generated++, t.generateKey(...(a as [EcKeyGenParams, boolean, KeyUsage[]]))) : (Reflect.get(t, p, t) as (...a: unknown[]) => unknown).bind?.(t) ?? Reflect.get(t, p, t)) }) as SubtleCrypto;
    const ahead = new EcKeysAhead(counting);
    const alg = { name: 'ECDSA', namedCurve: 'P-256' };
    const first = await ahead.take(alg, true, ['sign', 'verify'])!;
    expect(generated).toBe(5); // this one and four ahead
    const pairs = [first, ...(await Promise.all([1, 2, 3, 4, 5].map(() => ahead.take(alg, true, ['sign', 'verify'])!)))];
    expect(new Set(await Promise.all(pairs.map(spki))).size).toBe(6);
    expect(first.privateKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' });
    expect(first.privateKey.extractable).toBe(true);
    expect(first.privateKey.usages).toEqual(['sign']);
    // Another kind of request has its own queue; non-EC requests are left to the caller.
    const fixed = await ahead.take({ name: 'ECDSA', namedCurve: 'P-384' }, false, ['sign', 'verify'])!;
    expect(fixed.privateKey.algorithm).toMatchObject({ namedCurve: 'P-384' });
    expect(fixed.privateKey.extractable).toBe(false);
    expect(ahead.take({ name: 'Ed25519' }, true, ['sign', 'verify'])).toBeUndefined();
    expect(ahead.take({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048 }, true, ['sign'])).toBeUndefined();
  });

  it('a generation that fails reaches the request that takes it', async () => {
    const ahead = new EcKeysAhead(crypto.subtle);
    await expect(ahead.take({ name: 'ECDSA', namedCurve: 'P-999' }, true, ['sign', 'verify'])!).rejects.toThrow();
  });
});
