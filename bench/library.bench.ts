/**
 * The whole scenario library played in memory, as CI and a trainer run it: `node bin/fedlab.mjs run
 * scenarios --memory` in a child process, timed from spawn to exit (process start, loading, every
 * variant of every scenario on the default pool of one worker per core, the summary). The median of
 * three runs: the shared 2-core machine's speed drifts by tens of per cent from one minute to the next.
 * Target: under 10 s on the 2-core machine.
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { median, type Measurement } from './measure.ts';

const TARGET_S = 10;
const RUNS = 3;

interface LibraryRun {
  readonly seconds: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runLibrary(cwd: string): Promise<LibraryRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [join(cwd, 'bin/fedlab.mjs'), 'run', 'scenarios', '--memory'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => done({ seconds: (performance.now() - started) / 1000, code, stdout, stderr }));
  });
}

export async function libraryBenchmarks(): Promise<Measurement[]> {
  const cwd = resolve(import.meta.dirname, '..');
  const runs: LibraryRun[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await runLibrary(cwd));
  const seconds = median(runs.map((r) => r.seconds));
  const last = runs.at(-1)!;
  const summary = /(\d+) passed, (\d+) failed/.exec(last.stdout);
  const variants = summary ? Number(summary[1]) + Number(summary[2]) : 0;
  const failed = runs.find((r) => r.code !== 0);
  const problem = failed ? `; exit ${failed.code}${failed.stderr ? `: ${failed.stderr.split('\n')[0]}` : ''}` : '';
  return [
    {
      name: 'library.memory.wall',
      value: seconds,
      unit: 's',
      limit: TARGET_S,
      ratio: seconds / TARGET_S,
      note: `target < ${TARGET_S} s; median of ${RUNS} runs (${runs.map((r) => r.seconds.toFixed(1)).join(', ')} s); ${variants} variants, ${availableParallelism()} worker threads${problem}`,
    },
  ];
}
