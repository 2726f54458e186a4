/**
 * X.501 distinguished names: build them in the order Go's `pkix.Name.ToRDNSequence` writes them
 * (C, ST, L, O, OU, CN, serialNumber — one attribute per RDN), parse them, and print them the way
 * OpenSSL (`C = US, O = SPIFFE`) and Go (`O=SPIFFE,C=US`) do.
 */
import * as der from './der.ts';
import { ATTRIBUTE_SHORT_NAMES, OID } from './oid.ts';
import { err, ok, simError, type Result, type SimError } from '../core/result.ts';

export interface NameAttribute {
  /** Dotted OID. */
  readonly type: string;
  readonly value: string;
}

export interface Name {
  /** One attribute per RDN, in encoded order. */
  readonly attributes: readonly NameAttribute[];
  /** The encoded Name (used for issuer/subject matching, as Go and OpenSSL compare raw bytes). */
  readonly der: Uint8Array;
}

export interface NameSpec {
  country?: readonly string[];
  province?: readonly string[];
  locality?: readonly string[];
  organization?: readonly string[];
  organizationalUnit?: readonly string[];
  commonName?: string;
  serialNumber?: string;
}

// Go's asn1 marshals a string as PrintableString when every character allows it, else UTF8String.
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

function encodeAttribute(a: NameAttribute): Uint8Array {
  const value = PRINTABLE.test(a.value) ? der.printableString(a.value) : der.utf8String(a.value);
  return der.set(der.seq(der.oid(a.type), value));
}

export function makeName(spec: NameSpec): Name {
  const attributes: NameAttribute[] = [];
  const add = (type: string, values: readonly string[] | undefined) => values?.forEach((value) => attributes.push({ type, value }));
  add(OID.country, spec.country);
  add(OID.province, spec.province);
  add(OID.locality, spec.locality);
  add(OID.organization, spec.organization);
  add(OID.organizationalUnit, spec.organizationalUnit);
  if (spec.commonName) attributes.push({ type: OID.commonName, value: spec.commonName });
  if (spec.serialNumber) attributes.push({ type: OID.serialNumber, value: spec.serialNumber });
  return { attributes, der: der.seq(...attributes.map(encodeAttribute)) };
}

export function parseName(t: der.Tlv): Result<Name, SimError<'pki/malformed-name'>> {
  const bad = () => err(simError('pki/malformed-name', 'x509: invalid RDNSequence'));
  if (t.tag !== der.TAG.SEQUENCE) return bad();
  const rdns = der.children(t);
  if (!rdns.ok) return bad();
  const attributes: NameAttribute[] = [];
  for (const rdn of rdns.value) {
    const atvs = der.children(rdn);
    if (rdn.tag !== der.TAG.SET || !atvs.ok) return bad();
    for (const atv of atvs.value) {
      const parts = der.children(atv);
      if (!parts.ok || parts.value.length !== 2 || parts.value[0]!.tag !== der.TAG.OID) return bad();
      attributes.push({ type: der.decodeOid(parts.value[0]!), value: der.decodeString(parts.value[1]!) });
    }
  }
  return ok({ attributes, der: der.raw(t).slice() });
}

const shortName = (type: string): string => ATTRIBUTE_SHORT_NAMES[type] ?? type;

/** OpenSSL 3's default one-line form: `C = US, O = SPIFFE, serialNumber = 1234`. */
export function formatNameOpenssl(name: Name): string {
  return name.attributes.map((a) => `${shortName(a.type)} = ${a.value}`).join(', ');
}

/** Go's `pkix.Name.String()` (RFC 2253 order, last RDN first): `SERIALNUMBER=1234,O=SPIFFE,C=US`. */
export function formatNameGo(name: Name): string {
  return [...name.attributes]
    .reverse()
    .map((a) => `${a.type === OID.serialNumber ? 'SERIALNUMBER' : shortName(a.type)}=${a.value.replace(/([,+"\\<>;])/g, '\\$1')}`)
    .join(',');
}

export function nameValues(name: Name, type: string): string[] {
  return name.attributes.filter((a) => a.type === type).map((a) => a.value);
}
