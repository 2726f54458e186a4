/**
 * Which Host a discovery-document request may name (`spire:support/oidc-discovery-provider/domain_policy.go`
 * `DomainAllowlist`, `toDomainKey`): the domain must already be in its IDNA "Lookup" ASCII form
 * (`golang.org/x/net/idna` `Lookup.ToASCII` returns it unchanged) and be one of `domains`.
 * Simplified: IDNA is reduced to ASCII — upper case and non-ASCII are "mapped" (so: "must already be
 * punycode encoded"), STD3-disallowed ASCII runes are errors, and labels may not start or end with `-`.
 */
import { err, ok, type Result } from '../../core/result.ts';

export type DomainPolicy = (domain: string) => Result<void, string>;

function toDomainKey(domain: string): Result<string, string> {
  for (const ch of domain) {
    const cp = ch.codePointAt(0)!;
    if (cp > 0x7f || (ch >= 'A' && ch <= 'Z')) continue; // mapped: checked below
    if (!/[a-z0-9.-]/.test(ch)) return err(`domain ${JSON.stringify(domain)} is not a valid domain name: idna: disallowed rune U+${cp.toString(16).toUpperCase().padStart(4, '0')}`);
  }
  for (const label of domain.split('.')) {
    if (label.startsWith('-') || label.endsWith('-')) return err(`domain ${JSON.stringify(domain)} is not a valid domain name: idna: invalid label ${JSON.stringify(label)}`);
  }
  if ([...domain].some((ch) => ch.codePointAt(0)! > 0x7f || (ch >= 'A' && ch <= 'Z'))) return err(`domain ${JSON.stringify(domain)} must already be punycode encoded`);
  return ok(domain);
}

/** `DomainAllowlist(domains...)`: fails on a configured domain that is not a valid key. */
export function domainAllowlist(domains: readonly string[]): Result<DomainPolicy, string> {
  const allow = new Set<string>();
  for (const d of domains) {
    const k = toDomainKey(d);
    if (!k.ok) return k;
    allow.add(k.value);
  }
  return ok((domain) => {
    const k = toDomainKey(domain);
    if (!k.ok) return k;
    return allow.has(k.value) ? ok(undefined) : err(`domain ${JSON.stringify(domain)} is not allowed`);
  });
}
