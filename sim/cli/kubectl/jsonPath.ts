/**
 * kubectl's JSONPath dialect (k8s.io/client-go/util/jsonpath: parser.go, jsonpath.go), as
 * `-o jsonpath=…` and CRD printer columns use it: text outside `{}` is copied, `{.a.b}`, `{.a[0]}`,
 * `{.a[-1]}`, slices `{.a[1:3]}`, `{.a[*].b}`, `{.*}`, recursive `{..name}`, unions `{.a['x','y']}`,
 * escaped dots in keys `{.data.ca\.crt}`, filters `{.a[?(@.type=="Ready")].status}` (==, !=, <, <=,
 * >, >=, and existence), `{range .items[*]}…{end}`, string literals `{"\n"}`, `{$}` / `{@}`.
 * Missing keys print nothing (kubectl sets AllowMissingKeys(true)). Several results of one
 * expression are joined by a space; maps and lists print as compact JSON, scalars as Go's fmt does.
 */
import { err, ok, simError, type Result, type SimError } from '../../core/result.ts';
import { isPlainObject } from '../../kube/object.ts';
import { formatNumber, toGoJson } from './yamlPrinter.ts';

type Step =
  | { t: 'root' }
  | { t: 'current' }
  | { t: 'field'; names: string[] }
  | { t: 'recursive' }
  | { t: 'wildcard' }
  | { t: 'index'; items: ({ kind: 'index'; i: number } | { kind: 'slice'; start?: number; end?: number; step?: number })[] }
  | { t: 'filter'; left: Step[]; op: string; right?: Step[] | { lit: unknown } };

type Node = { t: 'text'; text: string } | { t: 'expr'; steps: Step[] } | { t: 'range'; steps: Step[]; body: Node[] } | { t: 'literal'; text: string };

export type JsonPathError = SimError<'kubectl/jsonpath'>;

const bad = (message: string): JsonPathError => simError('kubectl/jsonpath', message);

export interface JsonPath {
  readonly template: string;
  /** Runs the template; missing keys yield nothing. */
  execute(data: unknown): Result<string, JsonPathError>;
  /** The values one expression template (`{.status.phase}`) finds (for printer columns). */
  find(data: unknown): unknown[][];
}

export function parseJsonPath(template: string): Result<JsonPath, JsonPathError> {
  const nodes: Node[] = [];
  const stack: { steps: Step[]; body: Node[] }[] = [];
  const target = (): Node[] => (stack.length ? stack[stack.length - 1]!.body : nodes);
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) {
      target().push({ t: 'text', text: template.slice(i) });
      break;
    }
    if (open > i) target().push({ t: 'text', text: template.slice(i, open) });
    const close = findClose(template, open + 1);
    if (close < 0) return err(bad(`unclosed action`));
    const inner = template.slice(open + 1, close).trim();
    i = close + 1;
    if (inner === 'end') {
      const r = stack.pop();
      if (!r) return err(bad('not in range, nothing to end'));
      target().push({ t: 'range', steps: r.steps, body: r.body });
      continue;
    }
    if (inner.startsWith('range ') || inner === 'range') {
      const steps = parseExpr(inner.slice(5).trim());
      if (!steps.ok) return steps;
      stack.push({ steps: steps.value, body: [] });
      continue;
    }
    if (inner.startsWith('"')) {
      const lit = unquote(inner);
      if (lit === undefined) return err(bad(`invalid string literal ${inner}`));
      target().push({ t: 'literal', text: lit });
      continue;
    }
    const steps = parseExpr(inner);
    if (!steps.ok) return steps;
    target().push({ t: 'expr', steps: steps.value });
  }
  if (stack.length) return err(bad('unclosed range'));
  return ok({
    template,
    execute: (data) => execute(nodes, data),
    find: (data) => nodes.filter((n): n is { t: 'expr'; steps: Step[] } => n.t === 'expr').map((n) => evaluate(n.steps, [data], data)),
  });
}

function findClose(s: string, from: number): number {
  let inStr: string | undefined;
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inStr) {
      if (c === inStr) inStr = undefined;
    } else if (c === '"' || c === "'") inStr = c;
    else if (c === '}') return i;
  }
  return -1;
}

function unquote(s: string): string | undefined {
  try {
    const v: unknown = JSON.parse(s.replace(/\\'/g, "'"));
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

const TERMINATORS = new Set([' ', '\t', '.', '[', ']', '(', ')', '}', ',', '=', '!', '<', '>', '"', "'"]);

function parseExpr(text: string): Result<Step[], JsonPathError> {
  const steps: Step[] = [];
  let i = 0;
  const s = text;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '$') {
      steps.push({ t: 'root' });
      i++;
    } else if (c === '@') {
      steps.push({ t: 'current' });
      i++;
    } else if (c === '.') {
      if (s[i + 1] === '.') {
        // `..name`: recursive descent, then the field (the second dot starts it).
        steps.push({ t: 'recursive' });
        i += 1;
        continue;
      }
      i++;
      let name = '';
      while (i < s.length && !TERMINATORS.has(s[i]!)) {
        if (s[i] === '\\' && i + 1 < s.length) {
          name += s[i + 1];
          i += 2;
        } else name += s[i++];
      }
      if (name === '*') steps.push({ t: 'wildcard' });
      else if (name !== '') steps.push({ t: 'field', names: [name] });
    } else if (c === '[') {
      const close = matchBracket(s, i);
      if (close < 0) return err(bad(`unterminated array`));
      const inner = s.slice(i + 1, close).trim();
      i = close + 1;
      const step = parseBracket(inner);
      if (!step.ok) return step;
      steps.push(step.value);
    } else {
      return err(bad(`unrecognized identifier ${s.slice(i).split(/[.[\s]/)[0]}`));
    }
  }
  return ok(steps);
}

function matchBracket(s: string, open: number): number {
  let depth = 0;
  let inStr: string | undefined;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === inStr) inStr = undefined;
      continue;
    }
    if (c === '"' || c === "'") inStr = c;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
  }
  return -1;
}

function parseBracket(inner: string): Result<Step, JsonPathError> {
  if (inner === '*') return ok({ t: 'wildcard' });
  if (inner.startsWith('?')) {
    const m = /^\?\s*\((.*)\)$/s.exec(inner);
    if (!m) return err(bad(`invalid filter ${inner}`));
    const body = m[1]!.trim();
    const opm = /(==|!=|<=|>=|<|>|=~)/.exec(stripStrings(body));
    if (!opm) {
      const left = parseExpr(body);
      if (!left.ok) return left;
      return ok({ t: 'filter', left: left.value, op: 'exists' });
    }
    const leftText = body.slice(0, opm.index).trim();
    const rightText = body.slice(opm.index + opm[0].length).trim();
    const left = parseExpr(leftText);
    if (!left.ok) return left;
    let right: Step[] | { lit: unknown };
    if (/^["']/.test(rightText)) right = { lit: rightText.slice(1, -1) };
    else if (/^-?\d+(\.\d+)?$/.test(rightText)) right = { lit: Number(rightText) };
    else if (rightText === 'true' || rightText === 'false') right = { lit: rightText === 'true' };
    else {
      const r = parseExpr(rightText);
      if (!r.ok) return r;
      right = r.value;
    }
    return ok({ t: 'filter', left: left.value, op: opm[0], right });
  }
  const parts = splitTopLevel(inner);
  if (parts.every((p) => /^(['"]).*\1$/s.test(p))) return ok({ t: 'field', names: parts.map((p) => p.slice(1, -1)) });
  const items: ({ kind: 'index'; i: number } | { kind: 'slice'; start?: number; end?: number; step?: number })[] = [];
  for (const p of parts) {
    if (/^-?\d+$/.test(p)) items.push({ kind: 'index', i: Number(p) });
    else if (/^(-?\d*)?:(-?\d*)?(:(-?\d*))?$/.test(p)) {
      const [a, b, c] = p.split(':');
      const num = (x: string | undefined) => (x === undefined || x === '' ? undefined : Number(x));
      items.push({ kind: 'slice', start: num(a), end: num(b), step: num(c) });
    } else return err(bad(`invalid array index ${p}`));
  }
  return ok({ t: 'index', items });
}

function stripStrings(s: string): string {
  return s.replace(/"[^"]*"|'[^']*'/g, (m) => ' '.repeat(m.length));
}

function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inStr: string | undefined;
  for (const c of s) {
    if (inStr) {
      if (c === inStr) inStr = undefined;
      cur += c;
    } else if (c === '"' || c === "'") {
      inStr = c;
      cur += c;
    } else if (c === ',') {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

function evaluate(steps: readonly Step[], current: unknown[], root: unknown): unknown[] {
  let cur = current;
  for (const step of steps) {
    const next: unknown[] = [];
    switch (step.t) {
      case 'root':
        next.push(root);
        break;
      case 'current':
        next.push(...cur);
        break;
      case 'field':
        for (const v of cur) {
          if (!isPlainObject(v)) continue;
          for (const n of step.names) if (Object.prototype.hasOwnProperty.call(v, n) && v[n] !== undefined) next.push(v[n]);
        }
        break;
      case 'wildcard':
        for (const v of cur) {
          if (Array.isArray(v)) next.push(...v);
          else if (isPlainObject(v)) for (const k of Object.keys(v).sort()) next.push(v[k]);
        }
        break;
      case 'recursive':
        for (const v of cur) collect(v, next);
        break;
      case 'index':
        for (const v of cur) {
          if (!Array.isArray(v)) continue;
          for (const it of step.items) {
            if (it.kind === 'index') {
              const idx = it.i < 0 ? it.i + v.length : it.i;
              if (idx >= 0 && idx < v.length) next.push(v[idx]);
            } else {
              const len = v.length;
              let start = it.start ?? 0;
              let end = it.end ?? len;
              const stepN = it.step ?? 1;
              if (start < 0) start += len;
              if (end < 0) end += len;
              start = Math.max(0, Math.min(start, len));
              end = Math.max(0, Math.min(end, len));
              for (let k = start; k < end; k += Math.max(1, stepN)) next.push(v[k]);
            }
          }
        }
        break;
      case 'filter':
        for (const v of cur) {
          const items = Array.isArray(v) ? v : [];
          for (const item of items) if (filterMatches(step, item, root)) next.push(item);
        }
        break;
    }
    cur = next;
  }
  return cur;
}

/** `..`: the value and every value below it, depth first (jsonpath.go evalRecursive). */
function collect(v: unknown, out: unknown[]): void {
  out.push(v);
  if (Array.isArray(v)) for (const x of v) collect(x, out);
  else if (isPlainObject(v)) for (const k of Object.keys(v).sort()) collect(v[k], out);
}

function filterMatches(step: Extract<Step, { t: 'filter' }>, item: unknown, root: unknown): boolean {
  const lefts = evaluate(step.left, [item], root);
  if (step.op === 'exists') return lefts.length > 0;
  if (lefts.length === 0) return false;
  const right = step.right!;
  const rights = 'lit' in right ? [right.lit] : evaluate(right, [item], root);
  if (rights.length === 0) return false;
  const a = lefts[0];
  const b = rights[0];
  switch (step.op) {
    case '==':
      return looseEqual(a, b);
    case '!=':
      return !looseEqual(a, b);
    case '<':
      return compare(a, b) < 0;
    case '<=':
      return compare(a, b) <= 0;
    case '>':
      return compare(a, b) > 0;
    case '>=':
      return compare(a, b) >= 0;
    case '=~':
      return typeof a === 'string' && typeof b === 'string' && new RegExp(b).test(a);
  }
  return false;
}

function looseEqual(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b);
  return a === b || String(a) === String(b);
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** jsonpath.go PrintResults: maps and lists as compact JSON, everything else as text. */
export function printValue(v: unknown): string {
  if (Array.isArray(v) || isPlainObject(v)) return toGoJson(v, '');
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return formatNumber(v);
  return String(v);
}

function execute(nodes: readonly Node[], data: unknown, current: unknown = data): Result<string, JsonPathError> {
  let out = '';
  for (const n of nodes) {
    if (n.t === 'text' || n.t === 'literal') out += n.text;
    else if (n.t === 'expr') out += evaluate(n.steps, [current], data).map(printValue).join(' ');
    else {
      for (const item of evaluate(n.steps, [current], data)) {
        const r = execute(n.body, data, item);
        if (!r.ok) return r;
        out += r.value;
      }
    }
  }
  return ok(out);
}
