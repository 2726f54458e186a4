/** What a CLI command may touch: its streams, environment and working directory, passed in so tests can run commands in-process. */
export interface CliIo {
  /** `isTTY`/`columns` as Node's streams have them: progress lines are drawn only on a terminal. */
  readonly stdout: { write(s: string): unknown; readonly isTTY?: boolean; readonly columns?: number };
  readonly stderr: { write(s: string): unknown };
  readonly stdin?: NodeJS.ReadableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/** The one table of exit codes for every subcommand (docs/cli.md). */
export const EXIT = {
  /** Success: the command did what was asked and every check held. */
  OK: 0,
  /** A verdict was negative: an invalid SVID, a failed expectation, a finding at error severity. */
  FAILED: 1,
  /** Usage error or unreadable input (missing file, bad PEM, bad flag). */
  USAGE: 2,
  /** A defect in fedlab itself; the message asks for a report. */
  INTERNAL: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A usage or input problem: reported as `fedlab <cmd>: <message>` with exit code 2, never a stack trace. */
export class UsageError extends Error {}
