/**
 * The jq language subset the guides use, parsed into a small AST: paths (`.a.b`, `.a[0]`, `.[]`,
 * `.["x"]`, `..`), pipes and commas, literals, string interpolation, array/object construction,
 * arithmetic and comparisons, `and`/`or`, `//`, assignments (`=`, `|=`, `+=`, `-=`, `//=`),
 * `if … then … elif … else … end`, `try`, `reduce`, `… as $x | …`, `?`, `@format`s and calls.
 * Syntax errors use jq's framing (`syntax error, unexpected …`); bison's token names are
 * approximated.
 */
export type Node =
  | { t: 'identity' }
  | { t: 'recurse' }
  | { t: 'index'; target: Node; key: Node }
  | { t: 'slice'; target: Node; from?: Node; to?: Node }
  | { t: 'iterate'; target: Node }
  | { t: 'literal'; value: null | boolean | number | string }
  | { t: 'string'; parts: (string | Node)[]; format?: string }
  | { t: 'format'; name: string }
  | { t: 'pipe'; l: Node; r: Node }
  | { t: 'comma'; l: Node; r: Node }
  | { t: 'binop'; op: string; l: Node; r: Node }
  | { t: 'and' | 'or' | 'alt'; l: Node; r: Node }
  | { t: 'neg'; e: Node }
  | { t: 'assign'; op: string; l: Node; r: Node }
  | { t: 'array'; e?: Node }
  | { t: 'object'; entries: { key: Node; value: Node }[] }
  | { t: 'call'; name: string; args: Node[] }
  | { t: 'var'; name: string }
  | { t: 'as'; source: Node; name: string; body: Node }
  | { t: 'reduce'; source: Node; name: string; init: Node; update: Node }
  | { t: 'if'; cond: Node; then: Node; else?: Node }
  | { t: 'try'; body: Node; catch?: Node }
  | { t: 'optional'; e: Node };

type Tok =
  | { k: 'punct'; v: string }
  | { k: 'field'; v: string }
  | { k: 'ident'; v: string }
  | { k: 'var'; v: string }
  | { k: 'num'; v: number }
  | { k: 'str'; parts: (string | string[])[] } // raw source of each interpolation, parsed later
  | { k: 'format'; v: string }
  | { k: 'eof' };

export class JqSyntaxError {
  constructor(readonly message: string) {}
}

const KEYWORDS = new Set(['if', 'then', 'elif', 'else', 'end', 'as', 'and', 'or', 'reduce', 'foreach', 'try', 'catch', 'def', 'import', 'include', 'label', '__loc__']);
const PUNCT = ['?//', '|=', '+=', '-=', '*=', '/=', '%=', '//=', '==', '!=', '<=', '>=', '//', '..', '|', ',', '.', '[', ']', '(', ')', '{', '}', ':', ';', '=', '<', '>', '+', '-', '*', '/', '%', '?'];

function describe(t: Tok): string {
  switch (t.k) {
    case 'eof':
      return 'end of file';
    case 'punct':
      return t.v.length === 1 ? `'${t.v}'` : `"${t.v}"`;
    case 'field':
      return 'FIELD';
    case 'ident':
      return KEYWORDS.has(t.v) ? t.v : 'IDENT';
    case 'var':
      return '\'$\'';
    case 'num':
      return 'LITERAL';
    case 'str':
      return 'QQSTRING_START';
    case 'format':
      return 'FORMAT';
  }
}

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '"') {
      const parts: (string | string[])[] = [];
      let s = '';
      i++;
      for (;;) {
        const d = src[i];
        if (d === undefined) throw new JqSyntaxError('unexpected end of file');
        if (d === '"') {
          i++;
          break;
        }
        if (d !== '\\') {
          s += d;
          i++;
          continue;
        }
        const e = src[i + 1];
        if (e === '(') {
          // \( … ): the interpolated filter runs to the matching parenthesis.
          let depth = 1;
          let j = i + 2;
          let inStr = false;
          for (; j < src.length && depth > 0; j++) {
            const x = src[j];
            if (inStr) {
              if (x === '\\') j++;
              else if (x === '"') inStr = false;
            } else if (x === '"') inStr = true;
            else if (x === '(') depth++;
            else if (x === ')') depth--;
          }
          if (depth > 0) throw new JqSyntaxError('unexpected end of file');
          parts.push(s);
          s = '';
          parts.push([src.slice(i + 2, j - 1)]);
          i = j;
          continue;
        }
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && simple[e] !== undefined) {
          s += simple[e];
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) {
          s += String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16));
          i += 6;
        } else throw new JqSyntaxError(`unexpected INVALID_CHARACTER`);
      }
      parts.push(s);
      out.push({ k: 'str', parts });
      continue;
    }
    const field = /^\.([A-Za-z_][A-Za-z0-9_]*)/.exec(src.slice(i));
    if (field) {
      out.push({ k: 'field', v: field[1]! });
      i += field[0].length;
      continue;
    }
    const num = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(src.slice(i));
    if (num) {
      out.push({ k: 'num', v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const word = /^\$?(?:__loc__|[A-Za-z_][A-Za-z0-9_]*(?:::[A-Za-z_][A-Za-z0-9_]*)*)/.exec(src.slice(i));
    if (word) {
      out.push(word[0].startsWith('$') ? { k: 'var', v: word[0].slice(1) } : { k: 'ident', v: word[0] });
      i += word[0].length;
      continue;
    }
    const fmt = /^@[A-Za-z0-9_]+/.exec(src.slice(i));
    if (fmt) {
      out.push({ k: 'format', v: fmt[0] });
      i += fmt[0].length;
      continue;
    }
    const p = PUNCT.find((x) => src.startsWith(x, i));
    if (!p) throw new JqSyntaxError('unexpected INVALID_CHARACTER');
    out.push({ k: 'punct', v: p });
    i += p.length;
  }
  out.push({ k: 'eof' });
  return out;
}

export function parseJq(src: string): Node {
  const toks = lex(src);
  let i = 0;
  const peek = (): Tok => toks[i]!;
  const isP = (v: string): boolean => {
    const t = peek();
    return t.k === 'punct' && t.v === v;
  };
  const isKw = (v: string): boolean => {
    const t = peek();
    return t.k === 'ident' && t.v === v;
  };
  const unexpected = (): never => {
    throw new JqSyntaxError(`unexpected ${describe(peek())}`);
  };
  const expectP = (v: string): void => {
    if (!isP(v)) unexpected();
    i++;
  };
  const expectKw = (v: string): void => {
    if (!isKw(v)) unexpected();
    i++;
  };

  // Lowest first: pipe (right), comma, alternative (right), assignment (nonassoc), or, and, comparison, + -, * / %.
  const pipe = (): Node => {
    const l = comma();
    if (isP('|')) {
      i++;
      return { t: 'pipe', l, r: pipe() };
    }
    return l;
  };
  const comma = (): Node => {
    let l = alt();
    while (isP(',')) {
      i++;
      l = { t: 'comma', l, r: alt() };
    }
    return l;
  };
  const alt = (): Node => {
    const l = assign();
    if (isP('//')) {
      i++;
      return { t: 'alt', l, r: alt() };
    }
    return l;
  };
  const assign = (): Node => {
    const l = or();
    const t = peek();
    if (t.k === 'punct' && ['=', '|=', '+=', '-=', '*=', '/=', '%=', '//='].includes(t.v)) {
      i++;
      return { t: 'assign', op: t.v, l, r: alt() };
    }
    return l;
  };
  const or = (): Node => {
    let l = and();
    while (isKw('or')) {
      i++;
      l = { t: 'or', l, r: and() };
    }
    return l;
  };
  const and = (): Node => {
    let l = compare();
    while (isKw('and')) {
      i++;
      l = { t: 'and', l, r: compare() };
    }
    return l;
  };
  const compare = (): Node => {
    const l = additive();
    const t = peek();
    if (t.k === 'punct' && ['==', '!=', '<', '<=', '>', '>='].includes(t.v)) {
      i++;
      return { t: 'binop', op: t.v, l, r: additive() };
    }
    return l;
  };
  const additive = (): Node => {
    let l = multiplicative();
    for (let t = peek(); t.k === 'punct' && (t.v === '+' || t.v === '-'); t = peek()) {
      i++;
      l = { t: 'binop', op: t.v, l, r: multiplicative() };
    }
    return l;
  };
  const multiplicative = (): Node => {
    let l = unary();
    for (let t = peek(); t.k === 'punct' && ['*', '/', '%'].includes(t.v); t = peek()) {
      i++;
      l = { t: 'binop', op: t.v, l, r: unary() };
    }
    return l;
  };
  const unary = (): Node => {
    if (isP('-')) {
      i++;
      return { t: 'neg', e: postfix() };
    }
    return postfix();
  };

  /** `[…]` after a term: index, slice or iterate. */
  const bracketSuffix = (target: Node): Node => {
    i++; // [
    if (isP(']')) {
      i++;
      return { t: 'iterate', target };
    }
    if (isP(':')) {
      i++;
      const to = pipe();
      expectP(']');
      return { t: 'slice', target, to };
    }
    const key = pipe();
    if (isP(':')) {
      i++;
      if (isP(']')) {
        i++;
        return { t: 'slice', target, from: key };
      }
      const to = pipe();
      expectP(']');
      return { t: 'slice', target, from: key, to };
    }
    expectP(']');
    return { t: 'index', target, key };
  };

  /** A term with its suffixes; `as $x | body` too, except for reduce's source (`reduce .[] as $x (…)`). */
  const postfix = (allowAs = true): Node => {
    let n = term();
    for (;;) {
      const t = peek();
      if (t.k === 'field') {
        i++;
        n = { t: 'index', target: n, key: { t: 'literal', value: t.v } };
      } else if (t.k === 'punct' && t.v === '.' && toks[i + 1]?.k === 'str') {
        i++;
        n = { t: 'index', target: n, key: stringNode(toks[i++] as Tok & { k: 'str' }) };
      } else if (t.k === 'punct' && t.v === '.' && toks[i + 1]?.k === 'punct' && (toks[i + 1] as { v: string }).v === '[') {
        i++;
        n = bracketSuffix(n);
      } else if (t.k === 'punct' && t.v === '[') n = bracketSuffix(n);
      else if (t.k === 'punct' && t.v === '?') {
        i++;
        n = { t: 'optional', e: n };
      } else break;
    }
    if (allowAs && isKw('as')) {
      i++;
      const v = peek();
      if (v.k !== 'var') unexpected();
      i++;
      expectP('|');
      return { t: 'as', source: n, name: (v as { v: string }).v, body: pipe() };
    }
    return n;
  };

  const stringNode = (t: Tok & { k: 'str' }, format?: string): Node => {
    const parts = t.parts.map((p) => (typeof p === 'string' ? p : parseJq(p[0]!)));
    if (parts.length === 1 && typeof parts[0] === 'string' && !format) return { t: 'literal', value: parts[0] };
    return { t: 'string', parts, ...(format ? { format } : {}) };
  };

  const term = (): Node => {
    const t = peek();
    switch (t.k) {
      case 'num':
        i++;
        return { t: 'literal', value: t.v };
      case 'str':
        i++;
        return stringNode(t);
      case 'format':
        i++;
        if (peek().k === 'str') return stringNode(toks[i++] as Tok & { k: 'str' }, t.v);
        return { t: 'format', name: t.v };
      case 'field':
        i++;
        return { t: 'index', target: { t: 'identity' }, key: { t: 'literal', value: t.v } };
      case 'var':
        i++;
        return { t: 'var', name: t.v };
      case 'eof':
        return unexpected();
      case 'punct':
        switch (t.v) {
          case '.':
            i++;
            if (peek().k === 'str') return { t: 'index', target: { t: 'identity' }, key: stringNode(toks[i++] as Tok & { k: 'str' }) };
            if (isP('[')) return bracketSuffix({ t: 'identity' });
            return { t: 'identity' };
          case '..':
            i++;
            return { t: 'recurse' };
          case '(': {
            i++;
            const e = pipe();
            expectP(')');
            return e;
          }
          case '[': {
            i++;
            if (isP(']')) {
              i++;
              return { t: 'array' };
            }
            const e = pipe();
            expectP(']');
            return { t: 'array', e };
          }
          case '{':
            return objectTerm();
        }
        return unexpected();
      case 'ident':
        return identTerm(t.v);
    }
  };

  const objectTerm = (): Node => {
    i++; // {
    const entries: { key: Node; value: Node }[] = [];
    while (!isP('}')) {
      const t = peek();
      let key: Node;
      let value: Node | undefined;
      if (t.k === 'ident' || t.k === 'field') {
        // `{a}` is `{a: .a}`; a keyword is a fine key too.
        i++;
        key = { t: 'literal', value: t.v };
        if (!isP(':')) value = { t: 'index', target: { t: 'identity' }, key };
      } else if (t.k === 'var') {
        i++;
        key = { t: 'literal', value: t.v };
        if (!isP(':')) value = { t: 'var', name: t.v };
      } else if (t.k === 'str') {
        i++;
        key = stringNode(t);
        if (!isP(':')) value = { t: 'index', target: { t: 'identity' }, key };
      } else if (t.k === 'num') {
        return unexpected();
      } else if (t.k === 'punct' && t.v === '(') {
        i++;
        key = pipe();
        expectP(')');
      } else return unexpected();
      if (!value) {
        expectP(':');
        // The value of an object entry stops at `,` and `}`: no comma operator there.
        value = alt();
      }
      entries.push({ key, value });
      if (isP(',')) i++;
      else if (!isP('}')) unexpected();
    }
    i++;
    return { t: 'object', entries };
  };

  /** After `if` (or `elif`, which nests): COND then A [elif …] [else B] end; one `end` closes the chain. */
  const ifRest = (): Node => {
    const cond = pipe();
    expectKw('then');
    const then = pipe();
    if (isKw('elif')) {
      i++;
      return { t: 'if', cond, then, else: ifRest() };
    }
    let elseNode: Node | undefined;
    if (isKw('else')) {
      i++;
      elseNode = pipe();
    }
    expectKw('end');
    return { t: 'if', cond, then, ...(elseNode ? { else: elseNode } : {}) };
  };

  const identTerm = (name: string): Node => {
    i++;
    switch (name) {
      case 'if':
        return ifRest();
      case 'try': {
        const body = postfix();
        if (isKw('catch')) {
          i++;
          return { t: 'try', body, catch: postfix() };
        }
        return { t: 'try', body };
      }
      case 'reduce': {
        const source = postfix(false);
        expectKw('as');
        const nameTok = peek();
        if (nameTok.k !== 'var') unexpected();
        i++;
        expectP('(');
        const init = pipe();
        expectP(';');
        const update = pipe();
        expectP(')');
        return { t: 'reduce', source, name: (nameTok as { v: string }).v, init, update };
      }
      case 'true':
      case 'false':
      case 'null':
        return { t: 'literal', value: name === 'null' ? null : name === 'true' };
    }
    if (KEYWORDS.has(name)) {
      i--;
      return unexpected();
    }
    const args: Node[] = [];
    if (isP('(')) {
      i++;
      args.push(pipe());
      while (isP(';')) {
        i++;
        args.push(pipe());
      }
      expectP(')');
    }
    return { t: 'call', name, args };
  };

  const node = pipe();
  if (peek().k !== 'eof') unexpected();
  return node;
}
