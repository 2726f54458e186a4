import { describe, expect, it } from 'vitest';
import { overriding } from '../../../sim/pki/overriding.ts';

describe('overriding', () => {
  it('replaces the named members and binds the others to the real object', async () => {
    const subtle = globalThis.crypto.subtle;
    const digest = () => Promise.resolve(new ArrayBuffer(1));
    const view = overriding(globalThis.crypto, { subtle: overriding(subtle, { digest }) });
    expect(view.subtle.digest).toBe(digest);
    // Not overridden: WebCrypto's own methods, still callable (they throw when unbound).
    const key = await view.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
    expect((key as CryptoKeyPair).publicKey.type).toBe('public');
    expect(view.getRandomValues(new Uint8Array(4))).toHaveLength(4);
  });
});
