/**
 * The provider's HTTP handler (`spire:support/oidc-discovery-provider/handler.go`) on Go's ServeMux:
 * - `<prefix>/.well-known/openid-configuration` (behind gorilla `handlers.ProxyHeaders`: X-Forwarded-Host
 *   replaces Host, X-Forwarded-Proto sets the scheme): GET only (else 405 `method not allowed`); the Host's
 *   domain must pass the allowlist (else 400 with the policy's error, e.g. `domain "x" is not allowed`);
 *   the document is `json.MarshalIndent(doc, "", "  ")`: issuer (`jwt_issuer`, or `https://<host>[prefix]`),
 *   jwks_uri (`jwks_uri`, else `<jwt_issuer>/keys`, else `https://<host><prefix>/keys`), an empty
 *   authorization_endpoint, `["id_token"]`, `["public"]`, `["RS256","ES256","ES384"]`.
 * - `<prefix>/keys`: GET only; **no domain check**; no key set yet → 500 `document not available`; from
 *   SPIRE 1.14 an empty key set → 501 `jwt not supported/enabled in this service`; else the JWKS
 *   (`alg` from the key, `use: "sig"` with `set_key_use`), no-cache headers, `Last-Modified` (ServeContent).
 * - anything else: 404 `404 page not found`.
 * Errors are `http.Error`: `text/plain; charset=utf-8`, `X-Content-Type-Options: nosniff`, body + "\n".
 * From SPIRE 1.14 both JSON answers add `Access-Control-Allow-Origin: *` (spire#7224).
 * Simplified: ServeMux's path cleaning redirects (301 for `//keys`, `/a/../keys`) and conditional/range
 * requests are not modelled; a query string is ignored.
 */
import { marshalJsonWebKey, type PublicJwk } from '../../spiffe/index.ts';
import type { DomainPolicy } from './domainPolicy.ts';
import type { KeySet } from './workloadApiSource.ts';

export interface OidcResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface OidcHandlerConfig {
  readonly domainPolicy: DomainPolicy;
  readonly allowInsecureScheme: boolean;
  readonly setKeyUse: boolean;
  readonly jwtIssuer: string;
  readonly jwksUri: string;
  readonly serverPathPrefix: string;
  /** SPIRE 1.14 and later (CORS header, 501 on an empty key set). */
  readonly v114: boolean;
}

export interface OidcRequest {
  readonly method: string;
  readonly path: string;
  readonly host: string;
  /** Lower-case header names; `x-forwarded-host` / `x-forwarded-proto` matter. */
  readonly headers?: Readonly<Record<string, string>>;
  /** True when the request came over TLS (the serving_cert_file / ACME listener). */
  readonly tls: boolean;
}

/** Go net/http `Error`. */
export const httpError = (body: string, status: number): OidcResponse => ({
  status,
  headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
  body: `${body}\n`,
});

/** `url.JoinPath(base, elem)` for the absolute paths used here. */
function joinPath(base: string, elem: string): string {
  const joined = `${base}/${elem}`.replace(/\/+/g, '/');
  const trailing = elem.endsWith('/');
  const clean = joined.replace(/\/$/, '') || '/';
  return trailing && clean !== '/' ? `${clean}/` : clean;
}

/** Go's json.MarshalIndent with two spaces (strings here are plain ASCII, no HTML escaping needed). */
const marshalIndent = (v: unknown): string => JSON.stringify(v, null, 2).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);

/** `cryptoutil.JoseAlgFromPublicKey` (empty when unsupported; upstream then logs the error). */
export function joseAlg(key: PublicJwk): string {
  if (key.kty === 'RSA') return 'RS256';
  if (key.kty === 'EC') return key.crv === 'P-256' ? 'ES256' : key.crv === 'P-384' ? 'ES384' : '';
  return '';
}

/** The HTTP date of `Last-Modified` (`http.TimeFormat`, whole seconds). */
const httpDate = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toUTCString();

export function serveOidc(cfg: OidcHandlerConfig, req: OidcRequest, keySet: KeySet | undefined, logAlgError: (kid: string, message: string) => void): OidcResponse {
  const prefix = cfg.serverPathPrefix || '/';
  const path = req.path.replace(/[?#].*$/, '') || '/';
  const wk = joinPath(prefix, '/.well-known/openid-configuration');
  const keys = joinPath(prefix, '/keys');
  const cors: Record<string, string> = cfg.v114 ? { 'access-control-allow-origin': '*' } : {};
  if (path === wk) {
    if (req.method !== 'GET') return httpError('method not allowed', 405);
    const h = req.headers ?? {};
    const host = h['x-forwarded-host'] || req.host;
    const fwdProto = (h['x-forwarded-proto'] ?? h['x-forwarded-scheme'] ?? '').toLowerCase();
    const scheme = cfg.allowInsecureScheme && !req.tls && fwdProto !== 'https' ? 'http' : 'https';
    const issuer = cfg.jwtIssuer !== '' ? cfg.jwtIssuer : `${scheme}://${host}${prefix !== '/' ? prefix : ''}`;
    let jwksUri: string;
    if (cfg.jwksUri !== '') jwksUri = cfg.jwksUri;
    else if (cfg.jwtIssuer !== '') {
      const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/.exec(cfg.jwtIssuer);
      jwksUri = `${m?.[1] ?? ''}://${m?.[2] ?? ''}${joinPath(m?.[3] || '/', 'keys')}`;
    } else jwksUri = `${scheme}://${host}${joinPath(prefix, 'keys')}`;
    const domain = /^(.*):(\d*)$/.exec(host)?.[1]?.replace(/^\[(.*)\]$/, '$1') ?? host;
    const allowed = cfg.domainPolicy(domain);
    if (!allowed.ok) return httpError(allowed.error, 400);
    const doc = {
      issuer,
      jwks_uri: jwksUri,
      authorization_endpoint: '',
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256', 'ES256', 'ES384'],
    };
    return { status: 200, headers: { 'content-type': 'application/json', ...cors }, body: marshalIndent(doc) };
  }
  if (path === keys) {
    if (req.method !== 'GET') return httpError('method not allowed', 405);
    if (!keySet) return httpError('document not available', 500);
    if (cfg.v114 && keySet.keys.length === 0) return httpError('jwt not supported/enabled in this service', 501);
    const out = keySet.keys.map(({ kid, key }) => {
      const alg = joseAlg(key);
      if (alg === '') logAlgError(kid, key.kty === 'EC' ? `unable to determine signature algorithm for EC public key size ${key.crv.slice(2)}` : `unable to determine signature algorithm for public key type ${key.kty === 'OKP' ? 'ed25519.PublicKey' : '[]uint8'}`);
      return marshalJsonWebKey({ key, keyId: kid, ...(cfg.setKeyUse ? { use: 'sig' } : {}), algorithm: alg });
    });
    const body = marshalIndent({ keys: out });
    return {
      status: 200,
      headers: {
        'accept-ranges': 'bytes',
        'cache-control': 'no-cache, no-store, must-revalidate',
        'content-length': String(body.length),
        'content-type': 'application/json',
        expires: '0',
        'last-modified': httpDate(keySet.modTime),
        pragma: 'no-cache',
        ...cors,
      },
      body,
    };
  }
  return httpError('404 page not found', 404);
}
