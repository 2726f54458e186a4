/**
 * `fedlab run FILE|DIR… [--variant broken|fixed|both] [--json] [--junit FILE] [--filter PATTERN] [--jobs N] [--seed N]`
 * — plays scenarios for CI: both variants by default (a scenario without a fix has one, shown as
 * `default`), a line per variant, the causal chain of every failure, and a summary with the wall
 * time. Variants play on worker threads (one per core by default) and are printed in input order;
 * on a terminal a progress line names the scenario playing. Exit 0 when all pass, 1 otherwise,
 * 2 for bad input (a filter matching nothing included), 3 when a worker dies.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { relative, resolve as resolvePath } from 'node:path';
import type { Scenario, Variant } from '../../sim/scenario/index.ts';
import { parseArgs } from './args.ts';
import { EXIT, UsageError, type CliIo } from './io.ts';
import { junitXml, type JUnitSuite } from './junit.ts';
import { estimatedCost, PoolDefect, runPool, startWorkers, stopWorkers } from './runPool.ts';
import { variantContext, type VariantJob, type VariantResult } from './runVariant.ts';
import { findScenarioFiles, loadScenarioFile } from './scenarioFiles.ts';

export { seedLines } from './runVariant.ts';

export function parseVariant(v: string | undefined, allowBoth: boolean): Variant[] {
  if (v === undefined || v === 'both') {
    if (!allowBoth && v === 'both') throw new UsageError('--variant both is not allowed here: choose broken or fixed');
    return ['broken', 'fixed'];
  }
  if (v === 'broken' || v === 'fixed') return [v];
  throw new UsageError(`--variant ${v}: must be broken, fixed${allowBoth ? ' or both' : ''}`);
}

export function parseSeed(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`--seed ${v}: must be a whole number`);
  return Number(v);
}

function parseJobs(v: string | undefined): number {
  if (v === undefined) return availableParallelism();
  if (!/^[1-9]\d*$/.test(v)) throw new UsageError(`--jobs ${v}: must be a whole number of at least 1`);
  return Number(v);
}

/**
 * `--filter PATTERN`: a substring (case-insensitive) or `/regex/flags`, matched against the scenario's
 * id, its file path, its catalogue ID and its tags; a scenario is kept when any of them matches.
 */
export function scenarioFilter(pattern: string): (s: Scenario, file: string) => boolean {
  const re = /^\/(.+)\/([a-z]*)$/.exec(pattern);
  let test: (text: string) => boolean;
  if (re) {
    let regex: RegExp;
    try {
      regex = new RegExp(re[1]!, re[2]!.replace('g', ''));
    } catch (e) {
      throw new UsageError(`--filter ${pattern}: not a valid regular expression: ${(e as Error).message}`);
    }
    test = (text) => regex.test(text);
  } else {
    const needle = pattern.toLowerCase();
    test = (text) => text.toLowerCase().includes(needle);
  }
  return (s, file) => [s.id, file, s.catalogue ?? '', ...s.tags].some((t) => t !== '' && test(t));
}

const CLEAR_LINE = '\r\x1b[2K';

export const runCommand = {
  summary: 'play scenarios (both variants by default) and report, for CI',
  usage: 'fedlab run FILE|DIR… [--variant broken|fixed|both] [--filter PATTERN] [--json] [--junit FILE] [--jobs N] [--seed N] [--memory] [--wire]',
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const began = performance.now();
    const { flags, positionals } = parseArgs(argv, {
      variant: { type: 'string' },
      json: { type: 'boolean' },
      junit: { type: 'string' },
      filter: { type: 'string' },
      jobs: { type: 'string' },
      seed: { type: 'string' },
      memory: { type: 'boolean' },
      wire: { type: 'boolean' },
    });
    if (positionals.length === 0) throw new UsageError('name at least one scenario file or directory');
    const wire = flags.wire === true;
    const variants = parseVariant(flags.variant as string | undefined, true);
    const seed = parseSeed(flags.seed as string | undefined);
    const jobsWanted = parseJobs(flags.jobs as string | undefined);
    // The pool's workers load their modules while this thread parses the scenarios.
    // FEDLAB_BUNDLE=0: workers load the sources through tsx, as the command then does (stack traces name the .ts files).
    const bundle = io.env.FEDLAB_BUNDLE !== '0';
    const early = startWorkers(jobsWanted > 1 ? jobsWanted : 0, io.cwd, bundle);
    try {
      return await playAll();
    } finally {
      await stopWorkers(early);
    }

    async function playAll(): Promise<number> {
      const filter = typeof flags.filter === 'string' ? scenarioFilter(flags.filter) : undefined;
      const files = findScenarioFiles(positionals, io.cwd);
      if (files.length === 0) throw new UsageError(`no scenario files found in ${positionals.join(', ')}`);
      const all = files.map((f) => loadScenarioFile(f, io.cwd));
      const shown = (path: string) => relative(io.cwd, path) || path;
      const loaded = filter ? all.filter((l) => filter(l.scenario, shown(l.path))) : all;
      if (loaded.length === 0) throw new UsageError(`--filter ${String(flags.filter)} matches none of the ${all.length} scenarios in ${positionals.join(', ')} (it is matched against id, file path, catalogue ID and tags)`);

      const jobs: VariantJob[] = [];
      const costs: number[] = [];
      for (const { scenario, path } of loaded) {
        for (const variant of scenario.fix ? variants : (['broken'] as Variant[])) {
          jobs.push({ index: jobs.length, path, file: shown(path), variant, label: scenario.fix ? variant : 'default', ...(seed !== undefined ? { seed } : {}), memory: flags.memory === true, wire });
          costs.push(estimatedCost(scenario, variant));
        }
      }
      const byPath = new Map(loaded.map((l) => [l.path, l.scenario]));
      const workers = Math.min(jobsWanted, jobs.length);
      // Longest first on a pool; input order when playing in this thread.
      const order = jobs.map((j) => j.index);
      if (workers > 1) order.sort((a, b) => costs[b]! - costs[a]! || a - b);

      const progress = io.stdout.isTTY === true && flags.json !== true;
      const results: VariantResult[] = [];
      const playing = new Set<VariantJob>();
      let printed = 0;
      let finished = 0;
      let passed = 0;
      let failed = 0;
      let progressShown = false;
      const showProgress = () => {
        if (!progress) return;
        const job = [...playing].at(-1);
        if (!job) return;
        const line = `[${finished + 1}/${jobs.length}] ${byPath.get(job.path)!.id} (${job.label})…`;
        const width = (io.stdout.columns ?? 80) - 1;
        io.stdout.write(`${CLEAR_LINE}${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
        progressShown = true;
      };
      const clearProgress = () => {
        if (progressShown) io.stdout.write(CLEAR_LINE);
        progressShown = false;
      };
      try {
        await runPool(jobs, order, {
          jobs: workers,
          cwd: io.cwd,
          workers: early,
          bundle,
          context: variantContext(io.cwd, loaded),
          started: (job) => {
            playing.add(job);
            showProgress();
          },
          finished: (r) => {
            results[r.index] = r;
            finished++;
            playing.delete(jobs[r.index]!);
            passed += r.passed;
            failed += r.failed;
            clearProgress();
            for (; printed < jobs.length && results[printed]; printed++) io.stdout.write(flags.json ? `${results[printed]!.json}\n` : results[printed]!.text);
            showProgress();
          },
        });
      } catch (e) {
        clearProgress();
        if (e instanceof PoolDefect) {
          io.stderr.write(`fedlab run: internal error: ${e.message}\nThis is a defect in fedlab; please report it with the command you ran.\n`);
          return EXIT.INTERNAL;
        }
        throw e;
      }
      clearProgress();
      if (typeof flags.junit === 'string') writeJunit(flags.junit, io.cwd, jobs, results, (j) => byPath.get(j.path)!, shown);
      if (!flags.json) io.stdout.write(`\n${passed} passed, ${failed} failed (${((performance.now() - began) / 1000).toFixed(1)} s)\n`);
      return failed === 0 ? EXIT.OK : EXIT.FAILED;
    }
  },
};

/** One `<testsuite>` per scenario file, one `<testcase name="ID (variant)">` per variant. */
function writeJunit(file: string, cwd: string, jobs: readonly VariantJob[], results: readonly VariantResult[], scenarioOf: (j: VariantJob) => Scenario, shown: (p: string) => string): void {
  const suites = new Map<string, { name: string; cases: JUnitSuite['cases'][number][] }>();
  for (const job of jobs) {
    const scenario = scenarioOf(job);
    const r = results[job.index]!;
    const suite = suites.get(job.path) ?? { name: shown(job.path), cases: [] };
    suites.set(job.path, suite);
    suite.cases.push({ name: `${scenario.id} (${job.label})`, classname: scenario.id, time: r.seconds, ...(r.failure ? { failure: r.failure } : {}) });
  }
  try {
    writeFileSync(resolvePath(cwd, file), junitXml([...suites.values()]));
  } catch (e) {
    throw new UsageError(`--junit ${file}: cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
