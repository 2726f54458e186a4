/**
 * Plays `fedlab run`'s variants on a pool of worker threads. Variants are independent and seeded,
 * so a worker's result is the one the main thread would compute; the caller prints them in input
 * order. The longest variants (most virtual time to play) are handed out first, so the pool does not
 * end waiting for one worker. With `jobs: N > 1`, N workers play and this thread only hands out
 * variants and serves the RSA key stock: a thread that also played would answer a worker's key
 * request only between variants (a world's crypto is synchronous here, so its play never yields to
 * the event loop), and the worker would wait. `jobs: 1` plays in this thread, without workers.
 * A worker that dies is a defect in fedlab: the run stops naming the scenario it was playing.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { cachedBundle, PROJECT_ROOT } from '../../bin/bundleCache.mjs';
import type { StockKeyRequest } from '../../sim/pki/keyStock.ts';
import type { Scenario } from '../../sim/scenario/index.ts';
import { playVariant, type VariantContext, type VariantJob, type VariantResult } from './runVariant.ts';

export interface PoolOptions {
  readonly jobs: number;
  readonly cwd: string;
  /** Workers load the bundled code (bin/bundleCache.mjs; default) or, with false, the sources through tsx. */
  readonly bundle?: boolean;
  /** Workers started ahead with `startWorkers` (while the caller loaded scenarios); spares are terminated. */
  readonly workers?: readonly StartedWorker[];
  /** The context for in-thread play (`jobs: 1`), already holding the loaded scenarios. */
  readonly context: VariantContext;
  /** A variant starts playing (in-thread or on a worker). */
  readonly started?: (job: VariantJob) => void;
  readonly finished: (result: VariantResult) => void;
}

/** A worker died or threw while playing: a lab defect (exit 3). */
export class PoolDefect extends Error {}

/** Virtual time a scenario plays (its `advance` steps, fix included): what makes a variant long. */
export function estimatedCost(scenario: Scenario, variant: VariantJob['variant']): number {
  const steps = [...scenario.steps, ...(variant === 'fixed' ? (scenario.fix?.steps ?? []) : [])];
  return steps.reduce((ms, s) => ms + (s.type === 'advance' ? s.ms : 0), 0);
}

// From the project root, not this module's URL: the command line may itself run from a bundle.
const workerEntry = pathToFileURL(join(PROJECT_ROOT, 'server/cli/runWorker.ts')).href;
// Without the bundle, a worker registers tsx before importing its entry (workers do not inherit the loader).
const bootstrap = `const { workerData } = require('node:worker_threads'); import(workerData.tsx).then((m) => { m.register(); return import(workerData.entry); }).catch((e) => { setImmediate(() => { throw e; }); });`;
// tsx's ESM API (its CommonJS build does not load inside an eval'd worker).
const tsxApi = (): string => pathToFileURL(join(dirname(createRequire(join(PROJECT_ROOT, 'package.json')).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;

/** A worker started before the pool needed it, and what happened to it meanwhile. */
export interface StartedWorker {
  readonly worker: Worker;
  error?: Error;
  exitCode?: number;
}

/**
 * V8 optimises a function once it has run for a budget of bytecode (`--interrupt-budget`, 132 KB by
 * default). A worker plays a few dozen short variants, so its optimising compiler spent more CPU on
 * code that was hot for a moment than it saved: with a budget of 1 MB the library's threads use ~20 %
 * less CPU in all (`npm run bench -- --only library`). Set before the workers' isolates exist; V8
 * reads the flag when it sets up a function's feedback, so already-running code keeps its budget.
 */
const WORKER_V8_FLAGS = '--interrupt-budget=1000000';

/** The worker bundle's path once looked for (null: it could not be had, so workers use tsx). */
let bundled: string | null | undefined;

/** Workers load the bundle (bin/bundleCache.mjs) unless told not to or it cannot be had; else the sources through tsx. */
function spawnWorker(cwd: string, bundle: boolean): Worker {
  setFlagsFromString(WORKER_V8_FLAGS);
  if (bundle && bundled === undefined) bundled = cachedBundle({ entry: 'server/cli/runWorker.ts', name: 'run-worker' }) ?? null;
  return bundle && bundled ? new Worker(bundled, { workerData: { cwd } }) : new Worker(bootstrap, { eval: true, workerData: { tsx: tsxApi(), entry: workerEntry, cwd } });
}

/**
 * Starts `n` workers now, so their module loading overlaps the caller's scenario parsing. They do not
 * keep the process alive until `runPool` takes them (an early usage error still exits); `stopWorkers`
 * ends them when no pool runs.
 */
export function startWorkers(n: number, cwd: string, bundle = true): StartedWorker[] {
  if (n <= 0) return [];
  return Array.from({ length: n }, () => {
    const worker = spawnWorker(cwd, bundle);
    worker.unref();
    const s: StartedWorker = { worker };
    worker.on('error', (e) => (s.error ??= e));
    worker.on('exit', (code) => (s.exitCode ??= code));
    return s;
  });
}

export async function stopWorkers(started: readonly StartedWorker[]): Promise<void> {
  await Promise.all(started.map((s) => stopWorker(s.worker)));
}

/** Workers that were sent a job (and so may have key generations under way). */
const played = new WeakSet<Worker>();

/** How long a stopping worker may take to let its key generations finish before it is terminated. */
const STOP_GRACE_MS = 10_000;

/**
 * Stops a worker once the key generations it has under way are done (runWorker.ts): terminating it
 * while one finishes aborts the whole process on Node 20. A worker that does not stop in time is
 * terminated anyway.
 */
async function stopWorker(w: Worker): Promise<void> {
  if (w.threadId === -1) return; // exited already
  if (!played.has(w)) {
    await w.terminate(); // never played: nothing under way
    return;
  }
  await new Promise<void>((done) => {
    const timer = setTimeout(() => void w.terminate().then(() => done()), STOP_GRACE_MS);
    w.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    try {
      w.postMessage({ stop: true });
    } catch {
      // already gone
    }
  });
}

export async function runPool(jobs: readonly VariantJob[], order: readonly number[], opts: PoolOptions): Promise<void> {
  const spares = [...(opts.workers ?? [])];
  try {
    await runPoolWith(jobs, order, opts, spares);
  } finally {
    await stopWorkers(spares);
  }
}

async function runPoolWith(jobs: readonly VariantJob[], order: readonly number[], opts: PoolOptions, spares: StartedWorker[]): Promise<void> {
  const queue = order.map((i) => jobs[i]!);
  let stopped = false;
  const workerCount = Math.min(opts.jobs, queue.length);
  if (workerCount <= 1) {
    for (let job = queue.shift(); job; job = queue.shift()) {
      opts.started?.(job);
      let result: VariantResult;
      try {
        result = await playVariant(job, opts.context);
      } catch (e) {
        throw new PoolDefect(`playing ${job.file} (${job.label}) failed: ${(e as Error)?.message ?? String(e)}`);
      }
      opts.finished(result);
    }
    return;
  }
  // One RSA key stock for the pool (this thread's): workers ask it for the keys their worlds need.
  const keys = opts.context.keys;
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let busy = 0;
      const done = () => {
        if (!stopped && busy === 0 && queue.length === 0) resolve();
      };
      const fail = (e: Error) => {
        if (stopped) return;
        stopped = true;
        reject(e);
      };
      const failOn = (job: VariantJob | undefined, why: string) => fail(new PoolDefect(job ? `a worker failed while playing ${job.file} (${job.label}): ${why}` : `a worker failed: ${why}`));
      const next = (w: Worker, state: { job?: VariantJob }) => {
        const job = stopped ? undefined : queue.shift();
        state.job = job;
        if (!job) return done();
        busy++;
        opts.started?.(job);
        const scenario = opts.context.scenarios.get(job.path)?.scenario;
        played.add(w);
        w.postMessage({ job: scenario ? { ...job, scenario } : job });
      };
      for (let i = 0; i < workerCount; i++) {
        const early = spares.shift();
        const w = early?.worker ?? spawnWorker(opts.cwd, opts.bundle !== false);
        w.ref();
        workers.push(w);
        const state: { job?: VariantJob } = {};
        w.on('message', (m: { result?: VariantResult; error?: string; keyRequest?: { id: number; req: StockKeyRequest } }) => {
          if (m.keyRequest) {
            const { id, req } = m.keyRequest;
            keys.pair(req).then(
              (pair) => w.postMessage({ keyReply: { id, pair } }),
              (e: unknown) => failOn(state.job, `RSA key generation failed: ${(e as Error).message}`),
            );
            return;
          }
          busy--;
          if (m.error !== undefined || !m.result) return failOn(state.job, m.error ?? 'no result');
          if (!stopped) opts.finished(m.result);
          next(w, state);
        });
        w.on('error', (e) => failOn(state.job, e.message));
        w.on('exit', (code) => {
          if (state.job) failOn(state.job, `the worker exited with code ${code}`);
        });
        // A worker started early may have failed before these listeners were attached.
        if (early?.error) return failOn(undefined, early.error.message);
        if (early?.exitCode !== undefined) return failOn(undefined, `the worker exited with code ${early.exitCode}`);
        next(w, state);
      }
    });
  } finally {
    stopped = true;
    await Promise.all(workers.map(stopWorker));
  }
}
