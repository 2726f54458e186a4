/**
 * `fedlab run FILE|DIR… [--variant broken|fixed|both] [--json] [--seed N]` — plays scenarios for CI:
 * both variants by default (a scenario without a fix has one, shown as `default`), a line per
 * variant, the causal chain of every failure, and a summary. Exit 0 when all pass, 1 otherwise.
 */
import { formatChain } from '../../sim/core/causal.ts';
import { GUIDE_CLAIMS, playScenario, type RunReport, type Variant } from '../../sim/scenario/index.ts';
import { parseArgs } from './args.ts';
import { EXIT, UsageError, type CliIo } from './io.ts';
import { findScenarioFiles, loadScenarioFile } from './scenarioFiles.ts';
import { nodeTransport, wallAnchoredStart, wireReport, wireSummary } from './transport.ts';

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

function reportJson(r: RunReport, label: string) {
  return {
    scenario: r.scenario,
    file: r.file,
    variant: label,
    seed: r.seed,
    ok: r.ok,
    steps: r.steps.map(({ at, line, type, name, ok, exitCode, message, chain }) => ({ at, line, type, name, ok, exitCode, message, chain })),
    expectations: r.expectations,
    claims: r.claims,
  };
}

export const runCommand = {
  summary: 'play scenarios (both variants by default) and report, for CI',
  usage: 'fedlab run FILE|DIR… [--variant broken|fixed|both] [--json] [--seed N] [--memory] [--wire]',
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(argv, { variant: { type: 'string' }, json: { type: 'boolean' }, seed: { type: 'string' }, memory: { type: 'boolean' }, wire: { type: 'boolean' } });
    if (positionals.length === 0) throw new UsageError('name at least one scenario file or directory');
    const wire = flags.wire === true;
    const variants = parseVariant(flags.variant as string | undefined, true);
    const seed = parseSeed(flags.seed as string | undefined);
    const files = findScenarioFiles(positionals, io.cwd);
    if (files.length === 0) throw new UsageError(`no scenario files found in ${positionals.join(', ')}`);
    const loaded = files.map((f) => loadScenarioFile(f, io.cwd));
    let passed = 0;
    let failed = 0;
    for (const { scenario, readFile } of loaded) {
      const own = scenario.fix ? variants : (['broken'] as Variant[]);
      for (const variant of own) {
        const label = scenario.fix ? variant : 'default';
        const transport = nodeTransport(flags.memory === true, wire);
        const start = transport.wire ? await wallAnchoredStart(async (probe) => ({ firstCallAt: (await playScenario(scenario, { variant, crypto: globalThis.crypto, readFile, start: probe, ...(seed !== undefined ? { seed } : {}) })).world.events.all().find((e) => e.type === 'mesh.call')?.time })) : undefined;
        const report = await playScenario(scenario, {
          variant,
          crypto: globalThis.crypto,
          readFile,
          ...(seed !== undefined ? { seed } : {}),
          ...(transport.bundleClient ? { bundleClient: transport.bundleClient } : {}),
          ...(transport.wire ? { wire: transport.wire } : {}),
          ...(start !== undefined ? { start } : {}),
        }).finally(() => transport.close());
        const wired = transport.wire ? wireSummary(transport.wire) : undefined;
        if (wired?.defects.length) failed++;
        if (report.ok) passed++;
        else failed++;
        if (flags.json) {
          io.stdout.write(`${JSON.stringify({ ...reportJson(report, label), ...(wired ? { wire: wired } : {}) })}\n`);
          continue;
        }
        const counts = `${report.steps.length} steps, ${report.expectations.length} expectations`;
        io.stdout.write(`${report.ok ? 'PASS' : 'FAIL'} ${scenario.id} (${label}) — ${counts}\n`);
        if (wired) io.stdout.write(wireReport(wired));
        for (const c of label !== 'fixed' ? scenario.claims : []) {
          const g = GUIDE_CLAIMS[c.id]!;
          io.stdout.write(`  guide claim ${c.id} — the guide: ${g.claim}; really: ${g.reality}${c.note ? ` (${c.note})` : ''}\n`);
        }
        for (const s of report.steps.filter((x) => !x.ok)) {
          io.stdout.write(`  step ${s.at}${s.line ? ` (${scenario.file}:${s.line})` : ''}: ${s.message ?? 'failed'}\n`);
          if (s.chain) io.stdout.write(`${indent(formatChain(s.chain), 4)}\n`);
        }
        for (const e of report.expectations.filter((x) => !x.ok)) {
          io.stdout.write(`  expectation ${e.at}${e.line ? ` (${scenario.file}:${e.line})` : ''}: ${e.message}\n`);
          if (e.chain) io.stdout.write(`${indent(formatChain(e.chain), 4)}\n`);
        }
      }
    }
    if (!flags.json) io.stdout.write(`\n${passed} passed, ${failed} failed\n`);
    return failed === 0 ? EXIT.OK : EXIT.FAILED;
  },
};

const indent = (s: string, n: number): string => s.split('\n').map((l) => ' '.repeat(n) + l).join('\n');
