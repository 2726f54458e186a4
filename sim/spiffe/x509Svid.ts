/**
 * An X509-SVID: a SPIFFE ID, its certificate chain (leaf first) and private key
 * (`go-spiffe:svid/x509svid/svid.go`, `spec:standards/X509-SVID.md`). `parseX509Svid` is
 * `x509svid.Parse`: the same checks in the same order with the same messages. It checks shape only —
 * no validity period, no EKU, no chain signatures (that is `verifyX509Svid`).
 */
import {
  decodePem,
  encodePem,
  equalBytes,
  parsePkcs8PrivateKey,
  type Certificate,
  type IssuedCertificate,
} from '../pki/index.ts';
import { err, ok, simError, type Result, type SimError } from '../core/result.ts';
import { parseSpiffeId, type SpiffeId } from './id.ts';
import type { SpiffeIdError } from './idSyntax.ts';
import { publicJwkFromSpki, publicJwkEquals } from './jwk.ts';
import { parsePemCertificates } from './x509Bundle.ts';

export interface X509Svid {
  readonly id: SpiffeId;
  /** Leaf first, then intermediates up to (not including) a root of the trust domain's bundle. */
  readonly certificates: readonly Certificate[];
  readonly privateKey: CryptoKey;
  /** Operator guidance when a workload receives several SVIDs (Workload API `hint`). */
  readonly hint?: string;
}

export type X509SvidErrorCode = 'spiffe/svid-bad-pem' | 'spiffe/svid-certificate-invalid' | 'spiffe/svid-private-key-invalid';
export type X509SvidError = SimError<X509SvidErrorCode>;

export type IdFromCertError = SimError<'spiffe/no-uri-san' | 'spiffe/multiple-uri-sans'> | SpiffeIdError;

/**
 * The URI SAN as Go's `url.URL.String()` gives it back after `x509.ParseCertificate` parsed it with
 * `url.Parse`: the scheme is lower-cased and an empty fragment (`…#`) disappears. So a SAN
 * `SPIFFE://example.org/x` yields the ID `spiffe://example.org/x` in go-spiffe.
 */
function goUriString(uri: string): string {
  let s = uri.replace(/^([A-Za-z][A-Za-z0-9+.-]*):/, (_m, scheme: string) => `${scheme.toLowerCase()}:`);
  const hash = s.indexOf('#');
  if (hash >= 0 && hash === s.length - 1) s = s.slice(0, hash);
  return s;
}

/** `x509svid.IDFromCert`: exactly one URI SAN holding a valid SPIFFE ID. */
export function idFromCert(cert: Certificate): Result<SpiffeId, IdFromCertError> {
  if (cert.uris.length === 0) return err(simError('spiffe/no-uri-san', 'certificate contains no URI SAN'));
  if (cert.uris.length > 1) return err(simError('spiffe/multiple-uri-sans', 'certificate contains more than one URI SAN', { uris: [...cert.uris] }));
  return parseSpiffeId(goUriString(cert.uris[0]!));
}

/**
 * `validateCertificates` (bare messages): leaf — SPIFFE ID, non-root path, not a CA, key usage has
 * digitalSignature and neither keyCertSign nor cRLSign; every further certificate — CA flag, then
 * keyCertSign.
 */
export function validateX509SvidCertificates(certs: readonly Certificate[]): Result<SpiffeId, SimError> {
  const fail = (message: string, cause?: SimError): { ok: false; error: SimError } => err(simError('spiffe/svid-certificate-invalid', message, undefined, cause));
  const leaf = certs[0];
  if (!leaf) return fail('no certificates found');
  const id = idFromCert(leaf);
  if (!id.ok) return fail(`cannot get leaf certificate SPIFFE ID: ${id.error.message}`, id.error);
  if (id.value.path === '') return fail('leaf certificate SPIFFE ID must have a non-root path');
  if (leaf.basicConstraints?.ca) return fail('leaf certificate must not have CA flag set to true');
  const usages = leaf.keyUsage?.usages ?? [];
  if (!usages.includes('digitalSignature')) return fail("leaf certificate must have 'digitalSignature' set as key usage");
  if (usages.includes('keyCertSign')) return fail("leaf certificate must not have 'keyCertSign' set as key usage");
  if (usages.includes('cRLSign')) return fail("leaf certificate must not have 'cRLSign' set as key usage");
  for (const c of certs.slice(1)) {
    if (!c.basicConstraints?.ca) return fail('signing certificate must have CA flag set to true');
    if (!c.keyUsage?.usages.includes('keyCertSign')) return fail("signing certificate must have 'keyCertSign' set as key usage");
  }
  return ok(id.value);
}

/** Go's keyMatches: same algorithm and the same public numbers. */
function publicKeysMatch(keySpki: Uint8Array, certSpki: Uint8Array): boolean {
  const a = publicJwkFromSpki(keySpki);
  const b = publicJwkFromSpki(certSpki);
  if (a && b) return publicJwkEquals(a, b);
  return equalBytes(keySpki, certSpki);
}

const wrap = (code: X509SvidErrorCode, message: string, cause?: SimError): { ok: false; error: X509SvidError } =>
  err(simError(code, `x509svid: ${message}`, undefined, cause));

/**
 * `x509svid.Parse(certPEM, keyPEM)`. Non-matching PEM block types are skipped, so one text may hold
 * both the chain and the key in any order. The key must be PKCS#8 (`PRIVATE KEY`); the first one is
 * used. Every error is prefixed `x509svid: `.
 */
export async function parseX509Svid(crypto: Crypto, certPem: string, keyPem: string): Promise<Result<X509Svid, X509SvidError>> {
  const certs = parsePemCertificates(certPem);
  if (!certs.ok) return wrap('spiffe/svid-bad-pem', `cannot parse PEM encoded certificate: ${certs.error.message}`, certs.error);

  const blocks = decodePem(keyPem);
  if (!blocks.ok) return wrap('spiffe/svid-bad-pem', 'cannot parse PEM encoded private key: no PEM blocks found', blocks.error);
  let key: { key: CryptoKey; spki: Uint8Array } | undefined;
  for (const b of blocks.value) {
    if (b.type !== 'PRIVATE KEY') continue;
    const parsed = await parsePkcs8PrivateKey(crypto, b.der);
    if (!parsed.ok) return wrap('spiffe/svid-bad-pem', `cannot parse PEM encoded private key: ${parsed.error.message}`, parsed.error);
    key ??= parsed.value;
  }

  const id = validateX509SvidCertificates(certs.value);
  if (!id.ok) return wrap('spiffe/svid-certificate-invalid', `certificate validation failed: ${id.error.message}`, id.error);

  if (!key) return wrap('spiffe/svid-private-key-invalid', 'private key validation failed: no private key found');
  if (!publicKeysMatch(key.spki, certs.value[0]!.spki)) return wrap('spiffe/svid-private-key-invalid', 'private key validation failed: leaf certificate does not match private key');
  return ok({ id: id.value, certificates: certs.value, privateKey: key.key });
}

/**
 * An SVID from what `sim/pki` issued (leaf + its key), plus the intermediates to send with it. Runs
 * the same certificate checks as `parseX509Svid`, so a mis-shaped issuance is caught where it happens.
 */
export function svidFromIssued(issued: IssuedCertificate, intermediates: readonly Certificate[] = [], hint?: string): Result<X509Svid, X509SvidError> {
  const certificates = [issued.cert, ...intermediates];
  const id = validateX509SvidCertificates(certificates);
  if (!id.ok) return wrap('spiffe/svid-certificate-invalid', `certificate validation failed: ${id.error.message}`, id.error);
  if (!publicKeysMatch(issued.key.spki, issued.cert.spki)) return wrap('spiffe/svid-private-key-invalid', 'private key validation failed: leaf certificate does not match private key');
  return ok(hint === undefined ? { id: id.value, certificates, privateKey: issued.key.privateKey } : { id: id.value, certificates, privateKey: issued.key.privateKey, hint });
}

/**
 * `SVID.Marshal`: the chain as `CERTIFICATE` blocks and the key as one PKCS#8 `PRIVATE KEY` block
 * (the files spiffe-helper writes). The key must be extractable (keys from `sim/pki` are).
 */
export async function marshalX509Svid(crypto: Crypto, svid: X509Svid): Promise<Result<{ certificates: string; privateKey: string }, SimError>> {
  if (svid.certificates.length === 0) return err(simError('spiffe/svid-marshal-failed', 'x509svid: no certificates to marshal'));
  let pkcs8: Uint8Array;
  try {
    pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', svid.privateKey));
  } catch (e) {
    return err(simError('spiffe/svid-marshal-failed', `x509svid: cannot encode private key: ${(e as Error).message}`));
  }
  return ok({ certificates: svid.certificates.map((c) => encodePem('CERTIFICATE', c.der)).join(''), privateKey: encodePem('PRIVATE KEY', pkcs8) });
}
