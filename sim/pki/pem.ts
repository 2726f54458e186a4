/**
 * PEM (RFC 7468): decode every block in a text, keeping its type, and encode DER as PEM. Blocks of
 * any type may share one file in any order, as go-spiffe's pemutil allows.
 */
import { err, ok, simError, type Result, type SimError } from '../core/result.ts';

export interface PemBlock {
  readonly type: string;
  readonly der: Uint8Array;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

export type PemError = SimError<'pki/no-pem-blocks'>;

export function decodePem(text: string): Result<PemBlock[], PemError> {
  const blocks: PemBlock[] = [];
  for (const m of text.matchAll(BLOCK)) {
    const body = m[2]!.replace(/^[A-Za-z-]+:.*$/gm, '').replace(/\s+/g, '');
    // Go's pem.Decode skips a block whose body is not valid base64 and keeps scanning.
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) continue;
    blocks.push({ type: m[1]!, der: fromBase64(body) });
  }
  if (blocks.length === 0) return err(simError('pki/no-pem-blocks', 'no PEM blocks found'));
  return ok(blocks);
}

export function encodePem(type: string, der: Uint8Array): string {
  const b64 = toBase64(der);
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${type}-----\n${lines.join('\n')}\n-----END ${type}-----\n`;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

export function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? B64[(n >> 6) & 63]! : '=';
    out += i + 2 < bytes.length ? B64[n & 63]! : '=';
  }
  return out;
}

/** Standard or URL-safe base64, padding optional (JWKS `x5c` is standard, `x`/`y`/`n` are URL-safe). */
export function fromBase64(text: string): Uint8Array {
  const s = text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    const n =
      ((B64_INDEX.get(s[i]!) ?? 0) << 18) |
      ((B64_INDEX.get(s[i + 1] ?? 'A') ?? 0) << 12) |
      ((B64_INDEX.get(s[i + 2] ?? 'A') ?? 0) << 6) |
      (B64_INDEX.get(s[i + 3] ?? 'A') ?? 0);
    if (o < out.length) out[o++] = (n >> 16) & 0xff;
    if (o < out.length) out[o++] = (n >> 8) & 0xff;
    if (o < out.length) out[o++] = n & 0xff;
  }
  return out;
}

export function isBase64(text: string, urlSafe = false): boolean {
  return urlSafe ? /^[A-Za-z0-9_-]*={0,2}$/.test(text) : /^[A-Za-z0-9+/]*={0,2}$/.test(text);
}
