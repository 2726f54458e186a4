/**
 * JSON as jq sees it: values keep their object key order (a Map, since JS objects move integer-like
 * keys first), a streaming parser that reports errors with jq's texts and positions, and jq's
 * printer (2-space indent, `[]`/`{}` for empty containers, compact with -c).
 *
 * The parser follows jq's jv_parse.c: literal tokens (numbers, true, false, null) are checked when
 * the character after them arrives, and positions are counted after that character, which is why
 * `abc\n` fails "at line 2, column 0". Numbers are JS doubles: jq 1.7 would print an untouched
 * literal such as 1.0 as written; here it prints as 1 (as jq 1.6 does).
 */
export type Json = null | boolean | number | string | Json[] | JsonObject;
export type JsonObject = Map<string, Json>;

export const isObject = (v: Json): v is JsonObject => v instanceof Map;

export function typeOf(v: Json): 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (isObject(v)) return 'object';
  return typeof v as 'boolean' | 'number' | 'string';
}

export class JsonSyntaxError {
  constructor(
    /** jq's text, position included: `Invalid numeric literal at line 2, column 0`. */
    readonly message: string,
  ) {}
}

export interface ParsedValue {
  readonly value: Json;
  /** The input line jq reports for errors while filtering this value (`jq: error (at <stdin>:N)`). */
  readonly line: number;
}

/** Parses a stream of JSON texts (jq's input); throws JsonSyntaxError with jq's wording. */
export function parseJsonStream(text: string): ParsedValue[] {
  const out: ParsedValue[] = [];
  type Frame = { kind: 'array'; items: Json[] } | { kind: 'object'; map: JsonObject; key?: string };
  const stack: Frame[] = [];
  let next: Json | undefined;
  let hasNext = false;
  let token = '';
  let line = 1;
  let column = 0;
  let pendingTop: Json | undefined;
  let hasPendingTop = false;
  const fail = (msg: string, eof = false): never => {
    throw new JsonSyntaxError(`${msg}${eof ? ' at EOF' : ''} at line ${line}, column ${column}`);
  };
  const emitTop = (): void => {
    if (hasPendingTop) out.push({ value: pendingTop!, line: line - 1 });
    hasPendingTop = false;
  };
  const value = (v: Json, eof = false): void => {
    if (hasNext) fail('Expected separator between values', eof);
    if (stack.length === 0) {
      emitTop();
      pendingTop = v;
      hasPendingTop = true;
    } else {
      next = v;
      hasNext = true;
    }
  };
  const checkLiteral = (eof = false): void => {
    if (token === '') return;
    const t = token;
    token = '';
    if (/^[tfn]/.test(t)) {
      const lit: Record<string, Json> = { true: true, false: false, null: null };
      if (!(t in lit)) fail('Invalid literal', eof);
      value(lit[t]!, eof);
      return;
    }
    if (!/^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) fail('Invalid numeric literal', eof);
    value(Number(t), eof);
  };
  const structural = (ch: string): void => {
    const top = stack[stack.length - 1];
    const arr = top?.kind === 'array' ? top : undefined;
    const obj = top?.kind === 'object' ? top : undefined;
    switch (ch) {
      case '[':
      case '{':
        if (hasNext) fail('Expected separator between values');
        stack.push(ch === '[' ? { kind: 'array', items: [] } : { kind: 'object', map: new Map() });
        return;
      case ':':
        if (!obj) return fail("':' not as part of an object");
        if (!hasNext || obj.key !== undefined) fail("Expected string key before ':'");
        if (typeof next !== 'string') fail('Object keys must be strings');
        obj.key = next as string;
        hasNext = false;
        return;
      case ',':
        if (!hasNext) fail("Expected value before ','");
        if (arr) arr.items.push(next!);
        else if (obj) {
          if (obj.key === undefined) fail('Objects must consist of key:value pairs');
          obj.map.set(obj.key!, next!);
          obj.key = undefined;
        } else fail("',' not as part of an object or array");
        hasNext = false;
        return;
      case ']':
        if (!arr) return fail("Unmatched ']'");
        if (hasNext) arr.items.push(next!);
        else if (arr.items.length > 0) fail('Expected another array element');
        hasNext = false;
        stack.pop();
        value(arr.items);
        return;
      case '}':
        if (!obj) return fail("Unmatched '}'");
        if (hasNext) {
          if (obj.key === undefined) fail('Objects must consist of key:value pairs');
          obj.map.set(obj.key!, next!);
        } else if (obj.key !== undefined) fail('Objects must consist of key:value pairs');
        else if (obj.map.size > 0) fail('Expected another key-value pair');
        hasNext = false;
        stack.pop();
        value(obj.map);
        return;
    }
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') {
      line++;
      column = 0;
    } else column++;
    if (ch === '"') {
      checkLiteral();
      // A whole string at once: find its end, decode escapes.
      let s = '';
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        const c = text[j]!;
        if (c === '\n') {
          line++;
          column = 0;
        } else column++;
        if (c !== '\\') {
          s += c;
          continue;
        }
        const e = text[++j];
        column++;
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && simple[e] !== undefined) s += simple[e];
        else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(j + 1, j + 5))) {
          s += String.fromCharCode(parseInt(text.slice(j + 1, j + 5), 16));
          j += 4;
          column += 4;
        } else if (e === undefined) break;
        else fail('Invalid escape');
      }
      if (j >= text.length) {
        fail('Unfinished string', true);
      }
      column++;
      i = j;
      value(s);
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') {
      checkLiteral();
      if (stack.length === 0 && hasPendingTop && ch === '\n') emitTop();
      continue;
    }
    if ('[{:,]}'.includes(ch)) {
      checkLiteral();
      structural(ch);
      continue;
    }
    token += ch;
  }
  checkLiteral(true);
  if (stack.length > 0) fail('Unfinished JSON term', true);
  emitTop();
  return out;
}

/** `fromjson`: exactly one value, errors worded as jq 1.7 does (`… (while parsing '…')`). */
export function parseJsonText(text: string): Json {
  try {
    const values = parseJsonStream(text);
    if (values.length !== 1) throw new JsonSyntaxError(values.length === 0 ? 'Expected JSON value' : 'Unexpected extra JSON values');
    return values[0]!.value;
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new JsonSyntaxError(`${e.message} (while parsing '${text}')`);
    throw e;
  }
}

const escapeString = (s: string): string => JSON.stringify(s).replace(/\x7f/g, '\\u007f');

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'null' : n > 0 ? '1.7976931348623157e+308' : '-1.7976931348623157e+308';
  return String(n);
}

export interface PrintOptions {
  readonly indent: number | '\t';
  readonly sortKeys?: boolean;
}

/** jq's printer; `indent: 0` is -c. */
export function printJson(v: Json, opts: PrintOptions, depth = 0): string {
  const pad = (d: number): string => (opts.indent === '\t' ? '\t'.repeat(d) : ' '.repeat(opts.indent * d));
  const pretty = opts.indent !== 0;
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'string') return escapeString(v);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const items = v.map((x) => printJson(x, opts, depth + 1));
    return pretty ? `[\n${items.map((x) => pad(depth + 1) + x).join(',\n')}\n${pad(depth)}]` : `[${items.join(',')}]`;
  }
  if (v.size === 0) return '{}';
  const keys = [...v.keys()];
  if (opts.sortKeys) keys.sort();
  const items = keys.map((k) => `${escapeString(k)}:${pretty ? ' ' : ''}${printJson(v.get(k)!, opts, depth + 1)}`);
  return pretty ? `{\n${items.map((x) => pad(depth + 1) + x).join(',\n')}\n${pad(depth)}}` : `{${items.join(',')}}`;
}

/** From a plain JS value (JSON.parse output, env objects) to a Json with Maps. */
export function fromPlain(v: unknown): Json {
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(fromPlain);
  if (typeof v === 'object') return new Map(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, fromPlain(x)]));
  return null;
}
