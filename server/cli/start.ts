/**
 * `fedlab start [SCENARIO]` — starts the lab on a scenario (default: the golden path): plays it,
 * prints each step and expectation, then opens the interactive shell on the resulting world.
 * (The browser lab will take this command over when it lands.)
 */
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { playScenario } from '../../sim/scenario/index.ts';
import { parseArgs } from './args.ts';
import { EXIT, UsageError, type CliIo } from './io.ts';
import { loadScenarioFile } from './scenarioFiles.ts';
import { shellLoop } from './shell.ts';
import { withTransport } from './transport.ts';
import { parseSeed } from './run.ts';

export const DEFAULT_SCENARIO = resolve(dirname(fileURLToPath(import.meta.url)), '../../scenarios/golden-path.yaml');

export const startCommand = {
  summary: 'start the lab on a scenario (default: the golden path) and open a shell on it',
  usage: 'fedlab start [SCENARIO] [--seed N]',
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(argv, { seed: { type: 'string' } });
    if (positionals.length > 1) throw new UsageError('name at most one scenario');
    const path = positionals[0] ? resolve(io.cwd, positionals[0]) : DEFAULT_SCENARIO;
    const { scenario, readFile } = loadScenarioFile(path, io.cwd);
    const seed = parseSeed(flags.seed as string | undefined);
    return withTransport(false, false, async (transport) => {
      const report = await playScenario(scenario, { variant: 'broken', crypto: globalThis.crypto, readFile, ...(seed !== undefined ? { seed } : {}), ...(transport.bundleClient ? { bundleClient: transport.bundleClient } : {}) });
      io.stdout.write(`fedlab — ${scenario.title} (${scenario.id})\n`);
      for (const s of report.steps) io.stdout.write(`  ${s.ok ? '✓' : '✗'} ${s.name ?? s.at}${s.ok ? '' : `: ${s.message}`}\n`);
      for (const e of report.expectations) io.stdout.write(`  ${e.ok ? '✓' : '✗'} ${e.message}\n`);
      io.stdout.write(`\nclusters: ${scenario.clusters.map((c) => `${c.name} (${c.trustDomain})`).join(', ')}. Try: kubectl get pods -A, kubectl --context east get clusterfederatedtrustdomains\n`);
      const code = await shellLoop(report.world, io, `fedlab shell — ${relative(io.cwd, path) || path}`);
      return report.ok ? code : EXIT.FAILED;
    });
  },
};
