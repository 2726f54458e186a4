/**
 * Step-time templating for scenario strings: `{{ clusters.west.trustDomain }}`,
 * `{{ captures.westBundle | indent 4 }}`. Values are looked up by dotted path in a context object;
 * an undefined value is an error naming the expression (never a silent empty string).
 * Filters: `indent N` (indents every non-empty line, as a YAML block scalar needs), `trim`,
 * `json` (JSON string literal), `base64`.
 */
import { err, ok, simError, type Result, type SimError } from '../core/result.ts';

export type TemplateError = SimError<'scenario/template'>;

const EXPR = /\{\{\s*([^}]*?)\s*\}\}/g;
const LAB_ROOTS = /^(clusters|captures|variant|scenario)(\.|$)/;

function lookup(ctx: unknown, path: string): unknown {
  let cur: unknown = ctx;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !(key in (cur as object))) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function applyFilter(value: string, filter: string): Result<string, string> {
  const [name, ...args] = filter.trim().split(/\s+/);
  switch (name) {
    case 'indent': {
      const n = Number(args[0]);
      if (!Number.isInteger(n) || n < 0) return err(`indent needs a whole number of spaces, got ${JSON.stringify(args[0] ?? '')}`);
      const pad = ' '.repeat(n);
      return ok(value.split('\n').map((l) => (l === '' ? l : pad + l)).join('\n'));
    }
    case 'trim':
      return ok(value.trim());
    case 'json':
      return ok(JSON.stringify(value));
    case 'base64':
      return ok(btoa(String.fromCharCode(...new TextEncoder().encode(value))));
    default:
      return err(`unknown filter "${name}" (known: indent N, trim, json, base64)`);
  }
}

/** True when `text` contains a template expression. */
export const hasTemplate = (text: string): boolean => /\{\{/.test(text);

/**
 * Renders every `{{ path | filter … }}` in `text` against `ctx`. `where` names the scenario field for
 * error messages (`steps[3].run.command`).
 */
export function renderTemplate(text: string, ctx: unknown, where: string): Result<string, TemplateError> {
  let failure: TemplateError | undefined;
  const out = text.replace(EXPR, (_m: string, expr: string) => {
    if (failure) return '';
    const [path, ...filters] = expr.split('|');
    const key = (path ?? '').trim();
    // Only the lab's own names are templates; anything else ({{ .TrustDomain }} in a ClusterSPIFFEID)
    // belongs to the manifest and is kept as written.
    if (!LAB_ROOTS.test(key)) return _m;
    const value = lookup(ctx, key);
    if (value === undefined) {
      failure = simError('scenario/template', `${where}: template: "${key}" is not defined at this step`, { expression: key });
      return '';
    }
    let s = typeof value === 'string' ? value : JSON.stringify(value);
    for (const f of filters) {
      const r = applyFilter(s, f);
      if (!r.ok) {
        failure = simError('scenario/template', `${where}: template: ${r.error}`, { expression: expr });
        return '';
      }
      s = r.value;
    }
    return s;
  });
  return failure ? err(failure) : ok(out);
}
