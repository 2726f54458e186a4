/**
 * Reconcile-time checks of the SpireServer / OIDC CRs (ztwim:pkg/controller/spire-server/validation.go,
 * ztwim:pkg/controller/utils/url_validation.go): the JWT issuer URL, the federation block, the TTLs.
 * Each returns upstream's error text (the status message wraps it).
 */
import { formatDuration, parseDuration } from '../../core/duration.ts';

type Obj = Record<string, unknown>;
const o = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const s = (v: unknown): string => (typeof v === 'string' ? v : '');

/** utils.IsValidURL: http(s), a host, no query, no fragment. Undefined when valid. */
export function validateJwtIssuer(issuer: string): string | undefined {
  if (issuer === '') return 'issuer URL cannot be empty';
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/.exec(issuer);
  if (!m) return 'scheme is required';
  const scheme = m[1]!.toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return `scheme must be http or https, got: ${m[1]}`;
  if (m[2] === '') return 'host is required';
  if (m[5] !== undefined) return 'fragments are not allowed';
  if (m[4] !== undefined) return 'query parameters are not allowed';
  return undefined;
}

/** validateFederationConfig. */
export function validateFederation(fed: Obj, trustDomain: string): string | undefined {
  const be = o(fed.bundleEndpoint);
  if (be.profile === 'https_web') {
    if (be.httpsWeb === undefined) return 'invalid bundle endpoint configuration: httpsWeb configuration is required when profile is https_web';
    const web = o(be.httpsWeb);
    if (web.acme !== undefined && web.servingCert !== undefined) return 'invalid bundle endpoint configuration: acme and servingCert are mutually exclusive, only one can be set';
    if (web.acme === undefined && web.servingCert === undefined) return 'invalid bundle endpoint configuration: either acme or servingCert must be set for https_web profile';
    if (web.acme !== undefined) {
      const a = o(web.acme);
      if (!s(a.directoryUrl).startsWith('https://')) return `invalid bundle endpoint configuration: invalid ACME configuration: directoryUrl must use https://, got ${s(a.directoryUrl)}`;
      if (s(a.domainName) === '') return 'invalid bundle endpoint configuration: invalid ACME configuration: domainName is required';
      if (s(a.email) === '') return 'invalid bundle endpoint configuration: invalid ACME configuration: email is required';
      if (a.tosAccepted !== 'true') return 'invalid bundle endpoint configuration: invalid ACME configuration: tosAccepted must be true to use ACME';
    }
  }
  const peers = Array.isArray(fed.federatesWith) ? (fed.federatesWith as Obj[]) : [];
  if (peers.length > 50) return `federatesWith array cannot exceed 50 entries, got ${peers.length}`;
  const seen = new Set<string>();
  for (const [i, p] of peers.entries()) {
    const td = s(p.trustDomain);
    if (td === trustDomain) return `federatesWith[${i}]: cannot federate with own trust domain ${trustDomain}`;
    if (seen.has(td)) return `federatesWith[${i}]: duplicate trust domain ${td}`;
    seen.add(td);
    if (td === '') return `federatesWith[${i}]: trustDomain is required`;
    if (!s(p.bundleEndpointUrl).startsWith('https://')) return `federatesWith[${i}]: bundleEndpointUrl must use https://, got ${s(p.bundleEndpointUrl)}`;
    if (p.bundleEndpointProfile === 'https_spiffe') {
      if (s(p.endpointSpiffeId) === '') return `federatesWith[${i}]: endpointSpiffeId is required for https_spiffe profile`;
      if (!s(p.endpointSpiffeId).startsWith('spiffe://')) return `federatesWith[${i}]: endpointSpiffeId must start with spiffe://, got ${s(p.endpointSpiffeId)}`;
    }
  }
  return undefined;
}

const MAX_SVID_TTL = 7 * 24 * 3600_000;

/**
 * validateTTLDurationsWithWarnings: errors stop the reconcile; an SVID TTL above min(ca/6, 7d) is a
 * warning (SPIRE's own rule). Simplified: the warning text is SPIRE's first form only.
 */
export function validateTtls(spec: Obj): { error?: string; warnings: string[] } {
  const d = (v: unknown) => {
    const r = parseDuration(s(v));
    return r.ok ? r.value : 0;
  };
  const ca = d(spec.caValidity);
  const x509 = d(spec.defaultX509Validity);
  const jwt = d(spec.defaultJWTValidity);
  if (ca <= 0) return { error: 'ca_ttl must be a positive duration', warnings: [] };
  if (x509 <= 0) return { error: 'default_x509_svid_ttl must be a positive duration', warnings: [] };
  if (jwt <= 0) return { error: 'default_jwt_svid_ttl must be a positive duration', warnings: [] };
  if (ca < jwt) return { error: 'ca_validity must be greater than default_jwt_svid_ttl', warnings: [] };
  if (ca < x509) return { error: 'ca_validity must be greater than default_ca_ttl', warnings: [] };
  const max = Math.min(ca / 6, MAX_SVID_TTL);
  const warnings: string[] = [];
  for (const [name, ttl] of [['default_x509_svid_ttl', x509], ['default_jwt_svid_ttl', jwt]] as const)
    if (ttl > max)
      warnings.push(`${name} is too high for the configured ca_ttl value. SVIDs with shorter lifetimes may be issued. Please set ${name} to ${formatDuration(max)} or less, or the ca_ttl to ${formatDuration(ttl * 6)} or more, to guarantee the full ${name} lifetime when CA rotations are scheduled.`);
  return { warnings };
}
