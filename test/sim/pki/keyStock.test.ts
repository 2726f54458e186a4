import { describe, expect, it } from 'vitest';
import { generateKeyPair, SignatureVerifier, signData, signatureOidFor } from '../../../sim/pki/keys.ts';
import { KeyStock } from '../../../sim/pki/keyStock.ts';

const crypto = globalThis.crypto;
const der = async (k: CryptoKey) => new Uint8Array(await crypto.subtle.exportKey('spki', k));

describe('KeyStock', () => {
  it('gives each RSA request of a world its own key, and a later world the same keys in the same order', async () => {
    const stock = new KeyStock(crypto);
    const first = stock.view();
    const a1 = await generateKeyPair(first, 'rsa-2048');
    const a2 = await generateKeyPair(first, 'rsa-2048');
    expect(a1.spki).not.toEqual(a2.spki);
    const second = stock.view();
    expect((await generateKeyPair(second, 'rsa-2048')).spki).toEqual(a1.spki);
    expect((await generateKeyPair(second, 'rsa-2048')).spki).toEqual(a2.spki);
    // A third request of the second world is new to the stock: a fresh key.
    const b3 = await generateKeyPair(second, 'rsa-2048');
    expect([a1.spki, a2.spki]).not.toContainEqual(b3.spki);
  }, 30_000);

  it('gives each EC request of a world its own key (generated a few ahead), a later world the same keys, and leaves the rest of WebCrypto untouched', async () => {
    let generated = 0;
    const counting = { subtle: new Proxy(crypto.subtle, { get: (t, p) => (p === 'generateKey' ? (...a: Parameters<SubtleCrypto['generateKey']>) => (generated++, t.generateKey(...(a as [EcKeyGenParams, boolean, KeyUsage[]]))) : (Reflect.get(t, p, t) as (...a: unknown[]) => unknown).bind?.(t) ?? Reflect.get(t, p, t)) }), getRandomValues: crypto.getRandomValues.bind(crypto) } as unknown as Crypto;
    const stock = new KeyStock(counting);
    const first = stock.view();
    const ec = await Promise.all([1, 2, 3].map(() => generateKeyPair(first, 'ec-p256')));
    expect(new Set(ec.map((k) => Buffer.from(k.spki).toString('hex'))).size).toBe(3);
    expect(generated).toBe(7); // the three taken, and four more under way
    const second = stock.view();
    expect((await generateKeyPair(second, 'ec-p256')).spki).toEqual(ec[0]!.spki);
    // Another curve is another kind of request, with keys of its own.
    const p384 = await generateKeyPair(second, 'ec-p384');
    expect(p384.privateKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-384' });
    expect(p384.privateKey.usages).toEqual(['sign']);
    expect(second.getRandomValues(new Uint8Array(8))).toHaveLength(8);
    const sig = await signData(second, ec[1]!, new Uint8Array([1, 2, 3]));
    expect((await new SignatureVerifier(second).verify(ec[1]!.spki, signatureOidFor('ec-p256'), sig, new Uint8Array([1, 2, 3]))).ok).toBe(true);
  });

  it('drains: resolves once the pairs under way ahead have been generated (a worker stops only then)', async () => {
    const stock = new KeyStock(crypto);
    let settled = 0;
    const counting = { subtle: new Proxy(crypto.subtle, { get: (t, p) => (p === 'generateKey' ? (...a: Parameters<SubtleCrypto['generateKey']>) => (t.generateKey(...(a as [EcKeyGenParams, boolean, KeyUsage[]])) as Promise<CryptoKeyPair>).finally(() => settled++) : (Reflect.get(t, p, t) as (...a: unknown[]) => unknown).bind?.(t) ?? Reflect.get(t, p, t)) }) } as unknown as Crypto;
    const tracked = new KeyStock(counting);
    await generateKeyPair(tracked.view(), 'ec-p256');
    await tracked.drain();
    expect(settled).toBe(5); // the one taken and the four ahead
    await stock.drain(); // nothing generated: resolves at once
  });

  it('a generation that fails reaches the request that takes it', async () => {
    const view = new KeyStock(crypto).view();
    await expect(view.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-999' }, true, ['sign', 'verify'])).rejects.toThrow();
  });

  it('asks its source (the main thread, for a worker) for pairs it does not hold, once each', async () => {
    const asked: number[] = [];
    const main = new KeyStock(crypto);
    const worker = new KeyStock(crypto, (req) => {
      asked.push(req.index);
      return main.pair(req);
    });
    const k0 = await generateKeyPair(worker.view(), 'rsa-2048');
    await generateKeyPair(worker.view(), 'rsa-2048');
    expect(asked).toEqual([0]);
    const fromMain = await generateKeyPair(main.view(), 'rsa-2048');
    expect(await der(fromMain.publicKey)).toEqual(await der(k0.publicKey));
  }, 30_000);
});

describe('KeyStock prefetch', () => {
  it('keeps the next pair of a kind under way, so a rotating CA does not wait for it; a worker stock leaves that to its source', async () => {
    let generated = 0;
    const counting = { subtle: new Proxy(crypto.subtle, { get: (t, p) => (p === 'generateKey' ? (...a: Parameters<SubtleCrypto['generateKey']>) => (generated++, t.generateKey(...(a as [RsaHashedKeyGenParams, boolean, KeyUsage[]]))) : (Reflect.get(t, p, t) as (...a: unknown[]) => unknown).bind?.(t) ?? Reflect.get(t, p, t)) }) } as unknown as Crypto;
    const stock = new KeyStock(counting);
    const world = stock.view();
    const k0 = await generateKeyPair(world, 'rsa-2048');
    expect(generated).toBe(2); // index 0, and index 1 ahead
    const k1 = await generateKeyPair(world, 'rsa-2048');
    expect(generated).toBe(3); // index 1 was ready; index 2 is started for the next request
    expect(k1.spki).not.toEqual(k0.spki);
    await generateKeyPair(world, 'rsa-2048');
    expect(generated).toBe(4); // index 2 was ready; index 3 ahead
    // A later world takes the same pairs; only the one after its last is new.
    await generateKeyPair(stock.view(), 'rsa-2048');
    expect(generated).toBe(4);
    const asked: number[] = [];
    const worker = new KeyStock(counting, (req) => (asked.push(req.index), stock.pair(req)));
    await generateKeyPair(worker.view(), 'rsa-2048');
    expect(asked).toEqual([0]);
    expect(generated).toBe(4);
  }, 60_000);
});

describe('SignatureVerifier', () => {
  it('caches verdicts by key, algorithm, signature and data: a second check of the same signature does not reach WebCrypto', async () => {
    let calls = 0;
    const counting = { subtle: new Proxy(crypto.subtle, { get: (t, p) => (p === 'verify' ? (...a: Parameters<SubtleCrypto['verify']>) => (calls++, t.verify(...a)) : (Reflect.get(t, p, t) as (...a: unknown[]) => unknown).bind?.(t) ?? Reflect.get(t, p, t)) }) } as unknown as Crypto;
    const key = await generateKeyPair(crypto, 'ec-p256');
    const data = new Uint8Array([9, 8, 7]);
    const sig = await signData(crypto, key, data);
    const v = new SignatureVerifier(counting);
    const oid = signatureOidFor('ec-p256');
    expect((await v.verify(key.spki, oid, sig, data)).ok).toBe(true);
    expect((await v.verify(key.spki, oid, sig, data)).ok).toBe(true);
    expect(calls).toBe(1);
    // Other data under the same signature is a different question, and fails.
    const other = await v.verify(key.spki, oid, sig, new Uint8Array([9, 8, 6]));
    expect(other).toMatchObject({ ok: false, error: { code: 'pki/bad-signature', message: 'x509: ECDSA verification failure' } });
    expect(calls).toBe(2);
  });
});
