/**
 * Fresh EC key pairs generated a few ahead. WebCrypto generates a key as a job on the thread pool; a
 * world awaiting one (an agent minting an SVID, a CA) has nothing else to do meanwhile, so every
 * generation was an idle round trip (thousands per library run). Here each kind of request (curve,
 * extractability, usages) keeps a few generations already under way: a request takes the oldest and
 * starts its replacement, so generation overlaps the world's work. Every pair is still handed out once
 * and only once, and its material is as random as before; nothing is shared between requests.
 */

const DEPTH = 4;

type EcGenParams = EcKeyGenParams & { readonly name: 'ECDSA' | 'ECDH' };

const isEc = (alg: unknown): alg is EcGenParams =>
  typeof alg === 'object' && alg !== null && ((alg as { name?: unknown }).name === 'ECDSA' || (alg as { name?: unknown }).name === 'ECDH') && typeof (alg as { namedCurve?: unknown }).namedCurve === 'string';

export class EcKeysAhead {
  private readonly ahead = new Map<string, Promise<CryptoKeyPair>[]>();

  constructor(private readonly subtle: SubtleCrypto) {}

  /** A pair for this request, or undefined when it is not an EC key-pair generation (left to the caller). */
  take(alg: unknown, extractable: boolean, usages: readonly KeyUsage[]): Promise<CryptoKeyPair> | undefined {
    if (!isEc(alg)) return undefined;
    const slot = JSON.stringify([alg.name, alg.namedCurve, extractable, usages]);
    let queue = this.ahead.get(slot);
    if (!queue) this.ahead.set(slot, (queue = []));
    const start = (): Promise<CryptoKeyPair> => {
      const p = this.subtle.generateKey({ name: alg.name, namedCurve: alg.namedCurve }, extractable, [...usages]) as Promise<CryptoKeyPair>;
      p.catch(() => {}); // a failure surfaces to whoever takes this pair
      return p;
    };
    const pair = queue.shift() ?? start();
    while (queue.length < DEPTH) queue.push(start());
    return pair;
  }
}
