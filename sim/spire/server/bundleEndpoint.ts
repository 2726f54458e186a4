/**
 * The federation bundle endpoint (`spire:pkg/server/endpoints/bundle/server.go`,
 * `spire:pkg/common/bundleutil/marshal.go`): `GET /` → 200 with the local bundle as a SPIFFE bundle
 * document (4-space indent, `keys`, then `spiffe_sequence` when > 0, then `spiffe_refresh_hint` = the
 * *configured* endpoint hint in seconds); other methods → 405 `405 method not allowed\n`; other paths →
 * 404 `404 page not found\n`; no local bundle → 500 `500 unable to retrieve local bundle\n`.
 * With `https_spiffe` the TLS identity is the server's current SVID and chain, read per handshake, so it
 * follows rotation.
 * Simplified: an `https_web` endpoint also presents the server SVID unless the integrator supplies a
 * serving certificate (ACME is not modelled).
 */
import type { BundleEndpoint } from '../../net/index.ts';
import type { Certificate, KeyPair } from '../../pki/index.ts';
import { marshalSpireBundle, type SpiffeBundle } from '../../spiffe/index.ts';
import type { BundleEndpointResponse } from '../api.ts';

const text = (status: number, body: string): BundleEndpointResponse => ({ status, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body });

/** The HTTP handler: `bundle` is the local bundle now (undefined when it cannot be read), `refreshHint` in ms. */
export function serveBundleEndpoint(method: string, path: string, bundle: SpiffeBundle | undefined, refreshHint: number): BundleEndpointResponse {
  if (method !== 'GET') return text(405, '405 method not allowed\n');
  if (path !== '/') return text(404, '404 page not found\n');
  if (!bundle) return text(500, '500 unable to retrieve local bundle\n');
  const body = marshalled(bundle, refreshHint);
  if (!body.ok) return text(500, '500 unable to marshal local bundle\n');
  return { status: 200, headers: { 'Content-Type': 'application/json' }, body: body.value };
}

// A bundle is frozen and the server hands out one per stored record: its document is marshalled once
// per hint, not on every fetch (peers fetch every few minutes for days of virtual time).
const BODIES = new WeakMap<SpiffeBundle, Map<number, ReturnType<typeof marshalSpireBundle>>>();
function marshalled(bundle: SpiffeBundle, refreshHint: number): ReturnType<typeof marshalSpireBundle> {
  let byHint = BODIES.get(bundle);
  if (!byHint) BODIES.set(bundle, (byHint = new Map()));
  let body = byHint.get(refreshHint);
  if (!body) byHint.set(refreshHint, (body = marshalSpireBundle(bundle, { refreshHint })));
  return body;
}

export interface BundleEndpointSource {
  readonly component: string;
  localBundle(): SpiffeBundle | undefined;
  /** The configured endpoint refresh hint (ms). */
  readonly refreshHint: number;
  tlsIdentity(): { readonly chain: readonly Certificate[]; readonly key: KeyPair } | undefined;
}

/** The endpoint as `sim/net` sees it (what the in-memory and HTTPS transports serve). */
export function makeBundleEndpoint(src: BundleEndpointSource): BundleEndpoint {
  return {
    component: src.component,
    serve: (method, path) => serveBundleEndpoint(method, path, src.localBundle(), src.refreshHint),
    tlsIdentity: () => src.tlsIdentity(),
  };
}
