/**
 * SPIFFE ID syntax shared by IDs and trust domains: the allowed characters, path validation and the
 * error values, byte for byte as go-spiffe checks them (`go-spiffe:spiffeid/errors.go`,
 * `spiffeid/path.go`, `spiffeid/trustdomain.go` isValidTrustDomainChar). No normalisation, no
 * percent-decoding, no maximum length.
 * Simplified: the `spiffeid_charset_backcompat` build tag (off by default upstream) is not modelled.
 */
import { err, ok, simError, type Result, type SimError } from '../core/result.ts';

export type SpiffeIdErrorCode =
  | 'spiffe/id-empty'
  | 'spiffe/id-wrong-scheme'
  | 'spiffe/id-missing-trust-domain'
  | 'spiffe/id-bad-trust-domain-char'
  | 'spiffe/id-no-leading-slash'
  | 'spiffe/id-empty-segment'
  | 'spiffe/id-dot-segment'
  | 'spiffe/id-trailing-slash'
  | 'spiffe/id-bad-path-char';

export type SpiffeIdError = SimError<SpiffeIdErrorCode>;

/** `go-spiffe:spiffeid/errors.go`, verbatim. */
export const ID_ERROR_MESSAGES: Readonly<Record<SpiffeIdErrorCode, string>> = {
  'spiffe/id-empty': 'cannot be empty',
  'spiffe/id-wrong-scheme': 'scheme is missing or invalid',
  'spiffe/id-missing-trust-domain': 'trust domain is missing',
  'spiffe/id-bad-trust-domain-char': 'trust domain characters are limited to lowercase letters, numbers, dots, dashes, and underscores',
  'spiffe/id-no-leading-slash': 'path must have a leading slash',
  'spiffe/id-empty-segment': 'path cannot contain empty segments',
  'spiffe/id-dot-segment': 'path cannot contain dot segments',
  'spiffe/id-trailing-slash': 'path cannot have a trailing slash',
  'spiffe/id-bad-path-char': 'path segment characters are limited to letters, numbers, dots, dashes, and underscores',
};

export function idError(code: SpiffeIdErrorCode, input?: string): { ok: false; error: SpiffeIdError } {
  return err(simError(code, ID_ERROR_MESSAGES[code], input === undefined ? undefined : { input }));
}

export const SCHEME_PREFIX = 'spiffe://';

/** `[a-z0-9._-]`, checked per UTF-16 unit (any non-ASCII byte fails in Go too). */
export function isValidTrustDomainChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0x5f;
}

/** `[a-zA-Z0-9._-]`. */
export function isValidPathSegmentChar(c: number): boolean {
  return isValidTrustDomainChar(c) || (c >= 0x41 && c <= 0x5a);
}

/**
 * `ValidatePath`: empty is valid (a trust domain ID); otherwise a leading `/`, no empty or dot
 * segments, no trailing `/`, segment characters `[a-zA-Z0-9._-]`. Checked left to right, so the first
 * offending segment decides the error, as upstream.
 */
export function validatePath(path: string): Result<void, SpiffeIdError> {
  if (path === '') return ok(undefined);
  if (path.charCodeAt(0) !== 0x2f) return idError('spiffe/id-no-leading-slash');
  let segmentStart = 0;
  let i = 0;
  for (; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === 0x2f) {
      const seg = path.slice(segmentStart, i);
      if (seg === '/') return idError('spiffe/id-empty-segment');
      if (seg === '/.' || seg === '/..') return idError('spiffe/id-dot-segment');
      segmentStart = i;
      continue;
    }
    if (!isValidPathSegmentChar(c)) return idError('spiffe/id-bad-path-char');
  }
  const last = path.slice(segmentStart, i);
  if (last === '/') return idError('spiffe/id-trailing-slash');
  if (last === '/.' || last === '/..') return idError('spiffe/id-dot-segment');
  return ok(undefined);
}

/** `ValidatePathSegment`: one segment without slashes. */
export function validatePathSegment(segment: string): Result<void, SpiffeIdError> {
  if (segment === '') return idError('spiffe/id-empty-segment');
  if (segment === '.' || segment === '..') return idError('spiffe/id-dot-segment');
  for (let i = 0; i < segment.length; i++) if (!isValidPathSegmentChar(segment.charCodeAt(i))) return idError('spiffe/id-bad-path-char');
  return ok(undefined);
}

/** `JoinPathSegments`: `/a/b` from `a`, `b`; no segments gives `''`. */
export function joinPathSegments(...segments: string[]): Result<string, SpiffeIdError> {
  let out = '';
  for (const s of segments) {
    const v = validatePathSegment(s);
    if (!v.ok) return v;
    out += `/${s}`;
  }
  return ok(out);
}

/**
 * The scan `FromString` does: scheme, trust-domain characters up to the first `/`, then the path.
 * Returns the index where the path starts.
 */
export function scanSpiffeId(id: string): Result<number, SpiffeIdError> {
  if (id === '') return idError('spiffe/id-empty');
  // Case-sensitive: `SPIFFE://` is a wrong scheme (`strings.HasPrefix`).
  if (!id.startsWith(SCHEME_PREFIX)) return idError('spiffe/id-wrong-scheme', id);
  let pathIdx = SCHEME_PREFIX.length;
  for (; pathIdx < id.length; pathIdx++) {
    const c = id.charCodeAt(pathIdx);
    if (c === 0x2f) break;
    if (!isValidTrustDomainChar(c)) return idError('spiffe/id-bad-trust-domain-char', id);
  }
  if (pathIdx === SCHEME_PREFIX.length) return idError('spiffe/id-missing-trust-domain', id);
  const p = validatePath(id.slice(pathIdx));
  if (!p.ok) return err(simError(p.error.code, p.error.message, { input: id }));
  return ok(pathIdx);
}
