/** The contract every emulated program follows: argv in, stdout/stderr/exit code out, as a real process. */
import type { VirtualFs } from './fs.ts';

export interface ProgramIo {
  readonly stdin: string;
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly fs: VirtualFs;
}

export interface ProgramResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

export type Program = (argv: readonly string[], io: ProgramIo) => ProgramResult | Promise<ProgramResult>;

export const done = (stdout = '', stderr = '', exitCode = 0): ProgramResult => ({ stdout, stderr, exitCode });
export const fail = (stderr: string, exitCode = 1, stdout = ''): ProgramResult => ({ stdout, stderr: stderr.endsWith('\n') ? stderr : `${stderr}\n`, exitCode });
