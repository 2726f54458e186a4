/**
 * `-o yaml` as kubectl writes it: the object goes through JSON and sigs.k8s.io/yaml `JSONToYAML`,
 * i.e. go-yaml v2's encoder: map keys in go-yaml's "natural" order (gopkg.in/yaml.v2 sorter.go:
 * non-letters before letters, digit runs compared as numbers), 2-space indentation, sequences not
 * indented under their key, strings that would read back as another type double-quoted
 * (creationTimestamp: "2026-…", "1", "true"), strings that cannot be plain single-quoted, and
 * multi-line strings as literal blocks (`|`, `|-`, `|+`) (yaml.v2 encode.go stringv, emitterc.go
 * yaml_emitter_analyze_scalar / select_scalar_style).
 * Simplified: go-yaml folds long plain and quoted strings at 80 columns; we never fold.
 */
import { isPlainObject } from '../../kube/object.ts';

const isLetter = (c: string): boolean => /\p{L}/u.test(c);
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/** gopkg.in/yaml.v2 sorter.go keyList.Less for string keys. */
export function yamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]! < br[i]!;
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = an * 10 + Number(ar[ai]);
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]! < br[i]!;
  }
  return ar.length < br.length;
}

export function sortYamlKeys(keys: string[]): string[] {
  return keys.sort((a, b) => (a === b ? 0 : yamlKeyLess(a, b) ? -1 : 1));
}

const BOOL_OR_NULL = new Set(
  ['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'on', 'On', 'ON', 'off', 'Off', 'OFF', '~', 'null', 'Null', 'NULL', '<<', '='],
);
const SPECIAL_FLOATS = new Set(['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '.nan', '.NaN', '.NAN']);
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const GO_INT = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9][0-9]*|0)$/;
const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const TIMESTAMP = /^\d{4}-\d{1,2}-\d{1,2}(?:[Tt ]\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

/** Would go-yaml v2 resolve this plain scalar to something other than a string? (resolve.go) */
function resolvesToNonString(s: string): boolean {
  if (s === '') return true;
  if (BOOL_OR_NULL.has(s) || SPECIAL_FLOATS.has(s)) return true;
  const c = s[0]!;
  if (/[-+0-9.]/.test(c)) {
    const plain = s.replace(/_/g, '');
    if (GO_INT.test(plain) || (plain.startsWith('-') && GO_INT.test(plain.slice(1)))) return true;
    if (YAML_FLOAT.test(plain)) return true;
    if (TIMESTAMP.test(s)) return true;
  }
  return BASE60.test(s);
}

const isPrintable = (ch: string): boolean => {
  const c = ch.codePointAt(0)!;
  return c === 0x0a || (c >= 0x20 && c <= 0x7e) || c === 0x85 || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff) || c >= 0x10000;
};

interface Analysis {
  plain: boolean;
  single: boolean;
  block: boolean;
}

/** emitterc.go yaml_emitter_analyze_scalar, for block context. */
function analyze(s: string): Analysis {
  if (s === '') return { plain: false, single: true, block: false };
  let plain = true;
  let single = true;
  let block = true;
  if (s.startsWith('---') || s.startsWith('...')) plain = false;
  const chars = [...s];
  let lineBreaks = false;
  let special = false;
  let spaceBreak = false;
  let leadingSpace = false;
  let trailingSpace = false;
  let previousSpace = false;
  let previousBreak = false;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const next = chars[i + 1];
    const followedByBlank = next === undefined || next === ' ' || next === '\t' || next === '\n';
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) plain = false;
      if ((ch === '?' || ch === ':' || ch === '-') && followedByBlank) plain = false;
    } else {
      if (ch === ':' && followedByBlank) plain = false;
      if (ch === '#' && (chars[i - 1] === ' ' || chars[i - 1] === '\t')) plain = false;
    }
    if (!isPrintable(ch) && ch !== '\t') special = true;
    if (ch === '\t') special = true;
    if (ch === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (ch === '\n') {
      lineBreaks = true;
      if (i === 0) leadingSpace = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
  }
  void previousBreak;
  if (leadingSpace || trailingSpace) plain = false;
  if (spaceBreak) {
    plain = false;
    single = false;
    block = false;
  }
  if (lineBreaks) plain = false;
  if (special) {
    plain = false;
    single = false;
    block = false;
  }
  return { plain, single, block };
}

function doubleQuoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    switch (ch) {
      case '"':
        out += '\\"';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\0':
        out += '\\0';
        break;
      default:
        if (!isPrintable(ch)) {
          const c = ch.codePointAt(0)!;
          out += c <= 0xff ? `\\x${c.toString(16).toUpperCase().padStart(2, '0')}` : c <= 0xffff ? `\\u${c.toString(16).toUpperCase().padStart(4, '0')}` : `\\U${c.toString(16).toUpperCase().padStart(8, '0')}`;
        } else out += ch;
    }
  }
  return `${out}"`;
}

/** A string scalar at `indent` (the indentation of its key); literal blocks continue on the next lines. */
function stringScalar(s: string, indent: number): string {
  if (s.includes('\n')) {
    const a = analyze(s);
    if (a.block) {
      let chomp = '-';
      if (s.endsWith('\n')) chomp = s.endsWith('\n\n') || s === '\n' ? '+' : '';
      const indicator = s.startsWith(' ') ? '2' : '';
      const body = chomp === '' ? s.slice(0, -1) : chomp === '+' ? s.slice(0, -1) : s;
      const pad = ' '.repeat(indent + 2);
      return `|${indicator}${chomp}\n${body
        .split('\n')
        .map((l) => (l === '' ? '' : pad + l))
        .join('\n')}`;
    }
    return doubleQuoted(s);
  }
  if (resolvesToNonString(s)) return doubleQuoted(s);
  const a = analyze(s);
  if (a.plain) return s;
  if (a.single) return `'${s.replace(/'/g, "''")}'`;
  return doubleQuoted(s);
}

function scalar(v: unknown, indent: number): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'string') return stringScalar(v, indent);
  return stringScalar(String(v), indent);
}

/** Go's strconv.FormatFloat(f, 'g', -1, 64) for non-integers, plain digits for integers. */
export function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  if (!Number.isFinite(n)) return Number.isNaN(n) ? '.nan' : n > 0 ? '.inf' : '-.inf';
  const exp = Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 21) {
    const [m, e] = n.toExponential().split('e');
    const en = Number(e);
    return `${m}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
  }
  return String(n);
}

const isCollection = (v: unknown): boolean => (Array.isArray(v) && v.length > 0) || (isPlainObject(v) && Object.keys(v).some((k) => v[k] !== undefined));

function key(k: string): string {
  return stringScalar(k, 0);
}

function emit(v: unknown, indent: number, out: string[]): void {
  const pad = ' '.repeat(indent);
  if (Array.isArray(v)) {
    for (const item of v) {
      if (isCollection(item)) {
        const sub: string[] = [];
        emit(item, indent + 2, sub);
        // The first line of the item follows the dash.
        out.push(`${pad}- ${sub[0]!.slice(indent + 2)}`);
        for (const l of sub.slice(1)) out.push(l);
      } else out.push(`${pad}- ${inline(item, indent)}`);
    }
    return;
  }
  if (isPlainObject(v)) {
    const keys = sortYamlKeys(Object.keys(v).filter((k) => v[k] !== undefined));
    for (const k of keys) {
      const val = v[k];
      if (Array.isArray(val) && val.length > 0) {
        out.push(`${pad}${key(k)}:`);
        emit(val, indent, out);
      } else if (isCollection(val)) {
        out.push(`${pad}${key(k)}:`);
        emit(val, indent + 2, out);
      } else out.push(`${pad}${key(k)}: ${inline(val, indent)}`);
    }
  }
}

function inline(v: unknown, indent: number): string {
  if (Array.isArray(v)) return '[]';
  if (isPlainObject(v)) return '{}';
  return scalar(v, indent);
}

/** One YAML document (no `---`), ending in a newline. */
export function toYaml(v: unknown): string {
  if (!isCollection(v)) return `${inline(v, 0)}\n`;
  const out: string[] = [];
  emit(v, 0, out);
  return `${out.join('\n')}\n`;
}

/** Go's encoding/json (MarshalIndent with 4 spaces, map keys sorted, HTML characters escaped), as
 * kubectl's JSON printer writes (cli-runtime/pkg/printers/json.go). */
export function toGoJson(v: unknown, indent = '    '): string {
  return goJson(v, indent, '');
}

function goJson(v: unknown, indent: string, cur: string): string {
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    if (indent === '') return `[${v.map((x) => goJson(x, indent, cur)).join(',')}]`;
    const inner = cur + indent;
    return `[\n${v.map((x) => inner + goJson(x, indent, inner)).join(',\n')}\n${cur}]`;
  }
  if (isPlainObject(v)) {
    const keys = Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (keys.length === 0) return '{}';
    if (indent === '') return `{${keys.map((k) => `${goString(k)}:${goJson(v[k], indent, cur)}`).join(',')}}`;
    const inner = cur + indent;
    return `{\n${keys.map((k) => `${inner}${goString(k)}: ${goJson(v[k], indent, inner)}`).join(',\n')}\n${cur}}`;
  }
  if (typeof v === 'string') return goString(v);
  if (typeof v === 'number') return Number.isFinite(v) ? formatJsonNumber(v) : 'null';
  if (typeof v === 'boolean') return String(v);
  return 'null';
}

function formatJsonNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    const [m, e] = n.toExponential().split('e');
    const en = Number(e);
    return `${m}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
  }
  return String(n);
}

/** A JSON string as Go's encoder writes it (HTML-safe: <, >, & and U+2028/9 escaped). */
export function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
