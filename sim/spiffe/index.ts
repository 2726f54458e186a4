/**
 * sim/spiffe — the SPIFFE vocabulary every other part of the lab speaks, faithful to go-spiffe v2.8.1
 * (what SPIRE, spiffe-helper and most SPIFFE-aware workloads link) and the SPIFFE standards:
 * - SPIFFE IDs and trust domains, parsed byte-wise with go-spiffe's rules and error texts;
 * - bundles: X.509 (PEM), JWT (JWKS) and SPIFFE bundle documents — with go-spiffe's parser and,
 *   separately, SPIRE's stricter federation decoder — and sets of them keyed by trust domain;
 * - X509-SVIDs: parsing cert+key files (`x509svid.Parse`) and verifying a peer's chain against the
 *   bundle of its trust domain (`x509svid.Verify`), then authorizing its ID (tlsconfig authorizers).
 *
 * Leaves out: JWT-SVIDs and WIT-SVIDs (their keys are carried in bundles, tokens are not modelled);
 * the Workload API transport (sources are plain interfaces); the `spiffeid_charset_backcompat` build
 * tag; Go's random map order when marshalling JWT keys (ours is insertion order). Chains are built
 * and checked by `sim/pki`, which returns one chain where Go may return several.
 * References: go-spiffe `spiffeid/*.go`, `bundle/{x509bundle,jwtbundle,spiffebundle}/*.go`,
 * `svid/x509svid/{svid,verify}.go`, `spiffetls/tlsconfig/authorizer.go`; go-jose v4 `jwk.go`; SPIRE
 * `pkg/common/bundleutil/{marshal,unmarshal}.go`, `pkg/common/cli/trust_domain.go`,
 * `cmd/spire-server/cli/bundle/common.go`; `spec:standards/{SPIFFE-ID,X509-SVID,
 * SPIFFE_Trust_Domain_and_Bundle}.md`.
 */
export {
  ID_ERROR_MESSAGES,
  validatePath,
  validatePathSegment,
  joinPathSegments,
  type SpiffeIdError,
  type SpiffeIdErrorCode,
} from './idSyntax.ts';
export {
  TrustDomain,
  trustDomainFromString,
  longTrustDomainWarning,
  parseConfiguredTrustDomain,
  MAX_TRUST_DOMAIN_LENGTH,
  type ConfiguredTrustDomain,
} from './trustDomain.ts';
export { SpiffeId, parseSpiffeId, spiffeIdFromPath, spiffeIdFromSegments, trustDomainId } from './id.ts';
export { publicJwkFromSpki, publicJwkEquals, marshalJsonWebKey, parseJsonWebKey, type PublicJwk, type JsonWebKey, type EcCurve } from './jwk.ts';
export { X509Bundle, parseX509Bundle, parsePemCertificates, type X509BundleParseError } from './x509Bundle.ts';
export { JwtBundle, parseJwtBundle, type JwtBundleParseError } from './jwtBundle.ts';
export {
  SpiffeBundle,
  parseSpiffeBundle,
  decodeFederatedBundle,
  formatBundleShowSpiffe,
  marshalSpireBundle,
  X509_SVID_USE,
  JWT_SVID_USE,
  WIT_SVID_USE,
  type SpiffeBundleContents,
  type SpiffeBundleParseError,
  type SpiffeBundleMarshalError,
  type SpireMarshalOptions,
} from './spiffeBundle.ts';
export { X509BundleSet, SpiffeBundleSet } from './bundleSet.ts';
export type { X509BundleSource, JwtBundleSource, SpiffeBundleSource, X509SvidSource } from './source.ts';
export {
  parseX509Svid,
  svidFromIssued,
  marshalX509Svid,
  idFromCert,
  validateX509SvidCertificates,
  type X509Svid,
  type X509SvidError,
  type X509SvidErrorCode,
  type IdFromCertError,
} from './x509Svid.ts';
export { verifyX509Svid, parseAndVerifyX509Svid, type VerifiedSvid, type VerifyError, type VerifyErrorCode } from './verify.ts';
export {
  authorizeAny,
  authorizeId,
  authorizeOneOf,
  authorizeMemberOf,
  adaptMatcher,
  matchAny,
  matchId,
  matchOneOf,
  matchMemberOf,
  type Authorizer,
  type Matcher,
  type AuthorizationError,
} from './authorizer.ts';
