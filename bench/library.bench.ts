/**
 * The whole scenario library played in memory, as CI runs it (`fedlab run scenarios/ --memory`):
 * wall seconds from the command's start to its summary, every variant of every scenario, on the
 * default pool (one thread per core). Target: under 10 s on the 2-core machine.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { main } from '../server/cli/main.ts';
import type { Measurement } from './measure.ts';

const TARGET_S = 10;

export async function libraryBenchmarks(): Promise<Measurement[]> {
  const cwd = resolve(import.meta.dirname, '..');
  let stdout = '';
  let stderr = '';
  const started = performance.now();
  const code = await main(['run', 'scenarios', '--memory'], { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: process.env, cwd });
  const seconds = (performance.now() - started) / 1000;
  const summary = /(\d+) passed, (\d+) failed/.exec(stdout);
  const variants = summary ? Number(summary[1]) + Number(summary[2]) : 0;
  const failures = summary ? Number(summary[2]) : undefined;
  const problem = code === 0 ? '' : `; exit ${code}${failures ? `, ${failures} failed` : ''}${stderr ? `: ${stderr.split('\n')[0]}` : ''}`;
  return [
    {
      name: 'library.memory.wall',
      value: seconds,
      unit: 's',
      limit: TARGET_S,
      ratio: seconds / TARGET_S,
      note: `target < ${TARGET_S} s; ${variants} variants, ${availableParallelism()} threads${problem}`,
    },
  ];
}
