/**
 * bash's `printf FORMAT [ARGUMENTS…]` builtin: escapes in FORMAT, conversions %s %b %q %d %i %u %x
 * %X %o %c %f %e %g %% with flags, width and precision; the format is reused while arguments remain,
 * and missing ones read as empty or 0. Messages are bash's (`bash: printf: abc: invalid number`).
 * `-v VAR` is not modelled.
 */
import { done, type Program } from './program.ts';

const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" };

/**
 * Backslash escapes as bash decodes them in one pass: printf's FORMAT (octal `\NNN`) and %b / `echo -e`
 * (octal `\0NNN`, `octalNeedsZero`); `\c` stops output. `escapes` is the table of single letters.
 */
export function unescape(s: string, octalNeedsZero: boolean, escapes: Readonly<Record<string, string>> = ESCAPES): { text: string; stop: boolean } {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const n = s[i + 1]!;
    if (n === 'c') return { text: out, stop: true };
    const oct = (octalNeedsZero ? /^0[0-7]{0,3}/ : /^[0-7]{1,3}/).exec(s.slice(i + 1));
    const hex = /^x[0-9a-fA-F]{1,2}/.exec(s.slice(i + 1));
    if (oct) {
      out += String.fromCharCode(parseInt(oct[0].replace(/^0(?=.)/, octalNeedsZero ? '' : '0'), 8));
      i += oct[0].length;
    } else if (hex) {
      out += String.fromCharCode(parseInt(hex[0].slice(1), 16));
      i += hex[0].length;
    } else if (escapes[n] !== undefined) {
      out += escapes[n];
      i++;
    } else out += c;
  }
  return { text: out, stop: false };
}

const shellQuote = (s: string): string => (s === '' ? "''" : s.replace(/[^A-Za-z0-9_./:=@%+,-]/g, (c) => `\\${c}`));

export const printf: Program = (argv) => {
  const [format, ...args] = argv.slice(1);
  if (format === undefined) return done('', 'printf: usage: printf [-v var] format [arguments]\n', 2);
  let out = '';
  let errors = '';
  let k = 0;
  const num = (a: string | undefined): number => {
    if (a === undefined || a === '') return 0;
    // A leading quote gives the character's code, as in POSIX printf.
    if (/^['"]/.test(a)) return a.codePointAt(1) ?? 0;
    const v = /^[+-]?0x[0-9a-f]+$/i.test(a) ? parseInt(a, 16) : /^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?$/.test(a) ? Number(a) : NaN;
    if (Number.isNaN(v)) {
      errors += `bash: printf: ${a}: invalid number\n`;
      return 0;
    }
    return v;
  };
  for (;;) {
    const start = k;
    const spec = /%([-+ #0]*)(\d+|\*)?(?:\.(\d+|\*))?([sbqdiuxXocfeEgG%])/g;
    let last = 0;
    let stop = false;
    for (let m = spec.exec(format); m; m = spec.exec(format)) {
      const lit = unescape(format.slice(last, m.index), false);
      out += lit.text;
      if (lit.stop) return done(out, errors, errors ? 1 : 0);
      last = m.index + m[0].length;
      const [, flags = '', w, p, conv] = m;
      if (conv === '%') {
        out += '%';
        continue;
      }
      const width = w === '*' ? num(args[k++]) : Number(w ?? 0);
      const precision = p === undefined ? undefined : p === '*' ? num(args[k++]) : Number(p);
      const arg = args[k++];
      let s: string;
      switch (conv) {
        case 's':
          s = precision === undefined ? (arg ?? '') : (arg ?? '').slice(0, precision);
          break;
        case 'b': {
          const u = unescape(arg ?? '', true);
          s = u.text;
          stop = u.stop;
          break;
        }
        case 'q':
          s = shellQuote(arg ?? '');
          break;
        case 'c':
          s = (arg ?? '').slice(0, 1);
          break;
        case 'd':
        case 'i':
        case 'u': {
          const v = Math.trunc(num(arg));
          s = String(Math.abs(v));
          if (precision !== undefined) s = s.padStart(precision, '0');
          s = (v < 0 ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '') + s;
          break;
        }
        case 'x':
        case 'X':
        case 'o': {
          const v = Math.trunc(num(arg));
          s = v.toString(conv === 'o' ? 8 : 16);
          if (conv === 'X') s = s.toUpperCase();
          break;
        }
        default: {
          const v = num(arg);
          const prec = precision ?? 6;
          s = conv === 'f' ? v.toFixed(prec) : conv === 'e' || conv === 'E' ? v.toExponential(prec).replace(/e([+-])(\d)$/, 'e$10$2') : String(Number(v.toPrecision(prec || 1)));
          if (conv === 'E') s = s.toUpperCase();
          if (v >= 0 && flags.includes('+')) s = `+${s}`;
        }
      }
      if (s.length < width) {
        if (flags.includes('-')) s = s.padEnd(width);
        else if (flags.includes('0') && /[diuxXofeEgG]/.test(conv!)) s = s.startsWith('-') || s.startsWith('+') ? s[0] + s.slice(1).padStart(width - 1, '0') : s.padStart(width, '0');
        else s = s.padStart(width);
      }
      out += s;
      if (stop) return done(out, errors, errors ? 1 : 0);
    }
    const tail = unescape(format.slice(last), false);
    out += tail.text;
    if (tail.stop) break;
    // The format is applied again while arguments remain (and consumed at least one).
    if (k >= args.length || k === start) break;
  }
  return done(out, errors, errors ? 1 : 0);
};
