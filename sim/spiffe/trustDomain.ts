/**
 * A trust domain: the authority part of a SPIFFE ID (`go-spiffe:spiffeid/trustdomain.go`). An
 * immutable value compared by name; build one only through `trustDomainFromString`.
 */
import { err, ok, simError, type Result, type SimError } from '../core/result.ts';
import { idError, isValidTrustDomainChar, scanSpiffeId, SCHEME_PREFIX, type SpiffeIdError } from './idSyntax.ts';

export class TrustDomain {
  private constructor(readonly name: string) {
    Object.freeze(this);
  }

  /** Internal: `name` must already be valid (use `trustDomainFromString`). */
  static fromValidName(name: string): TrustDomain {
    return new TrustDomain(name);
  }

  /** `spiffe://<name>`, the trust domain's own SPIFFE ID (`TrustDomain.IDString`). */
  idString(): string {
    return SCHEME_PREFIX + this.name;
  }

  equals(other: TrustDomain | undefined): boolean {
    return other !== undefined && other.name === this.name;
  }

  /** Byte-wise ordering, as `TrustDomain.Compare` (used to sort bundle sets). */
  compare(other: TrustDomain): number {
    return this.name < other.name ? -1 : this.name > other.name ? 1 : 0;
  }

  toString(): string {
    return this.name;
  }

  toJSON(): string {
    return this.name;
  }
}

/**
 * `TrustDomainFromString`: a bare name (`example.org`), or — when the text contains `:/` — a SPIFFE
 * ID that is parsed in full and reduced to its trust domain (`spiffe://example.org/ns/x` →
 * `example.org`; `spiffe:/example.org` fails as a wrong scheme, which is why upstream looks for `:/`).
 */
export function trustDomainFromString(idOrName: string): Result<TrustDomain, SpiffeIdError> {
  if (idOrName === '') return idError('spiffe/id-missing-trust-domain');
  if (idOrName.includes(':/')) {
    const scanned = scanSpiffeId(idOrName);
    if (!scanned.ok) return scanned;
    return ok(TrustDomain.fromValidName(idOrName.slice(SCHEME_PREFIX.length, scanned.value)));
  }
  for (let i = 0; i < idOrName.length; i++) if (!isValidTrustDomainChar(idOrName.charCodeAt(i))) return idError('spiffe/id-bad-trust-domain-char', idOrName);
  return ok(TrustDomain.fromValidName(idOrName));
}

/** The SPIFFE standard's limit on trust domain names; SPIRE only warns above it. */
export const MAX_TRUST_DOMAIN_LENGTH = 255;

/**
 * The warning SPIRE logs (field `trust_domain`) for a name longer than 255 bytes, or undefined
 * (`spire:pkg/common/cli/trust_domain.go` WarnOnLongTrustDomainName). Names are ASCII, so UTF-16
 * length = byte length.
 */
export function longTrustDomainWarning(td: TrustDomain): string | undefined {
  if (td.name.length <= MAX_TRUST_DOMAIN_LENGTH) return undefined;
  return (
    `Configured trust domain name should be less than ${MAX_TRUST_DOMAIN_LENGTH} characters to be SPIFFE compliant; ` +
    'a longer trust domain name may impact interoperability'
  );
}

export interface ConfiguredTrustDomain {
  readonly trustDomain: TrustDomain;
  /** Logged at warning level with field `trust_domain=<name>`; never fatal. */
  readonly warning?: string;
}

/**
 * How the SPIRE server and agent read `trust_domain` from their config
 * (`spire:pkg/common/cli/trust_domain.go` ParseTrustDomain): go-spiffe parsing, errors wrapped as
 * `could not parse trust_domain "<value>": <err>`, plus the long-name warning.
 */
export function parseConfiguredTrustDomain(text: string): Result<ConfiguredTrustDomain, SimError> {
  const td = trustDomainFromString(text);
  if (!td.ok) return err(simError('spiffe/invalid-trust-domain', `could not parse trust_domain ${JSON.stringify(text)}: ${td.error.message}`, { value: text }, td.error));
  const warning = longTrustDomainWarning(td.value);
  return ok(warning === undefined ? { trustDomain: td.value } : { trustDomain: td.value, warning });
}
