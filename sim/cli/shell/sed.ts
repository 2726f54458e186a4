/**
 * GNU sed for the guides' one-liners: `sed 's/^/    /'`, `sed "s/\${CLUSTER}/west/g"`, `sed -e … -e …`,
 * `sed -n '/re/p'`, `sed -i`. Supported: options -n -e -E/-r -i[SUFFIX] -s; addresses N, $, /RE/
 * and ranges, `!`; commands s (flags g p N i I), d, p, q, =, a/i/c (one-line GNU form), y, and `#`
 * comments. Scripts are parsed up front, and a bad one is reported as GNU sed does, by expression
 * number and character position: `sed: -e expression #1, char 5: unterminated `s' command`.
 * Not modelled: hold space (h/H/g/G/x), branches, blocks `{…}`, N/D/P, r/w files; they are refused
 * with sed's own "unknown command" text.
 */
import { resolvePath } from './fs.ts';
import { done, fail, type Program } from './program.ts';
import { posixToJs } from './regex.ts';

type Address = { kind: 'line'; n: number } | { kind: 'last' } | { kind: 're'; re: RegExp };

type Cmd =
  | { kind: 's'; re: RegExp | undefined; repl: ReplPiece[]; global: boolean; nth: number; print: boolean }
  | { kind: 'd' | 'p' | 'q' | '=' }
  | { kind: 'a' | 'i' | 'c'; text: string }
  | { kind: 'y'; map: Map<string, string> };

type ReplPiece = { kind: 'lit'; text: string } | { kind: 'group'; n: number };

interface Line {
  readonly a1?: Address;
  readonly a2?: Address;
  readonly negate: boolean;
  readonly cmd: Cmd;
}

class ScriptError {
  constructor(
    readonly char: number,
    readonly message: string,
  ) {}
}

const USAGE = `Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...

  -n, --quiet, --silent
                 suppress automatic printing of pattern space
      --debug
                 annotate program execution
  -e script, --expression=script
                 add the script to the commands to be executed
  -f script-file, --file=script-file
                 add the contents of script-file to the commands to be executed
  --follow-symlinks
                 follow symlinks when processing in place
  -i[SUFFIX], --in-place[=SUFFIX]
                 edit files in place (makes backup if SUFFIX supplied)
  -l N, --line-length=N
                 specify the desired line-wrap length for the \`l' command
  --posix
                 disable all GNU extensions.
  -E, -r, --regexp-extended
                 use extended regular expressions in the script
                 (for portability use POSIX -E).
  -s, --separate
                 consider files as separate rather than as a single,
                 continuous long stream.
      --sandbox
                 operate in sandbox mode (disable e/r/w commands).
  -u, --unbuffered
                 load minimal amounts of data from the input files and flush
                 the output buffers more often
  -z, --null-data
                 separate lines by NUL characters
      --help     display this help and exit
      --version  output version information and exit

If no -e, --expression, -f, or --file option is given, then the first
non-option argument is taken as the sed script to interpret.  All
remaining arguments are names of input files; if no input files are
specified, then the standard input is read.

GNU sed home page: <https://www.gnu.org/software/sed/>.
General help using GNU software: <https://www.gnu.org/gethelp/>.
`;

/** Parses one -e expression. Positions count characters read, as GNU sed's messages do. */
function parseExpression(src: string, extended: boolean): Line[] {
  const lines: Line[] = [];
  let i = 0;
  const at = (): string | undefined => src[i];
  const skipBlanks = (): void => {
    while (at() === ' ' || at() === '\t') i++;
  };
  /** Text up to an unescaped `delim`; `\delim` stands for the delimiter itself. */
  const readDelimited = (delim: string, what: string): string => {
    let text = '';
    for (;;) {
      const c = src[i++];
      if (c === undefined) throw new ScriptError(src.length, what);
      if (c === delim) return text;
      if (c === '\\') {
        const n = src[i++];
        if (n === undefined) throw new ScriptError(src.length, what);
        text += n === delim ? (/[\\^$.*[\]]/.test(n) ? `\\${n}` : n) : n === '\n' ? '\n' : `\\${n}`;
      } else text += c;
    }
  };
  const compile = (re: string, flags: string, end: number): { regex: RegExp | undefined; groups: number } => {
    if (re === '') return { regex: undefined, groups: 9 }; // the empty regex reuses the last one used
    const t = posixToJs(re, extended);
    if (!t.ok) throw new ScriptError(end, t.error);
    return { regex: new RegExp(t.value.source, flags), groups: t.value.groups };
  };
  const address = (): Address | undefined => {
    const c = at();
    if (c !== undefined && /\d/.test(c)) {
      let n = '';
      while (/\d/.test(at() ?? '')) n += src[i++];
      return { kind: 'line', n: Number(n) };
    }
    if (c === '$') {
      i++;
      return { kind: 'last' };
    }
    if (c === '/' || c === '\\') {
      i++;
      const delim = c === '/' ? '/' : src[i++];
      if (delim === undefined) throw new ScriptError(src.length, 'unexpected end of file');
      const re = readDelimited(delim, 'unterminated address regex');
      let flags = '';
      if (at() === 'I') {
        flags = 'i';
        i++;
      }
      return { kind: 're', re: compile(re, flags, i).regex ?? /(?:)/ };
    }
    return undefined;
  };
  /** After a command: only blanks, then `;`, a newline, a comment or the end. */
  const endOfCommand = (): void => {
    skipBlanks();
    const c = at();
    if (c === undefined || c === ';' || c === '\n' || c === '#' || c === '}') return;
    throw new ScriptError(i + 1, 'extra characters after command');
  };

  while (i < src.length) {
    while (at() === ' ' || at() === '\t' || at() === ';' || at() === '\n') i++;
    if (i >= src.length) break;
    if (at() === '#') {
      while (i < src.length && at() !== '\n') i++;
      continue;
    }
    const a1 = address();
    let a2: Address | undefined;
    if (a1 && at() === ',') {
      i++;
      a2 = address();
      if (!a2) throw new ScriptError(i, "unexpected `,'");
    }
    skipBlanks();
    let negate = false;
    while (at() === '!') {
      negate = true;
      i++;
      skipBlanks();
    }
    const name = src[i++];
    if (name === undefined) throw new ScriptError(src.length, 'missing command');
    let cmd: Cmd;
    switch (name) {
      case 's': {
        const delim = src[i++];
        if (delim === undefined || delim === '\n' || delim === '\\') throw new ScriptError(src.length, "unterminated `s' command");
        const re = readDelimited(delim, "unterminated `s' command");
        const replText = readDelimited(delim, "unterminated `s' command");
        let global = false;
        let print = false;
        let nth = 1;
        let flags = '';
        for (;;) {
          const f = at();
          if (f === 'g') global = true;
          else if (f === 'p') print = true;
          else if (f === 'i' || f === 'I') flags = 'i';
          else if (f !== undefined && /\d/.test(f)) {
            let n = '';
            while (/\d/.test(at() ?? '')) n += src[i++];
            nth = Number(n);
            if (nth === 0) throw new ScriptError(i, "number option to `s' command may not be zero");
            continue;
          } else if (f === 'w') throw new ScriptError(i + 1, 'missing filename in r/R/w/W commands');
          else if (f === undefined || f === ';' || f === '\n' || f === ' ' || f === '\t' || f === '#' || f === '}') break;
          else throw new ScriptError(i + 1, "unknown option to `s'");
          i++;
        }
        const { regex, groups } = compile(re, `g${flags}`, i);
        const repl = parseReplacement(replText, groups, i);
        cmd = { kind: 's', re: regex, repl, global, nth, print };
        endOfCommand();
        break;
      }
      case 'd':
      case 'p':
      case 'q':
      case '=':
        cmd = { kind: name };
        endOfCommand();
        break;
      case 'a':
      case 'i':
      case 'c': {
        // GNU one-liner `a text`, or the POSIX `a\` followed by the text on the next line.
        skipBlanks();
        if (at() === '\\') {
          i++;
          if (at() === '\n') i++;
        }
        let text = '';
        while (i < src.length && at() !== '\n') text += src[i++];
        if (text === '' && i >= src.length) throw new ScriptError(src.length, 'expected \\ after `a\', `c\' or `i\'');
        cmd = { kind: name, text: text.replace(/\\(.)/g, '$1') };
        break;
      }
      case 'y': {
        const delim = src[i++];
        if (delim === undefined) throw new ScriptError(src.length, "unterminated `y' command");
        const from = [...readDelimited(delim, "unterminated `y' command").replace(/\\(.)/g, '$1')];
        const to = [...readDelimited(delim, "unterminated `y' command").replace(/\\(.)/g, '$1')];
        if (from.length !== to.length) throw new ScriptError(i, "strings for `y' command are different lengths");
        cmd = { kind: 'y', map: new Map(from.map((c, k) => [c, to[k]!])) };
        endOfCommand();
        break;
      }
      default:
        throw new ScriptError(i, `unknown command: \`${name}'`);
    }
    lines.push({ ...(a1 ? { a1 } : {}), ...(a2 ? { a2 } : {}), negate, cmd });
  }
  return lines;
}

/** `&` is the match, `\1`…`\9` groups, `\n` a newline, `\&` and `\\` literals. */
function parseReplacement(text: string, groups: number, end: number): ReplPiece[] {
  const pieces: ReplPiece[] = [];
  let lit = '';
  const flush = (): void => {
    if (lit) pieces.push({ kind: 'lit', text: lit });
    lit = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '&') {
      flush();
      pieces.push({ kind: 'group', n: 0 });
    } else if (c === '\\' && i + 1 < text.length) {
      const n = text[++i]!;
      if (/\d/.test(n)) {
        if (Number(n) > groups) throw new ScriptError(end, `invalid reference \\${n} on \`s' command's RHS`);
        flush();
        pieces.push({ kind: 'group', n: Number(n) });
      } else lit += n === 'n' ? '\n' : n === 't' ? '\t' : n;
    } else lit += c;
  }
  flush();
  return pieces;
}

export const sed: Program = (argv, io) => {
  const scripts: string[] = [];
  const files: string[] = [];
  let quiet = false;
  let extended = false;
  let inPlace: string | undefined;
  const args = argv.slice(1);
  for (let k = 0; k < args.length; k++) {
    const a = args[k]!;
    if (a === '--') {
      files.push(...args.slice(k + 1));
      break;
    }
    if (a === '-e' || a === '--expression') {
      const s = args[++k];
      if (s === undefined) return fail(`sed: option requires an argument -- 'e'\n${USAGE}`, 1);
      scripts.push(s);
    } else if (a.startsWith('--expression=')) scripts.push(a.slice(13));
    else if (a === '-n' || a === '--quiet' || a === '--silent') quiet = true;
    else if (a === '-E' || a === '-r' || a === '--regexp-extended') extended = true;
    else if (a === '-s' || a === '--separate' || a === '-u' || a === '--unbuffered' || a === '--posix') continue;
    else if (a.startsWith('-i') || a.startsWith('--in-place')) inPlace = a.startsWith('-i') ? a.slice(2) : a.slice(11);
    else if (/^-[nErs]+[e]?$/.test(a)) {
      quiet ||= a.includes('n');
      extended ||= a.includes('E') || a.includes('r');
      if (a.endsWith('e')) {
        const s = args[++k];
        if (s === undefined) return fail(`sed: option requires an argument -- 'e'\n${USAGE}`, 1);
        scripts.push(s);
      }
    } else if (a.startsWith('--') && a.length > 2) return fail(`sed: unrecognized option '${a}'\n${USAGE}`, 1);
    else if (a.startsWith('-') && a.length > 1) return fail(`sed: invalid option -- '${a.slice(1, 2)}'\n${USAGE}`, 1);
    else files.push(a);
  }
  if (scripts.length === 0) {
    if (files.length === 0) return fail(USAGE, 1);
    scripts.push(files.shift()!);
  }
  let program: Line[] = [];
  for (const [n, s] of scripts.entries()) {
    try {
      program = program.concat(parseExpression(s, extended));
    } catch (e) {
      if (!(e instanceof ScriptError)) throw e;
      return fail(`sed: -e expression #${n + 1}, char ${e.char}: ${e.message}`, 1);
    }
  }
  if (inPlace !== undefined && files.length === 0) return fail('sed: no input files', 1);

  let stderr = '';
  let code = 0;
  const read = (f: string): string | undefined => {
    const c = f === '-' ? io.stdin : io.fs.read(resolvePath(io.cwd, f));
    if (c === undefined) {
      stderr += `sed: can't read ${f}: No such file or directory\n`;
      code = 2;
    }
    return c;
  };
  if (inPlace !== undefined) {
    for (const f of files) {
      const text = read(f);
      if (text === undefined) continue;
      const r = execute(program, text, quiet);
      if (inPlace) io.fs.write(resolvePath(io.cwd, f + inPlace), text);
      io.fs.write(resolvePath(io.cwd, f), r.out);
      if (r.quit) break;
    }
    return done('', stderr, code);
  }
  const text = files.length === 0 ? io.stdin : files.map(read).filter((t) => t !== undefined).join('');
  return done(execute(program, text, quiet).out, stderr, code);
};

function matches(a: Address, line: string, n: number, last: boolean): boolean {
  if (a.kind === 'line') return n === a.n;
  if (a.kind === 'last') return last;
  a.re.lastIndex = 0;
  return a.re.test(line);
}

/** Runs the program over the text, one line per cycle, keeping a missing final newline missing. */
function execute(program: readonly Line[], text: string, quiet: boolean): { out: string; quit: boolean } {
  const input = text.split('\n');
  const missingNewline = input[input.length - 1] !== '';
  if (!missingNewline) input.pop();
  const inRange = new Map<Line, boolean>();
  let out = '';
  let lastRe: RegExp | undefined;
  for (const [idx, line] of input.entries()) {
    const n = idx + 1;
    const last = idx === input.length - 1;
    const nl = last && missingNewline ? '' : '\n';
    let ps = line;
    let deleted = false;
    let quit = false;
    const append: string[] = [];
    for (const l of program) {
      let selected: boolean;
      if (!l.a1) selected = true;
      else if (!l.a2) selected = matches(l.a1, ps, n, last);
      else if (inRange.get(l)) {
        const endNow = l.a2.kind === 'line' ? n >= l.a2.n : matches(l.a2, ps, n, last);
        if (endNow) inRange.set(l, false);
        selected = true;
      } else if (matches(l.a1, ps, n, last)) {
        // A line-number end at or before the start closes the range on this line (GNU).
        inRange.set(l, !(l.a2.kind === 'line' && l.a2.n <= n) && !(l.a2.kind === 'last' && last));
        selected = true;
      } else selected = false;
      if (selected === l.negate) continue;
      const c = l.cmd;
      if (c.kind === 's') {
        const re = c.re ?? lastRe;
        if (!re) continue;
        lastRe = re;
        let count = 0;
        let did = false;
        ps = ps.replace(re, (...m: unknown[]) => {
          const whole = m[0] as string;
          count++;
          if (count < c.nth || (!c.global && count > c.nth)) return whole;
          did = true;
          return c.repl.map((p) => (p.kind === 'lit' ? p.text : ((m[p.n] as string | undefined) ?? ''))).join('');
        });
        if (did && c.print) out += `${ps}\n`;
      } else if (c.kind === 'd') {
        deleted = true;
        break;
      } else if (c.kind === 'p') out += `${ps}\n`;
      else if (c.kind === '=') out += `${n}\n`;
      else if (c.kind === 'q') {
        quit = true;
        break;
      } else if (c.kind === 'y') ps = [...ps].map((ch) => c.map.get(ch) ?? ch).join('');
      else if (c.kind === 'i') out += `${c.text}\n`;
      else if (c.kind === 'a') append.push(c.text);
      else if (c.kind === 'c') {
        // `c`: on a range, the text replaces the whole range, printed at its end.
        if (!l.a2 || !inRange.get(l)) out += `${c.text}\n`;
        deleted = true;
        break;
      }
    }
    if (!deleted && !quiet) out += `${ps}${append.length ? '\n' : nl}`;
    // Appended text always ends its line, even after a last line that had no newline (GNU).
    for (const t of append) out += `${t}\n`;
    if (quit) return { out, quit };
  }
  return { out, quit: false };
}
