/**
 * `openssl x509 -text`: OpenSSL 3.0's X509_print_ex (crypto/x509/t_x509.c) with the extension printers of
 * crypto/x509/v3_*.c, for the certificates the lab issues (EC P-256/P-384/P-521 and RSA keys; Key Usage,
 * Extended Key Usage, Basic Constraints, Subject/Authority Key Identifier, Subject Alternative Name).
 * Checked byte for byte against OpenSSL 3.0.19 on SPIRE SVIDs and CAs. Other key types and extensions
 * OpenSSL knows but the lab does not print (e.g. Name Constraints) are refused rather than printed wrongly.
 */
import * as der from '../pki/der.ts';
import { formatNameOpenssl, OID, type Certificate } from '../pki/index.ts';
import { opensslDate } from './openssl.ts';

const hex2 = (b: number): string => b.toString(16).padStart(2, '0');

/** ASN1_buf_print / X509_signature_dump: lowercase hex, `:`-separated, `perLine` bytes a line. */
function hexLines(bytes: Uint8Array, indent: number, perLine: number): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += perLine) {
    const chunk = [...bytes.subarray(i, i + perLine)].map(hex2).join(':');
    lines.push(' '.repeat(indent) + chunk + (i + perLine < bytes.length ? ':' : ''));
  }
  return `${lines.join('\n')}\n`;
}

/** i2s_ASN1_OCTET_STRING: uppercase hex, `:`-separated, one line. */
const upperHex = (bytes: Uint8Array): string => [...bytes].map((b) => hex2(b).toUpperCase()).join(':');

/** OBJ_nid2ln of the signature algorithms the lab's certificates use (also s_client's `sigalg:`). */
export const SIGNATURE_NAMES: Record<string, string> = {
  [OID.ecdsaWithSha256]: 'ecdsa-with-SHA256',
  [OID.ecdsaWithSha384]: 'ecdsa-with-SHA384',
  [OID.ecdsaWithSha512]: 'ecdsa-with-SHA512',
  [OID.sha1WithRsa]: 'sha1WithRSAEncryption',
  [OID.sha256WithRsa]: 'sha256WithRSAEncryption',
  [OID.sha384WithRsa]: 'sha384WithRSAEncryption',
  [OID.sha512WithRsa]: 'sha512WithRSAEncryption',
  [OID.ed25519]: 'ED25519',
};

const CURVE_NAMES: Record<string, [string, string]> = { 'P-256': ['prime256v1', 'P-256'], 'P-384': ['secp384r1', 'P-384'], 'P-521': ['secp521r1', 'P-521'] };

const KEY_USAGE_TEXT = ['Digital Signature', 'Non Repudiation', 'Key Encipherment', 'Data Encipherment', 'Key Agreement', 'Certificate Sign', 'CRL Sign', 'Encipher Only', 'Decipher Only'];
const KEY_USAGE_ORDER = ['digitalSignature', 'contentCommitment', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'];

const EKU_TEXT: Record<string, string> = { serverAuth: 'TLS Web Server Authentication', clientAuth: 'TLS Web Client Authentication', any: 'Any Extended Key Usage' };

/** Serial: `12345 (0x3039)` on the line when it fits a long, else hex bytes on the next line (X509_print_ex). */
function serialText(serial: bigint): string {
  const magnitude = serial < 0n ? -serial : serial;
  if (magnitude <= 0x7fffffffffffffffn) return serial < 0n ? ` -${magnitude} (-0x${magnitude.toString(16)})\n` : ` ${serial} (0x${serial.toString(16)})\n`;
  let h = magnitude.toString(16);
  if (h.length % 2) h = `0${h}`;
  return `\n${' '.repeat(12)}${serial < 0n ? ' (Negative)' : ''}${h.match(/../g)!.join(':')}\n`;
}

/** The SubjectPublicKeyInfo block (EVP_PKEY_print_public of the EC and RSA methods). */
function publicKeyText(c: Certificate): string | undefined {
  const spki = der.readOne(c.spki);
  const parts = spki.ok ? der.children(spki.value) : undefined;
  const bits = parts?.ok ? parts.value[1] : undefined;
  if (!bits) return undefined;
  const key = der.content(bits).subarray(1);
  const pk = c.publicKey;
  if (pk.algorithm === 'ec' && CURVE_NAMES[pk.curve]) {
    const [asn1, nist] = CURVE_NAMES[pk.curve]!;
    return `            Public Key Algorithm: id-ecPublicKey\n                Public-Key: (${pk.bits} bit)\n                pub:\n${hexLines(key, 20, 15)}                ASN1 OID: ${asn1}\n                NIST CURVE: ${nist}\n`;
  }
  if (pk.algorithm === 'rsa') {
    const rsa = der.readOne(key);
    const nums = rsa.ok ? der.children(rsa.value) : undefined;
    if (!nums?.ok || nums.value.length < 2) return undefined;
    const e = der.decodeInteger(nums.value[1]!);
    return `            Public Key Algorithm: rsaEncryption\n                Public-Key: (${pk.bits} bit)\n                Modulus:\n${hexLines(der.content(nums.value[0]!), 20, 15)}                Exponent: ${e} (0x${e.toString(16)})\n`;
  }
  return undefined;
}

/** GeneralNames in the extension's order (i2v_GENERAL_NAMES). */
function generalNames(value: Uint8Array): string | undefined {
  const seq = der.readOne(value);
  const names = seq.ok ? der.children(seq.value) : undefined;
  if (!names?.ok) return undefined;
  const out: string[] = [];
  for (const n of names.value) {
    const s = new TextDecoder().decode(der.content(n));
    if (n.tag === 0x82) out.push(`DNS:${s}`);
    else if (n.tag === 0x86) out.push(`URI:${s}`);
    else if (n.tag === 0x81) out.push(`email:${s}`);
    else if (n.tag === 0x87 && der.content(n).length === 4) out.push(`IP Address:${[...der.content(n)].join('.')}`);
    else return undefined;
  }
  return out.join(', ');
}

/** One extension's name line and value lines, or undefined when the lab does not print it. */
function extensionText(c: Certificate, ext: Certificate['extensions'][number]): string | undefined {
  const head = (name: string) => `            ${name}: ${ext.critical ? 'critical' : ''}\n`;
  const body = (text: string) => `${' '.repeat(16)}${text}\n`;
  switch (ext.oid) {
    case OID.keyUsage: {
      const used = new Set<string>(c.keyUsage?.usages ?? []);
      return head('X509v3 Key Usage') + body(KEY_USAGE_ORDER.flatMap((u, i) => (used.has(u) ? [KEY_USAGE_TEXT[i]!] : [])).join(', '));
    }
    case OID.extKeyUsage:
      return head('X509v3 Extended Key Usage') + body((c.extKeyUsage ?? []).map((u) => EKU_TEXT[u] ?? u).join(', '));
    case OID.basicConstraints: {
      const bc = c.basicConstraints;
      return head('X509v3 Basic Constraints') + body(`CA:${bc?.ca ? 'TRUE' : 'FALSE'}${bc?.pathLen !== undefined ? `, pathlen:${bc.pathLen}` : ''}`);
    }
    case OID.subjectKeyIdentifier:
      return c.subjectKeyId ? head('X509v3 Subject Key Identifier') + body(upperHex(c.subjectKeyId)) : undefined;
    // OpenSSL 3.0 prints the key id alone (the `keyid:` label only next to an issuer or serial).
    case OID.authorityKeyIdentifier:
      return c.authorityKeyId ? head('X509v3 Authority Key Identifier') + body(upperHex(c.authorityKeyId)) : undefined;
    case OID.subjectAltName: {
      const names = generalNames(ext.value);
      return names === undefined ? undefined : head('X509v3 Subject Alternative Name') + body(names);
    }
    default:
      return undefined;
  }
}

/** The whole `-text` block, or an error naming what the lab cannot print. */
export function x509Text(c: Certificate): { text: string } | { error: string } {
  const sig = SIGNATURE_NAMES[c.signatureOid];
  const key = publicKeyText(c);
  if (!sig || !key) return { error: `x509: -text for this certificate's ${sig ? 'public key' : 'signature algorithm'} is not modelled in this lab\n` };
  let exts = '';
  for (const e of c.extensions) {
    const t = extensionText(c, e);
    if (t === undefined) return { error: `x509: -text for the extension ${e.oid} is not modelled in this lab\n` };
    exts += t;
  }
  const text =
    'Certificate:\n    Data:\n' +
    `        Version: ${c.version} (0x${(c.version - 1).toString(16)})\n` +
    `        Serial Number:${serialText(c.serial)}` +
    `        Signature Algorithm: ${sig}\n` +
    `        Issuer: ${formatNameOpenssl(c.issuer)}\n` +
    `        Validity\n            Not Before: ${opensslDate(c.notBefore)}\n            Not After : ${opensslDate(c.notAfter)}\n` +
    `        Subject: ${formatNameOpenssl(c.subject)}\n` +
    `        Subject Public Key Info:\n${key}` +
    (c.extensions.length > 0 ? `        X509v3 extensions:\n${exts}` : '') +
    `    Signature Algorithm: ${sig}\n    Signature Value:\n${hexLines(c.signature, 8, 18)}`;
  return { text };
}
