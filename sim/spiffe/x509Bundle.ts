/**
 * An X.509 bundle: the CA certificates trusted for one trust domain (`go-spiffe:bundle/x509bundle/
 * bundle.go`). Immutable: the `with…` methods return a new bundle. Authorities are kept in insertion
 * order without duplicates (same DER), like `AddX509Authority`.
 *
 * Parsing follows `x509bundle.Parse`: zero bytes is an empty bundle; otherwise every `CERTIFICATE`
 * PEM block is parsed as X.509 (other block types are skipped) with no SPIFFE checks at all — a
 * bundle may hold any CA, with or without a SPIFFE ID or CA flag — and keys are never imported.
 */
import { decodePem, encodePem, equalBytes, parseCertificate, type Certificate } from '../pki/index.ts';
import { err, ok, simError, type Result, type SimError } from '../core/result.ts';
import type { TrustDomain } from './trustDomain.ts';

export class X509Bundle {
  readonly x509Authorities: readonly Certificate[];

  private constructor(
    readonly trustDomain: TrustDomain,
    authorities: readonly Certificate[],
  ) {
    const unique: Certificate[] = [];
    for (const a of authorities) if (!unique.some((u) => equalBytes(u.der, a.der))) unique.push(a);
    this.x509Authorities = Object.freeze(unique);
    Object.freeze(this);
  }

  /** `x509bundle.New` / `FromX509Authorities`. */
  static of(trustDomain: TrustDomain, authorities: readonly Certificate[] = []): X509Bundle {
    return new X509Bundle(trustDomain, authorities);
  }

  isEmpty(): boolean {
    return this.x509Authorities.length === 0;
  }

  hasX509Authority(cert: Certificate): boolean {
    return this.x509Authorities.some((a) => equalBytes(a.der, cert.der));
  }

  withX509Authority(cert: Certificate): X509Bundle {
    return new X509Bundle(this.trustDomain, [...this.x509Authorities, cert]);
  }

  withoutX509Authority(cert: Certificate): X509Bundle {
    return new X509Bundle(
      this.trustDomain,
      this.x509Authorities.filter((a) => !equalBytes(a.der, cert.der)),
    );
  }

  /** Same trust domain and the same certificates in the same order (`Bundle.Equal`). */
  equals(other: X509Bundle): boolean {
    return (
      this.trustDomain.equals(other.trustDomain) &&
      this.x509Authorities.length === other.x509Authorities.length &&
      this.x509Authorities.every((a, i) => equalBytes(a.der, other.x509Authorities[i]!.der))
    );
  }

  /** `Bundle.Marshal`: concatenated `CERTIFICATE` PEM blocks. */
  marshal(): string {
    return this.x509Authorities.map((a) => encodePem('CERTIFICATE', a.der)).join('');
  }

  /** A single bundle as a source: only its own trust domain (`Bundle.GetX509BundleForTrustDomain`). */
  getX509BundleForTrustDomain(td: TrustDomain): Result<X509Bundle, SimError<'spiffe/no-bundle-for-trust-domain'>> {
    if (!this.trustDomain.equals(td))
      return err(simError('spiffe/no-bundle-for-trust-domain', `x509bundle: no X.509 bundle found for trust domain: ${JSON.stringify(td.name)}`, { trustDomain: td.name }));
    return ok(this);
  }
}

export type X509BundleParseError = SimError<'spiffe/x509-bundle-invalid'>;

/**
 * Parses the certificates of PEM text as go-spiffe's `pemutil.ParseCertificates` does: all
 * `CERTIFICATE` blocks, other block types skipped; `no PEM blocks found` when the text holds no PEM.
 * Returns the bare error message (callers add their package prefix).
 */
export function parsePemCertificates(text: string): Result<Certificate[], SimError> {
  const blocks = decodePem(text);
  // Go's pem.Decode skips a block whose base64 is damaged; with nothing else found that reads as
  // `no PEM blocks found`.
  if (!blocks.ok) return err(simError(blocks.error.code, 'no PEM blocks found'));
  const certs: Certificate[] = [];
  for (const b of blocks.value) {
    if (b.type !== 'CERTIFICATE') continue;
    const c = parseCertificate(b.der);
    if (!c.ok) return c;
    certs.push(c.value);
  }
  return ok(certs);
}

/** `x509bundle.Parse(td, bytes)`; errors read `x509bundle: cannot parse certificate: <err>`. */
export function parseX509Bundle(td: TrustDomain, pem: string): Result<X509Bundle, X509BundleParseError> {
  if (pem.length === 0) return ok(X509Bundle.of(td));
  const certs = parsePemCertificates(pem);
  if (!certs.ok) return err(simError('spiffe/x509-bundle-invalid', `x509bundle: cannot parse certificate: ${certs.error.message}`, { trustDomain: td.name }, certs.error));
  return ok(X509Bundle.of(td, certs.value));
}
