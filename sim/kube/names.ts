/**
 * Object names: the DNS-1123/1035 rules the apiserver validates names against, the random suffixes
 * of `generateName` (apiserver:pkg/storage/names/generate.go, 5 characters from
 * apimachinery/pkg/util/rand's alphabet), and the pod-template-hash (controller_utils.go ComputeHash,
 * encoded with rand.SafeEncodeString).
 */
import type { Rng } from '../core/rng.ts';
import { canonicalJson } from './object.ts';

/** apimachinery/pkg/util/rand/rand.go: no vowels (no words) and no confusable characters. */
export const KUBE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

const MAX_NAME_LENGTH = 63;
const RANDOM_LENGTH = 5;
const MAX_GENERATED_BASE = MAX_NAME_LENGTH - RANDOM_LENGTH;

/** `generateName` + 5 random characters; the base is cut to 58 characters first. */
export function generateName(base: string, rng: Rng): string {
  const b = base.length > MAX_GENERATED_BASE ? base.slice(0, MAX_GENERATED_BASE) : base;
  return b + rng.string(RANDOM_LENGTH, KUBE_ALPHANUMS);
}

/** rand.SafeEncodeString: each byte mapped into the safe alphabet. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += KUBE_ALPHANUMS[s.charCodeAt(i) % KUBE_ALPHANUMS.length];
  return out;
}

/** 32-bit FNV-1a over the UTF-16 code units' low bytes of a string (ASCII in practice). */
export function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  const bytes = new TextEncoder().encode(s);
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * The pod-template-hash of a template (and the collision count), as a label value.
 * Simplified: upstream hashes Go's spew dump of the typed struct; we hash the template's canonical
 * JSON, so values are stable per template but not equal to a real cluster's.
 */
export function computeTemplateHash(template: unknown, collisionCount?: number): string {
  let text = canonicalJson(template);
  if (collisionCount !== undefined && collisionCount !== 0) text += `#${collisionCount}`;
  return safeEncodeString(String(fnv32a(text)));
}
