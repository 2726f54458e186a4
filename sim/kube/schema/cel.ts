/**
 * A CEL subset for CRD `x-kubernetes-validations` rules: enough for the rules of the CRDs the lab ships
 * (ZTWIM singletons and immutability, Sail's `__namespace__` and "at most one of" rules, OpenShift Route,
 * most Istio and Gateway API rules). See `docs/cel-rules.md` for the exact list.
 *
 * Language: cel-spec `doc/langdef.md` — literals (int, uint, double, string incl. raw/triple-quoted, bytes
 * as strings, bool, null, lists, maps), `.field`, `[index]`, `!` `-` `*` `/` `%` `+` `-` `<` `<=` `>` `>=`
 * `==` `!=` `in` `&&` `||` `?:`, macros `has`, `all`, `exists`, `exists_one`, `filter`, `map`, and functions
 * `size`, `startsWith`, `endsWith`, `contains`, `matches`, `int`, `uint`, `double`, `string`, `bool`,
 * `type`, `duration`; Kubernetes libraries (kubernetes `staging/src/k8s.io/apiserver/pkg/cel/library`):
 * `lowerAscii`, `upperAscii`, `split`, `substring`, `trim`, `indexOf`, `lastIndexOf`, `replace`, `join`,
 * `isURL`, `url`, `getScheme`, `getHost`, `getHostname`, `getPort`, `getEscapedPath`, `getQuery`,
 * `isSorted`, `sum`, `min`, `max`, `indexOf` on lists. Property names follow the CRD escaping rules
 * (`__namespace__` → `namespace`, `__dash__` → `-`, `__dot__` → `.`, `__slash__` → `/`, `__underscores__` → `__`;
 * apiserver `pkg/cel/escaping.go`).
 *
 * Anything else raises `CelUnsupported`, which the validator reports as a warning with the rule text: a rule the
 * lab cannot evaluate never passes silently.
 * Simplified: ints and doubles are both JS numbers (CEL's `1 == 1.0` type error is not reproduced); no cost
 * limits; error texts of evaluation errors follow cel-go's wording only for `no such key`.
 */

import { goRegExp } from './openapi.ts';

export class CelUnsupported extends Error {
  override readonly name = 'CelUnsupported';
}

/** An evaluation error (cel-go returns these as `error` values; the apiserver reports them). */
export class CelEvalError extends Error {
  override readonly name = 'CelEvalError';
}

type Tok =
  | { t: 'num'; v: number; dbl: boolean }
  | { t: 'str'; v: string }
  | { t: 'id'; v: string }
  | { t: 'op'; v: string }
  | { t: 'eof' };

const RESERVED = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var']);

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const ops = ['&&', '||', '==', '!=', '<=', '>=', '<', '>', '!', '+', '-', '*', '/', '%', '?', ':', '.', ',', '(', ')', '[', ']', '{', '}'];
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    // string literals, with optional r/R (raw) and b/B (bytes, treated as strings) prefixes
    const pre = /^([rRbB]{0,2})('''|"""|'|")/.exec(src.slice(i));
    if (pre && (pre[1] === '' || /^[rRbB]+$/.test(pre[1] ?? ''))) {
      const raw = /[rR]/.test(pre[1] ?? '');
      const q = pre[2] as string;
      i += pre[0].length;
      let s = '';
      for (;;) {
        if (i >= src.length) throw new CelUnsupported('unterminated string literal');
        if (src.startsWith(q, i)) {
          i += q.length;
          break;
        }
        const ch = src[i] as string;
        if (ch === '\\' && !raw) {
          const n = src[i + 1] as string;
          const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '`': '`', '?': '?', a: '\x07', b: '\b', f: '\f', v: '\v' };
          if (simple[n] !== undefined) {
            s += simple[n];
            i += 2;
          } else if (n === 'x' || n === 'u' || n === 'U') {
            const len = n === 'x' ? 2 : n === 'u' ? 4 : 8;
            s += String.fromCodePoint(parseInt(src.slice(i + 2, i + 2 + len), 16));
            i += 2 + len;
          } else if (/[0-7]/.test(n)) {
            s += String.fromCodePoint(parseInt(src.slice(i + 1, i + 4), 8));
            i += 4;
          } else throw new CelUnsupported(`bad escape \\${n}`);
          continue;
        }
        s += ch;
        i++;
      }
      out.push({ t: 'str', v: s });
      continue;
    }
    const num = /^(0x[0-9a-fA-F]+|\d+\.\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|\d+[eE][-+]?\d+|\d+)([uU]?)/.exec(src.slice(i));
    if (num && /[0-9.]/.test(c) && !(c === '.' && !/\d/.test(src[i + 1] ?? ''))) {
      const text = num[1] as string;
      out.push({ t: 'num', v: Number(text), dbl: /[.eE]/.test(text) && !text.startsWith('0x') });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      out.push({ t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    const op = ops.find((o) => src.startsWith(o, i));
    if (!op) throw new CelUnsupported(`unexpected character ${JSON.stringify(c)}`);
    out.push({ t: 'op', v: op });
    i += op.length;
  }
  out.push({ t: 'eof' });
  return out;
}

export type Ast =
  | { k: 'lit'; v: unknown }
  | { k: 'ident'; name: string }
  | { k: 'select'; obj: Ast; field: string }
  | { k: 'index'; obj: Ast; idx: Ast }
  | { k: 'call'; fn: string; target?: Ast; args: Ast[] }
  | { k: 'unary'; op: string; arg: Ast }
  | { k: 'binary'; op: string; l: Ast; r: Ast }
  | { k: 'cond'; c: Ast; a: Ast; b: Ast }
  | { k: 'list'; items: Ast[] }
  | { k: 'map'; entries: [Ast, Ast][] };

class Parser {
  private p = 0;
  constructor(private readonly toks: Tok[]) {}
  private peek(): Tok {
    return this.toks[this.p] as Tok;
  }
  private next(): Tok {
    return this.toks[this.p++] as Tok;
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.v === v;
  }
  private expect(v: string): void {
    if (!this.isOp(v)) throw new CelUnsupported(`syntax error: expected '${v}'`);
    this.p++;
  }
  parse(): Ast {
    const e = this.expr();
    if (this.peek().t !== 'eof') throw new CelUnsupported('syntax error: trailing input');
    return e;
  }
  private expr(): Ast {
    const c = this.or();
    if (this.isOp('?')) {
      this.p++;
      const a = this.or();
      this.expect(':');
      const b = this.expr();
      return { k: 'cond', c, a, b };
    }
    return c;
  }
  private or(): Ast {
    let l = this.and();
    while (this.isOp('||')) {
      this.p++;
      l = { k: 'binary', op: '||', l, r: this.and() };
    }
    return l;
  }
  private and(): Ast {
    let l = this.rel();
    while (this.isOp('&&')) {
      this.p++;
      l = { k: 'binary', op: '&&', l, r: this.rel() };
    }
    return l;
  }
  private rel(): Ast {
    let l = this.add();
    for (;;) {
      const t = this.peek();
      if ((t.t === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.v)) || (t.t === 'id' && t.v === 'in')) {
        this.p++;
        l = { k: 'binary', op: t.v as string, l, r: this.add() };
      } else return l;
    }
  }
  private add(): Ast {
    let l = this.mul();
    while (this.isOp('+') || this.isOp('-')) {
      const op = (this.next() as { v: string }).v;
      l = { k: 'binary', op, l, r: this.mul() };
    }
    return l;
  }
  private mul(): Ast {
    let l = this.unary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const op = (this.next() as { v: string }).v;
      l = { k: 'binary', op, l, r: this.unary() };
    }
    return l;
  }
  private unary(): Ast {
    if (this.isOp('!')) {
      this.p++;
      return { k: 'unary', op: '!', arg: this.unary() };
    }
    if (this.isOp('-')) {
      this.p++;
      return { k: 'unary', op: '-', arg: this.unary() };
    }
    return this.member();
  }
  private args(): Ast[] {
    const args: Ast[] = [];
    this.expect('(');
    if (!this.isOp(')')) {
      args.push(this.expr());
      while (this.isOp(',')) {
        this.p++;
        args.push(this.expr());
      }
    }
    this.expect(')');
    return args;
  }
  private member(): Ast {
    let e = this.primary();
    for (;;) {
      if (this.isOp('.')) {
        this.p++;
        if (this.isOp('?')) throw new CelUnsupported('optional field selection (.?) is not supported');
        const id = this.next();
        if (id.t !== 'id') throw new CelUnsupported('syntax error: expected field name');
        if (this.isOp('(')) e = { k: 'call', fn: id.v, target: e, args: this.args() };
        else e = { k: 'select', obj: e, field: id.v };
      } else if (this.isOp('[')) {
        this.p++;
        const idx = this.expr();
        this.expect(']');
        e = { k: 'index', obj: e, idx };
      } else return e;
    }
  }
  private primary(): Ast {
    const t = this.next();
    if (t.t === 'num') return { k: 'lit', v: t.v };
    if (t.t === 'str') return { k: 'lit', v: t.v };
    if (t.t === 'id') {
      if (t.v === 'true') return { k: 'lit', v: true };
      if (t.v === 'false') return { k: 'lit', v: false };
      if (t.v === 'null') return { k: 'lit', v: null };
      if (this.isOp('(')) return { k: 'call', fn: t.v, args: this.args() };
      return { k: 'ident', name: t.v };
    }
    if (t.t === 'op' && t.v === '(') {
      const e = this.expr();
      this.expect(')');
      return e;
    }
    if (t.t === 'op' && t.v === '[') {
      const items: Ast[] = [];
      if (!this.isOp(']')) {
        items.push(this.expr());
        while (this.isOp(',')) {
          this.p++;
          if (this.isOp(']')) break;
          items.push(this.expr());
        }
      }
      this.expect(']');
      return { k: 'list', items };
    }
    if (t.t === 'op' && t.v === '{') {
      const entries: [Ast, Ast][] = [];
      while (!this.isOp('}')) {
        const key = this.expr();
        this.expect(':');
        entries.push([key, this.expr()]);
        if (this.isOp(',')) this.p++;
      }
      this.expect('}');
      return { k: 'map', entries };
    }
    throw new CelUnsupported('syntax error: unexpected token');
  }
}

const astCache = new Map<string, Ast | CelUnsupported>();

/** Parses a rule; throws CelUnsupported for syntax the subset does not cover. */
export function parseCel(src: string): Ast {
  const cached = astCache.get(src);
  if (cached instanceof CelUnsupported) throw cached;
  if (cached) return cached;
  try {
    const ast = new Parser(lex(src)).parse();
    astCache.set(src, ast);
    return ast;
  } catch (e) {
    const u = e instanceof CelUnsupported ? e : new CelUnsupported(String(e));
    astCache.set(src, u);
    throw u;
  }
}

/** CRD property-name escaping (apiserver `pkg/cel/escaping.go` `Unescape`). */
export function unescapeProperty(name: string): string {
  const m = /^__(.+)__$/.exec(name);
  if (m && RESERVED.has(m[1] as string)) return m[1] as string;
  return name.replace(/__underscores__|__dot__|__dash__|__slash__/g, (t) => ({ __underscores__: '__', __dot__: '.', __dash__: '-', __slash__: '/' })[t] as string);
}

interface Duration {
  readonly __celDuration: number;
}
interface CelUrl {
  readonly __celUrl: URL;
}
type Env = Record<string, unknown>;

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !('__celDuration' in v) && !('__celUrl' in v);
}

function isDuration(v: unknown): v is Duration {
  return typeof v === 'object' && v !== null && '__celDuration' in v;
}

function celEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isDuration(a) && isDuration(b)) return a.__celDuration === b.__celDuration;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => celEqual(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && celEqual(a[k], b[k]));
  }
  return false;
}

function noOverload(fn: string, ...args: unknown[]): CelEvalError {
  return new CelEvalError(`no such overload: ${fn}(${args.map(typeName).join(', ')})`);
}

function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'null_type';
  if (Array.isArray(v)) return 'list';
  if (isDuration(v)) return 'google.protobuf.Duration';
  if (typeof v === 'object' && '__celUrl' in (v as object)) return 'kubernetes.URL';
  if (typeof v === 'object') return 'map';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'double';
  return typeof v === 'boolean' ? 'bool' : typeof v === 'string' ? 'string' : typeof v;
}

function select(obj: unknown, field: string): unknown {
  const key = unescapeProperty(field);
  if (isObj(obj)) {
    if (!(key in obj) || obj[key] === undefined) throw new CelEvalError(`no such key: ${key}`);
    return obj[key];
  }
  throw new CelEvalError(`no such key: ${key}`);
}

function cmp(op: string, a: unknown, b: unknown): boolean {
  let x: number | string;
  let y: number | string;
  if (typeof a === 'number' && typeof b === 'number') [x, y] = [a, b];
  else if (typeof a === 'string' && typeof b === 'string') [x, y] = [a, b];
  else if (isDuration(a) && isDuration(b)) [x, y] = [a.__celDuration, b.__celDuration];
  else if (typeof a === 'boolean' && typeof b === 'boolean') [x, y] = [Number(a), Number(b)];
  else throw noOverload(`_${op}_`, a, b);
  switch (op) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    default:
      return x >= y;
  }
}

const DURATION_RE = /^(-?)((?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+)$/;
function parseCelDuration(s: string): Duration {
  const m = DURATION_RE.exec(s);
  if (!m) throw new CelEvalError(`type conversion error from 'string' to 'google.protobuf.Duration'`);
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };
  let ms = 0;
  for (const part of (m[2] as string).matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(part[1]) * (units[part[2] as string] as number);
  return { __celDuration: m[1] ? -ms : ms };
}

function toRegExp(pattern: string): RegExp {
  const re = goRegExp(pattern);
  if (!re) throw new CelUnsupported(`regular expression ${JSON.stringify(pattern)} is not supported by the lab's RE2 translation`);
  return re;
}

const MACROS = new Set(['all', 'exists', 'exists_one', 'filter', 'map']);

function evalMacro(fn: string, target: unknown, args: Ast[], env: Env): unknown {
  const v = args[0];
  if (!v || v.k !== 'ident') throw new CelUnsupported(`${fn}() needs a variable name`);
  if (fn === 'map' && args.length === 3) throw new CelUnsupported('map() with a filter is not supported');
  const body = args[args.length - 1] as Ast;
  const range: unknown[] = Array.isArray(target) ? target : isObj(target) ? Object.keys(target) : (() => {
    throw noOverload(fn, target);
  })();
  const run = (x: unknown): unknown => evaluate(body, { ...env, [v.name]: x });
  switch (fn) {
    case 'all': {
      let firstErr: unknown;
      for (const x of range) {
        try {
          if (run(x) === false) return false;
        } catch (e) {
          if (e instanceof CelUnsupported) throw e;
          firstErr ??= e;
        }
      }
      if (firstErr) throw firstErr;
      return true;
    }
    case 'exists': {
      let firstErr: unknown;
      for (const x of range) {
        try {
          if (run(x) === true) return true;
        } catch (e) {
          if (e instanceof CelUnsupported) throw e;
          firstErr ??= e;
        }
      }
      if (firstErr) throw firstErr;
      return false;
    }
    case 'exists_one':
      return range.filter((x) => run(x) === true).length === 1;
    case 'filter':
      return range.filter((x) => run(x) === true);
    default:
      return range.map(run);
  }
}

function str(v: unknown, fn: string): string {
  if (typeof v !== 'string') throw noOverload(fn, v);
  return v;
}

function url(v: unknown): URL {
  if (typeof v === 'object' && v !== null && '__celUrl' in v) return (v as CelUrl).__celUrl;
  throw noOverload('url', v);
}

function parseUrl(s: string): URL | undefined {
  // k8s url library: Go url.ParseRequestURI — absolute URL or absolute path.
  try {
    return new URL(s);
  } catch {
    if (s.startsWith('/')) {
      try {
        return new URL(`x-relative://${s}`);
      } catch {
        return undefined;
      }
    }
    return undefined;
  }
}

function callFunction(fn: string, target: unknown, hasTarget: boolean, args: unknown[]): unknown {
  const a0 = args[0];
  switch (fn) {
    case 'size': {
      const x = hasTarget ? target : a0;
      if (typeof x === 'string') return [...x].length;
      if (Array.isArray(x)) return x.length;
      if (isObj(x)) return Object.keys(x).length;
      throw noOverload('size', x);
    }
    case 'startsWith':
      return str(target, fn).startsWith(str(a0, fn));
    case 'endsWith':
      return str(target, fn).endsWith(str(a0, fn));
    case 'contains':
      return str(target, fn).includes(str(a0, fn));
    case 'matches':
      return hasTarget ? toRegExp(str(a0, fn)).test(str(target, fn)) : toRegExp(str(args[1], fn)).test(str(a0, fn));
    case 'lowerAscii':
      return str(target, fn).replace(/[A-Z]/g, (c) => c.toLowerCase());
    case 'upperAscii':
      return str(target, fn).replace(/[a-z]/g, (c) => c.toUpperCase());
    case 'trim':
      return str(target, fn).trim();
    case 'split': {
      const parts = str(target, fn).split(str(a0, fn));
      const n = args[1];
      if (typeof n === 'number' && n >= 0) {
        if (n === 0) return [];
        return parts.length <= n ? parts : [...parts.slice(0, n - 1), parts.slice(n - 1).join(str(a0, fn))];
      }
      return parts;
    }
    case 'substring': {
      const chars = [...str(target, fn)];
      const start = a0 as number;
      const end = (args[1] as number | undefined) ?? chars.length;
      if (start < 0 || end > chars.length || start > end) throw new CelEvalError(`index out of range: ${start}`);
      return chars.slice(start, end).join('');
    }
    case 'indexOf':
      if (Array.isArray(target)) return target.findIndex((x) => celEqual(x, a0));
      return str(target, fn).indexOf(str(a0, fn));
    case 'lastIndexOf':
      if (Array.isArray(target)) return target.map((x) => celEqual(x, a0)).lastIndexOf(true);
      return str(target, fn).lastIndexOf(str(a0, fn));
    case 'replace':
      return str(target, fn).split(str(a0, fn)).join(str(args[1], fn));
    case 'join':
      if (!Array.isArray(target)) throw noOverload(fn, target);
      return target.map((x) => str(x, fn)).join(typeof a0 === 'string' ? a0 : '');
    case 'isSorted':
      if (!Array.isArray(target)) throw noOverload(fn, target);
      return target.every((x, i) => i === 0 || !cmp('<', x, target[i - 1]));
    case 'sum':
      if (!Array.isArray(target)) throw noOverload(fn, target);
      return target.reduce((s: number, x) => s + (x as number), 0);
    case 'min':
    case 'max': {
      if (!Array.isArray(target) || target.length === 0) throw new CelEvalError(`${fn} called on empty list`);
      return target.reduce((m, x) => (cmp(fn === 'min' ? '<' : '>', x, m) ? x : m));
    }
    case 'int':
      if (typeof a0 === 'number') return Math.trunc(a0);
      if (typeof a0 === 'string' && /^[-+]?\d+$/.test(a0)) return Number(a0);
      if (isDuration(a0)) return Math.trunc(a0.__celDuration / 1000);
      throw new CelEvalError(`type conversion error from '${typeName(a0)}' to 'int'`);
    case 'uint':
      if (typeof a0 === 'number' && a0 >= 0) return Math.trunc(a0);
      if (typeof a0 === 'string' && /^\d+$/.test(a0)) return Number(a0);
      throw new CelEvalError(`type conversion error from '${typeName(a0)}' to 'uint'`);
    case 'double':
      if (typeof a0 === 'number') return a0;
      if (typeof a0 === 'string' && a0.trim() !== '' && !Number.isNaN(Number(a0))) return Number(a0);
      throw new CelEvalError(`type conversion error from '${typeName(a0)}' to 'double'`);
    case 'string':
      if (typeof a0 === 'string') return a0;
      if (typeof a0 === 'number' || typeof a0 === 'boolean') return String(a0);
      if (isDuration(a0)) return `${a0.__celDuration / 1000}s`;
      throw noOverload('string', a0);
    case 'bool':
      if (typeof a0 === 'boolean') return a0;
      if (a0 === 'true') return true;
      if (a0 === 'false') return false;
      throw new CelEvalError(`type conversion error from '${typeName(a0)}' to 'bool'`);
    case 'type':
      return typeName(a0);
    case 'duration':
      return parseCelDuration(str(a0, fn));
    case 'isURL':
      return parseUrl(str(a0, fn)) !== undefined;
    case 'url': {
      const u = parseUrl(str(a0, fn));
      if (!u) throw new CelEvalError(`URL parse error during conversion from string: ${str(a0, fn)}`);
      return { __celUrl: u } satisfies CelUrl;
    }
    case 'getScheme': {
      const u = url(target);
      return u.protocol === 'x-relative:' ? '' : u.protocol.replace(/:$/, '');
    }
    case 'getHost': {
      const u = url(target);
      return u.protocol === 'x-relative:' ? '' : u.host;
    }
    case 'getHostname': {
      const u = url(target);
      return u.protocol === 'x-relative:' ? '' : u.hostname.replace(/^\[|\]$/g, '');
    }
    case 'getPort':
      return url(target).port;
    case 'getEscapedPath':
      return url(target).pathname;
    default:
      throw new CelUnsupported(`function ${fn}() is not in the lab's CEL subset`);
  }
}

/** Evaluates an AST against variables (`self`, `oldSelf`). Throws CelEvalError or CelUnsupported. */
export function evaluate(ast: Ast, env: Env): unknown {
  switch (ast.k) {
    case 'lit':
      return ast.v;
    case 'ident':
      if (ast.name in env) return env[ast.name];
      throw new CelUnsupported(`undeclared reference to '${ast.name}'`);
    case 'select':
      return select(evaluate(ast.obj, env), ast.field);
    case 'index': {
      const o = evaluate(ast.obj, env);
      const i = evaluate(ast.idx, env);
      if (Array.isArray(o) && typeof i === 'number') {
        if (i < 0 || i >= o.length) throw new CelEvalError(`index out of range: ${i}`);
        return o[i];
      }
      if (isObj(o) && typeof i === 'string') {
        if (!(i in o)) throw new CelEvalError(`no such key: ${i}`);
        return o[i];
      }
      throw noOverload('_[_]', o, i);
    }
    case 'unary': {
      const v = evaluate(ast.arg, env);
      if (ast.op === '!') {
        if (typeof v !== 'boolean') throw noOverload('!_', v);
        return !v;
      }
      if (typeof v !== 'number') throw noOverload('-_', v);
      return -v;
    }
    case 'cond': {
      const c = evaluate(ast.c, env);
      if (typeof c !== 'boolean') throw noOverload('_?_:_', c);
      return c ? evaluate(ast.a, env) : evaluate(ast.b, env);
    }
    case 'list':
      return ast.items.map((x) => evaluate(x, env));
    case 'map': {
      const o: Record<string, unknown> = {};
      for (const [k, v] of ast.entries) o[String(evaluate(k, env))] = evaluate(v, env);
      return o;
    }
    case 'binary':
      return binary(ast.op, ast.l, ast.r, env);
    case 'call': {
      if (ast.fn === 'has' && !ast.target) {
        const arg = ast.args[0];
        if (!arg || arg.k !== 'select') throw new CelUnsupported('invalid argument to has() macro');
        const o = evaluate(arg.obj, env);
        const key = unescapeProperty(arg.field);
        if (isObj(o)) return key in o && o[key] !== undefined && o[key] !== null;
        throw noOverload('has', o);
      }
      if (MACROS.has(ast.fn) && ast.target) return evalMacro(ast.fn, evaluate(ast.target, env), ast.args, env);
      const target = ast.target ? evaluate(ast.target, env) : undefined;
      return callFunction(ast.fn, target, ast.target !== undefined, ast.args.map((a) => evaluate(a, env)));
    }
  }
}

function binary(op: string, l: Ast, r: Ast, env: Env): unknown {
  if (op === '&&' || op === '||') {
    // CEL's commutative logic: an error on one side is absorbed if the other side decides the result.
    let lv: unknown;
    let lerr: unknown;
    try {
      lv = evaluate(l, env);
    } catch (e) {
      if (e instanceof CelUnsupported) throw e;
      lerr = e;
    }
    const decisive = op === '&&' ? false : true;
    if (lv === decisive) return decisive;
    const rv = evaluate(r, env);
    if (rv === decisive) return decisive;
    if (lerr) throw lerr;
    if (typeof lv !== 'boolean' || typeof rv !== 'boolean') throw noOverload(`_${op}_`, lv, rv);
    return !decisive;
  }
  const a = evaluate(l, env);
  const b = evaluate(r, env);
  switch (op) {
    case '==':
      return celEqual(a, b);
    case '!=':
      return !celEqual(a, b);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return cmp(op, a, b);
    case 'in':
      if (Array.isArray(b)) return b.some((x) => celEqual(x, a));
      if (isObj(b)) return typeof a === 'string' && a in b;
      throw noOverload('@in', a, b);
    case '+':
      if (typeof a === 'number' && typeof b === 'number') return a + b;
      if (typeof a === 'string' && typeof b === 'string') return a + b;
      if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
      if (isDuration(a) && isDuration(b)) return { __celDuration: a.__celDuration + b.__celDuration };
      throw noOverload('_+_', a, b);
    case '-':
      if (typeof a === 'number' && typeof b === 'number') return a - b;
      if (isDuration(a) && isDuration(b)) return { __celDuration: a.__celDuration - b.__celDuration };
      throw noOverload('_-_', a, b);
    case '*':
      if (typeof a === 'number' && typeof b === 'number') return a * b;
      throw noOverload('_*_', a, b);
    case '/':
      if (typeof a === 'number' && typeof b === 'number') {
        if (b === 0) throw new CelEvalError('division by zero');
        return Number.isInteger(a) && Number.isInteger(b) ? Math.trunc(a / b) : a / b;
      }
      throw noOverload('_/_', a, b);
    case '%':
      if (typeof a === 'number' && typeof b === 'number') {
        if (b === 0) throw new CelEvalError('modulus by zero');
        return a % b;
      }
      throw noOverload('_%_', a, b);
    default:
      throw new CelUnsupported(`operator ${op}`);
  }
}

/** Whether a rule mentions `oldSelf` (a transition rule: only evaluated on update, kube `cel/compilation.go`). */
export function isTransitionRule(rule: string): boolean {
  return /\boldSelf\b/.test(rule);
}

export type CelOutcome =
  | { readonly kind: 'pass' }
  | { readonly kind: 'fail' }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'unsupported'; readonly reason: string };

/** Parses and evaluates one rule: `pass`/`fail` for a boolean, `error` for a runtime error, `unsupported` otherwise. */
export function evaluateRule(rule: string, env: Env): CelOutcome {
  try {
    const v = evaluate(parseCel(rule), env);
    if (v === true) return { kind: 'pass' };
    if (v === false) return { kind: 'fail' };
    return { kind: 'unsupported', reason: `rule returned ${typeName(v)}, not bool` };
  } catch (e) {
    if (e instanceof CelUnsupported) return { kind: 'unsupported', reason: e.message };
    if (e instanceof CelEvalError) return { kind: 'error', message: e.message };
    throw e;
  }
}

/** Evaluates a `messageExpression`; undefined when it cannot (the static message is used then, as kube does). */
export function evaluateMessage(expr: string, env: Env): string | undefined {
  try {
    const v = evaluate(parseCel(expr), env);
    return typeof v === 'string' && v.trim() !== '' && !v.includes('\n') ? v : undefined;
  } catch (e) {
    if (e instanceof CelUnsupported || e instanceof CelEvalError) return undefined;
    throw e;
  }
}
