/**
 * Two verdicts per handshake: the lab's SPIFFE validator (sim/envoy/validator.ts, at virtual time) and
 * OpenSSL's (`authorized` / `authorizationError`, at wall time, given the bundle of the peer's trust
 * domain as `ca`). Pure.
 *
 * What is compared — the *chain* verdict, pass or fail:
 * - The lab's chain verdict passes when the validator accepted, or failed only on SAN matching (it checks
 *   SANs after the chain, so a SAN failure means the chain was good). OpenSSL's passes when `authorized`.
 *   A SAN mismatch with OpenSSL authorizing is therefore `agree` (chain ok) with `labOnly: 'san'`;
 *   OpenSSL refusing that chain is a real `disagree`.
 * - `no-bundle` is a chain failure the lab decides alone (there is no store for the peer's domain). The
 *   caller passes an empty CA list to OpenSSL, which then fails with an unknown-issuer code
 *   (UNABLE_TO_GET_ISSUER_CERT_LOCALLY, UNABLE_TO_VERIFY_LEAF_SIGNATURE…): `agree` (chain fail) with
 *   `labOnly: 'no-bundle'`; OpenSSL authorizing there is a `disagree` (the caller gave it roots).
 * - `precheck` (a CA certificate, or keyCertSign/cRLSign, as leaf) stops the lab before the chain, and
 *   OpenSSL has no such check: `not-comparable` ('lab-only-check').
 * - When virtual and wall time fall on different sides of some certificate's validity edge, the chains
 *   are judged at different instants: `not-comparable` ('clocks-differ'), whatever the verdicts.
 * - Both failing counts as agreement even when the reasons differ (`sameReason: false`): OpenSSL keeps
 *   verifying after an error under Node's accept-all callback and reports the last one (an expired leaf
 *   under an unknown CA says CERT_HAS_EXPIRED), while Go-shaped validation stops at the first.
 */
import type { PeerVerdict } from '../../../sim/envoy/validator.ts';
import type { ChainErrorCode } from '../../../sim/pki/index.ts';

export type LabVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'no-bundle' | 'chain' | 'san' | 'precheck'; readonly chainErrorCode?: ChainErrorCode; readonly detail?: string };

export interface OpensslVerdict {
  readonly authorized: boolean;
  readonly authorizationError?: string;
  /** Certificates the peer presented; 0 means none (Node then says UNABLE_TO_GET_ISSUER_CERT). */
  readonly presented?: number;
}

/** Reasons on a common scale, to say whether two failures are the same failure. */
export type FailureClass = 'expired' | 'not-yet-valid' | 'untrusted' | 'no-certificate' | 'invalid-ca' | 'path-length' | 'usage' | 'signature' | 'other';

export interface Validity {
  readonly notBefore: number;
  readonly notAfter: number;
}

export type Comparison =
  | { readonly kind: 'agree'; readonly chain: 'ok' | 'fail'; readonly sameReason?: boolean; readonly labOnly?: 'san' | 'no-bundle'; readonly lab: string; readonly openssl: string }
  | { readonly kind: 'disagree'; readonly lab: string; readonly openssl: string; readonly labChain: 'ok' | 'fail'; readonly opensslChain: 'ok' | 'fail' }
  | { readonly kind: 'not-comparable'; readonly why: 'clocks-differ' | 'lab-only-check'; readonly lab: string; readonly openssl: string };

export function labVerdictOf(v: PeerVerdict): LabVerdict {
  if (v.ok) return { ok: true };
  return { ok: false, reason: v.reason, detail: v.detail, ...(v.chainError ? { chainErrorCode: v.chainError.code } : {}) };
}

/** OpenSSL's X509_V_ERR_* names as Node reports them, by class. */
const OPENSSL_CLASSES: Readonly<Record<string, FailureClass>> = {
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'not-yet-valid',
  UNABLE_TO_GET_ISSUER_CERT: 'untrusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'untrusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'untrusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'untrusted',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'untrusted',
  CERT_UNTRUSTED: 'untrusted',
  CERT_REJECTED: 'untrusted',
  INVALID_CA: 'invalid-ca',
  KEYUSAGE_NO_CERTSIGN: 'invalid-ca',
  PATH_LENGTH_EXCEEDED: 'path-length',
  CERT_CHAIN_TOO_LONG: 'path-length',
  INVALID_PURPOSE: 'usage',
  CERT_SIGNATURE_FAILURE: 'signature',
  UNABLE_TO_DECRYPT_CERT_SIGNATURE: 'signature',
  UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY: 'signature',
};

export function opensslClass(code: string | undefined, presented?: number): FailureClass {
  if (presented === 0) return 'no-certificate';
  return (code && OPENSSL_CLASSES[code]) || 'other';
}

const LAB_CLASSES: Readonly<Record<ChainErrorCode, FailureClass>> = {
  'pki/expired': 'expired',
  'pki/not-yet-valid': 'not-yet-valid',
  'pki/unknown-authority': 'untrusted',
  'pki/not-ca': 'invalid-ca',
  'pki/ca-key-usage': 'invalid-ca',
  'pki/path-length': 'path-length',
  'pki/too-deep': 'path-length',
  'pki/incompatible-usage': 'usage',
  'pki/unhandled-critical-extension': 'other',
};

export function labClass(v: LabVerdict): FailureClass | undefined {
  if (v.ok || v.reason === 'san' || v.reason === 'precheck') return undefined;
  if (v.reason === 'no-bundle') return 'untrusted';
  return v.chainErrorCode ? LAB_CLASSES[v.chainErrorCode] : 'no-certificate';
}

/**
 * Whether virtual and wall time see the same validity for every certificate involved (leaf,
 * intermediates, anchor): both before notBefore, both inside, or both after notAfter.
 */
export function clocksAgree(certs: readonly Validity[], virtualAt: number, wallAt: number): boolean {
  const side = (c: Validity, t: number): number => (t < c.notBefore ? -1 : t > c.notAfter ? 1 : 0);
  return certs.every((c) => side(c, virtualAt) === side(c, wallAt));
}

const describeLab = (v: LabVerdict): string => (v.ok ? 'ok' : `${v.reason}${v.chainErrorCode ? ` (${v.chainErrorCode})` : ''}`);
const describeOpenssl = (v: OpensslVerdict): string => (v.authorized ? 'authorized' : `unauthorized (${v.authorizationError ?? 'no error code'})`);

export function compareVerdicts(input: { readonly lab: LabVerdict | PeerVerdict; readonly openssl: OpensslVerdict; readonly clocksAgree: boolean }): Comparison {
  const lab: LabVerdict = 'id' in input.lab ? labVerdictOf(input.lab) : input.lab;
  const names = { lab: describeLab(lab), openssl: describeOpenssl(input.openssl) };
  if (!input.clocksAgree) return { kind: 'not-comparable', why: 'clocks-differ', ...names };
  if (!lab.ok && lab.reason === 'precheck') return { kind: 'not-comparable', why: 'lab-only-check', ...names };
  const labChain = lab.ok || lab.reason === 'san' ? 'ok' : 'fail';
  const opensslChain = input.openssl.authorized ? 'ok' : 'fail';
  if (labChain !== opensslChain) return { kind: 'disagree', ...names, labChain, opensslChain };
  const labOnly = !lab.ok && (lab.reason === 'san' || lab.reason === 'no-bundle') ? { labOnly: lab.reason } : {};
  if (labChain === 'ok') return { kind: 'agree', chain: 'ok', ...labOnly, ...names };
  return { kind: 'agree', chain: 'fail', sameReason: labClass(lab) === opensslClass(input.openssl.authorizationError, input.openssl.presented), ...labOnly, ...names };
}
