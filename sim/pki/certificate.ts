/**
 * An X.509 certificate as the lab reads it: the fields SPIFFE and TLS decisions depend on, parsed
 * from DER (RFC 5280 §4.1). Parse failures use Go's wording (`x509: malformed certificate`), which is
 * what go-spiffe and SPIRE print.
 */
import * as der from './der.ts';
import { describePublicKey, type PublicKeyInfo } from './keys.ts';
import { parseName, type Name } from './name.ts';
import { OID } from './oid.ts';
import { err, ok, simError, type Result, type SimError } from '../core/result.ts';

export const KEY_USAGES = [
  'digitalSignature',
  'contentCommitment',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsage = (typeof KEY_USAGES)[number];

export const EXT_KEY_USAGE_NAMES: Readonly<Record<string, string>> = {
  [OID.serverAuth]: 'serverAuth',
  [OID.clientAuth]: 'clientAuth',
  [OID.anyExtendedKeyUsage]: 'any',
};

export interface Extension {
  readonly oid: string;
  readonly critical: boolean;
  /** The extnValue OCTET STRING's content. */
  readonly value: Uint8Array;
}

export interface Certificate {
  readonly der: Uint8Array;
  readonly tbs: Uint8Array;
  readonly version: number;
  readonly serial: bigint;
  readonly signatureOid: string;
  readonly signature: Uint8Array;
  readonly issuer: Name;
  readonly subject: Name;
  /** Milliseconds since the epoch. */
  readonly notBefore: number;
  readonly notAfter: number;
  /** SubjectPublicKeyInfo, DER. */
  readonly spki: Uint8Array;
  readonly publicKey: PublicKeyInfo;
  readonly extensions: readonly Extension[];
  readonly basicConstraints?: { readonly ca: boolean; readonly pathLen?: number; readonly critical: boolean };
  readonly keyUsage?: { readonly usages: readonly KeyUsage[]; readonly critical: boolean };
  /** `serverAuth`, `clientAuth`, `any`, or the dotted OID of any other usage. */
  readonly extKeyUsage?: readonly string[];
  readonly uris: readonly string[];
  readonly dnsNames: readonly string[];
  readonly sanCritical: boolean;
  readonly subjectKeyId?: Uint8Array;
  readonly authorityKeyId?: Uint8Array;
  /** OIDs of critical extensions the lab does not understand (RFC 5280: such a certificate must be rejected). */
  readonly unhandledCritical: readonly string[];
}

export type CertificateParseError = SimError<'pki/malformed-certificate'>;

const malformed = (what = 'certificate'): { ok: false; error: CertificateParseError } =>
  err(simError('pki/malformed-certificate', `x509: malformed ${what}`));

export function keyUsageBits(usages: readonly KeyUsage[]): { bytes: Uint8Array; unused: number } {
  let bits = 0;
  let highest = -1;
  for (const u of usages) {
    const i = KEY_USAGES.indexOf(u);
    bits |= 1 << i;
    highest = Math.max(highest, i);
  }
  if (highest < 0) return { bytes: new Uint8Array(), unused: 0 };
  const nBytes = highest < 8 ? 1 : 2;
  const bytes = new Uint8Array(nBytes);
  for (let i = 0; i <= highest; i++) if (bits & (1 << i)) bytes[i >> 3]! |= 0x80 >> (i & 7);
  return { bytes, unused: nBytes * 8 - 1 - highest };
}

function parseKeyUsage(value: Uint8Array): KeyUsage[] | undefined {
  const t = der.readOne(value);
  if (!t.ok || t.value.tag !== der.TAG.BIT_STRING) return undefined;
  const c = der.content(t.value);
  const usages: KeyUsage[] = [];
  KEY_USAGES.forEach((u, i) => {
    const byte = c[1 + (i >> 3)];
    if (byte !== undefined && byte & (0x80 >> (i & 7))) usages.push(u);
  });
  return usages;
}

interface ParsedExtensions {
  basicConstraints?: Certificate['basicConstraints'];
  keyUsage?: Certificate['keyUsage'];
  extKeyUsage?: string[];
  uris: string[];
  dnsNames: string[];
  sanCritical: boolean;
  subjectKeyId?: Uint8Array;
  authorityKeyId?: Uint8Array;
  unhandledCritical: string[];
}

function parseExtensions(exts: readonly Extension[]): Result<ParsedExtensions, CertificateParseError> {
  const out: ParsedExtensions = { uris: [], dnsNames: [], sanCritical: false, unhandledCritical: [] };
  for (const ext of exts) {
    const t = der.readOne(ext.value);
    if (!t.ok) return malformed('extension');
    switch (ext.oid) {
      case OID.basicConstraints: {
        const parts = der.children(t.value);
        if (!parts.ok) return malformed('basic constraints');
        let ca = false;
        let pathLen: number | undefined;
        for (const p of parts.value) {
          if (p.tag === der.TAG.BOOLEAN) ca = der.content(p)[0] !== 0;
          else if (p.tag === der.TAG.INTEGER) pathLen = Number(der.decodeInteger(p));
        }
        out.basicConstraints = pathLen === undefined ? { ca, critical: ext.critical } : { ca, pathLen, critical: ext.critical };
        break;
      }
      case OID.keyUsage: {
        const usages = parseKeyUsage(ext.value);
        if (!usages) return malformed('key usage');
        out.keyUsage = { usages, critical: ext.critical };
        break;
      }
      case OID.extKeyUsage: {
        const parts = der.children(t.value);
        if (!parts.ok) return malformed('extended key usages');
        out.extKeyUsage = parts.value.map((p) => {
          const o = der.decodeOid(p);
          return EXT_KEY_USAGE_NAMES[o] ?? o;
        });
        break;
      }
      case OID.subjectAltName: {
        const parts = der.children(t.value);
        if (!parts.ok) return malformed('SAN extension');
        out.sanCritical = ext.critical;
        for (const p of parts.value) {
          if (p.tag === 0x86) out.uris.push(der.decodeString(p));
          else if (p.tag === 0x82) out.dnsNames.push(der.decodeString(p));
        }
        break;
      }
      case OID.subjectKeyIdentifier:
        out.subjectKeyId = der.content(t.value).slice();
        break;
      case OID.authorityKeyIdentifier: {
        const parts = der.children(t.value);
        if (!parts.ok) return malformed('authority key identifier');
        const keyId = parts.value.find((p) => p.tag === 0x80);
        if (keyId) out.authorityKeyId = der.content(keyId).slice();
        break;
      }
      default:
        // Simplified: name constraints are recognised but not enforced (SPIRE never issues them).
        if (ext.critical && ext.oid !== OID.nameConstraints) out.unhandledCritical.push(ext.oid);
    }
  }
  return ok(out);
}

export function parseCertificate(bytes: Uint8Array): Result<Certificate, CertificateParseError> {
  const top = der.readOne(bytes);
  if (!top.ok || top.value.tag !== der.TAG.SEQUENCE) return malformed();
  const outer = der.children(top.value);
  if (!outer.ok || outer.value.length !== 3) return malformed();
  const [tbsTlv, sigAlgTlv, sigTlv] = outer.value as [der.Tlv, der.Tlv, der.Tlv];
  if (tbsTlv.tag !== der.TAG.SEQUENCE || sigTlv.tag !== der.TAG.BIT_STRING) return malformed();
  const fields = der.children(tbsTlv);
  if (!fields.ok) return malformed('tbs certificate');
  const f = [...fields.value];
  let version = 1;
  if (f[0]?.tag === 0xa0) {
    const v = der.children(f.shift()!);
    if (!v.ok || v.value.length !== 1) return malformed('version');
    version = Number(der.decodeInteger(v.value[0]!)) + 1;
  }
  const [serialTlv, , issuerTlv, validityTlv, subjectTlv, spkiTlv, ...rest] = f;
  if (!serialTlv || !issuerTlv || !validityTlv || !subjectTlv || !spkiTlv || serialTlv.tag !== der.TAG.INTEGER) return malformed('tbs certificate');
  const sigAlg = der.children(sigAlgTlv);
  if (!sigAlg.ok || sigAlg.value[0]?.tag !== der.TAG.OID) return malformed('signature algorithm identifier');
  const issuer = parseName(issuerTlv);
  const subject = parseName(subjectTlv);
  if (!issuer.ok) return malformed('issuer');
  if (!subject.ok) return malformed('subject');
  const validity = der.children(validityTlv);
  const notBefore = validity.ok && validity.value[0] ? der.decodeTime(validity.value[0]) : undefined;
  const notAfter = validity.ok && validity.value[1] ? der.decodeTime(validity.value[1]) : undefined;
  if (notBefore === undefined || notAfter === undefined) return malformed('validity');

  const extensions: Extension[] = [];
  const extWrapper = rest.find((t) => t.tag === 0xa3);
  if (extWrapper) {
    const list = der.children(extWrapper);
    const items = list.ok && list.value[0] ? der.children(list.value[0]) : undefined;
    if (!items?.ok) return malformed('extensions');
    for (const item of items.value) {
      const parts = der.children(item);
      if (!parts.ok || parts.value.length < 2 || parts.value[0]!.tag !== der.TAG.OID) return malformed('extension');
      const critical = parts.value.length === 3 && der.content(parts.value[1]!)[0] !== 0;
      const valueTlv = parts.value[parts.value.length - 1]!;
      if (valueTlv.tag !== der.TAG.OCTET_STRING) return malformed('extension');
      extensions.push({ oid: der.decodeOid(parts.value[0]!), critical, value: der.content(valueTlv).slice() });
    }
  }
  const parsed = parseExtensions(extensions);
  if (!parsed.ok) return parsed;
  const spki = der.raw(spkiTlv).slice();
  const sigBits = der.content(sigTlv);
  return ok({
    der: bytes,
    tbs: der.raw(tbsTlv).slice(),
    version,
    serial: der.decodeInteger(serialTlv),
    signatureOid: der.decodeOid(sigAlg.value[0]!),
    signature: sigBits.slice(1),
    issuer: issuer.value,
    subject: subject.value,
    notBefore,
    notAfter,
    spki,
    publicKey: describePublicKey(spki),
    extensions,
    ...parsed.value,
  });
}

/** Lowercase hex without separators, as `spire-server` and Go's `%x` print serials. */
export function serialHex(serial: bigint): string {
  return serial.toString(16);
}
