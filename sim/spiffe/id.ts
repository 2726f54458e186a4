/**
 * A SPIFFE ID (`go-spiffe:spiffeid/id.go`): `spiffe://<trust domain><path>`, kept as the exact
 * string that was parsed (no normalisation) plus the index where the path starts. Immutable; two
 * IDs are equal when their strings are.
 */
import { ok, type Result } from '../core/result.ts';
import { joinPathSegments, scanSpiffeId, SCHEME_PREFIX, validatePath, type SpiffeIdError } from './idSyntax.ts';
import { TrustDomain } from './trustDomain.ts';

export class SpiffeId {
  readonly trustDomain: TrustDomain;
  /** `''` for a trust domain ID (`spiffe://example.org`), otherwise starting with `/`. */
  readonly path: string;

  private constructor(
    private readonly id: string,
    pathIdx: number,
  ) {
    this.trustDomain = TrustDomain.fromValidName(id.slice(SCHEME_PREFIX.length, pathIdx));
    this.path = id.slice(pathIdx);
    Object.freeze(this);
  }

  /** Internal: `id` must already be valid with its path at `pathIdx`. */
  static fromValid(id: string, pathIdx: number): SpiffeId {
    return new SpiffeId(id, pathIdx);
  }

  memberOf(td: TrustDomain): boolean {
    return this.trustDomain.name === td.name;
  }

  equals(other: SpiffeId | undefined): boolean {
    return other !== undefined && other.id === this.id;
  }

  toString(): string {
    return this.id;
  }

  toJSON(): string {
    return this.id;
  }
}

/** `spiffeid.FromString`. Errors carry go-spiffe's bare wording (`scheme is missing or invalid`, …). */
export function parseSpiffeId(id: string): Result<SpiffeId, SpiffeIdError> {
  const scanned = scanSpiffeId(id);
  if (!scanned.ok) return scanned;
  return ok(SpiffeId.fromValid(id, scanned.value));
}

/** `spiffeid.FromPath`: the path must be empty or a valid absolute path. */
export function spiffeIdFromPath(td: TrustDomain, path: string): Result<SpiffeId, SpiffeIdError> {
  const v = validatePath(path);
  if (!v.ok) return v;
  return ok(SpiffeId.fromValid(td.idString() + path, SCHEME_PREFIX.length + td.name.length));
}

/** `spiffeid.FromSegments`: segments joined with `/`, each validated. */
export function spiffeIdFromSegments(td: TrustDomain, ...segments: string[]): Result<SpiffeId, SpiffeIdError> {
  const path = joinPathSegments(...segments);
  if (!path.ok) return path;
  return ok(SpiffeId.fromValid(td.idString() + path.value, SCHEME_PREFIX.length + td.name.length));
}

/** `TrustDomain.ID()`: the trust domain's own ID, with an empty path. */
export function trustDomainId(td: TrustDomain): SpiffeId {
  return SpiffeId.fromValid(td.idString(), SCHEME_PREFIX.length + td.name.length);
}
