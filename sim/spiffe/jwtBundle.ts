/**
 * A JWT bundle: the JWT signing keys trusted for one trust domain, by key ID
 * (`go-spiffe:bundle/jwtbundle/bundle.go`). Parsed from a plain RFC 7517 JWKS (no `use` needed);
 * every key must have a `kid`. Immutable; keys keep document order.
 * Simplified: upstream keeps keys in a Go map, so its marshal order is random; ours is stable.
 */
import { err, ok, simError, type Result, type SimError } from '../core/result.ts';
import { fieldTypeError, isJsonObject, parseGoJson, stdField, valueTypeError } from './goJson.ts';
import { marshalJsonWebKey, parseJsonWebKey, publicJwkEquals, type PublicJwk } from './jwk.ts';
import type { TrustDomain } from './trustDomain.ts';

export class JwtBundle {
  readonly jwtAuthorities: ReadonlyMap<string, PublicJwk>;

  private constructor(
    readonly trustDomain: TrustDomain,
    authorities: ReadonlyMap<string, PublicJwk>,
  ) {
    this.jwtAuthorities = new Map(authorities);
    Object.freeze(this);
  }

  static of(trustDomain: TrustDomain, authorities: ReadonlyMap<string, PublicJwk> = new Map()): JwtBundle {
    return new JwtBundle(trustDomain, authorities);
  }

  isEmpty(): boolean {
    return this.jwtAuthorities.size === 0;
  }

  findJwtAuthority(keyId: string): PublicJwk | undefined {
    return this.jwtAuthorities.get(keyId);
  }

  /** `AddJWTAuthority`: replaces a key with the same ID; an empty key ID is refused. */
  withJwtAuthority(keyId: string, key: PublicJwk): Result<JwtBundle, SimError<'spiffe/jwt-authority-invalid'>> {
    if (keyId === '') return err(simError('spiffe/jwt-authority-invalid', 'jwtbundle: keyID cannot be empty'));
    return ok(new JwtBundle(this.trustDomain, new Map([...this.jwtAuthorities, [keyId, key]])));
  }

  withoutJwtAuthority(keyId: string): JwtBundle {
    const next = new Map(this.jwtAuthorities);
    next.delete(keyId);
    return new JwtBundle(this.trustDomain, next);
  }

  equals(other: JwtBundle): boolean {
    return this.trustDomain.equals(other.trustDomain) && jwtAuthoritiesEqual(this.jwtAuthorities, other.jwtAuthorities);
  }

  /** `Bundle.Marshal`: a standard JWKS, keys with `kid` and no `use`. */
  marshal(): string {
    return JSON.stringify({ keys: [...this.jwtAuthorities].map(([kid, key]) => marshalJsonWebKey({ key, keyId: kid })) });
  }
}

export function jwtAuthoritiesEqual(a: ReadonlyMap<string, PublicJwk>, b: ReadonlyMap<string, PublicJwk>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (!w || !publicJwkEquals(v, w)) return false;
  }
  return true;
}

export type JwtBundleParseError = SimError<'spiffe/jwt-bundle-invalid'>;

const parseError = (td: TrustDomain, message: string): { ok: false; error: JwtBundleParseError } =>
  err(simError('spiffe/jwt-bundle-invalid', `jwtbundle: ${message}`, { trustDomain: td.name }));

/** `jwtbundle.Parse(td, bytes)`: a missing `keys` member is an empty bundle here (unlike spiffebundle). */
export function parseJwtBundle(td: TrustDomain, text: string): Result<JwtBundle, JwtBundleParseError> {
  const doc = parseGoJson(text);
  if (!doc.ok) return parseError(td, `unable to parse JWKS: ${doc.error}`);
  const v = doc.value;
  if (v !== null && !isJsonObject(v)) return parseError(td, `unable to parse JWKS: ${valueTypeError(v, 'jose.JSONWebKeySet')}`);
  const keysRaw = v === null ? undefined : stdField(v, 'keys');
  if (keysRaw !== undefined && keysRaw !== null && !Array.isArray(keysRaw))
    return parseError(td, `unable to parse JWKS: ${fieldTypeError(keysRaw, 'JSONWebKeySet', 'keys', '[]jose.JSONWebKey')}`);
  const keys = (keysRaw as unknown[] | null | undefined) ?? [];
  const parsed = [];
  for (const k of keys) {
    const jwk = parseJsonWebKey(k);
    if (!jwk.ok) return parseError(td, `unable to parse JWKS: ${jwk.error}`);
    parsed.push(jwk.value);
  }
  const authorities = new Map<string, PublicJwk>();
  for (const [i, k] of parsed.entries()) {
    if (k.keyId === '') return parseError(td, `error adding authority ${i} of JWKS: keyID cannot be empty`);
    authorities.set(k.keyId, k.key);
  }
  return ok(JwtBundle.of(td, authorities));
}
