/**
 * Peer X509-SVID verification (`go-spiffe:svid/x509svid/verify.go` Verify / ParseAndVerify): what a
 * SPIFFE TLS peer, and SPIRE's `https_spiffe` bundle client, run on the certificates the other side
 * presented. Smaller leaf checks than `parseX509Svid` (URI SAN, CA flag, keyCertSign, cRLSign — no
 * digitalSignature or non-root-path check), then the bundle of the **leaf's** trust domain from the
 * source, then X.509 path validation at `at` with the rest of the chain as intermediates and any EKU.
 * Simplified: Go may return several verified chains; `sim/pki` builds one, so `chains` has one entry.
 */
import { parseCertificate, verifyChain, type Certificate, type SignatureVerifier } from '../pki/index.ts';
import { err, ok, simError, type Result, type SimError } from '../core/result.ts';
import type { SpiffeId } from './id.ts';
import type { X509BundleSource } from './source.ts';
import { idFromCert } from './x509Svid.ts';

export type VerifyErrorCode =
  | 'spiffe/empty-chain'
  | 'spiffe/no-bundle-source'
  | 'spiffe/unparseable-certificate'
  | 'spiffe/leaf-id-invalid'
  | 'spiffe/leaf-is-ca'
  | 'spiffe/leaf-key-cert-sign'
  | 'spiffe/leaf-crl-sign'
  | 'spiffe/no-bundle-for-trust-domain'
  | 'spiffe/chain-invalid';

export type VerifyError = SimError<VerifyErrorCode>;

export interface VerifiedSvid {
  readonly id: SpiffeId;
  /** Leaf → root of the bundle. */
  readonly chains: readonly (readonly Certificate[])[];
}

const fail = (code: VerifyErrorCode, message: string, detail?: Record<string, unknown>, cause?: SimError): { ok: false; error: VerifyError } =>
  err(simError(code, `x509svid: ${message}`, detail, cause));

/**
 * `x509svid.Verify(certs, bundleSource, WithTime(at))`. Once the leaf's ID is known, errors carry it
 * as `detail.id` (upstream returns it alongside the error). The chain error from `sim/pki` is the
 * `cause` of `spiffe/chain-invalid`.
 */
export async function verifyX509Svid(
  verifier: SignatureVerifier,
  chain: readonly Certificate[],
  bundleSource: X509BundleSource | undefined,
  at: number,
): Promise<Result<VerifiedSvid, VerifyError>> {
  const leaf = chain[0];
  if (!leaf) return fail('spiffe/empty-chain', 'empty certificates chain');
  if (!bundleSource) return fail('spiffe/no-bundle-source', 'bundleSource is required');

  const id = idFromCert(leaf);
  if (!id.ok) return fail('spiffe/leaf-id-invalid', `could not get leaf SPIFFE ID: ${id.error.message}`, { uris: [...leaf.uris] }, id.error);
  const detail = { id: id.value.toString() };

  if (leaf.basicConstraints?.ca) return fail('spiffe/leaf-is-ca', 'leaf certificate with CA flag set to true', detail);
  const usages = leaf.keyUsage?.usages ?? [];
  if (usages.includes('keyCertSign')) return fail('spiffe/leaf-key-cert-sign', 'leaf certificate with KeyCertSign key usage', detail);
  if (usages.includes('cRLSign')) return fail('spiffe/leaf-crl-sign', 'leaf certificate with KeyCrlSign key usage', detail);

  const td = id.value.trustDomain;
  const bundle = bundleSource.getX509BundleForTrustDomain(td);
  if (!bundle.ok) return fail('spiffe/no-bundle-for-trust-domain', `could not get X509 bundle: ${bundle.error.message}`, { ...detail, trustDomain: td.name }, bundle.error);

  const verified = await verifyChain(verifier, leaf, { at, roots: bundle.value.x509Authorities, intermediates: chain.slice(1) });
  if (!verified.ok) return fail('spiffe/chain-invalid', `could not verify leaf certificate: ${verified.error.message}`, { ...detail, trustDomain: td.name }, verified.error);
  return ok({ id: id.value, chains: [verified.value] });
}

/** `x509svid.ParseAndVerify`: the same on raw DER certificates as a TLS handshake delivers them. */
export async function parseAndVerifyX509Svid(
  verifier: SignatureVerifier,
  rawCerts: readonly Uint8Array[],
  bundleSource: X509BundleSource | undefined,
  at: number,
): Promise<Result<VerifiedSvid, VerifyError>> {
  const certs: Certificate[] = [];
  for (const raw of rawCerts) {
    const c = parseCertificate(raw);
    if (!c.ok) return fail('spiffe/unparseable-certificate', `unable to parse certificate: ${c.error.message}`, undefined, c.error);
    certs.push(c.value);
  }
  return verifyX509Svid(verifier, certs, bundleSource, at);
}
