/**
 * `fedlab exec FILE [--variant broken|fixed] [--seed N] [--repeat N] [--state DIR] -- COMMAND…` —
 * plays the scenario, then runs one command line as a user would type it on their workstation
 * (kubectl/oc with contexts, pipes, redirections). stdout and stderr stay apart; the exit code is the
 * command's. With `--state DIR` the session continues from the previous call.
 */
import { parseArgs } from './args.ts';
import { UsageError, type CliIo } from './io.ts';
import { parseSeed, parseVariant } from './run.ts';
import { withTransport, wireLogLines, wireMark } from './transport.ts';
import { joinCommandLine, openWorld, readState, writeState, type SessionState } from './session.ts';

async function readStdin(io: CliIo): Promise<string | undefined> {
  const stdin = io.stdin as (NodeJS.ReadableStream & { isTTY?: boolean }) | undefined;
  if (!stdin || stdin.isTTY) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

export const execCommand = {
  summary: 'play a scenario, then run one command line against it',
  usage: 'fedlab exec FILE [--variant broken|fixed] [--seed N] [--repeat N] [--state DIR] [--wire] -- COMMAND…',
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { flags, positionals, rest } = parseArgs(argv, { variant: { type: 'string' }, seed: { type: 'string' }, repeat: { type: 'string' }, state: { type: 'string' }, wire: { type: 'boolean' } });
    if (positionals.length !== 1) throw new UsageError('name exactly one scenario file before --');
    if (rest.length === 0) throw new UsageError('give the command after --, e.g. fedlab exec s.yaml -- kubectl get pods -A');
    const variant = parseVariant((flags.variant as string | undefined) ?? 'broken', false)[0]!;
    const seed = parseSeed(flags.seed as string | undefined);
    const repeatText = (flags.repeat as string | undefined) ?? '1';
    if (!/^[1-9]\d{0,3}$/.test(repeatText)) throw new UsageError(`--repeat ${repeatText}: must be a whole number from 1 to 9999`);
    const stateDir = flags.state as string | undefined;
    const scenarioPath = positionals[0]!;
    const previous = stateDir ? readState(stateDir) : undefined;
    if (previous && (previous.scenario !== scenarioPath || previous.variant !== variant || previous.seed !== seed))
      throw new UsageError(`--state ${stateDir} holds a session of ${previous.scenario} (${previous.variant}${previous.seed !== undefined ? `, seed ${previous.seed}` : ''}); use another directory for this one`);
    const journal = [...(previous?.journal ?? [])];
    return withTransport(false, flags.wire === true, async (transport) => {
      const world = await openWorld(scenarioPath, io.cwd, variant, seed, journal, previous?.context, transport);
      const line = joinCommandLine(rest);
      const stdin = await readStdin(io);
      let exitCode = 0;
      for (let i = 0; i < Number(repeatText); i++) {
        const mark = transport.wire && wireMark(transport.wire);
        const r = await world.run(line, stdin !== undefined ? { stdin } : {});
        io.stdout.write(r.stdout);
        io.stderr.write(r.stderr);
        if (transport.wire && mark) io.stderr.write(wireLogLines(transport.wire, mark));
        exitCode = r.exitCode;
        journal.push(stdin !== undefined ? { line, stdin } : { line });
      }
      if (stateDir) {
        const state: SessionState = { version: 1, scenario: scenarioPath, variant, ...(seed !== undefined ? { seed } : {}), context: world.currentContext, journal };
        writeState(stateDir, state);
      }
      return exitCode;
    });
  },
};
