/**
 * Partial matching for expectations: an expectation states only what it cares about (Istio's
 * simulation `Result.Matches`). Objects match when every expected key matches; lists match when every
 * expected item matches some distinct actual item (order-free); scalars match by equality, or by
 * regular expression when the expected string is written `/…/`. Normalisers make outputs comparable
 * across runs by masking what legitimately differs: serials, times, generated names, uids, IPs — and,
 * for comparing with a user's guide (seed walkthroughs), PEM bodies, pod suffixes, ages and column padding.
 */
export const NORMALIZER_NAMES = ['serials', 'times', 'names', 'uids', 'ips', 'pem', 'pods', 'ages', 'columns'] as const;
export type NormalizerName = (typeof NORMALIZER_NAMES)[number];

/** Kubernetes' random suffix alphabet (apimachinery util/rand SafeEncodeString: no vowels, no 0/1/3). */
const SAFE = '[bcdfghjklmnpqrstvwxz2456789]';
/** A pod name cut to 63 characters (generateName keeps 58 of the base): its last segment is what is left of the hash plus the random 5. */
const truncatedPod = (name: string): string => name.replace(new RegExp(`-[a-z0-9]*${SAFE}{5}$`), '-<pod>');

const NORMALIZERS: Record<NormalizerName, readonly [RegExp, string | ((match: string) => string)][]> = {
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
  // Key material differs every run, and guides elide it (`...certificate data...`): keep the armour.
  pem: [[/(-----BEGIN ([A-Z0-9 ]+)-----\n)[\s\S]*?(\n-----END \2-----)/g, '$1<pem>$3']],
  // A pod's generated suffix, whatever its shape — Deployment (<hash>-<5>), DaemonSet/generateName (<5>),
  // a name cut to 63 characters — and a guide's placeholder for it (`-xxxxx`, `-yyyyy`), all `-<pod>`:
  // guides write `spire-agent-xxxxx` for the first and also for the others.
  pods: [
    [/(?<![a-z0-9.-])[a-z0-9][a-z0-9-]{61}[a-z0-9](?![a-z0-9.-])/g, truncatedPod],
    // The pod-template hash has a digit (so `…-provider-xxxxx` keeps `provider`).
    [new RegExp(`\\b([a-z0-9]+(?:-[a-z0-9]+)*?)-(?=[a-z]*[0-9])[a-z0-9]{6,10}-${SAFE}{5}\\b`, 'g'), '$1-<pod>'],
    [/\b([a-z0-9]+(?:-[a-z0-9]+)*?)-(?:x{5}|y{5}|z{5})\b/g, '$1-<pod>'],
    [new RegExp(`\\b([a-z0-9]+(?:-[a-z0-9]+)*?)-${SAFE}{5}\\b`, 'g'), '$1-<pod>'],
  ],
  // kubectl's AGE column (apimachinery duration.HumanDuration): 45s, 2m, 6m53s, 3h5m, 2d3h, 5y.
  ages: [[/\b\d+[smhdy](\d+[smh])?\b/g, '<age>']],
  // Column padding: printers pad to the widest cell, guides pad by hand; any run of 2+ spaces after text
  // is one column gap (indentation at the start of a line is kept). Apply last.
  columns: [[/(?<=\S) {2,}/g, '   ']],
};

export function normalize(text: string, which: readonly NormalizerName[]): string {
  let out = text;
  for (const name of NORMALIZER_NAMES) {
    if (!which.includes(name)) continue;
    for (const [re, replacement] of NORMALIZERS[name]) out = typeof replacement === 'string' ? out.replace(re, replacement) : out.replace(re, replacement);
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
