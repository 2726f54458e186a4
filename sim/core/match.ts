/**
 * Partial matching for expectations: an expectation states only what it cares about (Istio's
 * simulation `Result.Matches`). Objects match when every expected key matches; lists match when every
 * expected item matches some distinct actual item (order-free); scalars match by equality, or by
 * regular expression when the expected string is written `/…/`. Normalisers make outputs comparable
 * across runs by masking what legitimately differs: serials, times, generated names, uids, IPs.
 */
export const NORMALIZER_NAMES = ['serials', 'times', 'names', 'uids', 'ips'] as const;
export type NormalizerName = (typeof NORMALIZER_NAMES)[number];

const NORMALIZERS: Record<NormalizerName, readonly [RegExp, string][]> = {
  uids: [[/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<uid>']],
  times: [
    [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?( [+-]\d{4} UTC)?\b/g, '<time>'],
    [/\b[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4} GMT\b/g, '<time>'],
  ],
  serials: [
    [/\b[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){7,}\b/g, '<serial>'],
    [/\b(0x)?[0-9a-f]{16,}\b/g, '<serial>'],
    [/\b\d{18,}\b/g, '<serial>'],
  ],
  // ReplicaSet and pod suffixes: <deploy>-<hash>-<5 chars>, <rs or ds>-<5 chars>
  names: [
    [/\b([a-z0-9]+(?:-[a-z0-9]+)*?)-[0-9a-f]{8,10}-[bcdfghjklmnpqrstvwxz2456789]{5}\b/g, '$1-<hash>-<id>'],
    [/\b([a-z0-9]+(?:-[a-z0-9]+)*?)-[bcdfghjklmnpqrstvwxz2456789]{5}\b/g, '$1-<id>'],
  ],
  ips: [[/\b(\d{1,3}\.){3}\d{1,3}\b/g, '<ip>']],
};

export function normalize(text: string, which: readonly NormalizerName[]): string {
  let out = text;
  for (const name of NORMALIZER_NAMES) {
    if (!which.includes(name)) continue;
    for (const [re, replacement] of NORMALIZERS[name]) out = out.replace(re, replacement);
  }
  return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function scalarMatches(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'string' && expected.length > 1 && expected.startsWith('/') && expected.endsWith('/')) {
    return typeof actual === 'string' || typeof actual === 'number' ? new RegExp(expected.slice(1, -1)).test(String(actual)) : false;
  }
  // YAML scalars: 443 and "443" are the same to a user writing an expectation.
  if ((typeof expected === 'number' || typeof expected === 'boolean') && typeof actual === 'string') return String(expected) === actual;
  return expected === actual;
}

/** Returns the mismatches as `path: reason` lines; empty when `actual` matches `expected`. */
export function partialMismatches(expected: unknown, actual: unknown, path = ''): string[] {
  const here = path || '<root>';
  if (isRecord(expected)) {
    if (!isRecord(actual)) return [`${here}: expected an object, got ${describe(actual)}`];
    return Object.entries(expected).flatMap(([k, v]) => {
      const sub = path ? `${path}.${k}` : k;
      if (v === null) return actual[k] === undefined || actual[k] === null ? [] : [`${sub}: expected to be absent, got ${describe(actual[k])}`];
      if (!(k in actual)) return [`${sub}: missing (expected ${describe(v)})`];
      return partialMismatches(v, actual[k], sub);
    });
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${here}: expected a list, got ${describe(actual)}`];
    const used = new Set<number>();
    return expected.flatMap((item, i) => {
      const j = actual.findIndex((a, idx) => !used.has(idx) && partialMismatches(item, a).length === 0);
      if (j < 0) return [`${here}[${i}]: no item matches ${describe(item)}`];
      used.add(j);
      return [];
    });
  }
  return scalarMatches(expected, actual) ? [] : [`${here}: expected ${describe(expected)}, got ${describe(actual)}`];
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}
