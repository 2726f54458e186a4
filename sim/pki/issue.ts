/**
 * Certificate issuance, fast path. Issuing a certificate is one key generation (when the caller
 * wants a fresh key), one SPKI export, one signature and DER encoding done here by hand: building
 * the TBSCertificate directly keeps issuance near the WebCrypto limit, where a general ASN.1 object
 * model costs ~2 ms per certificate. Every date, serial and key is passed in.
 *
 * Extension order and criticality follow Go's `x509.CreateCertificate` (`crypto/x509/x509.go`
 * `buildCertExtensions`), since SPIRE issues through it: keyUsage (critical), extKeyUsage,
 * basicConstraints (critical), subjectKeyIdentifier, authorityKeyIdentifier (not on a self-signed
 * certificate), subjectAltName (DNS names before URIs; critical only when the subject is empty).
 */
import { toWholeSeconds } from '../core/clock.ts';
import type { Certificate, Extension, KeyUsage } from './certificate.ts';
import { EXT_KEY_USAGE_NAMES, KEY_USAGES, keyUsageBits } from './certificate.ts';
import * as der from './der.ts';
import { generateKeyPair, signData, signatureOidFor, type KeyPair, type KeyType } from './keys.ts';
import { makeName, type Name, type NameSpec } from './name.ts';
import { OID } from './oid.ts';
import { sha1 } from './sha1.ts';

export interface CertificateTemplate {
  readonly serial: bigint;
  readonly subject: NameSpec | Name;
  /** Milliseconds since the epoch; cut to whole seconds (ASN.1 time resolution). */
  readonly notBefore: number;
  readonly notAfter: number;
  readonly isCA: boolean;
  readonly pathLen?: number;
  readonly keyUsage: readonly KeyUsage[];
  readonly extKeyUsage?: readonly ('serverAuth' | 'clientAuth')[];
  readonly uris?: readonly string[];
  readonly dnsNames?: readonly string[];
}

/** Who signs: a CA certificate and its key. */
export interface Issuer {
  readonly cert: Certificate;
  readonly key: KeyPair;
}

export interface IssuedCertificate {
  readonly cert: Certificate;
  readonly key: KeyPair;
}

const EKU_OIDS = { serverAuth: OID.serverAuth, clientAuth: OID.clientAuth } as const;

const isName = (s: NameSpec | Name): s is Name => 'der' in s && 'attributes' in s;

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING's bytes. */
export function subjectKeyIdOf(spki: Uint8Array): Uint8Array {
  const top = der.readOne(spki);
  const parts = top.ok ? der.children(top.value) : undefined;
  const bits = parts?.ok ? parts.value[1] : undefined;
  if (!bits) throw new Error('subjectKeyIdOf: not a SubjectPublicKeyInfo');
  return sha1(der.content(bits).subarray(1));
}

const utf8 = new TextEncoder();

function encodeExtension(e: Extension): Uint8Array {
  return e.critical ? der.seq(der.oid(e.oid), der.bool(true), der.octetString(e.value)) : der.seq(der.oid(e.oid), der.octetString(e.value));
}

interface EncodedExtensions {
  readonly list: readonly Extension[];
  readonly encoded: readonly Uint8Array[];
}

/**
 * keyUsage, extKeyUsage and basicConstraints are the same for every certificate of one profile:
 * encode them once per profile rather than once per certificate (the issuance hot path).
 */
const profileCache = new Map<string, EncodedExtensions>();
function profileExtensions(t: CertificateTemplate): EncodedExtensions {
  const key = `${t.isCA}|${t.pathLen ?? ''}|${t.keyUsage.join(',')}|${t.extKeyUsage?.join(',') ?? ''}`;
  let cached = profileCache.get(key);
  if (!cached) {
    const list: Extension[] = [];
    if (t.keyUsage.length > 0) {
      const { bytes, unused } = keyUsageBits(t.keyUsage);
      list.push({ oid: OID.keyUsage, critical: true, value: der.bitString(bytes, unused) });
    }
    if (t.extKeyUsage && t.extKeyUsage.length > 0) list.push({ oid: OID.extKeyUsage, critical: false, value: der.seq(...t.extKeyUsage.map((u) => der.oid(EKU_OIDS[u]))) });
    const bc = t.isCA ? (t.pathLen !== undefined ? der.seq(der.bool(true), der.integer(t.pathLen)) : der.seq(der.bool(true))) : der.seq();
    list.push({ oid: OID.basicConstraints, critical: true, value: bc });
    cached = { list, encoded: list.map(encodeExtension) };
    profileCache.set(key, cached);
  }
  return cached;
}

interface IssuerParts {
  readonly algId: Uint8Array;
  readonly aki: Uint8Array;
  readonly akiExtension: Extension;
  readonly akiEncoded: Uint8Array;
}

/** What every certificate signed by one CA shares, computed once per CA. */
const issuerCache = new WeakMap<Certificate, IssuerParts>();
function issuerParts(issuer: Issuer): IssuerParts {
  let parts = issuerCache.get(issuer.cert);
  if (!parts) {
    const aki = issuer.cert.subjectKeyId ?? subjectKeyIdOf(issuer.cert.spki);
    const akiExtension: Extension = { oid: OID.authorityKeyIdentifier, critical: false, value: der.seq(der.implicit(0, aki)) };
    parts = { algId: algorithmIdentifier(issuer.key.type), aki, akiExtension, akiEncoded: encodeExtension(akiExtension) };
    issuerCache.set(issuer.cert, parts);
  }
  return parts;
}

const algorithmIdentifier = (type: KeyType): Uint8Array =>
  type.startsWith('rsa') ? der.seq(der.oid(signatureOidFor(type)), der.nullValue()) : der.seq(der.oid(signatureOidFor(type)));

const nameCache = new Map<string, Name>();
function subjectName(spec: NameSpec | Name): Name {
  if (isName(spec)) return spec;
  const key = JSON.stringify(spec);
  let name = nameCache.get(key);
  if (!name) {
    name = makeName(spec);
    if (nameCache.size < 10_000) nameCache.set(key, name);
  }
  return name;
}

/**
 * Signs a certificate for `subjectKey`. With no issuer the certificate is self-signed by
 * `subjectKey` (a root CA). Returns the certificate model built from the same inputs as the DER, so
 * the hot path never re-parses what it just wrote.
 */
export async function issueCertificate(crypto: Crypto, t: CertificateTemplate, subjectKey: KeyPair, issuer?: Issuer): Promise<IssuedCertificate> {
  const subject = subjectName(t.subject);
  const signer = issuer?.key ?? subjectKey;
  const parts = issuer ? issuerParts(issuer) : undefined;
  const issuerName = issuer?.cert.subject ?? subject;
  const algId = parts?.algId ?? algorithmIdentifier(signer.type);
  const ski = subjectKeyIdOf(subjectKey.spki);
  const notBefore = toWholeSeconds(t.notBefore);
  const notAfter = toWholeSeconds(t.notAfter);
  const profile = profileExtensions(t);

  const extensions: Extension[] = [...profile.list];
  const encoded: Uint8Array[] = [...profile.encoded];
  const skiExtension: Extension = { oid: OID.subjectKeyIdentifier, critical: false, value: der.octetString(ski) };
  extensions.push(skiExtension);
  encoded.push(encodeExtension(skiExtension));
  if (parts) {
    extensions.push(parts.akiExtension);
    encoded.push(parts.akiEncoded);
  }
  const dnsNames = t.dnsNames ?? [];
  const uris = t.uris ?? [];
  const sanCritical = subject.attributes.length === 0 && dnsNames.length + uris.length > 0;
  if (dnsNames.length + uris.length > 0) {
    const names = [...dnsNames.map((d) => der.tlv(0x82, utf8.encode(d))), ...uris.map((u) => der.tlv(0x86, utf8.encode(u)))];
    const san: Extension = { oid: OID.subjectAltName, critical: sanCritical, value: der.seq(...names) };
    extensions.push(san);
    encoded.push(encodeExtension(san));
  }

  const tbs = der.seq(
    TBS_VERSION,
    der.integer(t.serial),
    algId,
    issuerName.der,
    der.seq(der.time(notBefore), der.time(notAfter)),
    subject.der,
    subjectKey.spki,
    der.explicit(3, der.seq(...encoded)),
  );
  const signature = await signData(crypto, signer, tbs);
  const cert: Certificate = {
    der: der.seq(tbs, algId, der.bitString(signature)),
    tbs,
    version: 3,
    serial: t.serial,
    signatureOid: signatureOidFor(signer.type),
    signature,
    issuer: issuerName,
    subject,
    notBefore,
    notAfter,
    spki: subjectKey.spki,
    publicKey: subjectKey.info,
    extensions,
    basicConstraints: t.isCA && t.pathLen !== undefined ? { ca: true, pathLen: t.pathLen, critical: true } : { ca: t.isCA, critical: true },
    ...(t.keyUsage.length > 0 ? { keyUsage: { usages: KEY_USAGES.filter((u) => t.keyUsage.includes(u)), critical: true } } : {}),
    ...(t.extKeyUsage && t.extKeyUsage.length > 0 ? { extKeyUsage: t.extKeyUsage.map((u) => EXT_KEY_USAGE_NAMES[EKU_OIDS[u]]!) } : {}),
    uris: [...uris],
    dnsNames: [...dnsNames],
    sanCritical,
    subjectKeyId: ski,
    ...(parts ? { authorityKeyId: parts.aki } : {}),
    unhandledCritical: [],
  };
  return { cert, key: subjectKey };
}

const TBS_VERSION = der.explicit(0, der.integer(2));

/** Generates a fresh key of `keyType` and issues a certificate for it. */
export async function issueWithNewKey(crypto: Crypto, t: CertificateTemplate, keyType: KeyType, issuer?: Issuer): Promise<IssuedCertificate> {
  const key = await generateKeyPair(crypto, keyType);
  return issueCertificate(crypto, t, key, issuer);
}
