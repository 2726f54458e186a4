/**
 * Reads a command line as a POSIX shell would, for the subset users type in the guides: quoting
 * ('…', "…", \), variables ($VAR, ${VAR}), command substitution $(…), pipelines, && || ;, and
 * redirections (> >> < 2> 2>&1). Globbing, arithmetic, functions and control flow are left out.
 */
import { err, ok, simError, type Result, type SimError } from '../../core/result.ts';

/** A word is a list of parts; expansion happens later, at run time. */
export type WordPart =
  | { readonly kind: 'text'; readonly text: string; readonly quoted: boolean }
  | { readonly kind: 'var'; readonly name: string; readonly quoted: boolean }
  | { readonly kind: 'subst'; readonly script: Script; readonly quoted: boolean };
export type Word = readonly WordPart[];

export interface Redirect {
  readonly fd: 0 | 1 | 2;
  readonly op: '>' | '>>' | '<' | '>&';
  readonly target: Word;
}

export interface SimpleCommand {
  /** Leading `NAME=value` assignments. */
  readonly assigns: readonly { readonly name: string; readonly value: Word }[];
  readonly words: readonly Word[];
  readonly redirects: readonly Redirect[];
}

export interface Pipeline {
  readonly commands: readonly SimpleCommand[];
}

export interface AndOr {
  readonly first: Pipeline;
  readonly rest: readonly { readonly op: '&&' | '||'; readonly pipeline: Pipeline }[];
}

export type Script = readonly AndOr[];

export type ShellSyntaxError = SimError<'shell/syntax'>;

const syntax = (msg: string): ShellSyntaxError => simError('shell/syntax', `syntax error: ${msg}`);

class Reader {
  i = 0;
  constructor(readonly s: string) {}
  peek(n = 0): string | undefined {
    return this.s[this.i + n];
  }
  eof(): boolean {
    return this.i >= this.s.length;
  }
}

function readSubst(r: Reader): Result<Script, ShellSyntaxError> {
  // r is just after "$(": find the matching ")" respecting quotes and nesting.
  let depth = 1;
  const start = r.i;
  let quote: string | undefined;
  while (!r.eof()) {
    const ch = r.peek()!;
    if (quote) {
      if (ch === '\\' && quote === '"') r.i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '\\') r.i++;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) {
      const inner = r.s.slice(start, r.i);
      r.i++;
      return parseScript(inner);
    }
    r.i++;
  }
  return err(syntax('unexpected end of input: missing ")" for "$("'));
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

function readDollar(r: Reader, quoted: boolean): Result<WordPart, ShellSyntaxError> {
  r.i++; // $
  const ch = r.peek();
  if (ch === '(') {
    r.i++;
    const script = readSubst(r);
    return script.ok ? ok({ kind: 'subst', script: script.value, quoted }) : script;
  }
  if (ch === '{') {
    const end = r.s.indexOf('}', r.i);
    if (end < 0) return err(syntax('missing "}" for "${"'));
    const name = r.s.slice(r.i + 1, end);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return err(syntax(`bad substitution "\${${name}}"`));
    r.i = end + 1;
    return ok({ kind: 'var', name, quoted });
  }
  if (ch !== undefined && (NAME_START.test(ch) || ch === '?')) {
    let name = '';
    if (ch === '?') {
      name = '?';
      r.i++;
    } else while (!r.eof() && NAME_CHAR.test(r.peek()!)) name += r.s[r.i++];
    return ok({ kind: 'var', name, quoted });
  }
  return ok({ kind: 'text', text: '$', quoted });
}

const OPERATOR_START = /[|&;<>]/;

type Token = { readonly type: 'word'; readonly word: Word } | { readonly type: 'op'; readonly op: string; readonly fd?: number };

function tokenize(s: string): Result<Token[], ShellSyntaxError> {
  const r = new Reader(s);
  const tokens: Token[] = [];
  while (!r.eof()) {
    const ch = r.peek()!;
    if (ch === ' ' || ch === '\t') {
      r.i++;
      continue;
    }
    if (ch === '\n') {
      tokens.push({ type: 'op', op: ';' });
      r.i++;
      continue;
    }
    if (ch === '#') {
      while (!r.eof() && r.peek() !== '\n') r.i++;
      continue;
    }
    if (ch === '\\' && r.peek(1) === '\n') {
      r.i += 2;
      continue;
    }
    // fd-prefixed redirections: 2> 2>> 2>&1 1> 0<
    if (/[012]/.test(ch) && (r.peek(1) === '>' || r.peek(1) === '<')) {
      const fd = Number(ch);
      r.i++;
      const op = readOperator(r);
      tokens.push({ type: 'op', op, fd });
      continue;
    }
    if (OPERATOR_START.test(ch)) {
      tokens.push({ type: 'op', op: readOperator(r) });
      continue;
    }
    const parts: WordPart[] = [];
    while (!r.eof()) {
      const c = r.peek()!;
      if (c === ' ' || c === '\t' || c === '\n' || OPERATOR_START.test(c)) break;
      if (c === "'") {
        const end = r.s.indexOf("'", r.i + 1);
        if (end < 0) return err(syntax("unexpected end of input: missing closing \"'\""));
        parts.push({ kind: 'text', text: r.s.slice(r.i + 1, end), quoted: true });
        r.i = end + 1;
      } else if (c === '"') {
        r.i++;
        let text = '';
        let closed = false;
        while (!r.eof()) {
          const d = r.peek()!;
          if (d === '"') {
            r.i++;
            closed = true;
            break;
          }
          if (d === '\\' && /[$`"\\\n]/.test(r.peek(1) ?? '')) {
            text += r.s[r.i + 1];
            r.i += 2;
          } else if (d === '$') {
            if (text) parts.push({ kind: 'text', text, quoted: true });
            text = '';
            const part = readDollar(r, true);
            if (!part.ok) return part;
            parts.push(part.value);
          } else {
            text += d;
            r.i++;
          }
        }
        if (!closed) return err(syntax('unexpected end of input: missing closing \'"\''));
        parts.push({ kind: 'text', text, quoted: true });
      } else if (c === '\\') {
        parts.push({ kind: 'text', text: r.peek(1) ?? '', quoted: true });
        r.i += 2;
      } else if (c === '$') {
        const part = readDollar(r, false);
        if (!part.ok) return part;
        parts.push(part.value);
      } else {
        let text = '';
        while (!r.eof() && !/[\s'"\\$|&;<>]/.test(r.peek()!)) text += r.s[r.i++];
        parts.push({ kind: 'text', text, quoted: false });
      }
    }
    tokens.push({ type: 'word', word: parts });
  }
  return ok(tokens);
}

function readOperator(r: Reader): string {
  for (const op of ['&&', '||', '>>', '>&', '|', ';', '>', '<', '&']) {
    if (r.s.startsWith(op, r.i)) {
      r.i += op.length;
      return op;
    }
  }
  r.i++;
  return r.s[r.i - 1]!;
}

const ASSIGN = /^([A-Za-z_][A-Za-z0-9_]*)=/;

export function parseScript(text: string): Result<Script, ShellSyntaxError> {
  const tokens = tokenize(text);
  if (!tokens.ok) return tokens;
  const script: AndOr[] = [];
  let i = 0;
  const t = tokens.value;
  const parseCommand = (): Result<SimpleCommand, ShellSyntaxError> => {
    const assigns: { name: string; value: Word }[] = [];
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    while (i < t.length) {
      const tok = t[i]!;
      if (tok.type === 'op') {
        if (['>', '>>', '<', '>&'].includes(tok.op)) {
          const target = t[i + 1];
          if (!target || target.type !== 'word') return err(syntax(`expected a file name after "${tok.op}"`));
          const fd = (tok.fd ?? (tok.op === '<' ? 0 : 1)) as 0 | 1 | 2;
          redirects.push({ fd, op: tok.op as Redirect['op'], target: target.word });
          i += 2;
          continue;
        }
        break;
      }
      const first = tok.word[0];
      if (words.length === 0 && first?.kind === 'text' && !first.quoted && ASSIGN.test(first.text)) {
        const m = ASSIGN.exec(first.text)!;
        assigns.push({ name: m[1]!, value: [{ kind: 'text', text: first.text.slice(m[0].length), quoted: false }, ...tok.word.slice(1)] });
      } else words.push(tok.word);
      i++;
    }
    if (words.length === 0 && assigns.length === 0) return err(syntax(i < t.length ? `unexpected "${(t[i] as { op: string }).op}"` : 'unexpected end of input'));
    return ok({ assigns, words, redirects });
  };
  const parsePipeline = (): Result<Pipeline, ShellSyntaxError> => {
    const commands: SimpleCommand[] = [];
    for (;;) {
      const c = parseCommand();
      if (!c.ok) return c;
      commands.push(c.value);
      const next = t[i];
      if (next?.type === 'op' && next.op === '|') {
        i++;
        continue;
      }
      return ok({ commands });
    }
  };
  while (i < t.length) {
    const tok = t[i]!;
    if (tok.type === 'op' && tok.op === ';') {
      i++;
      continue;
    }
    const first = parsePipeline();
    if (!first.ok) return first;
    const rest: { op: '&&' | '||'; pipeline: Pipeline }[] = [];
    while (i < t.length) {
      const op = t[i]!;
      if (op.type !== 'op' || (op.op !== '&&' && op.op !== '||')) break;
      i++;
      const p = parsePipeline();
      if (!p.ok) return p;
      rest.push({ op: op.op, pipeline: p.value });
    }
    const next = t[i];
    if (next && !(next.type === 'op' && next.op === ';')) {
      if (next.type === 'op' && next.op === '&') return err(syntax('background jobs ("&") are not supported'));
      return err(syntax(`unexpected "${next.type === 'op' ? next.op : 'word'}"`));
    }
    script.push({ first: first.value, rest });
  }
  return ok(script);
}
