/**
 * sim/pki — X.509 for the lab: a DER codec, certificate parsing, issuance (fast path over WebCrypto,
 * every date, serial and key passed in), and chain validation at an explicit time. Knows X.509, not
 * SPIFFE: IDs are URI strings here. The `Crypto` object is passed in (browser or Node WebCrypto).
 *
 * Leaves out: CRLs/OCSP, name-constraint enforcement (recognised, not enforced: SPIRE never issues
 * them), RSA-PSS, policy mappings. Key types are SPIRE's four.
 * References: RFC 5280; Go `crypto/x509` (x509.go, verify.go) for extension order and messages;
 * `spire:pkg/server/credtemplate/builder.go` for the CA and SVID shapes.
 */
export { parseCertificate, serialHex, KEY_USAGES, type Certificate, type Extension, type KeyUsage, type CertificateParseError } from './certificate.ts';
export { verifyChain, type ChainOptions, type ChainError, type ChainErrorCode } from './chain.ts';
export { issueCertificate, issueWithNewKey, subjectKeyIdOf, type CertificateTemplate, type Issuer, type IssuedCertificate } from './issue.ts';
export {
  KEY_TYPES,
  parseKeyType,
  generateKeyPair,
  signData,
  SignatureVerifier,
  parsePkcs8PrivateKey,
  keyPairFromPkcs8,
  exportPkcs8,
  describePublicKey,
  type KeyType,
  type KeyPair,
  type PublicKeyInfo,
  type PrivateKeyInfo,
} from './keys.ts';
export { makeName, parseName, formatNameOpenssl, formatNameGo, nameValues, type Name, type NameSpec, type NameAttribute } from './name.ts';
export { decodePem, encodePem, toBase64, fromBase64, isBase64, type PemBlock } from './pem.ts';
export { spireCaTemplate, x509SvidTemplate, NOT_BEFORE_CUSHION, SPIRE_CA_SUBJECT, SPIRE_SVID_SUBJECT, type CaShape, type SvidShape } from './shapes.ts';
export { OID } from './oid.ts';
export { dnsNamesMatchHost } from './hostname.ts';
export { equalBytes, toHex } from './der.ts';
