/**
 * Export/import of an edited scenario: one YAML file holding the scenario's path and every edited
 * file's text, so work moves between browsers (or into a bug report) in a single download. Import
 * is validated before anything changes: a bad bundle gets an error naming the bundle's line and the
 * field (and, for a file whose YAML does not parse, that file's own line), and the current edits stay.
 */
import { isMap, isSeq, LineCounter, parseAllDocuments, parseDocument, stringify, type Node } from 'yaml';

export const BUNDLE_KIND = 'ScenarioBundle';
export const BUNDLE_API = 'fedlab.dev/v1';

export interface ScenarioBundle {
  readonly scenario: string;
  readonly files: Readonly<Record<string, string>>;
}

/** The bundle as YAML text (a header comment says what it is and how to use it). */
export function exportBundle(b: ScenarioBundle, exportedAt: string): string {
  const body = stringify(
    { apiVersion: BUNDLE_API, kind: BUNDLE_KIND, scenario: b.scenario, exportedAt, files: Object.entries(b.files).map(([path, text]) => ({ path, text })) },
    { lineWidth: 0, blockQuote: 'literal' },
  );
  return `# fedlab: ${b.scenario} with the files edited in the lab. Import it in the editor (Import…).\n${body}`;
}

/** A file name for the download: the scenario's base name plus `.edited.yaml`. */
export const bundleFileName = (scenario: string): string => `${(scenario.split('/').pop() ?? 'scenario').replace(/\.ya?ml$/, '')}.edited.yaml`;

const safePath = (p: string): boolean => /^scenarios\/[\w./-]+$/.test(p) && !p.split('/').includes('..');

/**
 * Parses and validates a bundle. `name` is the uploaded file's name (for messages), `known` says
 * whether a scenario path exists in the lab. Errors read `name:line: field: reason`.
 */
export function importBundle(text: string, name: string, known: (scenario: string) => boolean): { ok: true; bundle: ScenarioBundle } | { ok: false; error: string } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const lineOf = (node: Node | null | undefined, fallback = 1): number => (node?.range ? lc.linePos(node.range[0]).line : fallback);
  const fail = (line: number, field: string, reason: string) => ({ ok: false as const, error: `${name}:${line}: ${field}: ${reason}` });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    return fail(lc.linePos(e.pos[0]).line, '(yaml)', e.message.split('\n')[0]!);
  }
  const root = doc.contents;
  if (!isMap(root)) return fail(lineOf(root), '(root)', `not a fedlab scenario bundle (expected a mapping with kind: ${BUNDLE_KIND})`);
  const field = (key: string): Node | null => (root.get(key, true) as Node | undefined) ?? null;
  const str = (key: string): string | undefined => {
    const v: unknown = root.get(key);
    return typeof v === 'string' ? v : undefined;
  };
  if (str('apiVersion') !== BUNDLE_API) return fail(lineOf(field('apiVersion')), 'apiVersion', `must be ${BUNDLE_API}`);
  if (str('kind') !== BUNDLE_KIND) return fail(lineOf(field('kind')), 'kind', `must be ${BUNDLE_KIND} (is this a scenario file? export one from the editor first)`);
  const scenario = str('scenario');
  if (scenario === undefined) return fail(lineOf(field('scenario')), 'scenario', 'must be the scenario file path (a string)');
  if (!safePath(scenario)) return fail(lineOf(field('scenario')), 'scenario', `${scenario} is not a path under scenarios/`);
  if (!known(scenario)) return fail(lineOf(field('scenario')), 'scenario', `${scenario} is not a scenario of this lab`);
  const files = field('files');
  if (!isSeq(files)) return fail(lineOf(files, lineOf(root)), 'files', 'must be a list of { path, text }');
  const out: Record<string, string> = {};
  for (const [i, item] of files.items.entries()) {
    const at = `files[${i}]`;
    if (!isMap(item)) return fail(lineOf(item as Node), at, 'must be a mapping { path, text }');
    const path: unknown = item.get('path');
    const textNode = item.get('text', true) as Node | undefined;
    const body: unknown = item.get('text');
    if (typeof path !== 'string') return fail(lineOf(item.get('path', true) as Node, lineOf(item)), `${at}.path`, 'must be a string');
    if (!safePath(path)) return fail(lineOf(item.get('path', true) as Node), `${at}.path`, `${path} is not a path under scenarios/`);
    if (path in out) return fail(lineOf(item.get('path', true) as Node), `${at}.path`, `${path} appears twice`);
    if (typeof body !== 'string') return fail(lineOf(textNode, lineOf(item)), `${at}.text`, 'must be the file text (a string)');
    if (/\.ya?ml$/.test(path)) {
      const inner = new LineCounter();
      const bad = parseAllDocuments(body, { lineCounter: inner }) as unknown as { errors?: { message: string; pos: [number, number] }[] }[] | { errors: { message: string; pos: [number, number] }[] };
      const errs = Array.isArray(bad) ? bad.flatMap((d) => d.errors ?? []) : bad.errors;
      if (errs.length > 0) {
        const e = errs[0]!;
        // A block scalar's content starts on the line after its `|`.
        const base = lineOf(textNode, lineOf(item));
        const innerLine = inner.linePos(e.pos[0]).line;
        return fail(base + innerLine, `${at}.text`, `${path}:${innerLine}: ${e.message.split('\n')[0]}`);
      }
    }
    out[path] = body;
  }
  return { ok: true, bundle: { scenario, files: out } };
}
