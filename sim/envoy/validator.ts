/**
 * How Envoy judges a peer's certificate chain with the ROOTCA it got over SDS.
 * - SPIFFE validator (envoy: source/extensions/transport_sockets/tls/cert_validator/spiffe/spiffe_validator.cc):
 *   1. the leaf must not be a CA nor carry keyCertSign/cRLSign (`cert precheck`);
 *   2. the bundle is chosen by the trust domain of the leaf's first URI SAN (`no trust bundle store`);
 *   3. X.509 path validation against that domain's roots only;
 *   4. SAN matchers from the static validation context (`SAN match`).
 * - Default validator with `trusted_ca` (istiod's CA; envoy: default_validator.cc): path validation
 *   against every root, then the SAN matchers (`SAN matcher`).
 * Any failure is BoringSSL's CERTIFICATE_VERIFY_FAILED for the side that judged.
 * Matchers are exact strings (client side, Istio's SAN list) or `spiffe://<td>/` prefixes (server side,
 * pilot/pkg/security/authn/utils/utils.go BuildInboundTLS).
 */
import { verifyChain, type Certificate, type ChainError, type SignatureVerifier } from '../pki/index.ts';
import type { RootCaSecret } from './secrets.ts';

export interface SanMatchers {
  readonly exact: readonly string[];
  readonly prefix: readonly string[];
}

export type PeerVerdict =
  | { readonly ok: true; readonly id: string | undefined; readonly trustDomain: string | undefined }
  | { readonly ok: false; readonly detail: string; readonly reason: 'precheck' | 'no-bundle' | 'chain' | 'san'; readonly id: string | undefined; readonly chainError?: ChainError };

const firstSpiffeUri = (c: Certificate): string | undefined => c.uris.find((u) => u.startsWith('spiffe://'));
const tdOf = (id: string | undefined): string | undefined => id?.slice('spiffe://'.length).split('/')[0];

/** OpenSSL's X509_verify_cert_error_string for the chain errors the lab produces. */
function x509ErrorString(e: ChainError): string {
  switch (e.code) {
    case 'pki/expired':
      return 'certificate has expired';
    case 'pki/not-yet-valid':
      return 'certificate is not yet valid';
    case 'pki/unknown-authority':
      return 'unable to get local issuer certificate';
    case 'pki/not-ca':
    case 'pki/ca-key-usage':
      return 'invalid CA certificate';
    case 'pki/path-length':
      return 'path length constraint exceeded';
    default:
      return 'certificate verify error';
  }
}

function sanMatches(cert: Certificate, m: SanMatchers): boolean {
  if (m.exact.length === 0 && m.prefix.length === 0) return true;
  // Istio's match_subject_alt_names apply to URI, DNS, email and IP SANs alike (certificate_validation_context_config_impl.cc).
  const sans = [...cert.uris, ...cert.dnsNames];
  return sans.some((s) => m.exact.includes(s) || m.prefix.some((p) => s.startsWith(p)));
}

export async function verifyPeer(verifier: SignatureVerifier, chain: readonly Certificate[], root: RootCaSecret, sans: SanMatchers, at: number): Promise<PeerVerdict> {
  const leaf = chain[0];
  if (!leaf) return { ok: false, reason: 'chain', detail: 'verify cert failed: no certificate', id: undefined };
  const id = firstSpiffeUri(leaf);
  let roots: readonly Certificate[];
  if (root.kind === 'spiffe') {
    const usages = leaf.keyUsage?.usages ?? [];
    if (leaf.basicConstraints?.ca || usages.includes('keyCertSign') || usages.includes('cRLSign')) return { ok: false, reason: 'precheck', detail: 'verify cert failed: cert precheck', id };
    const store = id ? root.trustDomains.get(tdOf(id)!) : undefined;
    if (!store) return { ok: false, reason: 'no-bundle', detail: 'verify cert failed: no trust bundle store', id };
    roots = store;
  } else roots = root.roots;
  const verified = await verifyChain(verifier, leaf, { at, roots, intermediates: chain.slice(1) });
  if (!verified.ok) return { ok: false, reason: 'chain', detail: `verify cert failed: ${x509ErrorString(verified.error)}`, id, chainError: verified.error };
  if (!sanMatches(leaf, sans)) return { ok: false, reason: 'san', detail: root.kind === 'spiffe' ? 'verify cert failed: SAN match' : 'verify cert failed: SAN matcher', id };
  return { ok: true, id, trustDomain: tdOf(id) };
}
