/**
 * jq 1.7 for the guides' filters: `jq -r '.'`, `.configs[] | select(.["@type"] | contains("…")) | …`,
 * `.data["x"] = (.data["x"] | fromjson | .a.b = "v" | tojson)`. Options -r -j -c -n -e -s -R -S
 * --tab --indent N --arg --argjson; inputs from stdin or files. Exit codes as jq's: 2 for usage and
 * unparsable input, 3 for a filter that does not compile, 5 for a runtime error, and with -e 1/4
 * for a false/null or missing last output.
 *
 * Messages: parse errors are `jq: parse error: … at line L, column C` (jq 1.7 added the `jq: `
 * prefix); runtime errors `jq: error (at <stdin>:N): …`. Unverified against 1.7.1 itself (written
 * from jq 1.6 output and 1.7's changelog): `Cannot index string with "b"` (1.6 said `with string
 * "b"`), `syntax error, unexpected end of file` (1.6: `$end`), and the 11-character truncation of
 * values quoted in errors.
 */
import { resolvePath } from './fs.ts';
import { fromPlain, isObject, JsonSyntaxError, parseJsonStream, parseJsonText, printJson, typeOf, type Json, type JsonObject, type ParsedValue } from './json.ts';
import { JqSyntaxError, parseJq, type Node } from './jq-lang.ts';
import { done, fail, type Program } from './program.ts';

/** A runtime error: `error(v)` carries any value; built-in failures carry a string. */
class JqError {
  constructor(readonly value: Json) {}
}

const truthy = (v: Json): boolean => v !== null && v !== false;

/** A value quoted in an error, cut as jq's jv_dump_string_trunc does. */
function dumpTrunc(v: Json): string {
  const s = printJson(v, { indent: 0 });
  return s.length > 14 ? `${s.slice(0, 11)}...` : s;
}
const described = (v: Json): string => `${typeOf(v)} (${dumpTrunc(v)})`;

// ---------- ordering and equality (jq: null < false < true < numbers < strings < arrays < objects)

const RANK = { null: 0, boolean: 1, number: 3, string: 4, array: 5, object: 6 } as const;

export function compare(a: Json, b: Json): number {
  const ta = typeOf(a);
  const tb = typeOf(b);
  const ra = ta === 'boolean' ? (a ? 2 : 1) : RANK[ta];
  const rb = tb === 'boolean' ? (b ? 2 : 1) : RANK[tb];
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number') return a - (b as number);
  if (typeof a === 'string') return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  if (Array.isArray(a)) {
    const bb = b as Json[];
    for (let k = 0; k < Math.min(a.length, bb.length); k++) {
      const c = compare(a[k]!, bb[k]!);
      if (c) return c;
    }
    return a.length - bb.length;
  }
  if (isObject(a)) {
    const bo = b as JsonObject;
    const ka = [...a.keys()].sort();
    const kb = [...bo.keys()].sort();
    const c = compare(ka, kb);
    if (c) return c;
    for (const k of ka) {
      const d = compare(a.get(k)!, bo.get(k)!);
      if (d) return d;
    }
  }
  return 0;
}

// ---------- indexing and paths

type Key = string | number;

function index(v: Json, k: Json): Json {
  if (typeof k === 'string') {
    if (v === null) return null;
    if (isObject(v)) return v.get(k) ?? null;
    throw new JqError(`Cannot index ${typeOf(v)} with "${k}"`);
  }
  if (typeof k === 'number') {
    if (v === null) return null;
    if (Array.isArray(v)) {
      const n = Math.floor(k);
      return v[n < 0 ? v.length + n : n] ?? null;
    }
    throw new JqError(`Cannot index ${typeOf(v)} with number`);
  }
  if (isObject(k) && (v === null || Array.isArray(v))) return v === null ? null : sliceOf(v, k.get('start') ?? null, k.get('end') ?? null);
  throw new JqError(`Cannot index ${typeOf(v)} with ${typeOf(k)}`);
}

function sliceOf(v: Json, from: Json, to: Json): Json {
  if (v === null) return null;
  if (typeof v !== 'string' && !Array.isArray(v)) throw new JqError(`Cannot index ${typeOf(v)} with object`);
  const len = v.length;
  const norm = (x: Json, dflt: number): number => {
    if (x === null) return dflt;
    if (typeof x !== 'number') throw new JqError('Start and end indices of an array slice must be numbers');
    const n = Math.floor(x);
    return Math.min(len, Math.max(0, n < 0 ? len + n : n));
  };
  return v.slice(norm(from, 0), norm(to, len));
}

function iterate(v: Json): Json[] {
  if (Array.isArray(v)) return v;
  if (isObject(v)) return [...v.values()];
  throw new JqError(`Cannot iterate over ${v === null ? 'null' : described(v)}`);
}

function keysOf(v: Json): Key[] {
  if (Array.isArray(v)) return v.map((_, k) => k);
  if (isObject(v)) return [...v.keys()];
  throw new JqError(`Cannot iterate over ${v === null ? 'null' : described(v)}`);
}

function getpath(v: Json, path: readonly Key[]): Json {
  let cur = v;
  for (const k of path) {
    if (cur === null) return null;
    cur = index(cur, k);
  }
  return cur;
}

function setpath(v: Json, path: readonly Key[], value: Json): Json {
  if (path.length === 0) return value;
  const [k, ...rest] = path as [Key, ...Key[]];
  if (typeof k === 'string') {
    if (v !== null && !isObject(v)) throw new JqError(`Cannot index ${typeOf(v)} with "${k}"`);
    const m = new Map(v ?? []);
    m.set(k, setpath(m.get(k) ?? null, rest, value));
    return m;
  }
  if (v !== null && !Array.isArray(v)) throw new JqError(`Cannot index ${typeOf(v)} with number`);
  const a = [...(v ?? [])];
  const n = k < 0 ? a.length + k : k;
  if (n < 0) throw new JqError('Out of bounds negative array index');
  while (a.length < n) a.push(null);
  a[n] = setpath(a[n] ?? null, rest, value);
  return a;
}

function delpaths(v: Json, paths: Key[][]): Json {
  const sorted = [...paths].sort((a, b) => compare(b, a));
  let out = v;
  for (const p of sorted) out = delpath(out, p);
  return out;
}

function delpath(v: Json, path: readonly Key[]): Json {
  if (v === null) return null;
  if (path.length === 0) return null;
  const [k, ...rest] = path as [Key, ...Key[]];
  if (rest.length > 0) {
    const child = index(v, k);
    return child === null ? v : setpath(v, [k], delpath(child, rest));
  }
  if (typeof k === 'string') {
    if (!isObject(v)) throw new JqError(`Cannot delete field at object index of ${typeOf(v)}`);
    const m = new Map(v);
    m.delete(k);
    return m;
  }
  if (!Array.isArray(v)) throw new JqError(`Cannot delete field at index of ${typeOf(v)}`);
  const n = k < 0 ? v.length + k : k;
  return v.filter((_, j) => j !== n);
}

// ---------- arithmetic

function arith(op: string, a: Json, b: Json): Json {
  switch (op) {
    case '+':
      if (a === null) return b;
      if (b === null) return a;
      if (typeof a === 'number' && typeof b === 'number') return a + b;
      if (typeof a === 'string' && typeof b === 'string') return a + b;
      if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
      if (isObject(a) && isObject(b)) return new Map([...a, ...b]);
      throw new JqError(`${described(a)} and ${described(b)} cannot be added`);
    case '-':
      if (typeof a === 'number' && typeof b === 'number') return a - b;
      if (Array.isArray(a) && Array.isArray(b)) return a.filter((x) => !b.some((y) => compare(x, y) === 0));
      throw new JqError(`${described(a)} and ${described(b)} cannot be subtracted`);
    case '*':
      if (typeof a === 'number' && typeof b === 'number') return a * b;
      if (typeof a === 'string' && typeof b === 'number') return b > 0 ? a.repeat(Math.ceil(b)) : null;
      if (typeof b === 'string' && typeof a === 'number') return a > 0 ? b.repeat(Math.ceil(a)) : null;
      if (isObject(a) && isObject(b)) return deepMerge(a, b);
      throw new JqError(`${described(a)} and ${described(b)} cannot be multiplied`);
    case '/':
      if (typeof a === 'number' && typeof b === 'number') {
        if (b === 0) throw new JqError(`${described(a)} and ${described(b)} cannot be divided because the divisor is zero`);
        return a / b;
      }
      if (typeof a === 'string' && typeof b === 'string') return splitString(a, b);
      throw new JqError(`${described(a)} and ${described(b)} cannot be divided`);
    case '%':
      if (typeof a === 'number' && typeof b === 'number') {
        if (Math.trunc(b) === 0) throw new JqError(`${described(a)} and ${described(b)} cannot be divided because the divisor is zero`);
        return Math.trunc(a) % Math.trunc(b);
      }
      throw new JqError(`${described(a)} and ${described(b)} cannot be divided`);
  }
  const c = compare(a, b);
  return op === '==' ? c === 0 : op === '!=' ? c !== 0 : op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
}

function deepMerge(a: JsonObject, b: JsonObject): JsonObject {
  const m = new Map(a);
  for (const [k, v] of b) {
    const old = m.get(k);
    m.set(k, old !== undefined && isObject(old) && isObject(v) ? deepMerge(old, v) : v);
  }
  return m;
}

const splitString = (a: string, sep: string): Json => (a === '' ? [] : a.split(sep));

function contains(a: Json, b: Json): boolean {
  if (typeOf(a) !== typeOf(b)) throw new JqError(`${described(a)} and ${described(b)} cannot have their containment checked`);
  if (typeof a === 'string') return a.includes(b as string);
  if (Array.isArray(a)) return (b as Json[]).every((y) => a.some((x) => typeOf(x) === typeOf(y) && contains(x, y)));
  if (isObject(a)) return [...(b as JsonObject)].every(([k, y]) => a.has(k) && typeOf(a.get(k)!) === typeOf(y) && contains(a.get(k)!, y));
  return compare(a, b) === 0;
}

function length(v: Json): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') throw new JqError(`boolean (${v}) has no length`);
  if (typeof v === 'number') return Math.abs(v);
  if (typeof v === 'string') return [...v].length;
  return Array.isArray(v) ? v.length : v.size;
}

function tostring(v: Json): string {
  return typeof v === 'string' ? v : printJson(v, { indent: 0 });
}

function format(name: string, v: Json): string {
  switch (name) {
    case '@text':
      return tostring(v);
    case '@json':
      return printJson(v, { indent: 0 });
    case '@base64':
      return btoa(String.fromCharCode(...new TextEncoder().encode(tostring(v))));
    case '@base64d': {
      const s = tostring(v).replace(/=+$/, '');
      try {
        return new TextDecoder().decode(Uint8Array.from(atob(s + '='.repeat((4 - (s.length % 4)) % 4)), (c) => c.charCodeAt(0)));
      } catch {
        throw new JqError(`${described(v)} is not valid base64 data`);
      }
    }
    case '@uri':
      return [...new TextEncoder().encode(tostring(v))].map((b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
    case '@sh': {
      const q = (x: Json): string => {
        if (Array.isArray(x) || isObject(x)) throw new JqError(`${described(x)} can not be escaped for shell`);
        return typeof x === 'string' ? `'${x.replace(/'/g, "'\\''")}'` : tostring(x);
      };
      return Array.isArray(v) ? v.map(q).join(' ') : q(v);
    }
    case '@csv':
    case '@tsv': {
      if (!Array.isArray(v)) throw new JqError(`${described(v)} cannot be ${name === '@csv' ? 'csv' : 'tsv'}-formatted, only an array can be`);
      return v
        .map((x) => {
          if (typeof x === 'string') return name === '@csv' ? `"${x.replace(/"/g, '""')}"` : x.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
          if (Array.isArray(x) || isObject(x)) throw new JqError(`${described(x)} is not valid in a csv row`);
          return x === null ? '' : tostring(x);
        })
        .join(name === '@csv' ? ',' : '\t');
    }
  }
  throw new JqError(`${name.slice(1)} is not a valid format`);
}

// ---------- evaluation

type Env = ReadonlyMap<string, Json>;

/** Builtins by name/arity: each maps the input (and the argument filters) to outputs. */
type Builtin = (input: Json, args: readonly Node[], env: Env) => Json[];

const one = (f: (v: Json) => Json): Builtin => (v) => [f(v)];

/** Cartesian product of the argument filters' outputs, as jq calls C builtins with several arguments. */
function withArgs(args: readonly Node[], input: Json, env: Env, f: (...a: Json[]) => Json): Json[] {
  const out: Json[] = [];
  const rec = (k: number, acc: Json[]): void => {
    if (k === args.length) {
      out.push(f(...acc));
      return;
    }
    for (const v of evaluate(args[k]!, input, env)) rec(k + 1, [...acc, v]);
  };
  rec(0, []);
  return out;
}

const needString = (what: string, v: Json): string => {
  if (typeof v !== 'string') throw new JqError(`${described(v)} ${what}`);
  return v;
};

const regexOf = (re: Json, flags: Json): RegExp => {
  const f = typeof flags === 'string' ? flags.replace(/[^gimsx]/g, '').replace('x', '') : '';
  try {
    return new RegExp(needString('cannot be matched, as it is not a string', re), f);
  } catch {
    throw new JqError(`${re} (at offset 0) is not a valid regex`);
  }
};

function recurseAll(v: Json): Json[] {
  const out: Json[] = [v];
  if (Array.isArray(v) || isObject(v)) for (const x of iterate(v)) out.push(...recurseAll(x));
  return out;
}

const BUILTINS: Record<string, Builtin> = {
  'empty/0': () => [],
  'not/0': one((v) => !truthy(v)),
  'length/0': one(length),
  'utf8bytelength/0': one((v) => new TextEncoder().encode(needString('only strings have UTF-8 byte length', v)).length),
  'keys/0': one((v) => {
    if (isObject(v)) return [...v.keys()].sort();
    if (Array.isArray(v)) return v.map((_, k) => k);
    throw new JqError(`${described(v)} has no keys`);
  }),
  'keys_unsorted/0': one((v) => {
    if (isObject(v)) return [...v.keys()];
    if (Array.isArray(v)) return v.map((_, k) => k);
    throw new JqError(`${described(v)} has no keys`);
  }),
  'values/0': (v) => (v === null ? [] : [v]),
  'has/1': (v, args, env) =>
    withArgs(args, v, env, (k) => {
      if (isObject(v) && typeof k === 'string') return v.has(k);
      if (Array.isArray(v) && typeof k === 'number') return k >= 0 && k < v.length;
      throw new JqError(`Cannot check whether ${typeOf(v)} has a ${typeOf(k)} key`);
    }),
  'in/1': (v, args, env) => withArgs(args, v, env, (o) => BUILTINS['has/1']!(o, [{ t: 'literal', value: v as string }], env)[0]!),
  'contains/1': (v, args, env) => withArgs(args, v, env, (b) => contains(v, b)),
  'inside/1': (v, args, env) => withArgs(args, v, env, (b) => contains(b, v)),
  'select/1': (v, [f], env) => evaluate(f!, v, env).filter(truthy).map(() => v),
  'map/1': (v, [f], env) => [iterate(v).flatMap((x) => evaluate(f!, x, env))],
  'map_values/1': (v, [f], env) => [updatePaths(v, { t: 'iterate', target: { t: 'identity' } }, env, (x) => evaluate(f!, x, env).slice(0, 1))],
  'to_entries/0': one((v) => (isObject(v) ? [...v].map(([k, x]) => new Map<string, Json>([['key', k], ['value', x]])) : keysOf(v).map((k) => new Map<string, Json>([['key', k], ['value', index(v, k)]])))),
  'from_entries/0': one((v) => {
    const m: JsonObject = new Map();
    for (const e of iterate(v)) {
      if (!isObject(e)) throw new JqError(`Cannot index ${typeOf(e)} with "key"`);
      const k = e.get('key') ?? e.get('k') ?? e.get('name') ?? e.get('Name') ?? e.get('Key') ?? e.get('K') ?? null;
      if (typeof k !== 'string' && typeof k !== 'number' && typeof k !== 'boolean') throw new JqError(`Cannot use ${described(k)} as object key`);
      m.set(String(k), e.has('value') ? e.get('value')! : (e.get('v') ?? e.get('Value') ?? e.get('V') ?? null));
    }
    return m;
  }),
  'with_entries/1': (v, [f], env) => BUILTINS['from_entries/0']!(BUILTINS['map/1']!(BUILTINS['to_entries/0']!(v, [], env)[0]!, [f!], env)[0]!, [], env),
  'add/0': one((v) => iterate(v).reduce<Json>((acc, x) => arith('+', acc, x), null)),
  'any/0': one((v) => iterate(v).some(truthy)),
  'all/0': one((v) => iterate(v).every(truthy)),
  'any/1': (v, [f], env) => [iterate(v).some((x) => evaluate(f!, x, env).some(truthy))],
  'all/1': (v, [f], env) => [iterate(v).every((x) => evaluate(f!, x, env).every(truthy))],
  'range/1': (v, args, env) => withArgs(args, v, env, (n) => Array.from({ length: Math.max(0, Math.ceil(n as number)) }, (_, k) => k)).flat(),
  'range/2': (v, args, env) => withArgs(args, v, env, (a, b) => Array.from({ length: Math.max(0, Math.ceil((b as number) - (a as number))) }, (_, k) => (a as number) + k)).flat(),
  'floor/0': one((v) => Math.floor(v as number)),
  'sqrt/0': one((v) => Math.sqrt(v as number)),
  'tostring/0': one(tostring),
  'tonumber/0': one((v) => {
    if (typeof v === 'number') return v;
    const s = needString('cannot be parsed as a number', v);
    if (!/^\s*-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(s)) throw new JqError(`Cannot parse '${s}' as JSON`);
    return Number(s);
  }),
  'type/0': one(typeOf),
  'startswith/1': (v, args, env) => withArgs(args, v, env, (s) => (typeof v === 'string' && typeof s === 'string' ? v.startsWith(s) : fail0('startswith() requires string inputs'))),
  'endswith/1': (v, args, env) => withArgs(args, v, env, (s) => (typeof v === 'string' && typeof s === 'string' ? v.endsWith(s) : fail0('endswith() requires string inputs'))),
  'ltrimstr/1': (v, args, env) => withArgs(args, v, env, (s) => (typeof v === 'string' && typeof s === 'string' && v.startsWith(s) ? v.slice(s.length) : v)),
  'rtrimstr/1': (v, args, env) => withArgs(args, v, env, (s) => (typeof v === 'string' && typeof s === 'string' && v.endsWith(s) && s !== '' ? v.slice(0, -s.length) : v)),
  'split/1': (v, args, env) => withArgs(args, v, env, (s) => (typeof v === 'string' && typeof s === 'string' ? splitString(v, s) : fail0('split input and separator must be strings'))),
  'join/1': (v, args, env) =>
    withArgs(args, v, env, (sep) =>
      iterate(v)
        .map((x) => {
          if (Array.isArray(x) || isObject(x)) throw new JqError(`Cannot join with ${typeOf(x)}`);
          return x === null ? '' : tostring(x);
        })
        .join(needString('cannot be used as a separator', sep)),
    ),
  'ascii_downcase/0': one((v) => needString('cannot be lowercased', v).replace(/[A-Z]/g, (c) => c.toLowerCase())),
  'ascii_upcase/0': one((v) => needString('cannot be uppercased', v).replace(/[a-z]/g, (c) => c.toUpperCase())),
  'test/1': (v, args, env) => withArgs(args, v, env, (re) => regexOf(re, null).test(needString('cannot be matched, as it is not a string', v))),
  'test/2': (v, args, env) => withArgs(args, v, env, (re, fl) => regexOf(re, fl).test(needString('cannot be matched, as it is not a string', v))),
  'sub/2': (v, args, env) => withArgs(args.slice(0, 1), v, env, (re) => subst(v, re, null, args[1]!, env, false)),
  'gsub/2': (v, args, env) => withArgs(args.slice(0, 1), v, env, (re) => subst(v, re, null, args[1]!, env, true)),
  'first/0': one((v) => index(v, 0)),
  'last/0': one((v) => index(v, -1)),
  'first/1': (v, [f], env) => evaluate(f!, v, env).slice(0, 1),
  'last/1': (v, [f], env) => evaluate(f!, v, env).slice(-1),
  'limit/2': (v, [n, f], env) => evaluate(n!, v, env).flatMap((k) => evaluate(f!, v, env).slice(0, Math.max(0, k as number))),
  'reverse/0': one((v) => (typeof v === 'string' ? [...v].reverse().join('') : v === null ? [] : [...iterate(v)].reverse())),
  'sort/0': one((v) => [...sortable(v)].sort(compare)),
  'sort_by/1': (v, [f], env) => [byKey(v, f!, env).sort((a, b) => compare(a.k, b.k)).map((x) => x.v)],
  'group_by/1': (v, [f], env) => {
    const groups: { k: Json; v: Json[] }[] = [];
    for (const x of byKey(v, f!, env).sort((a, b) => compare(a.k, b.k))) {
      const g = groups[groups.length - 1];
      if (g && compare(g.k, x.k) === 0) g.v.push(x.v);
      else groups.push({ k: x.k, v: [x.v] });
    }
    return [groups.map((g) => g.v)];
  },
  'unique/0': one((v) => [...sortable(v)].sort(compare).filter((x, k, all) => k === 0 || compare(all[k - 1]!, x) !== 0)),
  'unique_by/1': (v, [f], env) => [byKey(v, f!, env).sort((a, b) => compare(a.k, b.k)).filter((x, k, all) => k === 0 || compare(all[k - 1]!.k, x.k) !== 0).map((x) => x.v)],
  'min/0': one((v) => [...sortable(v)].sort(compare)[0] ?? null),
  'max/0': one((v) => [...sortable(v)].sort(compare).pop() ?? null),
  'min_by/1': (v, [f], env) => [byKey(v, f!, env).sort((a, b) => compare(a.k, b.k))[0]?.v ?? null],
  'max_by/1': (v, [f], env) => [byKey(v, f!, env).sort((a, b) => compare(a.k, b.k)).pop()?.v ?? null],
  'flatten/0': one((v) => flatten(v, Infinity)),
  'flatten/1': (v, args, env) => withArgs(args, v, env, (d) => flatten(v, d as number)),
  'tojson/0': one((v) => printJson(v, { indent: 0 })),
  'fromjson/0': one((v) => {
    try {
      return parseJsonText(needString('cannot be parsed as JSON', v));
    } catch (e) {
      if (e instanceof JsonSyntaxError) throw new JqError(e.message);
      throw e;
    }
  }),
  'recurse/0': one((v) => v) && ((v) => recurseAll(v)),
  'recurse/1': (v, [f], env) => {
    const out: Json[] = [];
    const rec = (x: Json): void => {
      out.push(x);
      for (const y of evaluate(f!, x, env)) rec(y);
    };
    rec(v);
    return out;
  },
  'env/0': (_v, _a, env) => [env.get('ENV') ?? new Map()],
  'paths/0': (v) => pathsOf({ t: 'recurse' }, v, new Map()).slice(1).map((p) => p.path),
  'path/1': (v, [f], env) => pathsOf(f!, v, env).map((p) => p.path),
  'getpath/1': (v, args, env) => withArgs(args, v, env, (p) => (Array.isArray(p) ? getpath(v, p as Key[]) : fail0('Path must be specified as an array'))),
  'setpath/2': (v, args, env) => withArgs(args, v, env, (p, x) => setpath(v, p as Key[], x)),
  'delpaths/1': (v, args, env) => withArgs(args, v, env, (ps) => delpaths(v, ps as Key[][])),
  'del/1': (v, [f], env) => [delpaths(v, pathsOf(f!, v, env).map((p) => p.path))],
  'to_array/0': one((v) => (Array.isArray(v) ? v : [v])),
  'walk/1': (v, [f], env) => {
    const rec = (x: Json): Json[] => {
      let y: Json = x;
      if (Array.isArray(x)) y = x.flatMap(rec);
      else if (isObject(x)) y = new Map([...x].flatMap(([k, z]) => rec(z).slice(-1).map((w) => [k, w] as [string, Json])));
      return evaluate(f!, y, env);
    };
    return rec(v);
  },
  'error/0': (v) => {
    throw new JqError(v);
  },
  'error/1': (v, [f], env) => {
    throw new JqError(evaluate(f!, v, env)[0] ?? null);
  },
  'splits/1': (v, args, env) => withArgs(args, v, env, (re) => needString('cannot be matched, as it is not a string', v).split(regexOf(re, null))).flat(),
  'ascii/0': one((v) => String.fromCharCode(v as number)),
  'explode/0': one((v) => [...needString('cannot be exploded', v)].map((c) => c.codePointAt(0)!)),
  'implode/0': one((v) => String.fromCodePoint(...(iterate(v) as number[]))),
  'index/1': (v, args, env) => withArgs(args, v, env, (x) => indices(v, x)[0] ?? null),
  'rindex/1': (v, args, env) => withArgs(args, v, env, (x) => indices(v, x).pop() ?? null),
  'indices/1': (v, args, env) => withArgs(args, v, env, (x) => indices(v, x)),
  'paths/1': (v, [f], env) =>
    pathsOf({ t: 'recurse' }, v, new Map())
      .slice(1)
      // `select` semantics: a path is emitted once per truthy output of f.
      .flatMap((p) => evaluate(f!, p.value, env).filter(truthy).map(() => p.path)),
  'leaf_paths/0': (v, _a, env) => BUILTINS['paths/1']!(v, [{ t: 'call', name: 'scalars', args: [] }], env),
  'isempty/1': (v, [f], env) => [evaluate(f!, v, env).length === 0],
  'tostream/0': (v) => pathsOf({ t: 'recurse' }, v, new Map()).filter((p) => !(Array.isArray(p.value) && p.value.length) && !(isObject(p.value) && p.value.size)).map((p) => [p.path, p.value]),
  'input_filename/0': () => [null],
  'ltrimstr/0': one((v) => v),
  'debug/0': one((v) => v),
  'halt/0': () => [],
  'infinite/0': () => [Infinity],
  'nan/0': () => [NaN],
  'abs/0': one((v) => (typeof v === 'number' ? Math.abs(v) : fail0(`${described(v)} has no absolute value`))),
  'trim/0': one((v) => needString('cannot be trimmed', v).trim()),
  'ltrim/0': one((v) => needString('cannot be trimmed', v).trimStart()),
  'rtrim/0': one((v) => needString('cannot be trimmed', v).trimEnd()),
};

for (const t of ['objects', 'arrays', 'strings', 'numbers', 'booleans', 'nulls', 'iterables', 'scalars'] as const) {
  BUILTINS[`${t}/0`] = (v) => {
    const ty = typeOf(v);
    const ok = t === 'iterables' ? ty === 'array' || ty === 'object' : t === 'scalars' ? ty !== 'array' && ty !== 'object' : `${ty}s` === t || (t === 'booleans' && ty === 'boolean');
    return ok ? [v] : [];
  };
}

/** Where `x` occurs in a string (substring) or an array (element, or sub-array as a run). */
function indices(v: Json, x: Json): number[] {
  if (v === null) return [];
  const out: number[] = [];
  if (typeof v === 'string' && typeof x === 'string') {
    if (x === '') return [];
    for (let k = v.indexOf(x); k >= 0; k = v.indexOf(x, k + 1)) out.push(k);
    return out;
  }
  if (Array.isArray(v)) {
    const run = Array.isArray(x) ? x : [x];
    if (run.length === 0) return [];
    for (let k = 0; k + run.length <= v.length; k++) if (run.every((y, j) => compare(v[k + j]!, y) === 0)) out.push(k);
    return out;
  }
  throw new JqError(`Cannot determine the indices of ${described(x)} in ${described(v)}`);
}

function fail0(msg: string): never {
  throw new JqError(msg);
}

function sortable(v: Json): Json[] {
  if (!Array.isArray(v)) throw new JqError(`${described(v)} cannot be sorted, as it is not an array`);
  return v;
}

function byKey(v: Json, f: Node, env: Env): { k: Json; v: Json }[] {
  return sortable(v).map((x) => ({ k: evaluate(f, x, env), v: x }));
}

function flatten(v: Json, depth: number): Json {
  if (depth < 0) throw new JqError('flatten depth must not be negative');
  return sortable(v).flatMap((x) => (Array.isArray(x) && depth > 0 ? (flatten(x, depth - 1) as Json[]) : [x]));
}

function subst(v: Json, re: Json, flags: Json, repl: Node, env: Env, global: boolean): Json {
  const s = needString('cannot be matched, as it is not a string', v);
  const r = regexOf(re, global ? `${typeof flags === 'string' ? flags : ''}g` : flags);
  return s.replace(r, (...m: unknown[]) => {
    const groups = (typeof m[m.length - 1] === 'object' ? m[m.length - 1] : undefined) as Record<string, string> | undefined;
    const captures: JsonObject = new Map(Object.entries(groups ?? {}).map(([k, x]) => [k, x ?? null]));
    const out = evaluate(repl, captures, env)[0];
    return typeof out === 'string' ? out : fail0(`${described(out ?? null)} cannot be added to a string`);
  });
}

export function evaluate(n: Node, input: Json, env: Env): Json[] {
  switch (n.t) {
    case 'identity':
      return [input];
    case 'recurse':
      return recurseAll(input);
    case 'index':
      return evaluate(n.target, input, env).flatMap((v) => evaluate(n.key, input, env).map((k) => index(v, k)));
    case 'slice':
      return evaluate(n.target, input, env).flatMap((v) =>
        (n.from ? evaluate(n.from, input, env) : [null]).flatMap((a) => (n.to ? evaluate(n.to, input, env) : [null]).map((b) => sliceOf(v, a, b))),
      );
    case 'iterate':
      return evaluate(n.target, input, env).flatMap(iterate);
    case 'literal':
      return [n.value];
    case 'string': {
      let outs: string[] = [''];
      for (const p of n.parts) {
        if (typeof p === 'string') outs = outs.map((o) => o + p);
        else {
          const vals = evaluate(p, input, env).map((v) => (n.format ? format(n.format, v) : tostring(v)));
          outs = outs.flatMap((o) => vals.map((v) => o + v));
        }
      }
      return outs;
    }
    case 'format':
      return [format(n.name, input)];
    case 'pipe':
      return evaluate(n.l, input, env).flatMap((v) => evaluate(n.r, v, env));
    case 'comma':
      return [...evaluate(n.l, input, env), ...evaluate(n.r, input, env)];
    case 'binop': {
      const rs = evaluate(n.r, input, env);
      return rs.flatMap((b) => evaluate(n.l, input, env).map((a) => arith(n.op, a, b)));
    }
    case 'and':
    case 'or':
      return evaluate(n.l, input, env).flatMap((a) => {
        if (n.t === 'and' ? !truthy(a) : truthy(a)) return [n.t === 'or'];
        return evaluate(n.r, input, env).map(truthy);
      });
    case 'alt': {
      let vals: Json[] = [];
      try {
        vals = evaluate(n.l, input, env).filter(truthy);
      } catch (e) {
        if (!(e instanceof JqError)) throw e;
      }
      return vals.length > 0 ? vals : evaluate(n.r, input, env);
    }
    case 'neg':
      return evaluate(n.e, input, env).map((v) => (typeof v === 'number' ? -v : fail0(`${described(v)} cannot be negated`)));
    case 'assign':
      return assign(n, input, env);
    case 'array':
      return [n.e ? evaluate(n.e, input, env) : []];
    case 'object': {
      let outs: JsonObject[] = [new Map()];
      for (const e of n.entries) {
        const keys = evaluate(e.key, input, env);
        const values = evaluate(e.value, input, env);
        const next: JsonObject[] = [];
        for (const o of outs)
          for (const k of keys) {
            if (typeof k !== 'string') throw new JqError(`Object keys must be strings`);
            for (const v of values) next.push(new Map([...o, [k, v]]));
          }
        outs = next;
      }
      return outs;
    }
    case 'call': {
      const b = BUILTINS[`${n.name}/${n.args.length}`];
      if (!b) throw new JqError(`${n.name}/${n.args.length} is not defined`);
      return b(input, n.args, env);
    }
    case 'var':
      if (n.name === 'ENV') return [env.get('ENV') ?? new Map()];
      if (!env.has(n.name)) throw new JqError(`$${n.name} is not defined`);
      return [env.get(n.name)!];
    case 'as':
      return evaluate(n.source, input, env).flatMap((v) => evaluate(n.body, input, new Map([...env, [n.name, v]])));
    case 'reduce':
      return evaluate(n.init, input, env).map((init) => evaluate(n.source, input, env).reduce<Json>((acc, v) => evaluate(n.update, acc, new Map([...env, [n.name, v]])).slice(-1)[0] ?? null, init));
    case 'if':
      return evaluate(n.cond, input, env).flatMap((c) => (truthy(c) ? evaluate(n.then, input, env) : n.else ? evaluate(n.else, input, env) : [input]));
    case 'try':
      try {
        return evaluate(n.body, input, env);
      } catch (e) {
        if (!(e instanceof JqError)) throw e;
        return n.catch ? evaluate(n.catch, e.value, env) : [];
      }
    case 'optional':
      try {
        return evaluate(n.e, input, env);
      } catch (e) {
        if (!(e instanceof JqError)) throw e;
        return [];
      }
  }
}

interface PathValue {
  readonly path: Key[];
  readonly value: Json;
}

/** The paths a filter designates in its input, for assignment, `path()` and `del()`. */
function pathsOf(n: Node, input: Json, env: Env): PathValue[] {
  switch (n.t) {
    case 'identity':
      return [{ path: [], value: input }];
    case 'recurse': {
      const out: PathValue[] = [];
      const rec = (path: Key[], v: Json): void => {
        out.push({ path, value: v });
        if (Array.isArray(v) || isObject(v)) for (const k of keysOf(v)) rec([...path, k], index(v, k));
      };
      rec([], input);
      return out;
    }
    case 'index':
      return pathsOf(n.target, input, env).flatMap((p) =>
        evaluate(n.key, input, env).map((k) => {
          if (typeof k !== 'string' && typeof k !== 'number') throw new JqError(`Cannot update field at object index of ${typeOf(p.value)}`);
          return { path: [...p.path, k], value: p.value === null ? null : index(p.value, k) };
        }),
      );
    case 'iterate':
      return pathsOf(n.target, input, env).flatMap((p) => (p.value === null ? [] : keysOf(p.value).map((k) => ({ path: [...p.path, k], value: index(p.value, k) }))));
    case 'pipe':
      return pathsOf(n.l, input, env).flatMap((p) => pathsOf(n.r, p.value, env).map((q) => ({ path: [...p.path, ...q.path], value: q.value })));
    case 'comma':
      return [...pathsOf(n.l, input, env), ...pathsOf(n.r, input, env)];
    case 'if':
      return evaluate(n.cond, input, env).flatMap((c) => (truthy(c) ? pathsOf(n.then, input, env) : n.else ? pathsOf(n.else, input, env) : [{ path: [], value: input }]));
    case 'alt': {
      const l = pathsOf(n.l, input, env).filter((p) => truthy(p.value));
      return l.length > 0 ? l : pathsOf(n.r, input, env);
    }
    case 'optional':
    case 'try':
      try {
        return pathsOf(n.t === 'optional' ? n.e : n.body, input, env);
      } catch (e) {
        if (!(e instanceof JqError)) throw e;
        return [];
      }
    case 'as':
      return evaluate(n.source, input, env).flatMap((v) => pathsOf(n.body, input, new Map([...env, [n.name, v]])));
    case 'call':
      if (n.name === 'select' && n.args.length === 1) return evaluate(n.args[0]!, input, env).filter(truthy).map(() => ({ path: [], value: input }));
      if (n.name === 'empty' && n.args.length === 0) return [];
      if (n.name === 'recurse' && n.args.length === 0) return pathsOf({ t: 'recurse' }, input, env);
      if ((n.name === 'first' || n.name === 'last') && n.args.length === 1) {
        const all = pathsOf(n.args[0]!, input, env);
        return n.name === 'first' ? all.slice(0, 1) : all.slice(-1);
      }
      if (n.name === 'getpath' && n.args.length === 1) return evaluate(n.args[0]!, input, env).map((p) => ({ path: p as Key[], value: getpath(input, p as Key[]) }));
      if (['objects', 'arrays', 'strings', 'numbers', 'booleans', 'nulls', 'iterables', 'scalars', 'values'].includes(n.name) && n.args.length === 0)
        return BUILTINS[`${n.name}/0`]!(input, [], env).map(() => ({ path: [], value: input }));
      break;
  }
  const v = evaluate(n, input, env)[0] ?? null;
  throw new JqError(`Invalid path expression with result ${dumpTrunc(v)}`);
}

function updatePaths(input: Json, lhs: Node, env: Env, f: (old: Json) => Json[]): Json {
  let out = input;
  const deleted: Key[][] = [];
  for (const { path } of pathsOf(lhs, input, env)) {
    const next = f(getpath(out, path));
    if (next.length === 0) deleted.push(path);
    else out = setpath(out, path, next[0]!);
  }
  return deleted.length ? delpaths(out, deleted) : out;
}

function assign(n: Node & { t: 'assign' }, input: Json, env: Env): Json[] {
  if (n.op === '|=') return [updatePaths(input, n.l, env, (old) => evaluate(n.r, old, env).slice(0, 1))];
  // `=` and the arithmetic forms evaluate the right side against `.`, once per output.
  return evaluate(n.r, input, env).map((rhs) => {
    if (n.op === '=') return pathsOf(n.l, input, env).reduce<Json>((acc, p) => setpath(acc, p.path, rhs), input);
    if (n.op === '//=') return updatePaths(input, n.l, env, (old) => [truthy(old) ? old : rhs]);
    return updatePaths(input, n.l, env, (old) => [arith(n.op.slice(0, -1), old, rhs)]);
  });
}

/** Functions and variables the filter names must exist before it runs: jq's compile errors. */
function checkNames(n: Node, vars: ReadonlySet<string>): string | undefined {
  const sub = (x: Node | undefined, v = vars): string | undefined => (x ? checkNames(x, v) : undefined);
  switch (n.t) {
    case 'call':
      if (!BUILTINS[`${n.name}/${n.args.length}`]) return `${n.name}/${n.args.length} is not defined`;
      for (const a of n.args) {
        const e = sub(a);
        if (e) return e;
      }
      return undefined;
    case 'var':
      return n.name === 'ENV' || n.name === '__loc__' || vars.has(n.name) ? undefined : `$${n.name} is not defined`;
    case 'as':
      return sub(n.source) ?? sub(n.body, new Set([...vars, n.name]));
    case 'reduce':
      return sub(n.source) ?? sub(n.init) ?? sub(n.update, new Set([...vars, n.name]));
    default:
      for (const v of Object.values(n)) {
        if (Array.isArray(v)) {
          for (const x of v) {
            const e = typeof x === 'object' && x !== null && 't' in x ? sub(x as Node) : typeof x === 'object' && x !== null && 'key' in x ? (sub((x as { key: Node }).key) ?? sub((x as { value: Node }).value)) : undefined;
            if (e) return e;
          }
        } else if (typeof v === 'object' && v !== null && 't' in v) {
          const e = sub(v as Node);
          if (e) return e;
        }
      }
      return undefined;
  }
}

const USAGE = `Usage:\tjq [OPTIONS] FILTER [FILES...]
\tjq [OPTIONS] --args FILTER [ARGUMENTS...]
\tjq [OPTIONS] --jsonargs FILTER [JSON_VALUES...]

jq is a tool for processing JSON inputs, applying the given filter to
its JSON text inputs and producing the filter's results as JSON on
standard output.

Use jq --help for help with command-line options,
or see the jq manpage, or online docs  at https://jqlang.github.io/jq`;

export const jq: Program = (argv, io) => {
  let raw = false;
  let join = false;
  let indent: number | '\t' = 2;
  let nullInput = false;
  let exitStatus = false;
  let slurp = false;
  let rawInput = false;
  let sortKeys = false;
  let filter: string | undefined;
  const files: string[] = [];
  const vars = new Map<string, Json>([['ENV', fromPlain({ ...io.env })]]);
  const args = argv.slice(1);
  for (let k = 0; k < args.length; k++) {
    const a = args[k]!;
    if (a === '--arg' || a === '--argjson') {
      const name = args[k + 1];
      const value = args[k + 2];
      if (name === undefined || value === undefined) return fail(`jq: ${a} takes two parameters (e.g. ${a} varname ${a === '--arg' ? 'value' : 'text'})\nUse jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://jqlang.github.io/jq`, 2);
      if (a === '--arg') vars.set(name, value);
      else {
        try {
          vars.set(name, parseJsonText(value));
        } catch {
          return fail(`jq: Invalid JSON text passed to --argjson\nUse jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://jqlang.github.io/jq`, 2);
        }
      }
      k += 2;
    } else if (a === '--tab') indent = '\t';
    else if (a === '--indent') indent = Number(args[++k] ?? 2);
    else if (a === '--raw-output') raw = true;
    else if (a === '--join-output') raw = join = true;
    else if (a === '--compact-output') indent = 0;
    else if (a === '--null-input') nullInput = true;
    else if (a === '--exit-status') exitStatus = true;
    else if (a === '--slurp') slurp = true;
    else if (a === '--raw-input') rawInput = true;
    else if (a === '--sort-keys') sortKeys = true;
    else if (a === '--monochrome-output' || a === '--color-output') continue;
    else if (/^-[rjcneasSRCM]+$/.test(a)) {
      for (const f of a.slice(1)) {
        if (f === 'r') raw = true;
        else if (f === 'j') raw = join = true;
        else if (f === 'c') indent = 0;
        else if (f === 'n') nullInput = true;
        else if (f === 'e') exitStatus = true;
        else if (f === 's') slurp = true;
        else if (f === 'R') rawInput = true;
        else if (f === 'S') sortKeys = true;
      }
    } else if (a.startsWith('-') && a.length > 1) return fail(`jq: Unknown option: ${a}\n${USAGE}`, 2);
    else if (filter === undefined) filter = a;
    else files.push(a);
  }
  if (filter === undefined) return fail(USAGE, 2);

  let program: Node;
  try {
    program = parseJq(filter);
    const undefinedName = checkNames(program, new Set(vars.keys()));
    if (undefinedName) return fail(`jq: error: ${undefinedName} at <top-level>, line 1:\n${filter}\njq: 1 compile error`, 3);
  } catch (e) {
    if (!(e instanceof JqSyntaxError)) throw e;
    return fail(`jq: error: syntax error, ${e.message} (Unix shell quoting issues?) at <top-level>, line 1:\n${filter}\njq: 1 compile error`, 3);
  }

  let text = '';
  let stderr = '';
  let code = 0;
  const sources: { name: string; text: string }[] = [];
  if (files.length === 0) sources.push({ name: '<stdin>', text: io.stdin });
  for (const f of files) {
    const c = io.fs.read(resolvePath(io.cwd, f));
    if (c === undefined) {
      stderr += `jq: error: Could not open ${f}: No such file or directory\n`;
      code = 2;
    } else sources.push({ name: f, text: c });
  }
  const inputs: (ParsedValue & { source: string })[] = [];
  let parseError: string | undefined;
  for (const s of sources) {
    if (rawInput) {
      const ls = s.text.split('\n');
      if (ls[ls.length - 1] === '') ls.pop();
      ls.forEach((l, k) => inputs.push({ value: l, line: k + 1, source: s.name }));
      continue;
    }
    try {
      for (const v of parseJsonStream(s.text)) inputs.push({ ...v, source: s.name });
    } catch (e) {
      if (!(e instanceof JsonSyntaxError)) throw e;
      parseError = `jq: parse error: ${e.message}\n`;
      break;
    }
  }
  let runs: { value: Json; where: string }[];
  if (nullInput) runs = [{ value: null, where: '<unknown>' }];
  else if (slurp) runs = [{ value: rawInput ? inputs.map((v) => v.value).join('\n') + (inputs.length ? '\n' : '') : inputs.map((v) => v.value), where: `${sources[sources.length - 1]?.name ?? '<stdin>'}:${inputs[inputs.length - 1]?.line ?? 0}` }];
  else runs = inputs.map((v) => ({ value: v.value, where: `${v.source}:${v.line}` }));

  let last: Json | undefined;
  let any = false;
  for (const run of runs) {
    try {
      for (const out of evaluate(program, run.value, vars)) {
        any = true;
        last = out;
        text += raw && typeof out === 'string' ? out : printJson(out, { indent, sortKeys });
        if (!join) text += '\n';
      }
    } catch (e) {
      if (!(e instanceof JqError)) throw e;
      const msg = typeof e.value === 'string' ? `: ${e.value}` : ` (not a string): ${printJson(e.value, { indent: 0 })}`;
      stderr += `jq: error (at ${run.where})${msg}\n`;
      code = 5;
    }
  }
  if (parseError !== undefined) return done(text, stderr + parseError, 2);
  if (code) return done(text, stderr, code);
  if (exitStatus) return done(text, stderr, !any ? 4 : truthy(last ?? null) ? 0 : 1);
  return done(text, stderr, 0);
};
