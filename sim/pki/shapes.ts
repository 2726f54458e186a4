/**
 * The certificate shapes SPIRE issues, as templates. This file knows X.509 profiles, not SPIFFE
 * semantics: IDs arrive as URI strings already validated by the caller.
 *
 * - CA (`spire:pkg/server/credtemplate/builder.go` buildX509CATemplate): subject C=US, O=SPIFFE plus
 *   a serialNumber attribute equal to the decimal certificate serial, CA:TRUE, keyCertSign|cRLSign,
 *   URI SAN = the trust domain ID, notBefore = now − 10 s, notAfter = now + ca_ttl.
 * - X509-SVID (buildX509SVIDTemplate): subject C=US, O=SPIRE (CN = first DNS name when present),
 *   digitalSignature|keyEncipherment|keyAgreement, serverAuth+clientAuth, CA:FALSE, exactly one URI
 *   SAN, notBefore = now − 10 s, notAfter = now + ttl capped at the signing CA's notAfter.
 */
import { SECOND } from '../core/duration.ts';
import type { CertificateTemplate } from './issue.ts';
import type { NameSpec } from './name.ts';

/** `spire:pkg/server/credtemplate/builder.go` NotBeforeCushion. */
export const NOT_BEFORE_CUSHION = 10 * SECOND;

export const SPIRE_CA_SUBJECT: NameSpec = { country: ['US'], organization: ['SPIFFE'] };
export const SPIRE_SVID_SUBJECT: NameSpec = { country: ['US'], organization: ['SPIRE'] };

export interface CaShape {
  readonly trustDomainId: string;
  readonly serial: bigint;
  readonly now: number;
  readonly ttl: number;
  /** ca_subject; defaults to C=US, O=SPIFFE. */
  readonly subject?: NameSpec;
  /** An UpstreamAuthority-signed intermediate may cap its lifetime at the upstream's notAfter. */
  readonly notAfterCap?: number;
}

export function spireCaTemplate(s: CaShape): CertificateTemplate {
  const subject = s.subject ?? SPIRE_CA_SUBJECT;
  const notAfter = s.now + s.ttl;
  return {
    serial: s.serial,
    subject: subject.serialNumber ? subject : { ...subject, serialNumber: s.serial.toString(10) },
    notBefore: s.now - NOT_BEFORE_CUSHION,
    notAfter: s.notAfterCap !== undefined ? Math.min(notAfter, s.notAfterCap) : notAfter,
    isCA: true,
    keyUsage: ['keyCertSign', 'cRLSign'],
    uris: [s.trustDomainId],
  };
}

export interface SvidShape {
  readonly spiffeId: string;
  readonly serial: bigint;
  readonly now: number;
  readonly ttl: number;
  /** The signing CA's notAfter: an SVID never outlives its CA. */
  readonly caNotAfter: number;
  readonly dnsNames?: readonly string[];
  readonly subject?: NameSpec;
}

export function x509SvidTemplate(s: SvidShape): CertificateTemplate {
  const dnsNames = s.dnsNames ?? [];
  const base = s.subject ?? SPIRE_SVID_SUBJECT;
  return {
    serial: s.serial,
    subject: dnsNames.length > 0 && !base.commonName ? { ...base, commonName: dnsNames[0]! } : base,
    notBefore: s.now - NOT_BEFORE_CUSHION,
    notAfter: Math.min(s.now + s.ttl, s.caNotAfter),
    isCA: false,
    keyUsage: ['digitalSignature', 'keyEncipherment', 'keyAgreement'],
    extKeyUsage: ['serverAuth', 'clientAuth'],
    uris: [s.spiffeId],
    dnsNames,
  };
}
