/**
 * GNU `xargs [-r] [-n N] [-I REPLACE] [COMMAND [ARGS…]]`: builds command lines from stdin. It lives
 * beside the shell rather than in coreutils because it runs other programs, which only the shell can
 * look up. Items are split on blanks and newlines with xargs's own quoting ('…', "…", \); `-I` takes
 * whole lines instead. Exit codes follow GNU findutils: 123 when a run failed with 1–125, 124 for
 * 255, 127 when the command does not exist.
 */
import { done, fail, type ProgramResult } from './program.ts';

export type Runner = (argv: readonly string[]) => Promise<ProgramResult>;

const USAGE = "Usage: xargs [OPTION]... COMMAND [INITIAL-ARGS]...\nTry 'xargs --help' for more information.";

export async function xargs(argv: readonly string[], stdin: string, run: Runner, exists: (name: string) => boolean): Promise<ProgramResult> {
  let maxArgs = Infinity;
  let replace: string | undefined;
  let noRunIfEmpty = false;
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-r' || a === '--no-run-if-empty') noRunIfEmpty = true;
    else if (a === '-n' || /^-n\d+$/.test(a)) {
      const n = Number(a === '-n' ? argv[++i] : a.slice(2));
      if (!Number.isInteger(n) || n < 1) return fail(`xargs: invalid number "${a === '-n' ? argv[i] : a.slice(2)}" for -n option\n${USAGE}`);
      maxArgs = n;
    } else if (a === '-I' || (a.startsWith('-I') && a.length > 2)) {
      replace = a === '-I' ? argv[++i] : a.slice(2);
      if (replace === undefined) return fail(`xargs: option requires an argument -- 'I'\n${USAGE}`);
    } else if (a === '--') {
      i++;
      break;
    } else if (a.startsWith('-') && a.length > 1) return fail(`xargs: invalid option -- '${a.slice(1, 2)}'\n${USAGE}`);
    else break;
  }
  const command = argv.length > i ? argv.slice(i) : ['echo'];
  let items: string[];
  if (replace !== undefined) items = stdin.split('\n').map((l) => l.replace(/^[ \t]+/, '')).filter((l) => l !== '');
  else {
    const parsed = splitItems(stdin);
    if (typeof parsed === 'string') return fail(parsed);
    items = parsed;
  }
  if (!exists(command[0]!)) return fail(`xargs: ${command[0]}: No such file or directory`, 127);
  // GNU xargs runs the command once even on empty input, unless -r (or -I, which needs a line).
  const batches: string[][] = [];
  if (replace !== undefined) for (const item of items) batches.push(command.map((c) => c.split(replace).join(item)));
  else if (items.length === 0) {
    if (!noRunIfEmpty) batches.push([...command]);
  } else for (let k = 0; k < items.length; k += Math.min(maxArgs, items.length)) batches.push([...command, ...items.slice(k, k + maxArgs)]);
  let stdout = '';
  let stderr = '';
  let code = 0;
  for (const b of batches) {
    const r = await run(b);
    stdout += r.stdout;
    stderr += r.stderr;
    if (r.exitCode === 255) {
      stderr += `xargs: ${command[0]}: exited with status 255; aborting\n`;
      return done(stdout, stderr, 124);
    }
    if (r.exitCode !== 0) code = 123;
  }
  return done(stdout, stderr, code);
}

/** xargs's default input format: blanks separate items; quotes and backslash protect them. */
function splitItems(s: string): string[] | string {
  const items: string[] = [];
  let cur: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "'" || c === '"') {
      const end = s.indexOf(c, i + 1);
      const nl = s.indexOf('\n', i + 1);
      if (end < 0 || (nl >= 0 && nl < end))
        return `xargs: unmatched ${c === "'" ? 'single' : 'double'} quote; by default quotes are special to xargs unless you use the -0 option`;
      cur = (cur ?? '') + s.slice(i + 1, end);
      i = end;
    } else if (c === '\\' && i + 1 < s.length) cur = (cur ?? '') + s[++i];
    else if (/\s/.test(c)) {
      if (cur !== undefined) items.push(cur);
      cur = undefined;
    } else cur = (cur ?? '') + c;
  }
  if (cur !== undefined) items.push(cur);
  return items;
}
