/**
 * The two encoders the ZTWIM operator writes its ConfigMaps with, byte for byte:
 * - Go `encoding/json.MarshalIndent(v, "", "  ")`: map keys sorted, `<`, `>`, `&`, U+2028/9 escaped
 *   (HTML-safe by default), nil → `null`, empty slices `[]`, empty maps `{}`.
 * - `sigs.k8s.io/yaml.Marshal`: JSON first, then go-yaml v2's emitter (keys sorted, block style,
 *   sequences not indented under their key, scalars quoted only where a plain one would read back as
 *   something else).
 * Simplified: only the value shapes the operator produces (strings, integers, booleans, null, arrays,
 * objects); floats and multi-line strings are not needed by any rendered config.
 */
export type GoJson = string | number | boolean | null | readonly GoJson[] | { readonly [k: string]: GoJson | undefined };

const ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/** Go's string encoding (encoding/json encodeState.string with escapeHTML). */
export function goJsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const e = ESCAPES[ch];
    if (e) out += e;
    else if (ch < ' ') out += `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

const entries = (o: { readonly [k: string]: GoJson | undefined }): [string, GoJson][] =>
  Object.entries(o)
    .filter((e): e is [string, GoJson] => e[1] !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** `json.MarshalIndent(v, "", "  ")` (go:src/encoding/json/encode.go, indent.go). */
export function goMarshalIndent(v: GoJson, indent = ''): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return goJsonString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    const items = v as readonly GoJson[];
    if (items.length === 0) return '[]';
    return `[\n${items.map((x) => inner + goMarshalIndent(x, inner)).join(',\n')}\n${indent}]`;
  }
  const es = entries(v as { readonly [k: string]: GoJson | undefined });
  if (es.length === 0) return '{}';
  return `{\n${es.map(([k, x]) => `${inner}${goJsonString(k)}: ${goMarshalIndent(x, inner)}`).join(',\n')}\n${indent}}`;
}

/** Would go-yaml v2 read this plain scalar back as something other than the string (resolve.go)? */
function needsQuotes(s: string): boolean {
  if (s === '') return true;
  if (/^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/.test(s)) return true;
  if (/^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$/.test(s) || /^0x[0-9a-fA-F_]+$/.test(s) || /^[-+]?\.(inf|Inf|INF)$/.test(s) || /^\.(nan|NaN|NAN)$/.test(s)) return true;
  // emitterc.go yaml_emitter_analyze_scalar: indicators at the start, ": " / " #" inside, edge spaces.
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(s) && !/^[-?:][^\s]/.test(s)) return true;
  if (/^[-?:]$/.test(s)) return true;
  if (s.includes(': ') || s.includes(' #') || s.endsWith(':') || /^\s|\s$/.test(s) || s.includes('\n')) return true;
  return false;
}

const yamlScalar = (v: string | number | boolean | null): string => (v === null ? 'null' : typeof v === 'string' ? (needsQuotes(v) ? `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : v) : String(v));

/** `sigs.k8s.io/yaml.Marshal` of a JSON-shaped value. */
export function goYamlMarshal(v: GoJson): string {
  const lines: string[] = [];
  const emit = (value: GoJson, indent: string): void => {
    const o = value as { readonly [k: string]: GoJson | undefined };
    for (const [k, x] of entries(o)) {
      const key = `${indent}${needsQuotes(k) ? `"${k}"` : k}:`;
      if (Array.isArray(x)) {
        const items = x as readonly GoJson[];
        if (items.length === 0) lines.push(`${key} []`);
        else {
          lines.push(key);
          for (const item of items) {
            if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
              const sub: string[] = [];
              const saved = lines.length;
              emit(item, `${indent}  `);
              sub.push(...lines.splice(saved));
              if (sub.length === 0) lines.push(`${indent}- {}`);
              else lines.push(`${indent}- ${sub[0]!.slice(indent.length + 2)}`, ...sub.slice(1));
            } else lines.push(`${indent}- ${yamlScalar(item as string | number | boolean | null)}`);
          }
        }
      } else if (x !== null && typeof x === 'object') {
        if (entries(x as { readonly [k: string]: GoJson | undefined }).length === 0) lines.push(`${key} {}`);
        else {
          lines.push(key);
          emit(x, `${indent}  `);
        }
      } else lines.push(`${key} ${yamlScalar(x)}`);
    }
  };
  emit(v, '');
  return `${lines.join('\n')}\n`;
}

/** FNV-free stand-in for the operator's sha256 config hash: stable, hex, 64 characters. */
export function configHash(text: string): string {
  // Simplified: upstream uses sha256 (spire-server/configmap.go generateConfigHash); only equality of
  // hashes matters for rollouts, and sim/ has no synchronous sha256, so two 32-bit FNV-1a lanes are
  // spread over 64 hex characters.
  const t = text.trim();
  let out = '';
  for (let lane = 0; lane < 8; lane++) {
    let h = 0x811c9dc5 ^ (lane * 0x9e3779b1);
    for (let i = 0; i < t.length; i++) {
      h ^= t.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    out += (h >>> 0).toString(16).padStart(8, '0');
  }
  return out;
}
