/**
 * A SPIFFE bundle: everything one trust domain publishes for others to trust it — X.509 authorities,
 * JWT (and WIT) signing keys, an optional refresh hint and sequence number
 * (`go-spiffe:bundle/spiffebundle/bundle.go`; `spec:standards/SPIFFE_Trust_Domain_and_Bundle.md`).
 *
 * Two parsers, because the two upstream decoders disagree (README "Divergence to model"):
 * - `parseSpiffeBundle` = go-spiffe `spiffebundle.Parse`: `keys` must be present, keys with an
 *   unknown or missing `use` are silently ignored.
 * - `decodeFederatedBundle` = SPIRE's `bundleutil.Decode` (`spire:pkg/common/bundleutil/
 *   unmarshal.go`), what a SPIRE server uses on a federated bundle endpoint's response: a missing
 *   `keys` member is an empty bundle, but a key with no or an unknown `use` is an error; the refresh
 *   hint is always set (0 when absent) and the sequence number is dropped.
 *
 * Three writers: go-spiffe's compact `Marshal`, SPIRE's `bundle show -format spiffe` text, and SPIRE's
 * `bundleutil.Marshal` (bundle endpoint).
 * Refresh hints are held in milliseconds (the lab's time unit); documents carry whole seconds.
 * Simplified: sequence numbers are JavaScript numbers (exact up to 2^53, not 2^64).
 */
import { equalBytes, type Certificate } from '../pki/index.ts';
import { err, ok, simError, type Result, type SimError } from '../core/result.ts';
import { TextMemo } from '../core/memo.ts';
import { fieldTypeError, goInteger, isJsonObject, parseGoJson, stdField, valueTypeError } from './goJson.ts';
import { jwtAuthoritiesEqual, JwtBundle } from './jwtBundle.ts';
import { marshalJsonWebKey, parseJsonWebKey, publicJwkFromSpki, type JsonWebKey, type PublicJwk } from './jwk.ts';
import type { TrustDomain } from './trustDomain.ts';
import { X509Bundle } from './x509Bundle.ts';

export const X509_SVID_USE = 'x509-svid';
export const JWT_SVID_USE = 'jwt-svid';
export const WIT_SVID_USE = 'wit-svid';

export interface SpiffeBundleContents {
  readonly x509Authorities?: readonly Certificate[];
  readonly jwtAuthorities?: ReadonlyMap<string, PublicJwk>;
  readonly witAuthorities?: ReadonlyMap<string, PublicJwk>;
  /** Milliseconds; undefined = not set. */
  readonly refreshHint?: number | undefined;
  readonly sequenceNumber?: number | undefined;
}

export class SpiffeBundle {
  readonly x509Authorities: readonly Certificate[];
  readonly jwtAuthorities: ReadonlyMap<string, PublicJwk>;
  readonly witAuthorities: ReadonlyMap<string, PublicJwk>;
  readonly refreshHint: number | undefined;
  readonly sequenceNumber: number | undefined;

  private constructor(
    readonly trustDomain: TrustDomain,
    c: SpiffeBundleContents,
  ) {
    this.x509Authorities = X509Bundle.of(trustDomain, c.x509Authorities ?? []).x509Authorities;
    this.jwtAuthorities = new Map(c.jwtAuthorities ?? []);
    this.witAuthorities = new Map(c.witAuthorities ?? []);
    this.refreshHint = c.refreshHint;
    this.sequenceNumber = c.sequenceNumber;
    Object.freeze(this);
  }

  static of(trustDomain: TrustDomain, contents: SpiffeBundleContents = {}): SpiffeBundle {
    return new SpiffeBundle(trustDomain, contents);
  }

  /** `spiffebundle.FromX509Bundle`. */
  static fromX509Bundle(b: X509Bundle): SpiffeBundle {
    return new SpiffeBundle(b.trustDomain, { x509Authorities: b.x509Authorities });
  }

  /** A copy with some parts replaced (pass `refreshHint: undefined` to clear it). */
  with(changes: SpiffeBundleContents): SpiffeBundle {
    return new SpiffeBundle(this.trustDomain, {
      x509Authorities: this.x509Authorities,
      jwtAuthorities: this.jwtAuthorities,
      witAuthorities: this.witAuthorities,
      refreshHint: this.refreshHint,
      sequenceNumber: this.sequenceNumber,
      ...changes,
    });
  }

  isEmpty(): boolean {
    return this.x509Authorities.length === 0 && this.jwtAuthorities.size === 0 && this.witAuthorities.size === 0;
  }

  x509Bundle(): X509Bundle {
    return X509Bundle.of(this.trustDomain, this.x509Authorities);
  }

  jwtBundle(): JwtBundle {
    return JwtBundle.of(this.trustDomain, this.jwtAuthorities);
  }

  equals(other: SpiffeBundle): boolean {
    return (
      this.trustDomain.equals(other.trustDomain) &&
      this.refreshHint === other.refreshHint &&
      this.sequenceNumber === other.sequenceNumber &&
      jwtAuthoritiesEqual(this.jwtAuthorities, other.jwtAuthorities) &&
      jwtAuthoritiesEqual(this.witAuthorities, other.witAuthorities) &&
      this.x509Authorities.length === other.x509Authorities.length &&
      this.x509Authorities.every((a, i) => equalBytes(a.der, other.x509Authorities[i]!.der))
    );
  }

  getX509BundleForTrustDomain(td: TrustDomain): Result<X509Bundle, SimError<'spiffe/no-bundle-for-trust-domain'>> {
    if (!this.trustDomain.equals(td))
      return err(simError('spiffe/no-bundle-for-trust-domain', `spiffebundle: no X.509 bundle for trust domain ${JSON.stringify(td.name)}`, { trustDomain: td.name }));
    return ok(this.x509Bundle());
  }

  getBundleForTrustDomain(td: TrustDomain): Result<SpiffeBundle, SimError<'spiffe/no-bundle-for-trust-domain'>> {
    if (!this.trustDomain.equals(td))
      return err(simError('spiffe/no-bundle-for-trust-domain', `spiffebundle: no SPIFFE bundle for trust domain ${JSON.stringify(td.name)}`, { trustDomain: td.name }));
    return ok(this);
  }

  /** go-spiffe `Bundle.Marshal`: compact JSON (see goSpiffeDoc for member order). */
  marshal(): Result<string, SpiffeBundleMarshalError> {
    const doc = goSpiffeDoc(this);
    return doc.ok ? ok(JSON.stringify(doc.value)) : doc;
  }
}

/** Go `time.Duration` ceil to whole seconds, as go-spiffe's Marshal rounds the refresh hint. */
const hintSecondsCeil = (ms: number): number => Math.trunc((ms * 1e6 + 999_999_999) / 1e9);

/**
 * go-spiffe's document: `keys` (x509-svid, then jwt-svid, then wit-svid; `null` when there are no
 * keys at all, as Go marshals a nil slice), then `spiffe_sequence` and `spiffe_refresh_hint`, each
 * only when set.
 */
function goSpiffeDoc(b: SpiffeBundle): Result<Record<string, unknown>, SpiffeBundleMarshalError> {
  const x509 = x509Jwks(b.x509Authorities, X509_SVID_USE);
  if (!x509.ok) return x509;
  const keys = [
    ...x509.value,
    ...[...b.jwtAuthorities].map(([kid, key]) => marshalJsonWebKey({ key, keyId: kid, use: JWT_SVID_USE })),
    ...[...b.witAuthorities].map(([kid, key]) => marshalJsonWebKey({ key, keyId: kid, use: WIT_SVID_USE })),
  ];
  const doc: Record<string, unknown> = { keys: keys.length > 0 ? keys : null };
  if (b.sequenceNumber !== undefined) doc.spiffe_sequence = b.sequenceNumber;
  if (b.refreshHint !== undefined) doc.spiffe_refresh_hint = hintSecondsCeil(b.refreshHint);
  return ok(doc);
}

export type SpiffeBundleMarshalError = SimError<'spiffe/bundle-marshal-failed'>;

/** The x509-svid JWKs, or go-jose's error for a CA key it cannot express (not EC, RSA or Ed25519). */
function x509Jwks(certs: readonly Certificate[], use: string | undefined): Result<Record<string, unknown>[], SpiffeBundleMarshalError> {
  const out: Record<string, unknown>[] = [];
  for (const cert of certs) {
    const key = publicJwkFromSpki(cert.spki);
    // Go's x509 leaves PublicKey nil for an unknown algorithm; go-jose then prints reflect.TypeOf(nil).
    if (!key) return err(simError('spiffe/bundle-marshal-failed', "go-jose/go-jose: unknown key type '%!s(<nil>)'"));
    out.push(marshalJsonWebKey({ key, use, certificates: [cert] }));
  }
  return ok(out);
}

/**
 * SPIRE `spire-server bundle show -format spiffe` (`spire:cmd/spire-server/cli/bundle/common.go`
 * printBundle): the bundle goes through the API proto (refresh hint and sequence kept only when
 * > 0, whole seconds; WIT keys are not carried), is marshalled by go-spiffe, indented with four
 * spaces by `json.Indent`, and printed with a trailing newline.
 */
export function formatBundleShowSpiffe(b: SpiffeBundle): Result<string, SpiffeBundleMarshalError> {
  const hintSeconds = b.refreshHint !== undefined ? Math.trunc(b.refreshHint / 1000) : 0;
  const viaProto = SpiffeBundle.of(b.trustDomain, {
    x509Authorities: b.x509Authorities,
    jwtAuthorities: b.jwtAuthorities,
    refreshHint: hintSeconds > 0 ? hintSeconds * 1000 : undefined,
    sequenceNumber: b.sequenceNumber !== undefined && b.sequenceNumber > 0 ? b.sequenceNumber : undefined,
  });
  const doc = goSpiffeDoc(viaProto);
  return doc.ok ? ok(`${JSON.stringify(doc.value, null, 4)}\n`) : doc;
}

export interface SpireMarshalOptions {
  /** Overrides the bundle's refresh hint (ms). */
  readonly refreshHint?: number;
  readonly sequenceNumber?: number;
  readonly noX509SvidKeys?: boolean;
  readonly noJwtSvidKeys?: boolean;
  readonly noWitSvidKeys?: boolean;
  /** Plain RFC 7517 JWKS: no `use`, no SPIFFE members. */
  readonly standardJwks?: boolean;
}

/**
 * SPIRE `bundleutil.Marshal` (`spire:pkg/common/bundleutil/marshal.go`), what the SPIRE bundle
 * endpoint serves: `keys` always an array, the refresh hint truncated to whole seconds, both SPIFFE
 * members omitted when zero, `json.MarshalIndent` with four spaces, no trailing newline.
 */
export function marshalSpireBundle(b: SpiffeBundle, opts: SpireMarshalOptions = {}): Result<string, SpiffeBundleMarshalError> {
  const use = (u: string): string | undefined => (opts.standardJwks ? undefined : u);
  const keys: Record<string, unknown>[] = [];
  if (!opts.noX509SvidKeys) {
    const x509 = x509Jwks(b.x509Authorities, use(X509_SVID_USE));
    if (!x509.ok) return x509;
    keys.push(...x509.value);
  }
  if (!opts.noJwtSvidKeys) for (const [kid, key] of b.jwtAuthorities) keys.push(marshalJsonWebKey({ key, keyId: kid, use: use(JWT_SVID_USE) }));
  if (!opts.noWitSvidKeys) for (const [kid, key] of b.witAuthorities) keys.push(marshalJsonWebKey({ key, keyId: kid, use: use(WIT_SVID_USE) }));
  const doc: Record<string, unknown> = { keys };
  if (!opts.standardJwks) {
    const seq = opts.sequenceNumber ?? b.sequenceNumber ?? 0;
    const hint = Math.trunc((opts.refreshHint ?? b.refreshHint ?? 0) / 1000);
    if (seq !== 0) doc.spiffe_sequence = seq;
    if (hint !== 0) doc.spiffe_refresh_hint = hint;
  }
  return ok(JSON.stringify(doc, null, 4));
}

// ---------------------------------------------------------------- parsing

export type SpiffeBundleParseError = SimError<'spiffe/spiffe-bundle-invalid'>;

interface DecodedDoc {
  keys: JsonWebKey[] | undefined;
  sequence: number | undefined;
  refreshHint: number | undefined;
}

/** The `json.Unmarshal` step both decoders share (document shape, member types, every JWK). */
function decodeDoc(text: string, structName: string, hintType: 'int64' | 'int', seqType: 'uint64'): Result<DecodedDoc, string> {
  const parsed = parseGoJson(text);
  if (!parsed.ok) return parsed;
  const v = parsed.value;
  if (v === null) return ok({ keys: undefined, sequence: undefined, refreshHint: undefined });
  if (!isJsonObject(v)) return err(valueTypeError(v, structName));
  const keysRaw = stdField(v, 'keys');
  let keys: JsonWebKey[] | undefined;
  if (keysRaw !== undefined && keysRaw !== null) {
    if (!Array.isArray(keysRaw)) return err(fieldTypeError(keysRaw, 'bundleDoc', 'keys', '[]jose.JSONWebKey'));
    keys = [];
    for (const k of keysRaw) {
      const jwk = parseJsonWebKey(k);
      if (!jwk.ok) return jwk;
      keys.push(jwk.value);
    }
  }
  const sequence = goInteger(v, 'spiffe_sequence', 'bundleDoc', seqType);
  if (!sequence.ok) return sequence;
  const refreshHint = goInteger(v, 'spiffe_refresh_hint', 'bundleDoc', hintType);
  if (!refreshHint.ok) return refreshHint;
  return ok({ keys, sequence: sequence.value, refreshHint: refreshHint.value });
}

const bundleError = (td: TrustDomain, message: string): { ok: false; error: SpiffeBundleParseError } =>
  err(simError('spiffe/spiffe-bundle-invalid', message, { trustDomain: td.name }));

/** go-spiffe `spiffebundle.Parse(td, bytes)`; every error is prefixed `spiffebundle: `. */
export function parseSpiffeBundle(td: TrustDomain, text: string): Result<SpiffeBundle, SpiffeBundleParseError> {
  const doc = decodeDoc(text, 'spiffebundle.bundleDoc', 'int64', 'uint64');
  if (!doc.ok) return bundleError(td, `spiffebundle: unable to parse JWKS: ${doc.error}`);
  const { keys, sequence, refreshHint } = doc.value;
  // "The parameter keys MUST be present" (SPIFFE_Trust_Domain_and_Bundle.md §4.1.3).
  if (keys === undefined) return bundleError(td, 'spiffebundle: no authorities found');
  const x509: Certificate[] = [];
  const jwt = new Map<string, PublicJwk>();
  const wit = new Map<string, PublicJwk>();
  for (const [i, key] of keys.entries()) {
    switch (key.use) {
      case X509_SVID_USE:
        if (key.certificates.length !== 1) return bundleError(td, `spiffebundle: expected a single certificate in ${X509_SVID_USE} entry ${i}; got ${key.certificates.length}`);
        x509.push(key.certificates[0]!);
        break;
      case JWT_SVID_USE:
        if (key.keyId === '') return bundleError(td, `spiffebundle: error adding authority ${i} of JWKS: keyID cannot be empty`);
        jwt.set(key.keyId, key.key);
        break;
      case WIT_SVID_USE:
        if (key.keyId === '') return bundleError(td, `spiffebundle: error adding WIT authority ${i} of JWKS: keyID cannot be empty`);
        wit.set(key.keyId, key.key);
        break;
      default:
      // Unknown or missing use: ignored.
    }
  }
  return ok(
    SpiffeBundle.of(td, {
      x509Authorities: x509,
      jwtAuthorities: jwt,
      witAuthorities: wit,
      refreshHint: refreshHint === undefined ? undefined : refreshHint * 1000,
      sequenceNumber: sequence,
    }),
  );
}

/**
 * SPIRE `bundleutil.Decode(td, body)`, the federation client's decoder. JSON errors read
 * `failed to decode bundle: <err>` (an empty body: `failed to decode bundle: EOF`); the key checks
 * are unprefixed, as SPIRE returns them.
 * Simplified: Go's stream decoder ignores data after the first JSON value; here trailing data is a
 * syntax error.
 */
export function decodeFederatedBundle(td: TrustDomain, text: string): Result<SpiffeBundle, SpiffeBundleParseError> {
  // A pure function of its inputs with an immutable result, and a federation client decodes the same
  // body on every refresh (each 75 s for days of virtual time): cached by trust domain and body.
  return DECODED.get(td.name, text, () => decodeFederatedBundleUncached(td, text));
}

const DECODED = new TextMemo<Result<SpiffeBundle, SpiffeBundleParseError>>(256);

function decodeFederatedBundleUncached(td: TrustDomain, text: string): Result<SpiffeBundle, SpiffeBundleParseError> {
  if (text.trim() === '') return bundleError(td, 'failed to decode bundle: EOF');
  const doc = decodeDoc(text, 'bundleutil.bundleDoc', 'int', 'uint64');
  if (!doc.ok) return bundleError(td, `failed to decode bundle: ${doc.error}`);
  const x509: Certificate[] = [];
  const jwt = new Map<string, PublicJwk>();
  const wit = new Map<string, PublicJwk>();
  for (const [i, key] of (doc.value.keys ?? []).entries()) {
    switch (key.use) {
      case X509_SVID_USE:
        if (key.certificates.length !== 1) return bundleError(td, `expected a single certificate in x509-svid entry ${i}; got ${key.certificates.length}`);
        x509.push(key.certificates[0]!);
        break;
      case JWT_SVID_USE:
        if (key.keyId === '') return bundleError(td, `missing key ID in jwt-svid entry ${i}`);
        jwt.set(key.keyId, key.key);
        break;
      case WIT_SVID_USE:
        if (key.keyId === '') return bundleError(td, `missing key ID in wit-svid entry ${i}`);
        wit.set(key.keyId, key.key);
        break;
      case '':
        return bundleError(td, `missing use for key entry ${i}`);
      default:
        return bundleError(td, `unrecognized use ${JSON.stringify(key.use)} for key entry ${i}`);
    }
  }
  // SPIRE always sets the hint (0 when absent) and never reads spiffe_sequence.
  return ok(SpiffeBundle.of(td, { x509Authorities: x509, jwtAuthorities: jwt, witAuthorities: wit, refreshHint: (doc.value.refreshHint ?? 0) * 1000 }));
}
