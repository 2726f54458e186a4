/**
 * Who a verified peer may be (`go-spiffe:spiffetls/tlsconfig/authorizer.go`, `spiffeid/match.go`).
 * An Authorizer sees the peer's SPIFFE ID and verified chains after `verifyX509Svid` succeeded; the
 * stock ones look only at the ID. Messages are go-spiffe's (`unexpected ID "<id>"`,
 * `unexpected trust domain "<td>"`).
 */
import type { Certificate } from '../pki/index.ts';
import { err, ok, simError, type Result, type SimError } from '../core/result.ts';
import type { SpiffeId } from './id.ts';
import type { TrustDomain } from './trustDomain.ts';

export type AuthorizationError = SimError<'spiffe/unexpected-id' | 'spiffe/unexpected-trust-domain'>;

export type Matcher = (id: SpiffeId) => Result<void, AuthorizationError>;
export type Authorizer = (id: SpiffeId, verifiedChains: readonly (readonly Certificate[])[]) => Result<void, AuthorizationError>;

const unexpectedId = (id: SpiffeId): { ok: false; error: AuthorizationError } =>
  err(simError('spiffe/unexpected-id', `unexpected ID ${JSON.stringify(id.toString())}`, { id: id.toString() }));

export const matchAny = (): Matcher => () => ok(undefined);

export const matchId =
  (expected: SpiffeId): Matcher =>
  (actual) =>
    actual.equals(expected) ? ok(undefined) : unexpectedId(actual);

export function matchOneOf(...expected: SpiffeId[]): Matcher {
  const set = new Set(expected.map((e) => e.toString()));
  return (actual) => (set.has(actual.toString()) ? ok(undefined) : unexpectedId(actual));
}

export const matchMemberOf =
  (expected: TrustDomain): Matcher =>
  (actual) =>
    actual.memberOf(expected)
      ? ok(undefined)
      : err(simError('spiffe/unexpected-trust-domain', `unexpected trust domain ${JSON.stringify(actual.trustDomain.name)}`, { id: actual.toString(), expected: expected.name }));

/** `AdaptMatcher`: an Authorizer that checks the ID and ignores the chains. */
export const adaptMatcher =
  (matcher: Matcher): Authorizer =>
  (id) =>
    matcher(id);

export const authorizeAny = (): Authorizer => adaptMatcher(matchAny());
export const authorizeId = (allowed: SpiffeId): Authorizer => adaptMatcher(matchId(allowed));
export const authorizeOneOf = (...allowed: SpiffeId[]): Authorizer => adaptMatcher(matchOneOf(...allowed));
export const authorizeMemberOf = (allowed: TrustDomain): Authorizer => adaptMatcher(matchMemberOf(allowed));
