/**
 * Multi-document YAML with source positions: every document of a manifest file becomes a plain object
 * plus a way to map a Kubernetes field path (`spec.federation.bundleEndpoint.profile`,
 * `spec.containers[0].image`, `metadata.labels[app.kubernetes.io/name]`) back to its line and column, so
 * errors read `west/spire.yaml:42: SpireServer/cluster: spec.persistence: unknown field`.
 *
 * Scalars resolve as kubectl resolves them: sigs.k8s.io/yaml uses (a fork of) go-yaml v2, i.e. YAML 1.1
 * booleans (`yes`, `on`, `y`…), `0777` octal, merge keys `<<`; timestamps stay strings
 * (go-yaml v2 decode.go: "for backward compatibility reasons we set it as a string") and there is no
 * base-60 (`1:20` stays a string). Non-string keys become strings, as sigs.k8s.io/yaml `YAMLToJSON` does.
 * Reasons for duplicate keys use go-yaml's wording (`key "spec" already set in map`).
 */
import { LineCounter, parseAllDocuments, isMap, isSeq, isPair, isScalar, isAlias, visit, type Alias, type Node, type Document } from 'yaml';
import { ok, err, simError, type Result, type SimError } from '../core/result.ts';
import { deepClone } from './object.ts';
import { TextMemo } from '../core/memo.ts';

export interface SourcePosition {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
}

/** One segment of a field path: a map key or a list index. */
export type PathSegment = string | number;

export interface YamlDocument {
  readonly file: string;
  /** 0-based position of the document in the file (empty documents are skipped but still counted). */
  readonly index: number;
  /** Where the document's content starts. */
  readonly start: SourcePosition;
  /** The document as a plain JSON-like object. */
  readonly object: Record<string, unknown>;
  /** Exact position of the field (its key for map entries, the item for list entries), if present. */
  positionOf(path: string | readonly PathSegment[]): SourcePosition | undefined;
  /**
   * Position of the field or, when it is absent (e.g. a required field), of its nearest present ancestor;
   * `exact` says which.
   */
  locate(path: string | readonly PathSegment[]): { readonly position: SourcePosition; readonly exact: boolean };
}

export type YamlErrorCode = 'kube/yaml-syntax' | 'kube/yaml-duplicate-key' | 'kube/yaml-tab' | 'kube/yaml-not-a-mapping';

/**
 * Splits a Kubernetes field path into segments. Accepts `a.b[0].c`, `a[key.with.dots]`, `a['k']`, `a["k"]`,
 * and a leading `.`; `<nil>` (kube's root path) gives no segments.
 */
export function splitFieldPath(path: string): PathSegment[] {
  const out: PathSegment[] = [];
  if (path === '' || path === '<nil>') return out;
  let i = 0;
  let cur = '';
  const flush = (): void => {
    if (cur !== '') out.push(cur);
    cur = '';
  };
  while (i < path.length) {
    const ch = path[i];
    if (ch === '.') {
      flush();
      i++;
    } else if (ch === '[') {
      flush();
      const close = path.indexOf(']', i);
      const inner = close < 0 ? path.slice(i + 1) : path.slice(i + 1, close);
      i = close < 0 ? path.length : close + 1;
      const unq = /^(['"])(.*)\1$/.exec(inner);
      if (unq) out.push(unq[2] ?? '');
      else if (/^\d+$/.test(inner)) out.push(Number(inner));
      else out.push(inner);
    } else {
      cur += ch;
      i++;
    }
  }
  flush();
  return out;
}

/** Joins segments back into kube's field path form (`spec.containers[0].image`, `labels[a.b/c]`). */
export function joinFieldPath(segments: readonly PathSegment[]): string {
  let s = '';
  for (const seg of segments) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else if (s === '') s = seg;
    else s += `.${seg}`;
  }
  return s;
}

/**
 * One line of a user-facing error: `west/spire.yaml:42: SpireServer/cluster: spec.persistence: unknown field`.
 * Empty parts are left out.
 */
export function formatLocation(file: string, line: number | undefined, subject?: string, field?: string, reason?: string): string {
  const parts = [line === undefined ? file : `${file}:${line}`];
  if (subject) parts.push(subject);
  if (field) parts.push(field);
  if (reason) parts.push(reason);
  return parts.join(': ');
}

type Tag = { tag: string; format?: string };

/** go-yaml v2 resolution: YAML 1.1 without timestamps and base-60 numbers. */
function kubectlTags(tags: unknown[]): unknown[] {
  return tags.filter((t) => {
    const tag = t as Tag;
    return tag.tag !== 'tag:yaml.org,2002:timestamp' && tag.format !== 'TIME';
  });
}

function positionAt(lc: LineCounter, offset: number): SourcePosition {
  const p = lc.linePos(offset);
  return { line: p.line, column: p.col };
}

function firstLine(message: string): string {
  // yaml's messages end with " at line L, column C:\n\n<excerpt>"; keep the reason only.
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

function keyString(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

function nodeStart(node: unknown, lc: LineCounter): SourcePosition | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? positionAt(lc, range[0]) : undefined;
}

/** Finds the node (and the position to report) for `segments` inside a document's content. */
function walk(doc: Document, segments: readonly PathSegment[], lc: LineCounter): { pos: SourcePosition | undefined; depth: number }[] {
  const trail: { pos: SourcePosition | undefined; depth: number }[] = [];
  let node: unknown = doc.contents;
  trail.push({ pos: nodeStart(node, lc), depth: 0 });
  for (let d = 0; d < segments.length; d++) {
    const seg = segments[d];
    while (isAlias(node)) node = (node as { resolve(doc: Document): unknown }).resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyString(p.key) === String(seg));
      if (!pair) break;
      trail.push({ pos: nodeStart(pair.key, lc) ?? nodeStart(pair.value, lc), depth: d + 1 });
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) break;
      trail.push({ pos: nodeStart(item, lc), depth: d + 1 });
      node = item;
    } else break;
  }
  return trail;
}

function toSegments(path: string | readonly PathSegment[]): readonly PathSegment[] {
  return typeof path === 'string' ? splitFieldPath(path) : path;
}

/**
 * Parses a (multi-document) YAML text. Empty documents are skipped (kubectl's StreamVisitor skips them);
 * any other document must be a mapping. All syntax errors of the file are reported, the first in `message`,
 * each with `file:line:column`.
 */
export function parseYamlDocuments(text: string, file: string): Result<YamlDocument[], SimError<YamlErrorCode>> {
  // Every play of a scenario parses the same manifests (CRDs, Helm renders) again: parses are cached by
  // file and text, and each caller gets its own copy of the objects (callers patch them).
  const parsed = PARSED_YAML.get(file, text, () => parseYamlDocumentsUncached(text, file));
  return parsed.ok ? ok(parsed.value.map((d) => ({ ...d, object: deepClone(d.object) }))) : parsed;
}

const PARSED_YAML = new TextMemo<Result<YamlDocument[], SimError<YamlErrorCode>>>(500);

function parseYamlDocumentsUncached(text: string, file: string): Result<YamlDocument[], SimError<YamlErrorCode>> {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, {
    lineCounter: lc,
    version: '1.1',
    merge: true,
    uniqueKeys: true,
    customTags: kubectlTags as never,
  });
  // An empty stream yields an (empty) EmptyStream array: nothing to apply.
  const list: readonly Document[] = docs;
  const out: YamlDocument[] = [];
  for (let index = 0; index < list.length; index++) {
    const doc = list[index] as Document;
    const problem = doc.errors[0];
    if (problem) {
      let at = problem.pos[0];
      if (problem.code === 'MISSING_CHAR' && /quote/.test(problem.message)) {
        // Point at the opening quote rather than the end of the file.
        const q = /"quote/.test(problem.message) ? '"' : "'";
        const open = text.lastIndexOf(q, Math.max(0, at - 1));
        if (open >= 0) at = open;
      }
      const pos = positionAt(lc, at);
      let code: YamlErrorCode = 'kube/yaml-syntax';
      let reason = firstLine(problem.message);
      if (problem.code === 'DUPLICATE_KEY') {
        code = 'kube/yaml-duplicate-key';
        const key = duplicateKeyAt(doc, problem.pos[0]);
        reason = key === undefined ? 'mapping key already set in map' : `key ${JSON.stringify(key)} already set in map`;
      } else if (problem.code === 'TAB_AS_INDENT') {
        code = 'kube/yaml-tab';
        reason = 'found a tab character where indentation is expected (YAML does not allow tabs for indentation)';
      }
      const message = `${file}:${pos.line}:${pos.column}: ${reason}`;
      return err(
        simError(code, message, {
          file,
          line: pos.line,
          column: pos.column,
          reason,
          errors: doc.errors.map((e) => {
            const p = positionAt(lc, e.pos[0]);
            return { line: p.line, column: p.column, reason: firstLine(e.message) };
          }),
        }),
      );
    }
    const contents = doc.contents as Node | null;
    if (contents === null || (isScalar(contents) && (contents.value === null || contents.value === undefined))) continue;
    const start = nodeStart(contents, lc) ?? { line: 1, column: 1 };
    if (!isMap(contents)) {
      const found = isSeq(contents) ? 'a sequence' : 'a scalar';
      const reason = `document ${index + 1} is not a mapping (found ${found}); a Kubernetes object starts with apiVersion: and kind:`;
      return err(simError('kube/yaml-not-a-mapping', `${file}:${start.line}:${start.column}: ${reason}`, { file, line: start.line, column: start.column, reason }));
    }
    const object = resolveAliases(doc, lc, file);
    if (!object.ok) return object;
    out.push({
      file,
      index,
      start,
      object: object.value,
      positionOf(path) {
        const segs = toSegments(path);
        const trail = walk(doc, segs, lc);
        const last = trail[trail.length - 1];
        return last && last.depth === segs.length ? last.pos : undefined;
      },
      locate(path) {
        const segs = toSegments(path);
        const trail = walk(doc, segs, lc);
        for (let i = trail.length - 1; i >= 0; i--) {
          const t = trail[i];
          if (t?.pos) return { position: t.pos, exact: t.depth === segs.length };
        }
        return { position: start, exact: false };
      },
    });
  }
  return ok(out);
}

/**
 * The document as plain data. A recursive alias (`a: &x [*x]`) or an alias bomb cannot become JSON:
 * go-yaml v2 refuses them (`anchor 'x' value contains itself`, `document contains excessive aliasing`),
 * and so do we, at the first alias, instead of overflowing the stack.
 */
function resolveAliases(doc: Document, lc: LineCounter, file: string): Result<Record<string, unknown>, SimError<YamlErrorCode>> {
  try {
    return ok(stringKeys(doc.toJS({ maxAliasCount: 100 }), new Set()) as Record<string, unknown>);
  } catch (e) {
    const found: { alias?: Alias } = {};
    visit(doc, { Alias: (_k, node) => void (found.alias ??= node) });
    const { alias } = found;
    const pos = alias?.range ? positionAt(lc, alias.range[0]) : (nodeStart(doc.contents, lc) ?? { line: 1, column: 1 });
    const reason = e instanceof Cycle ? `anchor '${alias?.source ?? ''}' value contains itself` : `document contains excessive aliasing (${firstLine((e as Error).message)})`;
    return err(simError('kube/yaml-syntax', `${file}:${pos.line}:${pos.column}: ${reason}`, { file, line: pos.line, column: pos.column, reason }));
  }
}

/** The key at `offset` when yaml reports DUPLICATE_KEY there. */
function duplicateKeyAt(doc: Document, offset: number): string | undefined {
  let found: string | undefined;
  const visit = (node: unknown): void => {
    if (found !== undefined) return;
    if (isMap(node)) {
      for (const p of node.items) {
        const r = (p.key as { range?: [number, number, number] } | null)?.range;
        if (r && r[0] <= offset && offset <= r[1]) {
          found = keyString(p.key);
          return;
        }
        visit(p.value);
      }
    } else if (isSeq(node)) node.items.forEach(visit);
  };
  visit(doc.contents);
  return found;
}

/** A value that contains itself (a recursive alias): it has no JSON form. */
class Cycle extends Error {}

/** sigs.k8s.io/yaml turns non-string keys (`true`, `8`) into their string form. `open`: the values being copied, to catch cycles. */
function stringKeys(v: unknown, open: Set<unknown>): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (open.has(v)) throw new Cycle();
  open.add(v);
  let out: unknown;
  if (Array.isArray(v)) out = v.map((x) => stringKeys(x, open));
  else {
    const o: Record<string, unknown> = {};
    for (const [k, val] of v instanceof Map ? v : Object.entries(v)) o[String(k)] = stringKeys(val, open);
    out = o;
  }
  open.delete(v);
  return out;
}
