/**
 * Line tools the guides use to slice output: `seq`, `tr`, `cut`, and `awk` for its one idiom,
 * `awk [-F SEP] '{print $N, …}'`. GNU coreutils behaviour and messages (UTF-8 locale, hence the
 * ‘…’ quotes) for the supported flags; anything else is refused with the real tool's text.
 */
import { resolvePath } from './fs.ts';
import { done, fail, type Program, type ProgramIo } from './program.ts';

const lines = (s: string): string[] => {
  const l = s.split('\n');
  if (l[l.length - 1] === '') l.pop();
  return l;
};

function readFiles(name: string, files: readonly string[], io: ProgramIo, message = (f: string) => `${name}: ${f}: No such file or directory\n`): { text: string; errors: string } {
  if (files.length === 0) return { text: io.stdin, errors: '' };
  let text = '';
  let errors = '';
  for (const f of files) {
    const c = f === '-' ? io.stdin : io.fs.read(resolvePath(io.cwd, f));
    if (c === undefined) errors += message(f);
    else text += c;
  }
  return { text, errors };
}

const tryHelp = (name: string) => `Try '${name} --help' for more information.`;

/** `seq [-s SEP] [-w] [FIRST [INCREMENT]] LAST`, integers and decimals. */
export const seq: Program = (argv) => {
  let sep = '\n';
  let equalWidth = false;
  const nums: string[] = [];
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-s') sep = args[++i] ?? '';
    else if (a.startsWith('-s') && !/^-\d/.test(a)) sep = a.slice(2);
    else if (a === '-w') equalWidth = true;
    else if (a.startsWith('-') && !/^-\d|^-\.\d/.test(a)) return fail(`seq: invalid option -- '${a.slice(1, 2)}'\n${tryHelp('seq')}`);
    else nums.push(a);
  }
  if (nums.length === 0) return fail(`seq: missing operand\n${tryHelp('seq')}`);
  if (nums.length > 3) return fail(`seq: extra operand ‘${nums[3]}’\n${tryHelp('seq')}`);
  const bad = nums.find((n) => !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(n));
  if (bad !== undefined) return fail(`seq: invalid floating point argument: ‘${bad}’\n${tryHelp('seq')}`);
  const [first, step, last] = nums.length === 1 ? ['1', '1', nums[0]!] : nums.length === 2 ? [nums[0]!, '1', nums[1]!] : (nums as [string, string, string]);
  if (Number(step) === 0) return fail(`seq: invalid Zero increment value: ‘${step}’\n${tryHelp('seq')}`);
  // Printed with as many decimals as the most precise operand, as GNU seq does.
  const decimals = Math.max(...[first, step].map((n) => (n.includes('.') ? n.length - n.indexOf('.') - 1 : 0)));
  const out: string[] = [];
  const a = Number(first);
  const d = Number(step);
  const b = Number(last);
  for (let k = 0; d > 0 ? a + k * d <= b + 1e-9 : a + k * d >= b - 1e-9; k++) out.push((a + k * d).toFixed(decimals));
  if (equalWidth) {
    const width = Math.max(...out.map((s) => s.length));
    for (const [k, s] of out.entries()) out[k] = s.startsWith('-') ? `-${s.slice(1).padStart(width - 1, '0')}` : s.padStart(width, '0');
  }
  return done(out.length ? `${out.join(sep)}\n` : '');
};

/** tr's SET syntax: ranges `a-z`, classes `[:lower:]`, escapes `\n` `\t` `\\`. */
function trSet(spec: string): string[] {
  const classes: Record<string, string> = {
    lower: 'abcdefghijklmnopqrstuvwxyz',
    upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
    digit: '0123456789',
    space: ' \t\n\r\f\v',
    blank: ' \t',
    alpha: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
    alnum: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  };
  const out: string[] = [];
  const esc: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\' };
  const chars: string[] = [];
  for (let i = 0; i < spec.length; i++) {
    const cls = /^\[:([a-z]+):\]/.exec(spec.slice(i));
    if (cls && classes[cls[1]!]) {
      out.push(...chars.splice(0), ...classes[cls[1]!]!);
      i += cls[0].length - 1;
      continue;
    }
    const c = spec[i]!;
    if (c === '\\' && i + 1 < spec.length) chars.push(esc[spec[++i]!] ?? spec[i]!);
    else if (c === '-' && chars.length > 0 && i + 1 < spec.length) {
      const from = chars.pop()!.charCodeAt(0);
      const to = spec.charCodeAt(++i);
      for (let k = from; k <= to; k++) chars.push(String.fromCharCode(k));
    } else chars.push(c);
  }
  return [...out, ...chars];
}

/** `tr [-d] [-s] SET1 [SET2]`. */
export const tr: Program = (argv, io) => {
  let del = false;
  let squeeze = false;
  const sets: string[] = [];
  for (const a of argv.slice(1)) {
    if (/^-[ds]+$/.test(a)) {
      del ||= a.includes('d');
      squeeze ||= a.includes('s');
    } else if (a.startsWith('-') && a.length > 1) return fail(`tr: invalid option -- '${a.slice(1, 2)}'\n${tryHelp('tr')}`);
    else sets.push(a);
  }
  if (sets.length === 0) return fail(`tr: missing operand\n${tryHelp('tr')}`);
  if (del && !squeeze && sets.length > 1) return fail(`tr: extra operand ‘${sets[1]}’\nOnly one string may be given when deleting without squeezing repeats.\n${tryHelp('tr')}`);
  if (!del && !squeeze && sets.length < 2) return fail(`tr: missing operand after ‘${sets[0]}’\nTwo strings must be given when translating.\n${tryHelp('tr')}`);
  const set1 = trSet(sets[0]!);
  const set2 = sets[1] === undefined ? [] : trSet(sets[1]);
  let out: string;
  if (del) out = [...io.stdin].filter((c) => !set1.includes(c)).join('');
  else if (set2.length > 0) {
    // SET2 shorter than SET1 is padded with its last character (GNU).
    const map = new Map(set1.map((c, k) => [c, set2[Math.min(k, set2.length - 1)]!]));
    out = [...io.stdin].map((c) => map.get(c) ?? c).join('');
  } else out = io.stdin;
  if (squeeze) {
    const sq = del ? set2 : set2.length > 0 ? set2 : set1;
    out = [...out].filter((c, k, all) => !(k > 0 && all[k - 1] === c && sq.includes(c))).join('');
  }
  return done(out);
};

/** A cut LIST: `2`, `1,3`, `2-`, `-3`, `2-4`; undefined when malformed. */
function cutList(spec: string): { ranges: [number, number][]; error?: string } {
  const ranges: [number, number][] = [];
  for (const piece of spec.split(',')) {
    const m = /^(\d*)(-?)(\d*)$/.exec(piece);
    if (!m || (m[1] === '' && m[3] === '')) return { ranges, error: `cut: invalid field range\n${tryHelp('cut')}` };
    const from = m[1] === '' ? 1 : Number(m[1]);
    const to = m[2] === '' ? from : m[3] === '' ? Infinity : Number(m[3]);
    if (from === 0 || to === 0) return { ranges, error: `cut: fields are numbered from 1\n${tryHelp('cut')}` };
    if (to < from) return { ranges, error: `cut: invalid decreasing range\n${tryHelp('cut')}` };
    ranges.push([from, to]);
  }
  return { ranges };
}

/** `cut -d DELIM -f LIST [-s]`, `cut -c LIST`. */
export const cut: Program = (argv, io) => {
  let delim = '\t';
  let fields: string | undefined;
  let chars: string | undefined;
  let onlyDelimited = false;
  const files: string[] = [];
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const opt = /^-([dfcb])(.*)$/.exec(a);
    if (opt) {
      const value = opt[2] !== '' ? opt[2]! : args[++i];
      if (value === undefined) return fail(`cut: option requires an argument -- '${opt[1]}'\n${tryHelp('cut')}`);
      if (opt[1] === 'd') delim = value;
      else if (opt[1] === 'f') fields = value;
      else chars = value;
    } else if (a === '-s') onlyDelimited = true;
    else if (a.startsWith('-') && a.length > 1) return fail(`cut: invalid option -- '${a.slice(1, 2)}'\n${tryHelp('cut')}`);
    else files.push(a);
  }
  if (fields === undefined && chars === undefined) return fail(`cut: you must specify a list of bytes, characters, or fields\n${tryHelp('cut')}`);
  if ([...delim].length !== 1) return fail(`cut: the delimiter must be a single character\n${tryHelp('cut')}`);
  const { ranges, error } = cutList((fields ?? chars)!);
  if (error) return fail(error);
  const pick = <T>(items: readonly T[]): T[] => items.filter((_, k) => ranges.some(([a, b]) => k + 1 >= a && k + 1 <= b));
  const { text, errors } = readFiles('cut', files, io);
  const out: string[] = [];
  for (const line of lines(text)) {
    if (chars !== undefined) out.push(pick([...line]).join(''));
    else if (!line.includes(delim)) {
      if (!onlyDelimited) out.push(line);
    } else out.push(pick(line.split(delim)).join(delim));
  }
  return done(out.map((l) => `${l}\n`).join(''), errors, errors ? 1 : 0);
};

/**
 * `awk [-F SEP] '{print …}' [FILE…]` where the print list holds `$N`, `$NF`, `$0` and "strings";
 * a comma prints OFS (a space), juxtaposition concatenates. Fields split on runs of blanks unless
 * -F names a separator (one character, or a regular expression).
 */
export const awk: Program = (argv, io) => {
  let fs: string | undefined;
  const rest: string[] = [];
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-F') fs = args[++i];
    else if (a.startsWith('-F')) fs = a.slice(2);
    else rest.push(a);
  }
  const [program, ...files] = rest;
  if (program === undefined) return fail('usage: awk [-F fs][-v var=value][prog | -f progfile][file ...]', 2);
  const m = /^\s*\{\s*print\b(.*?);?\s*\}\s*$/s.exec(program);
  const items = m ? printItems(m[1]!) : undefined;
  if (!items) return fail(`awk: the lab's awk runs only '{print $N, …}' programs, not: ${program}`, 2);
  const { text, errors } = readFiles('awk', files, io, (f) => `awk: fatal: cannot open file \`${f}' for reading: No such file or directory\n`);
  const split = (line: string): string[] => {
    if (fs === undefined || fs === ' ') return line.split(/[ \t]+/).filter((f, k, all) => f !== '' || (k > 0 && k < all.length - 1));
    if (fs.length === 1 && fs !== '\\') return line.split(fs);
    return line.split(new RegExp(fs));
  };
  let out = '';
  for (const line of lines(text)) {
    const f = split(line);
    const field = (n: number): string => (n === 0 ? line : (f[n - 1] ?? ''));
    out += `${items.map((group) => group.map((t) => (t.kind === 'str' ? t.value : field(t.nf ? f.length - t.n : t.n))).join('')).join(' ')}\n`;
  }
  return done(out, errors, errors ? 2 : 0);
};

type PrintTerm = { kind: 'str'; value: string } | { kind: 'field'; n: number; nf: boolean };

/** `$1, $3`, `$NF`, `$(NF-1)`, `"x" $2` → comma-separated groups of concatenated terms. */
function printItems(list: string): PrintTerm[][] | undefined {
  const groups: PrintTerm[][] = [[]];
  let s = list.trim();
  if (s === '') return [[{ kind: 'field', n: 0, nf: false }]];
  while (s !== '') {
    let m: RegExpExecArray | null;
    if ((m = /^\$(\d+)/.exec(s))) groups[groups.length - 1]!.push({ kind: 'field', n: Number(m[1]), nf: false });
    else if ((m = /^\$(?:NF|\(NF(?:-(\d+))?\))/.exec(s))) groups[groups.length - 1]!.push({ kind: 'field', n: Number(m[1] ?? 0), nf: true });
    else if ((m = /^"((?:[^"\\]|\\.)*)"/.exec(s))) groups[groups.length - 1]!.push({ kind: 'str', value: m[1]!.replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\(.)/g, '$1') });
    else if ((m = /^,/.exec(s))) groups.push([]);
    else return undefined;
    s = s.slice(m[0].length).trimStart();
  }
  return groups;
}
