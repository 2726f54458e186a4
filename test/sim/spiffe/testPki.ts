// Certificates for the spiffe tests, issued by sim/pki in SPIRE's shapes at fixed times.
import { readFileSync } from 'node:fs';
import { HOUR } from '../../../sim/core/duration.ts';
import { unwrap } from '../../../sim/core/result.ts';
import { issueWithNewKey, spireCaTemplate, x509SvidTemplate, type CertificateTemplate, type IssuedCertificate, type KeyType } from '../../../sim/pki/index.ts';
import { trustDomainFromString, type TrustDomain } from '../../../sim/spiffe/index.ts';
import { sharedPath } from '../../helpers/shared.ts';

export const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

let serial = 1000n;
const nextSerial = (): bigint => ++serial;

export const td = (name: string): TrustDomain => unwrap(trustDomainFromString(name));

/** A self-signed SPIRE-shaped root CA for `trustDomain`, valid [now − 10 s, now + ttl]. */
export async function makeCa(trustDomain: string, keyType: KeyType = 'ec-p256', now = T0, ttl = 24 * HOUR): Promise<IssuedCertificate> {
  return issueWithNewKey(crypto, spireCaTemplate({ trustDomainId: `spiffe://${trustDomain}`, serial: nextSerial(), now, ttl }), keyType);
}

/** An intermediate CA signed by `parent` (SPIRE with an UpstreamAuthority). */
export async function makeIntermediate(parent: IssuedCertificate, trustDomain: string, keyType: KeyType = 'ec-p256', now = T0, ttl = 12 * HOUR): Promise<IssuedCertificate> {
  return issueWithNewKey(crypto, spireCaTemplate({ trustDomainId: `spiffe://${trustDomain}`, serial: nextSerial(), now, ttl, notAfterCap: parent.cert.notAfter }), keyType, parent);
}

/** A SPIRE-shaped X509-SVID for `spiffeId` signed by `ca`, valid [now − 10 s, now + ttl]. */
export async function makeSvid(
  ca: IssuedCertificate,
  spiffeId: string,
  opts: { now?: number; ttl?: number; keyType?: KeyType; change?: Partial<CertificateTemplate> } = {},
): Promise<IssuedCertificate> {
  const t = x509SvidTemplate({ spiffeId, serial: nextSerial(), now: opts.now ?? T0, ttl: opts.ttl ?? HOUR, caNotAfter: ca.cert.notAfter });
  return issueWithNewKey(crypto, { ...t, ...opts.change }, opts.keyType ?? 'ec-p256', ca);
}

/** A go-spiffe conformance file, as text. */
export const conformance = (...parts: string[]): string => readFileSync(sharedPath('conformance', 'go-spiffe', ...parts), 'utf8');
