/** Small measuring tools for benchmarks: rates over a time budget, medians, alternating runs. */

export interface Measurement {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly limit?: number;
  readonly ratio?: number;
  readonly note?: string;
}

/**
 * Runs `op` with `concurrency` operations in flight until `budgetMs` has passed; returns ops/s.
 * The same driver measures the limit (raw keygen, raw sign) and the issuance path, so both see
 * the same API and the same concurrency.
 */
export async function rate(op: () => Promise<unknown>, concurrency: number, budgetMs: number): Promise<number> {
  let done = 0;
  const start = performance.now();
  const deadline = start + budgetMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      await op();
      done++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return done / ((performance.now() - start) / 1000);
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Runs each measurement `rounds` times, interleaved (a, b, c, a, b, c, …), and returns the medians. */
export async function alternating<K extends string>(rounds: number, runs: Record<K, () => Promise<number>>): Promise<Record<K, number>> {
  const samples = Object.fromEntries(Object.keys(runs).map((k) => [k, [] as number[]])) as unknown as Record<K, number[]>;
  for (let i = 0; i < rounds; i++) {
    for (const k of Object.keys(runs) as K[]) samples[k].push(await runs[k]());
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v as number[])])) as Record<K, number>;
}

/**
 * A ratio a/b robust to the host's drift: each of `rounds` rounds runs a, b, b, a (so a linear drift
 * within the round weighs on both sides alike) and gives (a₁+a₂)/(b₁+b₂); the result is the median of
 * the rounds' ratios, with the medians of each side's samples.
 */
export async function pairedRatio(rounds: number, a: () => Promise<number>, b: () => Promise<number>): Promise<{ a: number; b: number; ratio: number }> {
  const as: number[] = [];
  const bs: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const a1 = await a();
    const b1 = await b();
    const b2 = await b();
    const a2 = await a();
    as.push(a1, a2);
    bs.push(b1, b2);
    ratios.push((a1 + a2) / (b1 + b2));
  }
  return { a: median(as), b: median(bs), ratio: median(ratios) };
}
