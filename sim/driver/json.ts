/**
 * Values crossing the Driver seam are plain JSON: bigints become decimal strings, byte arrays
 * base64, Maps objects and Sets arrays; functions and undefined fields drop out.
 */
import { toBase64 } from '../pki/index.ts';

function replacer(_key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return toBase64(v);
  if (v instanceof Map) return Object.fromEntries(v);
  if (v instanceof Set) return [...v];
  return v;
}

export function toJson<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, replacer)) as T;
}
