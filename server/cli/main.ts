/**
 * The `fedlab` command: dispatches subcommands and turns every failure into a message and an exit
 * code from the one table (docs/cli.md). No stack trace reaches a user: usage and input problems exit
 * 2, and a defect in fedlab exits 3 with a request to report it.
 */
import { EXIT, UsageError, type CliIo } from './io.ts';
import { verifySvidCommand } from './verifySvid.ts';
import { startCommand } from './start.ts';
import { runCommand } from './run.ts';
import { execCommand } from './exec.ts';
import { shellCommand } from './shell.ts';
import { svidExportCommand } from './svidExport.ts';
import { analyzeCommand } from './analyze.ts';
import { exportCommand } from './export.ts';

interface Command {
  readonly summary: string;
  readonly usage: string;
  run(args: readonly string[], io: CliIo): Promise<number>;
}

const commands: Record<string, Command> = {
  run: runCommand,
  exec: execCommand,
  analyze: analyzeCommand,
  shell: shellCommand,
  'verify-svid': verifySvidCommand,
  svid: svidExportCommand,
  export: exportCommand,
  start: startCommand,
};

function help(io: CliIo): number {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  io.stdout.write(
    `fedlab — see, break and fix SPIFFE/SPIRE federation between Kubernetes clusters running Istio\n\nusage: fedlab <command> [flags]\n\ncommands:\n${Object.entries(commands)
      .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
      .join('\n')}\n\nRun 'fedlab <command> --help' for a command's flags. Exit codes: docs/cli.md.\n`,
  );
  return EXIT.OK;
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') return help(io);
  const command = commands[name];
  if (!command) {
    io.stderr.write(`fedlab: unknown command "${name}"\nRun 'fedlab help' for the list of commands.\n`);
    return EXIT.USAGE;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(`usage: ${command.usage}\n`);
    return EXIT.OK;
  }
  try {
    return await command.run(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`fedlab ${name}: ${e.message}\nusage: ${command.usage}\n`);
      return EXIT.USAGE;
    }
    io.stderr.write(`fedlab ${name}: internal error: ${(e as Error)?.message ?? String(e)}\nThis is a defect in fedlab; please report it with the command you ran.\n`);
    return EXIT.INTERNAL;
  }
}
