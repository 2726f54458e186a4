/**
 * Chain building and validation at an explicit time (RFC 5280 §6, shaped like Go's
 * `crypto/x509/verify.go`, whose messages go-spiffe and SPIRE print): find parents by issuer name
 * (key identifiers first), check each signature, validity window, CA flag, keyCertSign and path
 * length, and stop at a trust anchor. Never reads the wall clock: `at` is required.
 *
 * Differences from Go, on purpose, to agree with OpenSSL (the other verdict on the wire): the CA
 * flag and keyCertSign are required of trust anchors too, and keyCertSign of intermediates.
 */
import type { Certificate } from './certificate.ts';
import { equalBytes } from './der.ts';
import type { SignatureVerifier } from './keys.ts';
import { nameValues } from './name.ts';
import { OID } from './oid.ts';
import { err, ok, simError, type Result, type SimError } from '../core/result.ts';

export type ChainErrorCode =
  | 'pki/expired'
  | 'pki/not-yet-valid'
  | 'pki/unknown-authority'
  | 'pki/not-ca'
  | 'pki/ca-key-usage'
  | 'pki/path-length'
  | 'pki/unhandled-critical-extension'
  | 'pki/incompatible-usage'
  | 'pki/too-deep';

export type ChainError = SimError<ChainErrorCode>;

export interface ChainOptions {
  /** Verification time, ms since the epoch. */
  readonly at: number;
  readonly roots: readonly Certificate[];
  readonly intermediates?: readonly Certificate[];
  /** Extended key usage the leaf must allow (omitted: any, as go-spiffe asks Go for). */
  readonly requiredEku?: 'serverAuth' | 'clientAuth';
  readonly maxDepth?: number;
}

const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function validityError(c: Certificate, at: number): ChainError | undefined {
  if (at < c.notBefore)
    return simError('pki/not-yet-valid', `x509: certificate has expired or is not yet valid: current time ${rfc3339(at)} is before ${rfc3339(c.notBefore)}`, { notBefore: c.notBefore, at });
  if (at > c.notAfter)
    return simError('pki/expired', `x509: certificate has expired or is not yet valid: current time ${rfc3339(at)} is after ${rfc3339(c.notAfter)}`, { notAfter: c.notAfter, at });
  return undefined;
}

function ownError(c: Certificate): ChainError | undefined {
  if (c.unhandledCritical.length > 0) return simError('pki/unhandled-critical-extension', 'x509: unhandled critical extension', { oids: c.unhandledCritical });
  return undefined;
}

function issuerError(parent: Certificate, intermediatesBelow: number): ChainError | undefined {
  if (!parent.basicConstraints?.ca) return simError('pki/not-ca', 'x509: certificate is not authorized to sign other certificates');
  if (parent.keyUsage && !parent.keyUsage.usages.includes('keyCertSign'))
    return simError('pki/ca-key-usage', 'x509: certificate is not authorized to sign other certificates (key usage does not include keyCertSign)');
  if (parent.basicConstraints.pathLen !== undefined && intermediatesBelow > parent.basicConstraints.pathLen)
    return simError('pki/path-length', 'x509: too many intermediates for path length constraint');
  return undefined;
}

/** Go's candidate naming in UnknownAuthorityError: CN, else first O, else `serial:N`. */
function candidateName(c: Certificate): string {
  return nameValues(c.subject, OID.commonName)[0] ?? nameValues(c.subject, OID.organization)[0] ?? `serial:${c.serial.toString()}`;
}

function unknownAuthority(hint?: { cert: Certificate; message: string }): ChainError {
  const base = 'x509: certificate signed by unknown authority';
  if (!hint) return simError('pki/unknown-authority', base);
  return simError('pki/unknown-authority', `${base} (possibly because of ${JSON.stringify(hint.message)} while trying to verify candidate authority certificate ${JSON.stringify(candidateName(hint.cert))})`);
}

function isParentCandidate(child: Certificate, parent: Certificate): boolean {
  if (!equalBytes(child.issuer.der, parent.subject.der)) return false;
  if (child.authorityKeyId && parent.subjectKeyId) return equalBytes(child.authorityKeyId, parent.subjectKeyId);
  return true;
}

/**
 * Verifies `leaf` up to one of `roots` at `opts.at`. On success returns the chain leaf → root.
 * On failure returns the most specific reason found, worded as Go's x509 package words it.
 */
export async function verifyChain(verifier: SignatureVerifier, leaf: Certificate, opts: ChainOptions): Promise<Result<Certificate[], ChainError>> {
  const maxDepth = opts.maxDepth ?? 10;
  const leafProblem = validityError(leaf, opts.at) ?? ownError(leaf);
  if (leafProblem) return err(leafProblem);
  if (opts.requiredEku && leaf.extKeyUsage && !leaf.extKeyUsage.includes(opts.requiredEku) && !leaf.extKeyUsage.includes('any'))
    return err(simError('pki/incompatible-usage', 'x509: certificate specifies an incompatible key usage'));
  if (opts.roots.some((r) => equalBytes(r.der, leaf.der))) return ok([leaf]);

  let lastError: ChainError | undefined;
  let hint: { cert: Certificate; message: string } | undefined;

  const build = async (chain: Certificate[]): Promise<Certificate[] | undefined> => {
    const child = chain[chain.length - 1]!;
    if (chain.length > maxDepth) {
      lastError = simError('pki/too-deep', 'x509: too many intermediates');
      return undefined;
    }
    const tryParents = async (pool: readonly Certificate[], isRoot: boolean): Promise<Certificate[] | undefined> => {
      for (const parent of pool) {
        if (!isParentCandidate(child, parent) || chain.some((c) => equalBytes(c.der, parent.der))) continue;
        const sig = await verifier.verify(parent.spki, child.signatureOid, child.signature, child.tbs);
        if (!sig.ok) {
          hint ??= { cert: parent, message: sig.error.message };
          continue;
        }
        const problem = validityError(parent, opts.at) ?? ownError(parent) ?? issuerError(parent, chain.length - 1);
        if (problem) {
          lastError = problem;
          continue;
        }
        if (isRoot) return [...chain, parent];
        const found = await build([...chain, parent]);
        if (found) return found;
      }
      return undefined;
    };
    return (await tryParents(opts.roots, true)) ?? (await tryParents(opts.intermediates ?? [], false));
  };

  const chain = await build([leaf]);
  if (chain) return ok(chain);
  return err(lastError ?? unknownAuthority(hint));
}
