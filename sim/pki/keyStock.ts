/**
 * RSA key pairs shared between worlds played one after another (`fedlab run`, the library test).
 * Generating an RSA-2048 key costs ~100 ms of OpenSSL time, and a mesh world makes several (istiod's
 * self-signed root, OpenShift's service CA and router, ZTWIM's `ca_key_type`): with a fresh key each
 * time they were over half of the whole library's run time. Key material is the one thing that
 * already differs between two plays of a scenario, so handing a later world the keys an earlier one
 * used changes no verdict, name, serial or event. Within one world every request still gets a key of
 * its own (the nth RSA request of a view takes the stock's nth pair), so two CAs never share a key.
 * EC keys stay fresh (one per request; generated a few ahead, `ecKeysAhead.ts`). Worker threads draw
 * from one stock in the main thread (`source`), so a pool generates no more keys than one thread would.
 */
import { EcKeysAhead } from './ecKeysAhead.ts';
import { overriding } from './overriding.ts';

const reusable = (alg: AlgorithmIdentifier | RsaHashedKeyGenParams | EcKeyGenParams): alg is RsaHashedKeyGenParams => typeof alg === 'object' && 'modulusLength' in alg;

/** One list of pairs per set of generation parameters (usage order does not matter). */
const slotOf = (alg: RsaHashedKeyGenParams, extractable: boolean, usages: readonly KeyUsage[]): string =>
  JSON.stringify([alg.name, alg.modulusLength, Array.from(alg.publicExponent), typeof alg.hash === 'string' ? alg.hash : alg.hash.name, extractable, [...usages].sort()]);

/** The stock's `index`th pair for these generation parameters (plain data: it crosses threads). */
export interface StockKeyRequest {
  readonly alg: RsaHashedKeyGenParams;
  readonly extractable: boolean;
  readonly usages: readonly KeyUsage[];
  readonly index: number;
}

export class KeyStock {
  private readonly pairs = new Map<string, Promise<CryptoKeyPair>[]>();
  /** EC pairs stay fresh (one per request) but are generated a few ahead (ecKeysAhead.ts). */
  private readonly ecAhead: EcKeysAhead;

  /** `source` supplies missing pairs instead of generating them here (a worker asks the main thread's stock). */
  constructor(
    private readonly base: Crypto,
    private readonly source?: (req: StockKeyRequest) => Promise<CryptoKeyPair>,
  ) {
    this.ecAhead = new EcKeysAhead(base.subtle);
  }

  pair(req: StockKeyRequest): Promise<CryptoKeyPair> {
    const { alg, extractable, usages, index } = req;
    const slot = slotOf(alg, extractable, usages);
    const list = this.pairs.get(slot) ?? [];
    this.pairs.set(slot, list);
    if (list[index] === undefined) {
      list[index] = this.generate(req);
      // A miss means a world needs more pairs than earlier ones did (a CA rotating its key): it will
      // likely ask for the next one too, so that one is generated now, on the thread pool, while the
      // world plays on, instead of being waited for (~100 ms each) when the rotation comes.
      if (!this.source && list[index + 1] === undefined) {
        const next = (list[index + 1] = this.generate({ ...req, index: index + 1 }));
        next.catch(() => {}); // a failure surfaces to whoever takes this pair
      }
    }
    return list[index];
  }

  private generate(req: StockKeyRequest): Promise<CryptoKeyPair> {
    return this.source ? this.source(req) : (this.base.subtle.generateKey(req.alg, req.extractable, [...req.usages]) as Promise<CryptoKeyPair>);
  }

  /** A `Crypto` for one world: the base one, except that RSA key generation draws from the stock. */
  view(): Crypto {
    const base = this.base;
    const subtle = base.subtle;
    const taken = new Map<string, number>();
    const generateKey = (alg: AlgorithmIdentifier | RsaHashedKeyGenParams | EcKeyGenParams, extractable: boolean, usages: KeyUsage[]): Promise<CryptoKeyPair | CryptoKey> => {
      if (!reusable(alg)) return this.ecAhead.take(alg, extractable, usages) ?? (subtle.generateKey(alg as AlgorithmIdentifier, extractable, usages) as Promise<CryptoKeyPair | CryptoKey>);
      const slot = slotOf(alg, extractable, usages);
      const index = taken.get(slot) ?? 0;
      taken.set(slot, index + 1);
      return this.pair({ alg, extractable, usages, index });
    };
    return overriding(base, { subtle: overriding(subtle, { generateKey }) });
  }
}
