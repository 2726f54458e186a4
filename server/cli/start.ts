/**
 * `fedlab start [SCENARIO]` — the browser lab: builds the page when it is missing or older than its
 * sources, then serves it with the express + ws server on http://127.0.0.1:8080 (HOST, PORT or
 * --host, --port to change), the scenario (default: the golden path) opened first. The engine runs
 * in this process, one world per browser tab. `--shell` keeps the terminal lab: plays the scenario,
 * prints each step and expectation, and opens the interactive shell on the resulting world.
 */
import { relative, resolve } from 'node:path';
import { PROJECT_ROOT as ROOT } from '../../bin/bundleCache.mjs';
import { playScenario } from '../../sim/scenario/index.ts';
import { parseArgs } from './args.ts';
import { EXIT, UsageError, type CliIo } from './io.ts';
import { loadScenarioFile } from './scenarioFiles.ts';
import { shellLoop } from './shell.ts';
import { withTransport } from './transport.ts';
import { parseSeed } from './run.ts';
import { buildUi, uiIsStale } from '../http/build.ts';
import { diskFiles } from '../http/files.ts';
import { startLabServer } from '../http/server.ts';

export const DEFAULT_SCENARIO = resolve(ROOT, 'scenarios/golden-path.yaml');
const DIST = resolve(ROOT, 'dist/ui');

function parsePort(text: string | undefined, from: string): number {
  if (text === undefined) return 8080;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535) throw new UsageError(`${from}: not a port number: ${text}`);
  return n;
}

async function shell(path: string, seedFlag: string | undefined, wire: boolean, io: CliIo): Promise<number> {
  const { scenario, readFile } = loadScenarioFile(path, io.cwd);
  const seed = parseSeed(seedFlag);
  return withTransport(false, wire, async (transport) => {
    const report = await playScenario(scenario, { variant: 'broken', crypto: globalThis.crypto, readFile, ...(seed !== undefined ? { seed } : {}), ...(transport.bundleClient ? { bundleClient: transport.bundleClient } : {}), ...(transport.wire ? { wire: transport.wire } : {}) });
    io.stdout.write(`fedlab — ${scenario.title} (${scenario.id})\n`);
    for (const s of report.steps) io.stdout.write(`  ${s.ok ? '✓' : '✗'} ${s.name ?? s.at}${s.ok ? '' : `: ${s.message}`}\n`);
    for (const e of report.expectations) io.stdout.write(`  ${e.ok ? '✓' : '✗'} ${e.message}\n`);
    io.stdout.write(`\nclusters: ${scenario.clusters.map((c) => `${c.name} (${c.trustDomain})`).join(', ')}. Try: kubectl get pods -A, kubectl --context east get clusterfederatedtrustdomains\n`);
    const code = await shellLoop(report.world, io, `fedlab shell — ${relative(io.cwd, path) || path}`);
    return report.ok ? code : EXIT.FAILED;
  });
}

export const startCommand = {
  summary: 'start the browser lab on a scenario (default: the golden path); --shell for the terminal lab',
  usage: 'fedlab start [SCENARIO] [--port N] [--host H] [--wire] [--shell] [--seed N]',
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(argv, { seed: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, wire: { type: 'boolean' }, shell: { type: 'boolean' } });
    if (positionals.length > 1) throw new UsageError('name at most one scenario');
    const path = positionals[0] ? resolve(io.cwd, positionals[0]) : DEFAULT_SCENARIO;
    if (flags.shell === true) return shell(path, flags.seed as string | undefined, flags.wire === true, io);
    // Fail early, with the scenario's own line-numbered errors, rather than in the page.
    loadScenarioFile(path, io.cwd);
    const port = flags.port !== undefined ? parsePort(flags.port as string, '--port') : parsePort(io.env.PORT, 'PORT');
    const host = (flags.host as string | undefined) || io.env.HOST || '127.0.0.1';
    if (uiIsStale(ROOT, DIST)) await buildUi(ROOT, DIST, (l) => io.stderr.write(l));
    const files = diskFiles(ROOT, path);
    const server = await startLabServer({ host, port, distDir: DIST, files, defaultScenario: files.keyOf(path), wire: flags.wire === true, log: (l) => io.stderr.write(l) });
    io.stdout.write(`fedlab is running on ${server.url}/ — open it in a browser (Ctrl-C stops it)\n`);
    if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') io.stderr.write(`warning: listening on ${host}: anyone who reaches this address can use the lab\n`);
    await new Promise<void>((done) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void server.close().then(done);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    return EXIT.OK;
  },
};
