/**
 * Reads a command line as a POSIX shell would, for the subset users type in the guides: quoting
 * ('…', "…", \), variables ($VAR, ${VAR}), command substitution $(…), pipelines, && || ;,
 * redirections (> >> < 2> 2>&1), `for NAME in …; do …; done`, subshells `( … )` and groups
 * `{ …; }`. Globbing, arithmetic, functions, `if` and `while` are left out.
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
  readonly kind: 'simple';
  /** Leading `NAME=value` assignments. */
  readonly assigns: readonly { readonly name: string; readonly value: Word }[];
  readonly words: readonly Word[];
  readonly redirects: readonly Redirect[];
}

/** `for NAME in ITEMS; do BODY; done`; without `in`, ITEMS is the (always empty) positional list. */
export interface ForCommand {
  readonly kind: 'for';
  readonly name: string;
  readonly items: readonly Word[];
  readonly body: Script;
  readonly redirects: readonly Redirect[];
}

/** `( LIST )` runs in a child shell (variables and `cd` do not leak out); `{ LIST; }` in this one. */
export interface GroupCommand {
  readonly kind: 'subshell' | 'group';
  readonly body: Script;
  readonly redirects: readonly Redirect[];
}

export type Command = SimpleCommand | ForCommand | GroupCommand;

export interface Pipeline {
  readonly commands: readonly Command[];
}

export interface AndOr {
  readonly first: Pipeline;
  readonly rest: readonly { readonly op: '&&' | '||'; readonly pipeline: Pipeline }[];
}

export type Script = readonly AndOr[];

export type ShellSyntaxError = SimError<'shell/syntax'>;

const syntax = (msg: string): ShellSyntaxError => simError('shell/syntax', `syntax error: ${msg}`);
/** bash's own wording for a token where it cannot be. */
const unexpected = (tok: Token | undefined): ShellSyntaxError =>
  tok === undefined ? syntax('unexpected end of file') : simError('shell/syntax', `syntax error near unexpected token \`${tokenText(tok)}'`);

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

const OPERATOR_START = /[|&;<>()]/;

type Token = { readonly type: 'word'; readonly word: Word } | { readonly type: 'op'; readonly op: string; readonly fd?: number };

function tokenText(tok: Token): string {
  if (tok.type === 'op') return tok.op === ';' ? ';' : tok.op;
  return tok.word.map((p) => (p.kind === 'text' ? p.text : p.kind === 'var' ? `$${p.name}` : '$(…)')).join('');
}

/** A reserved word counts only when written plainly (`"done"` is an ordinary word). */
function isKeyword(tok: Token | undefined, kw: string): boolean {
  if (tok?.type !== 'word' || tok.word.length !== 1) return false;
  const p = tok.word[0]!;
  return p.kind === 'text' && !p.quoted && p.text === kw;
}

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
        while (!r.eof() && !/[\s'"\\$|&;<>()]/.test(r.peek()!)) text += r.s[r.i++];
        parts.push({ kind: 'text', text, quoted: false });
      }
    }
    tokens.push({ type: 'word', word: parts });
  }
  return ok(tokens);
}

function readOperator(r: Reader): string {
  for (const op of ['&&', '||', '>>', '>&', '|', ';', '>', '<', '&', '(', ')']) {
    if (r.s.startsWith(op, r.i)) {
      r.i += op.length;
      return op;
    }
  }
  r.i++;
  return r.s[r.i - 1]!;
}

const ASSIGN = /^([A-Za-z_][A-Za-z0-9_]*)=/;
const REDIRECT_OPS = ['>', '>>', '<', '>&'];
/** Words that only start or end compound commands; met where a command should start, they are an error. */
const RESERVED = ['do', 'done', '}', 'then', 'fi', 'esac'];
/** Compound commands the lab does not model: refused plainly rather than run as a program named `if`. */
const UNSUPPORTED = ['if', 'while', 'until', 'case', 'select', 'function'];

export function parseScript(text: string): Result<Script, ShellSyntaxError> {
  const tokens = tokenize(text);
  if (!tokens.ok) return tokens;
  const p = new Parser(tokens.value);
  const script = p.list([], false);
  if (!script.ok) return script;
  if (p.i < tokens.value.length) return err(unexpected(tokens.value[p.i]));
  return script;
}

class Parser {
  i = 0;
  constructor(private readonly t: readonly Token[]) {}

  private isOp(op: string, at = this.i): boolean {
    const tok = this.t[at];
    return tok?.type === 'op' && tok.op === op;
  }

  /** A list of and-or lists, up to one of `stopWords` in command position, or `)` when `inParens`. */
  list(stopWords: readonly string[], inParens: boolean): Result<Script, ShellSyntaxError> {
    const script: AndOr[] = [];
    for (;;) {
      while (this.isOp(';')) this.i++;
      const tok = this.t[this.i];
      if (!tok || stopWords.some((w) => isKeyword(tok, w)) || (inParens && this.isOp(')'))) return ok(script);
      const andOr = this.andOr();
      if (!andOr.ok) return andOr;
      script.push(andOr.value);
      const next = this.t[this.i];
      if (!next || this.isOp(';') || (inParens && this.isOp(')'))) continue;
      if (next.type === 'op' && next.op === '&') return err(syntax('background jobs ("&") are not supported'));
      return err(unexpected(next));
    }
  }

  private andOr(): Result<AndOr, ShellSyntaxError> {
    const first = this.pipeline();
    if (!first.ok) return first;
    const rest: { op: '&&' | '||'; pipeline: Pipeline }[] = [];
    for (;;) {
      const op = this.t[this.i];
      if (op?.type !== 'op' || (op.op !== '&&' && op.op !== '||')) return ok({ first: first.value, rest });
      this.i++;
      while (this.isOp(';')) this.i++; // a newline may follow && and ||
      const p = this.pipeline();
      if (!p.ok) return p;
      rest.push({ op: op.op, pipeline: p.value });
    }
  }

  private pipeline(): Result<Pipeline, ShellSyntaxError> {
    const commands: Command[] = [];
    for (;;) {
      const c = this.command();
      if (!c.ok) return c;
      commands.push(c.value);
      if (!this.isOp('|')) return ok({ commands });
      this.i++;
    }
  }

  private command(): Result<Command, ShellSyntaxError> {
    const tok = this.t[this.i];
    if (isKeyword(tok, 'for')) return this.forCommand();
    if (this.isOp('(') || isKeyword(tok, '{')) {
      const sub = this.isOp('(');
      this.i++;
      const body = this.list(sub ? [] : ['}'], sub);
      if (!body.ok) return body;
      const close = this.t[this.i];
      if (body.value.length === 0) return err(unexpected(close));
      if (sub ? !this.isOp(')') : !isKeyword(close, '}')) return err(unexpected(close));
      this.i++;
      const redirects = this.redirects();
      if (!redirects.ok) return redirects;
      return ok({ kind: sub ? 'subshell' : 'group', body: body.value, redirects: redirects.value });
    }
    if (RESERVED.some((w) => isKeyword(tok, w))) return err(unexpected(tok));
    const kw = UNSUPPORTED.find((w) => isKeyword(tok, w));
    if (kw) return err(syntax(`\`${kw}' is not supported by the lab's shell (only \`for')`));
    return this.simple();
  }

  private forCommand(): Result<ForCommand, ShellSyntaxError> {
    this.i++; // for
    const nameTok = this.t[this.i];
    const name = nameTok?.type === 'word' && nameTok.word.length === 1 && nameTok.word[0]!.kind === 'text' ? nameTok.word[0]!.text : undefined;
    if (name === undefined || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return err(nameTok?.type === 'word' ? simError('shell/syntax', `\`${tokenText(nameTok)}': not a valid identifier`) : unexpected(nameTok));
    this.i++;
    const items: Word[] = [];
    if (isKeyword(this.t[this.i], 'in')) {
      this.i++;
      for (let tok = this.t[this.i]; tok?.type === 'word'; tok = this.t[++this.i]) items.push(tok.word);
    }
    while (this.isOp(';')) this.i++;
    if (!isKeyword(this.t[this.i], 'do')) return err(unexpected(this.t[this.i]));
    this.i++;
    const body = this.list(['done'], false);
    if (!body.ok) return body;
    if (!isKeyword(this.t[this.i], 'done') || body.value.length === 0) return err(unexpected(this.t[this.i]));
    this.i++;
    const redirects = this.redirects();
    if (!redirects.ok) return redirects;
    return ok({ kind: 'for', name, items, body: body.value, redirects: redirects.value });
  }

  /** Redirections after a compound command: `done > out.txt`, `) 2>&1`. */
  private redirects(): Result<Redirect[], ShellSyntaxError> {
    const out: Redirect[] = [];
    for (;;) {
      const tok = this.t[this.i];
      if (tok?.type !== 'op' || !REDIRECT_OPS.includes(tok.op)) return ok(out);
      const r = this.redirect(tok);
      if (!r.ok) return r;
      out.push(r.value);
    }
  }

  private redirect(tok: Token & { type: 'op' }): Result<Redirect, ShellSyntaxError> {
    const target = this.t[this.i + 1];
    if (!target || target.type !== 'word') return err(syntax(`expected a file name after "${tok.op}"`));
    const fd = (tok.fd ?? (tok.op === '<' ? 0 : 1)) as 0 | 1 | 2;
    this.i += 2;
    return ok({ fd, op: tok.op as Redirect['op'], target: target.word });
  }

  private simple(): Result<SimpleCommand, ShellSyntaxError> {
    const assigns: { name: string; value: Word }[] = [];
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    while (this.i < this.t.length) {
      const tok = this.t[this.i]!;
      if (tok.type === 'op') {
        if (!REDIRECT_OPS.includes(tok.op)) break;
        const r = this.redirect(tok);
        if (!r.ok) return r;
        redirects.push(r.value);
        continue;
      }
      const first = tok.word[0];
      if (words.length === 0 && first?.kind === 'text' && !first.quoted && ASSIGN.test(first.text)) {
        const m = ASSIGN.exec(first.text)!;
        assigns.push({ name: m[1]!, value: [{ kind: 'text', text: first.text.slice(m[0].length), quoted: false }, ...tok.word.slice(1)] });
      } else words.push(tok.word);
      this.i++;
    }
    if (words.length === 0 && assigns.length === 0) return err(this.i < this.t.length ? unexpected(this.t[this.i]) : syntax('unexpected end of input'));
    return ok({ kind: 'simple', assigns, words, redirects });
  }
}
