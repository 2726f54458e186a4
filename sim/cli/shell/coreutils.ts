/**
 * The handful of workstation utilities the guides pipe through: echo, cat, head, tail, grep, wc,
 * base64, sort, uniq, tee, true, false, and (from their own modules) printf, sed, jq, seq, tr, cut, awk. GNU coreutils/grep behaviour and messages for the flags
 * supported; anything else is refused with the real "invalid option" message rather than ignored.
 */
import { resolvePath } from './fs.ts';
import { jq } from './jq.ts';
import { done, fail, type Program, type ProgramIo } from './program.ts';
import { printf, unescape } from './printf.ts';
import { sed } from './sed.ts';
import { awk, cut, seq, tr } from './text.ts';
import { envsubst } from './envsubst.ts';

const lines = (s: string): string[] => {
  const l = s.split('\n');
  if (l[l.length - 1] === '') l.pop();
  return l;
};
const joinLines = (l: readonly string[]): string => (l.length ? `${l.join('\n')}\n` : '');

function readInputs(name: string, files: readonly string[], io: ProgramIo): { text: string; errors: string } {
  if (files.length === 0) return { text: io.stdin, errors: '' };
  let text = '';
  let errors = '';
  for (const f of files) {
    if (f === '-') text += io.stdin;
    else {
      const c = io.fs.read(resolvePath(io.cwd, f));
      if (c === undefined) errors += `${name}: ${f}: No such file or directory\n`;
      else text += c;
    }
  }
  return { text, errors };
}

function countFlag(args: readonly string[], name: string): { n: number; files: string[]; error?: string } {
  let n = 10;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-n') n = Number(args[++i]);
    else if (/^-n\d+$/.test(a)) n = Number(a.slice(2));
    else if (/^-\d+$/.test(a)) n = Number(a.slice(1));
    else if (a.startsWith('-') && a !== '-') return { n, files, error: `${name}: invalid option -- '${a.slice(1, 2)}'\nTry '${name} --help' for more information.` };
    else files.push(a);
  }
  if (!Number.isFinite(n)) return { n, files, error: `${name}: invalid number of lines` };
  return { n, files };
}

const echo: Program = (argv) => {
  let args = argv.slice(1);
  let newline = true;
  let escapes = false;
  while (args[0] && /^-[neE]+$/.test(args[0])) {
    if (args[0].includes('n')) newline = false;
    if (args[0].includes('e')) escapes = true;
    args = args.slice(1);
  }
  let text = args.join(' ');
  if (escapes) {
    // bash's `echo -e`: one pass, so `\\n` stays a backslash followed by n.
    const e = unescape(text, true, ECHO_ESCAPES);
    text = e.text;
    // `\c` ends the output there, trailing newline included.
    if (e.stop) newline = false;
  }
  return done(newline ? `${text}\n` : text);
};

const ECHO_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

const cat: Program = (argv, io) => {
  const { text, errors } = readInputs('cat', argv.slice(1), io);
  return done(text, errors, errors ? 1 : 0);
};

const headTail =
  (name: 'head' | 'tail'): Program =>
  (argv, io) => {
    const { n, files, error } = countFlag(argv.slice(1), name);
    if (error) return fail(error);
    const { text, errors } = readInputs(name, files, io);
    const l = lines(text);
    return done(joinLines(name === 'head' ? l.slice(0, n) : l.slice(Math.max(0, l.length - n))), errors, errors ? 1 : 0);
  };

const grep: Program = (argv, io) => {
  let invert = false, ignoreCase = false, quiet = false, count = false, only = false, extended = false, fixed = false;
  let after = 0, before = 0;
  const rest: string[] = [];
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const ctx = /^-([ABC])(\d*)$/.exec(a);
    if (ctx) {
      const n = Number(ctx[2] || args[++i]);
      if (!Number.isInteger(n) || n < 0) return fail(`grep: ${ctx[2] || args[i]}: invalid context length argument`, 2);
      if (ctx[1] !== 'B') after = n;
      if (ctx[1] !== 'A') before = n;
    } else if (a === '-e') rest.push(args[++i] ?? '');
    else if (/^-[viqcoEFh]+$/.test(a)) {
      invert ||= a.includes('v');
      ignoreCase ||= a.includes('i');
      quiet ||= a.includes('q');
      count ||= a.includes('c');
      only ||= a.includes('o');
      extended ||= a.includes('E');
      fixed ||= a.includes('F');
    } else if (a.startsWith('-') && a.length > 1) return fail(`grep: invalid option -- '${a.slice(1, 2)}'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.`, 2);
    else rest.push(a);
  }
  const [pattern, ...files] = rest;
  if (pattern === undefined) return fail("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.", 2);
  let re: RegExp;
  try {
    const src = fixed ? pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : extended ? pattern : basicToExtended(pattern);
    re = new RegExp(src, ignoreCase ? 'gi' : 'g');
  } catch {
    return fail('grep: Unmatched ( or \\(', 2);
  }
  const { text, errors } = readInputs('grep', files, io);
  const all = lines(text);
  const hit = all.map((l) => {
    re.lastIndex = 0;
    return re.test(l) !== invert;
  });
  const matched = all.filter((_, i) => hit[i]);
  const code = errors ? 2 : matched.length > 0 ? 0 : 1;
  if (quiet) return done('', errors, code);
  if (count) return done(`${matched.length}\n`, errors, code);
  if (only && !invert) return done(joinLines(matched.flatMap((l) => [...l.matchAll(re)].map((m) => m[0]))), errors, code);
  if (after + before === 0) return done(joinLines(matched), errors, code);
  // Context lines, with GNU grep's "--" between groups that are not adjacent.
  const shown: string[] = [];
  let last = -2;
  all.forEach((_, i) => {
    const near = hit.some((h, j) => h && i >= j - before && i <= j + after);
    if (!near) return;
    if (last >= 0 && i > last + 1) shown.push('--');
    shown.push(all[i]!);
    last = i;
  });
  return done(joinLines(shown), errors, code);
};

/** POSIX basic regular expressions: `\(` `\)` `\|` `\+` `\?` `\{` are the operators; bare ones are literal. */
function basicToExtended(p: string): string {
  let out = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\' && i + 1 < p.length) {
      const n = p[++i]!;
      out += '(){}|+?'.includes(n) ? n : `\\${n}`;
    } else out += '(){}|+?'.includes(c) ? `\\${c}` : c;
  }
  return out;
}

const wc: Program = (argv, io) => {
  const flags = argv.slice(1).filter((a) => a.startsWith('-'));
  const files = argv.slice(1).filter((a) => !a.startsWith('-'));
  const { text, errors } = readInputs('wc', files, io);
  const l = (text.match(/\n/g) ?? []).length;
  const w = text.split(/\s+/).filter(Boolean).length;
  const c = new TextEncoder().encode(text).length;
  if (flags.includes('-l')) return done(`${l}\n`, errors);
  if (flags.includes('-w')) return done(`${w}\n`, errors);
  if (flags.includes('-c')) return done(`${c}\n`, errors);
  return done(`${String(l).padStart(7)} ${String(w).padStart(7)} ${String(c).padStart(7)}\n`, errors);
};

const base64: Program = (argv, io) => {
  const args = argv.slice(1);
  const decode = args.includes('-d') || args.includes('--decode');
  const files = args.filter((a) => !a.startsWith('-'));
  const { text, errors } = readInputs('base64', files, io);
  if (errors) return done('', errors, 1);
  if (decode) {
    const clean = text.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) return fail('base64: invalid input');
    const bin = atob(clean);
    return done(new TextDecoder().decode(Uint8Array.from(bin, (ch) => ch.charCodeAt(0))));
  }
  const b64 = btoa(String.fromCharCode(...new TextEncoder().encode(text)));
  const wrap = args.includes('-w0') || args.includes('--wrap=0') ? b64 : (b64.match(/.{1,76}/g) ?? []).join('\n');
  return done(`${wrap}\n`);
};

const sort: Program = (argv, io) => {
  const args = argv.slice(1);
  const { text, errors } = readInputs('sort', args.filter((a) => !a.startsWith('-')), io);
  let l = lines(text).sort();
  if (args.includes('-r')) l = l.reverse();
  if (args.includes('-u')) l = [...new Set(l)];
  return done(joinLines(l), errors, errors ? 2 : 0);
};

/** GNU uniq: adjacent duplicates; `-c` prefixes counts as `%7d ` (coreutils uniq.c), `-d` only repeated lines. */
const uniq: Program = (argv, io) => {
  const flags = argv.slice(1).filter((a) => a.startsWith('-')).join('');
  const { text } = readInputs('uniq', argv.slice(1).filter((a) => !a.startsWith('-')), io);
  const groups: { line: string; n: number }[] = [];
  for (const l of lines(text)) {
    const last = groups.at(-1);
    if (last && last.line === l) last.n++;
    else groups.push({ line: l, n: 1 });
  }
  const kept = flags.includes('d') ? groups.filter((g) => g.n > 1) : groups;
  return done(joinLines(kept.map((g) => (flags.includes('c') ? `${String(g.n).padStart(7)} ${g.line}` : g.line))));
};

const tee: Program = (argv, io) => {
  const append = argv.includes('-a');
  for (const f of argv.slice(1).filter((a) => !a.startsWith('-'))) io.fs.write(resolvePath(io.cwd, f), io.stdin, append);
  return done(io.stdin);
};

/**
 * `ls [-l] [-a] [PATH…]`: one name per line (ls's output when not on a terminal), or the long form.
 * The mode is the file's (spiffe-helper writes keys 0600); on OpenShift a `.` follows it (an SELinux
 * label, GNU ls). Simplified: owner `root root`, directories `drwxr-xr-x`, dated at the epoch; no
 * colours, no sorting options.
 */
/** `-rw-------` for 0600. */
const modeString = (mode: number): string => `-${[6, 3, 0].map((shift) => ['r', 'w', 'x'].map((ch, i) => ((mode >> shift) & (4 >> i) ? ch : '-')).join('')).join('')}`;

const ls: Program = (argv, io) => {
  const flags = argv.slice(1).filter((a) => /^-[a-zA-Z]+$/.test(a)).join('');
  const paths = argv.slice(1).filter((a) => !/^-[a-zA-Z]+$/.test(a));
  const long = flags.includes('l');
  let stdout = '';
  let stderr = '';
  let code = 0;
  const targets = paths.length > 0 ? paths : ['.'];
  for (const [i, target] of targets.entries()) {
    const p = resolvePath(io.cwd, target);
    const entries = io.fs.listDir(p);
    const isFile = io.fs.read(p) !== undefined;
    if (!isFile && entries.length === 0 && p !== io.cwd) {
      stderr += `ls: cannot access '${target}': No such file or directory\n`;
      code = 2;
      continue;
    }
    if (targets.length > 1 && !isFile) stdout += `${i > 0 ? '\n' : ''}${target}:\n`;
    const names = isFile ? [target] : flags.includes('a') ? ['.', '..', ...entries] : entries;
    if (long && !isFile) stdout += `total ${names.length * 4}\n`;
    for (const name of names) {
      const full = isFile ? p : resolvePath(p, name);
      const size = io.fs.sizeOf(full);
      const mode = size === undefined ? 'drwxr-xr-x' : modeString(io.fs.modeOf(full) ?? 0o644);
      stdout += long ? `${mode}${io.fs.selinuxLabels ? '.' : ''} ${size === undefined ? 2 : 1} root root ${String(size ?? 4096).padStart(5)} Jan  1 00:00 ${name}\n` : `${name}\n`;
    }
  }
  return done(stdout, stderr, code);
};

export const COREUTILS: Readonly<Record<string, Program>> = {
  ls,
  echo,
  printf,
  cat,
  head: headTail('head'),
  tail: headTail('tail'),
  grep,
  wc,
  base64,
  sort,
  uniq,
  tee,
  sed,
  jq,
  seq,
  tr,
  cut,
  awk,
  envsubst,
  true: () => done(),
  false: () => done('', '', 1),
};
