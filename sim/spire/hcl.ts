/**
 * HCL v1 (github.com/hashicorp/hcl, the version SPIRE decodes server.conf and agent.conf with) and
 * its JSON form, parsed to an AST with positions and decoded to plain values the way hcl v1 decodes
 * into `interface{}` (`hcl:decoder.go:decodeInterface`):
 *
 * - attributes `key = value` → the value (strings, numbers, bools, lists);
 * - every object — a block body `key { … }`, an object literal `key = { … }`, a JSON object — becomes a
 *   **list of maps** (`plugins { … }` → `plugins: [{ … }]`), except directly inside a list, where it is a
 *   map (`[{ … }]`), so the HCL and JSON spellings of the same config decode alike;
 * - block labels nest: `KeyManager "memory" { plugin_data {} }` → `KeyManager: [{ memory: [{ plugin_data: [{}] }] }]`;
 * - repeated keys: list values concatenate (`federates_with "a" {}` + `federates_with "b" {}` →
 *   `federates_with: [{ a: … }, { b: … }]`), other values: the last one wins.
 *
 * Use `hclBlocks` / `hclMergeBlocks` to read a decoded block whichever way it was written (the Go struct
 * decoder merges repeated blocks into one struct: `hcl:decoder.go:decodeStruct`).
 *
 * Errors are `At <line>:<col>: <message>` as hcl v1's `PosError` prints them (no file name: SPIRE calls
 * `hcl.Decode(&c, string)`), with the file, line and column in `detail`.
 * Simplified: `${…}` interpolations are kept verbatim (SPIRE does not evaluate them; `-expandEnv` is a
 * separate pre-pass); hcl v1's octal/`\x` escapes are accepted as in Go's `strconv.Unquote`.
 */
import { err, ok, simError, type Result, type SimError } from '../core/result.ts';

export interface HclPos {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

export type HclScalar = string | number | boolean | null;
export interface HclLiteral {
  readonly kind: 'literal';
  readonly value: HclScalar;
  readonly pos: HclPos;
}
export interface HclList {
  readonly kind: 'list';
  readonly items: readonly HclNode[];
  readonly pos: HclPos;
}
export interface HclObjectKey {
  readonly name: string;
  readonly quoted: boolean;
  readonly pos: HclPos;
}
export interface HclItem {
  /** `federates_with "td" {` has two keys; `port = 1` one. */
  readonly keys: readonly HclObjectKey[];
  /** True for `key = value`, false for a block `key "label" { … }`. */
  readonly assign: boolean;
  readonly value: HclNode;
  readonly pos: HclPos;
}
export interface HclObject {
  readonly kind: 'object';
  readonly items: readonly HclItem[];
  readonly pos: HclPos;
}
export type HclNode = HclLiteral | HclList | HclObject;

/** A decoded value: scalars, lists, and maps (objects appear as lists of maps, see above). */
export type HclValue = HclScalar | readonly HclValue[] | HclMap;
export interface HclMap {
  readonly [key: string]: HclValue;
}

export type HclError = SimError<'spire/config-parse'>;

const posError = (pos: HclPos, message: string, file?: string): HclError =>
  simError('spire/config-parse', `At ${pos.line}:${pos.column}: ${message}`, { file, line: pos.line, column: pos.column });

class ParseFailure {
  constructor(readonly pos: HclPos, readonly message: string) {}
}

// ---------------------------------------------------------------------------------------------
// Lexer (hcl:hcl/scanner/scanner.go)

type TokKind = 'ident' | 'string' | 'heredoc' | 'number' | 'float' | 'bool' | 'assign' | 'comma' | 'lbrace' | 'rbrace' | 'lbrack' | 'rbrack' | 'colon' | 'null' | 'eof';
const SINGLE_CHAR_TOKENS: Readonly<Record<string, TokKind>> = { '=': 'assign', ',': 'comma', '{': 'lbrace', '}': 'rbrace', '[': 'lbrack', ']': 'rbrack' };
interface Token {
  readonly kind: TokKind;
  readonly text: string;
  readonly value: HclScalar;
  readonly pos: HclPos;
}

const TOKEN_NAMES: Record<TokKind, string> = {
  ident: 'IDENT', string: 'STRING', heredoc: 'HEREDOC', number: 'NUMBER', float: 'FLOAT', bool: 'BOOL', assign: 'ASSIGN',
  comma: 'COMMA', lbrace: 'LBRACE', rbrace: 'RBRACE', lbrack: 'LBRACK', rbrack: 'RBRACK', colon: 'COLON', null: 'NULL', eof: 'EOF',
};

const isLetter = (c: string): boolean => /[A-Za-z_]/.test(c) || (c >= '\u0080' && /\p{L}/u.test(c));
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

class Lexer {
  private i = 0;
  private line = 1;
  private col = 1;
  constructor(private readonly src: string, private readonly json: boolean) {}

  private pos(): HclPos {
    return { line: this.line, column: this.col, offset: this.i };
  }
  private peek(n = 0): string {
    return this.src[this.i + n] ?? '';
  }
  private next(): string {
    const c = this.src[this.i++] ?? '';
    if (c === '\n') {
      this.line++;
      this.col = 1;
    } else this.col++;
    return c;
  }

  private skipSpaceAndComments(): void {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\ufeff') {
        this.next();
      } else if (!this.json && (c === '#' || (c === '/' && this.peek(1) === '/'))) {
        while (this.i < this.src.length && this.peek() !== '\n') this.next();
      } else if (!this.json && c === '/' && this.peek(1) === '*') {
        const start = this.pos();
        this.next();
        this.next();
        while (!(this.peek() === '*' && this.peek(1) === '/')) {
          if (this.i >= this.src.length) throw new ParseFailure(start, 'comment not terminated');
          this.next();
        }
        this.next();
        this.next();
      } else return;
    }
  }

  scan(): Token {
    this.skipSpaceAndComments();
    const pos = this.pos();
    const c = this.peek();
    if (c === '') return { kind: 'eof', text: '', value: null, pos };
    if (c === ':' && this.json) {
      this.next();
      return { kind: 'colon', text: ':', value: null, pos };
    }
    const single = SINGLE_CHAR_TOKENS[c];
    if (single !== undefined && !(this.json && c === '=')) {
      this.next();
      return { kind: single, text: c, value: null, pos };
    }
    if (c === '"') return this.scanString(pos);
    if (c === '<' && this.peek(1) === '<' && !this.json) return this.scanHeredoc(pos);
    if (isDigit(c) || ((c === '-' || c === '+') && (isDigit(this.peek(1)) || this.peek(1) === '.')) || (c === '.' && isDigit(this.peek(1)))) return this.scanNumber(pos);
    if (isLetter(c)) {
      let text = '';
      while (isLetter(this.peek()) || isDigit(this.peek()) || this.peek() === '-' || this.peek() === '.') text += this.next();
      if (text === 'true' || text === 'false') return { kind: 'bool', text, value: text === 'true', pos };
      if (this.json && text === 'null') return { kind: 'null', text, value: null, pos };
      if (this.json) throw new ParseFailure(pos, `invalid character '${text[0]}' looking for beginning of value`);
      return { kind: 'ident', text, value: text, pos };
    }
    throw new ParseFailure(pos, `illegal char`);
  }

  private scanNumber(pos: HclPos): Token {
    let text = '';
    if (this.peek() === '-' || this.peek() === '+') text += this.next();
    if (this.peek() === '0' && (this.peek(1) === 'x' || this.peek(1) === 'X')) {
      text += this.next() + this.next();
      while (/[0-9a-fA-F]/.test(this.peek())) text += this.next();
      const n = parseInt(text.replace(/0[xX]/, ''), 16);
      return { kind: 'number', text, value: n, pos };
    }
    let float = false;
    while (isDigit(this.peek())) text += this.next();
    if (this.peek() === '.' && isDigit(this.peek(1))) {
      float = true;
      text += this.next();
      while (isDigit(this.peek())) text += this.next();
    }
    if (this.peek() === 'e' || this.peek() === 'E') {
      float = true;
      text += this.next();
      if (this.peek() === '-' || this.peek() === '+') text += this.next();
      if (!isDigit(this.peek())) throw new ParseFailure(pos, 'illegal exponent');
      while (isDigit(this.peek())) text += this.next();
    }
    if (isLetter(this.peek())) throw new ParseFailure(this.pos(), 'illegal char');
    // hcl v1 reads a leading 0 as octal (strconv.ParseInt base 0)
    const value = !float && /^[-+]?0[0-7]+$/.test(text) ? parseInt(text, 8) : Number(text);
    return { kind: float ? 'float' : 'number', text, value, pos };
  }

  private scanString(pos: HclPos): Token {
    this.next();
    let out = '';
    let braces = 0;
    for (;;) {
      const c = this.peek();
      if (c === '' || (c === '\n' && braces === 0)) throw new ParseFailure(pos, 'literal not terminated');
      if (c === '"' && braces === 0) {
        this.next();
        break;
      }
      if (!this.json && c === '$' && this.peek(1) === '{') {
        out += this.next() + this.next();
        braces++;
        continue;
      }
      if (braces > 0 && c === '}') braces--;
      if (braces > 0 && c === '{') braces++;
      if (c === '\\') {
        out += this.escape();
        continue;
      }
      out += this.next();
    }
    return { kind: 'string', text: out, value: out, pos };
  }

  /** Go `strconv.Unquote` escapes (hcl v1 unquotes string tokens with it). */
  private escape(): string {
    const at = this.pos();
    this.next();
    const c = this.next();
    const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'", '/': '/' };
    if (simple[c] !== undefined && (c !== '/' || this.json) && (c !== "'" || !this.json)) return simple[c]!;
    const hex = (n: number): string => {
      let h = '';
      for (let k = 0; k < n; k++) {
        const d = this.next();
        if (!/[0-9a-fA-F]/.test(d)) throw new ParseFailure(at, 'invalid syntax');
        h += d;
      }
      return h;
    };
    if (c === 'u') return String.fromCodePoint(parseInt(hex(4), 16));
    if (c === 'U' && !this.json) return String.fromCodePoint(parseInt(hex(8), 16));
    if (c === 'x' && !this.json) return String.fromCharCode(parseInt(hex(2), 16));
    if (/[0-7]/.test(c) && !this.json) {
      const o = c + this.next() + this.next();
      if (!/^[0-7]{3}$/.test(o)) throw new ParseFailure(at, 'invalid syntax');
      return String.fromCharCode(parseInt(o, 8));
    }
    throw new ParseFailure(at, this.json ? `invalid character '${c}' in string escape code` : 'invalid syntax');
  }

  private scanHeredoc(pos: HclPos): Token {
    this.next();
    this.next();
    const indented = this.peek() === '-';
    if (indented) this.next();
    let anchor = '';
    while (isLetter(this.peek()) || isDigit(this.peek())) anchor += this.next();
    if (anchor === '') throw new ParseFailure(pos, 'heredoc anchor must be an identifier');
    if (this.peek() === '\r') this.next();
    if (this.peek() !== '\n') throw new ParseFailure(pos, 'invalid characters in heredoc anchor');
    this.next();
    const lines: string[] = [];
    for (;;) {
      if (this.i >= this.src.length) throw new ParseFailure(pos, 'heredoc not terminated');
      let line = '';
      while (this.i < this.src.length && this.peek() !== '\n') line += this.next();
      const bare = line.replace(/\r$/, '');
      if ((indented ? bare.trimStart() : bare) === anchor) {
        // hcl:hcl/token/token.go unindentHeredoc: strip the closing marker's indentation when every line has it
        const indent = bare.slice(0, bare.length - anchor.length);
        const body = indented && lines.every((l) => l.startsWith(indent) || l.trim() === '') ? lines.map((l) => l.slice(Math.min(indent.length, l.length))) : lines;
        const value = body.map((l) => `${l}\n`).join('');
        return { kind: 'heredoc', text: value, value, pos };
      }
      lines.push(bare);
      if (this.i < this.src.length) this.next();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Parsers (hcl:hcl/parser/parser.go, hcl:json/parser/parser.go)

class Parser {
  private tok: Token;
  private readonly lexer: Lexer;
  constructor(src: string, private readonly json: boolean) {
    this.lexer = new Lexer(src, json);
    this.tok = this.lexer.scan();
  }
  private kind(): TokKind {
    return this.tok.kind;
  }
  private advance(): Token {
    const t = this.tok;
    this.tok = this.lexer.scan();
    return t;
  }
  private expected(what: string): never {
    throw new ParseFailure(this.tok.pos, `expected: ${what} got: ${TOKEN_NAMES[this.kind()]}`);
  }

  parseFile(): HclObject {
    if (this.json) {
      if (this.kind() !== 'lbrace') this.expected('LBRACE');
      const obj = this.jsonObject();
      if (this.kind() !== 'eof') this.expected('EOF');
      return obj;
    }
    const pos = this.tok.pos;
    const items = this.objectList(false);
    return { kind: 'object', items, pos };
  }

  private objectList(nested: boolean): HclItem[] {
    const items: HclItem[] = [];
    for (;;) {
      if (this.kind() === 'eof') {
        if (nested) throw new ParseFailure(this.tok.pos, 'object expected closing RBRACE got: EOF');
        return items;
      }
      if (nested && this.kind() === 'rbrace') return items;
      items.push(this.objectItem());
      if (this.kind() === 'comma') this.advance();
    }
  }

  private objectItem(): HclItem {
    const pos = this.tok.pos;
    const keys: HclObjectKey[] = [];
    for (;;) {
      const t = this.tok;
      if (t.kind === 'ident' || t.kind === 'string') {
        keys.push({ name: String(t.value), quoted: t.kind === 'string', pos: t.pos });
        this.advance();
        continue;
      }
      if (t.kind === 'assign') {
        if (keys.length > 1) throw new ParseFailure(t.pos, `nested object expected: LBRACE got: ${TOKEN_NAMES[t.kind]}`);
        if (keys.length === 0) throw new ParseFailure(t.pos, `expected to find at least one object key`);
        this.advance();
        return { keys, assign: true, value: this.value(), pos };
      }
      if (t.kind === 'lbrace') {
        if (keys.length === 0) throw new ParseFailure(t.pos, `expected: IDENT | STRING got: LBRACE`);
        return { keys, assign: false, value: this.objectType(), pos };
      }
      if (keys.length === 0) this.expected('IDENT | STRING');
      if (t.kind === 'eof') throw new ParseFailure(t.pos, `key '${keys.map((k) => k.name).join(' ')}' expected start of object ('{') or assignment ('=')`);
      throw new ParseFailure(t.pos, `key '${keys.map((k) => k.name).join(' ')}' expected start of object ('{') or assignment ('=')`);
    }
  }

  private objectType(): HclObject {
    const pos = this.advance().pos; // '{'
    const items = this.objectList(true);
    this.advance(); // '}'
    return { kind: 'object', items, pos };
  }

  private value(): HclNode {
    const t = this.tok;
    switch (t.kind) {
      case 'number':
      case 'float':
      case 'bool':
      case 'string':
      case 'heredoc':
        this.advance();
        return { kind: 'literal', value: t.value, pos: t.pos };
      case 'lbrack':
        return this.list();
      case 'lbrace':
        return this.objectType();
      default:
        return this.expected('IDENT | STRING | NUMBER | FLOAT | BOOL | LBRACK | LBRACE | HEREDOC');
    }
  }

  private list(): HclList {
    const pos = this.advance().pos; // '['
    const items: HclNode[] = [];
    let needComma = false;
    for (;;) {
      const t = this.tok;
      if (t.kind === 'rbrack') {
        this.advance();
        return { kind: 'list', items, pos };
      }
      if (t.kind === 'eof') throw new ParseFailure(pos, 'list expected closing RBRACK got: EOF');
      if (t.kind === 'comma') {
        if (!needComma) throw new ParseFailure(t.pos, 'error parsing list, expected comma or list end, got: COMMA');
        this.advance();
        needComma = false;
        continue;
      }
      if (needComma) throw new ParseFailure(t.pos, `error parsing list, expected comma or list end, got: ${TOKEN_NAMES[t.kind]}`);
      if (t.kind === 'lbrace') items.push(this.objectType());
      else if (t.kind === 'lbrack') items.push(this.list());
      else if (['number', 'float', 'bool', 'string', 'heredoc'].includes(t.kind)) {
        this.advance();
        items.push({ kind: 'literal', value: t.value, pos: t.pos });
      } else throw new ParseFailure(t.pos, `error parsing list, expected comma or list end, got: ${TOKEN_NAMES[t.kind]}`);
      needComma = true;
    }
  }

  // JSON (hcl:json/parser/parser.go): the same AST, objects as item lists.
  private jsonObject(): HclObject {
    const pos = this.advance().pos; // '{'
    const items: HclItem[] = [];
    if (this.kind() === 'rbrace') {
      this.advance();
      return { kind: 'object', items, pos };
    }
    for (;;) {
      const k = this.tok;
      if (k.kind !== 'string') this.expected('STRING');
      this.advance();
      if (this.kind() !== 'colon') this.expected('COLON');
      this.advance();
      const value = this.jsonValue();
      items.push({ keys: [{ name: String(k.value), quoted: true, pos: k.pos }], assign: value.kind !== 'object', value, pos: k.pos });
      if (this.kind() === 'comma') {
        this.advance();
        continue;
      }
      if (this.kind() === 'rbrace') {
        this.advance();
        return { kind: 'object', items, pos };
      }
      this.expected('COMMA | RBRACE');
    }
  }

  private jsonValue(): HclNode {
    const t = this.tok;
    switch (t.kind) {
      case 'lbrace':
        return this.jsonObject();
      case 'lbrack': {
        const pos = this.advance().pos;
        const items: HclNode[] = [];
        if (this.kind() === 'rbrack') {
          this.advance();
          return { kind: 'list', items, pos };
        }
        for (;;) {
          items.push(this.jsonValue());
          if (this.kind() === 'comma') {
            this.advance();
            continue;
          }
          if (this.kind() === 'rbrack') {
            this.advance();
            return { kind: 'list', items, pos };
          }
          this.expected('COMMA | RBRACK');
        }
      }
      case 'number':
      case 'float':
      case 'bool':
      case 'string':
      case 'null':
        this.advance();
        return { kind: 'literal', value: t.value, pos: t.pos };
      default:
        return this.expected('LBRACE | LBRACK | STRING | NUMBER | FLOAT | BOOL | NULL');
    }
  }
}

/** Parses HCL v1 text to its AST. */
export function parseHcl(text: string, file?: string): Result<HclObject, HclError> {
  return runParser(text, false, file);
}

/** Parses HCL's JSON form to the same AST. */
export function parseHclJson(text: string, file?: string): Result<HclObject, HclError> {
  return runParser(text, true, file);
}

function runParser(text: string, json: boolean, file?: string): Result<HclObject, HclError> {
  try {
    return ok(new Parser(text, json).parseFile());
  } catch (e) {
    if (e instanceof ParseFailure) return err(posError(e.pos, e.message, file));
    throw e;
  }
}

/** JSON when the first non-blank character is `{` (hcl v1 `lexMode`), HCL otherwise — as SPIRE reads its config files. */
export function isJsonConfig(text: string): boolean {
  return /^\s*\{/.test(text.replace(/^\ufeff/, ''));
}

/** Parses a config file (HCL or JSON) to its AST. */
export function parseConfigAst(text: string, file?: string): Result<HclObject, HclError> {
  return isJsonConfig(text) ? parseHclJson(text, file) : parseHcl(text, file);
}

/** Parses a config file (HCL or JSON) and decodes it to plain values (see the module comment). */
export function parseConfigText(text: string, file?: string): Result<HclMap, HclError> {
  const ast = parseConfigAst(text, file);
  return ast.ok ? ok(decodeHcl(ast.value)) : ast;
}

// ---------------------------------------------------------------------------------------------
// Decoding to plain values (hcl:decoder.go decodeInterface)

/** Decodes a parsed body to a map (the root of a file, or a block body). */
export function decodeHcl(obj: HclObject): HclMap {
  const out: Record<string, HclValue> = {};
  for (const item of obj.items) {
    const [first, ...rest] = item.keys;
    if (first === undefined) continue;
    let value = decodeNode(item.value, false);
    for (let k = rest.length - 1; k >= 0; k--) value = [{ [rest[k]!.name]: value }];
    const old = out[first.name];
    out[first.name] = Array.isArray(old) && Array.isArray(value) ? [...(old as HclValue[]), ...(value as HclValue[])] : value;
  }
  return out;
}

function decodeNode(node: HclNode, inList: boolean): HclValue {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'list':
      return node.items.map((n) => decodeNode(n, true));
    case 'object': {
      const map = decodeHcl(node);
      return inList ? map : [map];
    }
  }
}

/** True for a decoded map (not a list, not a scalar). */
export function isHclMap(v: HclValue | undefined): v is HclMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The maps a decoded block value holds, whether written as a block, an object, a list of objects or JSON. */
export function hclBlocks(v: HclValue | undefined): HclMap[] {
  if (v === undefined || v === null) return [];
  if (isHclMap(v)) return [v];
  if (Array.isArray(v)) return (v as HclValue[]).flatMap((x) => hclBlocks(x));
  return [];
}

/** Repeated blocks merged into one map, later keys winning — how hcl v1 decodes them into a Go struct. Undefined when absent. */
export function hclMergeBlocks(v: HclValue | undefined): HclMap | undefined {
  const blocks = hclBlocks(v);
  if (blocks.length === 0 && !Array.isArray(v)) return undefined;
  return Object.assign({}, ...blocks) as HclMap;
}

/**
 * The labelled children of a block value, in order: `federates_with "a" {…} federates_with "b" {…}` →
 * `[['a', {…}], ['b', {…}]]` (a Go `map[string]T` field, or an `ast.Node` holding labelled blocks).
 */
export function hclLabelled(v: HclValue | undefined): Array<[string, HclMap]> {
  const out: Array<[string, HclMap]> = [];
  for (const block of hclBlocks(v)) for (const [label, body] of Object.entries(block)) out.push([label, hclMergeBlocks(body) ?? {}]);
  return out;
}

/** A value of the wrong type while decoding a config struct (hcl:decoder.go); the parser turns it into its error. */
export class HclDecodeError {
  constructor(readonly message: string) {}
}

/**
 * hcl:decoder.go decodeInt on a decoded value: absent → 0; a whole number; a string through
 * `strconv.ParseInt(s, 0, 0)` (0x hex, leading-0 octal). `where` names the field in the type error.
 */
export function decodeHclInt(v: HclValue | undefined, where: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string') {
    const t = v.trim();
    if (/^[-+]?(0x[0-9a-f]+|0[0-7]*|[1-9][0-9]*)$/i.test(t)) return Number.parseInt(t, /^[-+]?0x/i.test(t) ? 16 : /^[-+]?0[0-7]/.test(t) ? 8 : 10);
    throw new HclDecodeError(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  }
  throw new HclDecodeError(`${where}: unknown type for int`);
}

