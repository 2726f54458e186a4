// Test CAs and SVIDs made with the lab's own issuance, at fixed times.
import { generateKeyPair, issueCertificate, issueWithNewKey, spireCaTemplate, x509SvidTemplate, type IssuedCertificate, type KeyType } from '../../sim/pki/index.ts';
import { Rng } from '../../sim/core/rng.ts';

export const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);
export const HOUR_MS = 3_600_000;
export const crypto = globalThis.crypto;

const rng = new Rng('test-pki');

export async function testCa(trustDomain = 'example.org', keyType: KeyType = 'ec-p256', now = T0, ttl = 24 * HOUR_MS): Promise<IssuedCertificate> {
  const key = await generateKeyPair(crypto, keyType);
  return issueCertificate(crypto, spireCaTemplate({ trustDomainId: `spiffe://${trustDomain}`, serial: rng.serial(), now, ttl }), key);
}

export async function testSvid(ca: IssuedCertificate, spiffeId: string, opts: { now?: number; ttl?: number; dnsNames?: string[] } = {}): Promise<IssuedCertificate> {
  const t = x509SvidTemplate({ spiffeId, serial: rng.serial(), now: opts.now ?? T0, ttl: opts.ttl ?? HOUR_MS, caNotAfter: ca.cert.notAfter, dnsNames: opts.dnsNames ?? [] });
  return issueWithNewKey(crypto, t, 'ec-p256', ca);
}
