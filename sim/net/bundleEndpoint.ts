/**
 * Federation bundle endpoints on the lab's network: what an endpoint serves and presents in TLS, and
 * the client a SPIRE server uses to fetch a peer's bundle. This file holds the in-memory transport
 * (browser and fast tests); server/net/httpsBundleEndpoints.ts does the same over real HTTPS in Node.
 * Both authenticate the same way and return the same errors.
 *
 * Authentication (spire:pkg/server/bundle/client/client.go; go-spiffe spiffetls/tlsconfig):
 * - https_spiffe: the presented chain is verified as an X509-SVID against the given anchors (the
 *   stored bundle of the endpoint SPIFFE ID's trust domain), hostname ignored, then the leaf's ID must
 *   equal the endpoint SPIFFE ID (`unexpected ID "…"`).
 * - https_web: Web PKI: the chain must lead to a root the client trusts (the lab's web roots) and a
 *   DNS SAN must match the host; when it fails and the certificate carries a SPIFFE ID, SPIRE says
 *   so ("maybe use https_spiffe instead of https_web").
 * Messages are those Go's HTTP client and SPIRE's bundle client produce: transport and TLS failures
 * `failed to fetch bundle: Get "<url>": …`; a non-200 answer `unexpected status N fetching bundle: <body>`.
 */
import { err, ok, simError, type Result, type SimError } from '../core/result.ts';
import { dnsNamesMatchHost, SignatureVerifier, verifyChain, type Certificate, type KeyPair } from '../pki/index.ts';
import { authorizeId, parseSpiffeId, verifyX509Svid, X509Bundle } from '../spiffe/index.ts';

export type BundleEndpointProfile = { readonly type: 'https_spiffe'; readonly endpointSpiffeId: string } | { readonly type: 'https_web' };

/** What a bundle endpoint answers (`spire:pkg/server/endpoints/bundle/server.go`). */
export interface BundleEndpointResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** How a server fetches a peer's bundle endpoint. `anchors`: roots for https_spiffe (see above). */
export interface BundleEndpointClient {
  fetch(req: { readonly from: string; readonly url: string; readonly profile: BundleEndpointProfile; readonly anchors?: readonly Certificate[]; readonly at: number }): Promise<Result<string, SimError>>;
}

/** An endpoint as the network sees it: what it serves and the identity it presents in TLS. */
export interface BundleEndpoint {
  /** `<cluster>/<component>` — for the fault model (a stopped server refuses connections). */
  readonly component: string;
  /** `host`: the request's Host (without port), for servers that check it (the OIDC provider's domains). */
  serve(method: string, path: string, host?: string): BundleEndpointResponse;
  /** The chain (leaf first) and key presented now; undefined while the server has no SVID yet. */
  tlsIdentity(): { readonly chain: readonly Certificate[]; readonly key: KeyPair } | undefined;
}

export interface ParsedUrl {
  readonly host: string;
  readonly port: number;
  readonly path: string;
}

export function parseHttpsUrl(url: string): Result<ParsedUrl, SimError<'net/bad-url'>> {
  const m = /^https:\/\/(\[[^\]]+\]|[^/:?#]+)(?::(\d+))?([^?#]*)/i.exec(url);
  if (!m) return err(simError('net/bad-url', `parse "${url}": not an https URL`));
  return ok({ host: m[1]!.toLowerCase(), port: m[2] ? Number(m[2]) : 443, path: m[3] || '/' });
}

/** Finds the endpoint behind host:port as seen from a cluster (or `host` for the workstation). */
export type EndpointResolver = (from: string, host: string, port: number) => Result<BundleEndpoint, SimError>;

const fetchError = (url: string, cause: string, code = 'net/fetch-failed', c?: SimError): SimError =>
  simError(code as `${string}/${string}`, `failed to fetch bundle: Get "${url}": ${cause}`, { url }, c);

/** Checks the TLS identity an endpoint presents, as the fetching client would. */
export async function authenticateEndpoint(
  verifier: SignatureVerifier,
  chain: readonly Certificate[],
  profile: BundleEndpointProfile,
  opts: { readonly host: string; readonly anchors?: readonly Certificate[]; readonly webRoots: readonly Certificate[]; readonly at: number },
): Promise<Result<void, string>> {
  if (profile.type === 'https_spiffe') {
    const expected = parseSpiffeId(profile.endpointSpiffeId);
    if (!expected.ok) return err(`could not get endpoint SPIFFE ID: ${expected.error.message}`);
    const td = expected.value.trustDomain;
    const bundle = X509Bundle.of(td, opts.anchors ?? []);
    const verified = await verifyX509Svid(verifier, chain, bundle, opts.at);
    if (!verified.ok) return err(verified.error.message);
    const authorized = authorizeId(expected.value)(verified.value.id, verified.value.chains);
    return authorized.ok ? ok(undefined) : err(authorized.error.message);
  }
  const leaf = chain[0];
  if (!leaf) return err('tls: server presented no certificates');
  const verified = await verifyChain(verifier, leaf, { at: opts.at, roots: opts.webRoots, intermediates: chain.slice(1), requiredEku: 'serverAuth' });
  let problem: string | undefined = verified.ok ? undefined : `tls: failed to verify certificate: ${verified.error.message}`;
  if (!problem && !dnsNamesMatchHost(leaf.dnsNames, opts.host)) problem = `tls: failed to verify certificate: x509: certificate is valid for ${leaf.dnsNames.join(', ') || 'no names'}, not ${opts.host}`;
  if (!problem) return ok(undefined);
  const spiffeId = leaf.uris.find((u) => u.startsWith('spiffe://'));
  // spire:pkg/server/bundle/client/client.go (web authentication failure hint)
  return err(spiffeId ? `failed to authenticate bundle endpoint using web authentication but the server certificate contains SPIFFE ID "${spiffeId}": maybe use https_spiffe instead of https_web: ${problem}` : problem);
}

/** The in-memory transport: resolution through the world, TLS decisions by the lab's verifier. */
export class MemoryBundleClient implements BundleEndpointClient {
  private readonly verifier: SignatureVerifier;

  constructor(
    crypto: Crypto,
    private readonly resolve: EndpointResolver,
    private readonly webRoots: () => readonly Certificate[] = () => [],
  ) {
    this.verifier = new SignatureVerifier(crypto);
  }

  async fetch(req: { readonly from: string; readonly url: string; readonly profile: BundleEndpointProfile; readonly anchors?: readonly Certificate[]; readonly at: number }): Promise<Result<string, SimError>> {
    const u = parseHttpsUrl(req.url);
    if (!u.ok) return err(fetchError(req.url, u.error.message));
    const endpoint = this.resolve(req.from, u.value.host, u.value.port);
    if (!endpoint.ok) return err(fetchError(req.url, endpoint.error.message, endpoint.error.code, endpoint.error));
    const identity = endpoint.value.tlsIdentity();
    if (!identity) return err(fetchError(req.url, 'remote error: tls: internal error'));
    const auth = await authenticateEndpoint(this.verifier, identity.chain, req.profile, { host: u.value.host, anchors: req.anchors ?? [], webRoots: this.webRoots(), at: req.at });
    if (!auth.ok) return err(fetchError(req.url, auth.error, 'net/tls-verify-failed'));
    return bodyOf(endpoint.value.serve('GET', u.value.path));
  }
}

/** SPIRE's client: 200 → the body; anything else → `unexpected status` with up to 1 KiB of body. */
export function bodyOf(r: BundleEndpointResponse): Result<string, SimError> {
  if (r.status === 200) return ok(r.body);
  return err(simError('net/http-status', `unexpected status ${r.status} fetching bundle: ${r.body.slice(0, 1024).replace(/\n$/, '')}`, { status: r.status }));
}

