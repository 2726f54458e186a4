/**
 * `fedlab shell FILE [--variant broken|fixed] [--seed N] [--state DIR]` — an interactive shell on
 * the scenario's world: the same command set as `exec`, line history (↑/↓), a prompt showing the
 * current kubectl context, `exit` or Ctrl-D to leave. Without a terminal it reads commands line by line.
 */
import { createInterface } from 'node:readline';
import type { World } from '../../sim/world/world.ts';
import { parseArgs } from './args.ts';
import { UsageError, type CliIo } from './io.ts';
import { parseSeed, parseVariant } from './run.ts';
import { withTransport } from './transport.ts';
import { openWorld, readState, writeState, type JournalEntry } from './session.ts';

/** Reads command lines until `exit` or end of input; `onLine` sees each line run. Returns the last exit code. */
export async function shellLoop(world: World, io: CliIo, banner: string, onLine?: (line: string) => void): Promise<number> {
  const input = (io.stdin ?? process.stdin) as NodeJS.ReadableStream & { isTTY?: boolean };
  const interactive = input.isTTY === true;
  const rl = createInterface({ input, output: interactive ? (io.stdout as NodeJS.WritableStream) : undefined, terminal: interactive, historySize: 1000 });
  const prompt = (): void => {
    if (!interactive) return;
    rl.setPrompt(`[${world.currentContext}] $ `);
    rl.prompt();
  };
  if (interactive) io.stdout.write(`${banner}; contexts: ${[...world.clusters.keys()].join(', ')}. Type exit to leave.\n`);
  let last = 0;
  prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === 'exit' || line === 'logout') break;
    if (line !== '') {
      const r = await world.run(line);
      io.stdout.write(r.stdout);
      io.stderr.write(r.stderr);
      last = r.exitCode;
      onLine?.(line);
    }
    prompt();
  }
  rl.close();
  return last;
}

export const shellCommand = {
  summary: 'an interactive shell on a scenario (kubectl, oc and the workstation tools)',
  usage: 'fedlab shell FILE [--variant broken|fixed] [--seed N] [--state DIR]',
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(argv, { variant: { type: 'string' }, seed: { type: 'string' }, state: { type: 'string' } });
    if (positionals.length !== 1) throw new UsageError('name exactly one scenario file');
    const variant = parseVariant((flags.variant as string | undefined) ?? 'broken', false)[0]!;
    const seed = parseSeed(flags.seed as string | undefined);
    const stateDir = flags.state as string | undefined;
    const scenarioPath = positionals[0]!;
    const previous = stateDir ? readState(stateDir) : undefined;
    if (previous && (previous.scenario !== scenarioPath || previous.variant !== variant || previous.seed !== seed))
      throw new UsageError(`--state ${stateDir} holds a session of ${previous.scenario} (${previous.variant}); use another directory for this one`);
    const journal: JournalEntry[] = [...(previous?.journal ?? [])];
    return withTransport(false, false, async (transport) => {
      const world = await openWorld(scenarioPath, io.cwd, variant, seed, journal, previous?.context, transport);
      const save = (): void => {
        if (stateDir) writeState(stateDir, { version: 1, scenario: scenarioPath, variant, ...(seed !== undefined ? { seed } : {}), context: world.currentContext, journal });
      };
      const code = await shellLoop(world, io, `fedlab shell — ${scenarioPath} (${variant})`, (line) => {
        journal.push({ line });
        save();
    });
    save();
    return code;
    });
  },
};
