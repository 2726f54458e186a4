/**
 * Where a causal chain's `file:line` points in the editor. Objects applied inline from a scenario
 * carry `scenario.yaml#steps[0]` and a line inside the inline manifest; this finds that block scalar
 * in the scenario file and turns the pair into the file's own line. Pure (the `yaml` parser only).
 */
import { isScalar, LineCounter, parseDocument } from 'yaml';

export interface FileLine {
  readonly file: string;
  readonly line: number;
}

/** `steps[3]`, `fix.steps[0]` → the path of its inline manifest in the scenario document. */
function inlinePath(at: string): (string | number)[] | undefined {
  const m = /^((?:fix\.)?steps)\[(\d+)\]$/.exec(at);
  if (!m) return undefined;
  return [...m[1]!.split('.'), Number(m[2]), 'apply', 'inline'];
}

/** Resolves `file#at` + line against the scenario text (`read` gives a file's current text). */
export function resolveRef(file: string, line: number | undefined, read: (path: string) => string | undefined): FileLine {
  const hash = file.indexOf('#');
  if (hash < 0) return { file, line: line ?? 1 };
  const path = file.slice(0, hash);
  const at = file.slice(hash + 1);
  const text = read(path);
  const where = inlinePath(at);
  if (text === undefined || !where) return { file: path, line: 1 };
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  const node = doc.getIn(where, true);
  const step = doc.getIn(where.slice(0, -2), true) as { range?: [number, number, number] } | undefined;
  if (!isScalar(node) || !node.range) return { file: path, line: step?.range ? lc.linePos(step.range[0]).line : 1 };
  // The scalar's range starts at its `|` indicator; the manifest's line 1 is the next line.
  return { file: path, line: lc.linePos(node.range[0]).line + (line ?? 1) };
}
