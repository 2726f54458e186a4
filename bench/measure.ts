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
