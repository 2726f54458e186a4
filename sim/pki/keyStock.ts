/**
 * Key pairs shared between worlds played one after another (`fedlab run`, the library test).
 * Generating an RSA-2048 key costs tens of milliseconds, and a mesh world makes several (istiod's
 * self-signed root, OpenShift's service CA and router, ZTWIM's `ca_key_type`); an EC key is cheap to
 * make but a world makes dozens (one per SVID), thousands per library run, each a WebCrypto job on the
 * thread pool. Key material is the one thing that already differs between two plays of a scenario,
 * so handing a later world the keys an earlier one used changes no verdict, name, serial or event.
 * Within one world every request still gets a key of its own (the nth request of a kind in a view
 * takes the stock's nth pair of that kind), so two CAs or two SVIDs never share a key.
 * A few pairs beyond the last one asked for are always under way (the next RSA pair, four EC pairs),
 * so that a world making keys in a row, or a CA rotating, does not wait for each. Worker threads draw
 * RSA pairs from the main thread's stock (`source`), so a pool generates no more of them than one
 * thread would; EC pairs are made where they are used.
 */
import { overriding } from './overriding.ts';

type StockAlgorithm = RsaHashedKeyGenParams | (EcKeyGenParams & { readonly name: 'ECDSA' | 'ECDH' });

const isRsa = (alg: unknown): alg is RsaHashedKeyGenParams => typeof alg === 'object' && alg !== null && 'modulusLength' in alg;
const isEc = (alg: unknown): alg is EcKeyGenParams & { readonly name: 'ECDSA' | 'ECDH' } =>
  typeof alg === 'object' && alg !== null && ((alg as { name?: unknown }).name === 'ECDSA' || (alg as { name?: unknown }).name === 'ECDH') && typeof (alg as { namedCurve?: unknown }).namedCurve === 'string';

/** Pairs kept under way beyond the last one asked for: RSA ones are costly, EC ones are asked for many in a row. */
const RSA_AHEAD = 1;
const EC_AHEAD = 4;

/** One list of pairs per set of generation parameters (usage order does not matter). */
function slotOf(alg: StockAlgorithm, extractable: boolean, usages: readonly KeyUsage[]): string {
  const params = isRsa(alg) ? [alg.modulusLength, Array.from(alg.publicExponent), typeof alg.hash === 'string' ? alg.hash : alg.hash.name] : [alg.namedCurve];
  return JSON.stringify([alg.name, ...params, extractable, [...usages].sort()]);
}

/** The stock's `index`th pair for these generation parameters (plain data: it crosses threads). */
export interface StockKeyRequest {
  readonly alg: StockAlgorithm;
  readonly extractable: boolean;
  readonly usages: readonly KeyUsage[];
  readonly index: number;
}

export class KeyStock {
  private readonly pairs = new Map<string, Promise<CryptoKeyPair>[]>();

  /** `source` supplies missing RSA pairs instead of generating them here (a worker asks the main thread's stock). */
  constructor(
    private readonly base: Crypto,
    private readonly source?: (req: StockKeyRequest) => Promise<CryptoKeyPair>,
  ) {}

  pair(req: StockKeyRequest): Promise<CryptoKeyPair> {
    const slot = slotOf(req.alg, req.extractable, req.usages);
    let list = this.pairs.get(slot);
    if (!list) this.pairs.set(slot, (list = []));
    const fromSource = this.source !== undefined && isRsa(req.alg);
    // A worker's RSA misses are its source's to generate (and to generate ahead). The pairs after this
    // one are started on a hit too: a CA rotating every few virtual hours asks for one key at a time,
    // and would otherwise wait for every other one.
    const ahead = fromSource ? 0 : isRsa(req.alg) ? RSA_AHEAD : EC_AHEAD;
    for (let i = req.index; i <= req.index + ahead; i++) {
      if (list[i] !== undefined) continue;
      const p = fromSource ? this.source!({ ...req, index: i }) : (this.base.subtle.generateKey(req.alg, req.extractable, [...req.usages]) as Promise<CryptoKeyPair>);
      if (i > req.index) p.catch(() => {}); // a failure surfaces to whoever takes this pair
      list[i] = p;
    }
    return list[req.index]!;
  }

  /** Resolves once every pair generated so far (the ones under way ahead included) has settled. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.pairs.values()].flat());
  }

  /** A `Crypto` for one world: the base one, except that RSA and EC key-pair generation draw from the stock. */
  view(): Crypto {
    const subtle = this.base.subtle;
    const taken = new Map<string, number>();
    const generateKey = (alg: AlgorithmIdentifier | RsaHashedKeyGenParams | EcKeyGenParams, extractable: boolean, usages: KeyUsage[]): Promise<CryptoKeyPair | CryptoKey> => {
      if (!isRsa(alg) && !isEc(alg)) return subtle.generateKey(alg as AlgorithmIdentifier, extractable, usages) as Promise<CryptoKeyPair | CryptoKey>;
      const stockAlg: StockAlgorithm = isRsa(alg) ? alg : { name: alg.name, namedCurve: alg.namedCurve };
      const slot = slotOf(stockAlg, extractable, usages);
      const index = taken.get(slot) ?? 0;
      taken.set(slot, index + 1);
      return this.pair({ alg: stockAlg, extractable, usages, index });
    };
    return overriding(this.base, { subtle: overriding(subtle, { generateKey }) });
  }
}
