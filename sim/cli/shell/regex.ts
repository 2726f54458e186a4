/**
 * POSIX regular expressions (GNU flavour) translated to JavaScript ones, for sed. Basic REs treat
 * `\(` `\)` `\{` `\}` `\|` `\+` `\?` as operators and the bare characters as literals; `^` and `$`
 * anchor only at the ends of the expression or of a group, and a leading `*` is literal. Extended
 * REs (-E) are close to JavaScript's already. Bracket expressions keep their POSIX meaning: a
 * backslash inside is literal and `[:alpha:]`-style classes work. Errors carry GNU regcomp's texts.
 */
import { err, ok, type Result } from '../../core/result.ts';

export interface TranslatedRegex {
  readonly source: string;
  /** How many capture groups the expression opens (for `\N` checks in sed's replacement). */
  readonly groups: number;
}

const CLASSES: Record<string, string> = {
  alpha: 'A-Za-z',
  digit: '0-9',
  alnum: '0-9A-Za-z',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
  cntrl: '\\x00-\\x1f\\x7f',
  print: ' -~',
  graph: '!-~',
};

const escapeLiteral = (c: string): string => (/[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c);

/** Reads a bracket expression starting at `[`; returns the JS class and the index after `]`. */
function bracket(p: string, start: number): { js: string; end: number } | undefined {
  let i = start + 1;
  let js = '[';
  if (p[i] === '^') {
    js += '^';
    i++;
  }
  if (p[i] === ']') {
    js += '\\]';
    i++;
  }
  while (i < p.length && p[i] !== ']') {
    const cls = /^\[:([a-z]+):\]/.exec(p.slice(i));
    if (cls) {
      const body = CLASSES[cls[1]!];
      if (body === undefined) return undefined;
      js += body;
      i += cls[0].length;
      continue;
    }
    const c = p[i]!;
    js += c === '\\' || c === '[' ? `\\${c}` : c;
    i++;
  }
  if (i >= p.length) return undefined;
  return { js: `${js}]`, end: i + 1 };
}

export function posixToJs(p: string, extended: boolean): Result<TranslatedRegex, string> {
  let out = '';
  let groups = 0;
  let open = 0;
  // Where an anchor `^` or a literal `*` is possible: the start of the expression or of an alternative/group.
  let atStart = true;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    const wasStart = atStart;
    atStart = false;
    if (c === '[') {
      const b = bracket(p, i);
      if (!b) return err('Unmatched [, [^, [:, [., or [=');
      out += b.js;
      i = b.end - 1;
      continue;
    }
    if (c === '\\') {
      const n = p[++i];
      if (n === undefined) return err('Trailing backslash');
      if (!extended && n === '(') {
        out += '(';
        groups++;
        open++;
        atStart = true;
      } else if (!extended && n === ')') {
        if (open-- === 0) return err('Unmatched ) or \\)');
        out += ')';
      } else if (!extended && n === '|') {
        out += '|';
        atStart = true;
      } else if (!extended && '{}+?'.includes(n)) out += n;
      else if (n === '<' || n === '>' || n === 'b') out += '\\b';
      else if ('wWsSB'.includes(n)) out += `\\${n}`;
      else if (/[1-9]/.test(n)) {
        if (Number(n) > groups) return err('Invalid back reference');
        out += `\\${n}`;
      } else if (n === 'n') out += '\\n';
      else if (n === 't') out += '\\t';
      else out += escapeLiteral(n);
      continue;
    }
    if (extended) {
      if (c === '(') {
        groups++;
        open++;
        atStart = true;
      } else if (c === ')' && open-- === 0) return err('Unmatched ) or \\)');
      else if (c === '|') atStart = true;
      out += c === '/' ? '\\/' : c;
      continue;
    }
    if (c === '^') out += wasStart ? '^' : '\\^';
    else if (c === '$') {
      // An anchor only at the end of the expression or just before `\)` / `\|`.
      const rest = p.slice(i + 1);
      out += rest === '' || rest.startsWith('\\)') || rest.startsWith('\\|') ? '$' : '\\$';
    } else if (c === '*') out += wasStart ? '\\*' : '*';
    else if (c === '.') out += '.';
    else out += escapeLiteral(c);
    if (c === '^' && wasStart) atStart = true;
  }
  if (open > 0) return err('Unmatched ( or \\(');
  try {
    new RegExp(out);
  } catch {
    return err('Invalid preceding regular expression');
  }
  return ok({ source: out, groups });
}
