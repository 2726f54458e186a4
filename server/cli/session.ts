/**
 * A lab session on disk (`--state DIR`): which scenario, variant and seed it started from, and every
 * command line (with its stdin) typed since. The world is rebuilt by replaying the scenario and then
 * the journal, so what a trainee changed with `kubectl apply` survives from one `fedlab exec` to the
 * next. Only key material and signatures differ between replays; names, IPs, serials and events do not.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { playScenario, type Variant } from '../../sim/scenario/index.ts';
import type { World } from '../../sim/world/world.ts';
import { UsageError } from './io.ts';
import { loadScenarioFile } from './scenarioFiles.ts';
import { wallAnchoredStart, type NodeTransport } from './transport.ts';

export interface JournalEntry {
  readonly line: string;
  readonly stdin?: string;
}

export interface SessionState {
  readonly version: 1;
  readonly scenario: string;
  readonly variant: Variant;
  readonly seed?: number;
  readonly context?: string;
  readonly journal: JournalEntry[];
}

const STATE_FILE = 'fedlab-session.json';

export function readState(dir: string): SessionState | undefined {
  const file = join(dir, STATE_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as SessionState;
    if (s.version !== 1 || typeof s.scenario !== 'string' || !Array.isArray(s.journal)) throw new Error('unexpected content');
    return s;
  } catch (e) {
    throw new UsageError(`--state ${dir}: ${STATE_FILE} is not a fedlab session file (${(e as Error).message}); move it away to start afresh`);
  }
}

export function writeState(dir: string, state: SessionState): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
}

/** Plays the scenario and replays the journal; returns the world ready for the next command. */
export async function openWorld(scenarioPath: string, cwd: string, variant: Variant, seed: number | undefined, journal: readonly JournalEntry[], context: string | undefined, transport: NodeTransport): Promise<World> {
  const { scenario, readFile } = loadScenarioFile(resolve(cwd, scenarioPath), cwd);
  if (variant === 'fixed' && !scenario.fix) throw new UsageError(`${scenarioPath}: this scenario has no fix, so it has no fixed variant`);
  const base = { variant, crypto: globalThis.crypto, readFile, ...(seed !== undefined ? { seed } : {}) };
  // --wire: the clock is anchored so that the scenario's first mesh call happens at virtual ≈ wall time.
  const start = transport.wire ? await wallAnchoredStart((probe) => playScenario(scenario, { ...base, start: probe })) : undefined;
  const report = await playScenario(scenario, { ...base, ...(transport.bundleClient ? { bundleClient: transport.bundleClient } : {}), ...(transport.wire ? { wire: transport.wire } : {}), ...(start !== undefined ? { start } : {}) });
  const world = report.world;
  if (context && world.cluster(context)) world.currentContext = context;
  for (const entry of journal) await world.run(entry.line, entry.stdin !== undefined ? { stdin: entry.stdin } : {});
  return world;
}

/**
 * The command line to run: a single argument is taken as a whole line (as `sh -c` does, so pipes and
 * redirections survive quoting); several are joined back, quoting words the shell would split or expand.
 */
export function joinCommandLine(argv: readonly string[]): string {
  if (argv.length === 1) return argv[0]!;
  return argv.map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
