/**
 * YAML text as Helm's `toYaml` writes it (sigs.k8s.io/yaml → go-yaml v2): keys sorted, 2-space indent,
 * list items not indented under their key, strings that would read back as another type quoted,
 * multi-line strings as literal blocks, no trailing newline (Helm trims it).
 * Simplified: keys sort by code point, not go-yaml's "natural" order (digit runs as numbers).
 */
import { stringify } from 'yaml';

export function toYamlText(v: unknown): string {
  return stringify(v, { version: '1.1', sortMapEntries: true, indentSeq: false, lineWidth: 0, minContentWidth: 0 }).replace(/\n$/, '');
}

/** Helm `indent n`: every line prefixed by n spaces. */
export const indent = (text: string, n: number): string =>
  text
    .split('\n')
    .map((l) => (l === '' ? l : ' '.repeat(n) + l))
    .join('\n');
