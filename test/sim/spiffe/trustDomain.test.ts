import { describe, expect, it } from 'vitest';
import { unwrap } from '../../../sim/core/result.ts';
import { longTrustDomainWarning, parseConfiguredTrustDomain, trustDomainFromString } from '../../../sim/spiffe/index.ts';
import { td } from './testPki.ts';

const TD_CHARS = 'trust domain characters are limited to lowercase letters, numbers, dots, dashes, and underscores';
const WARNING =
  'Configured trust domain name should be less than 255 characters to be SPIFFE compliant; a longer trust domain name may impact interoperability';

describe('trustDomainFromString (go-spiffe)', () => {
  it.each([
    ['example.org', 'example.org'],
    ['spiffe://example.org', 'example.org'],
    ['spiffe://example.org/ns/default/sa/web', 'example.org'],
    ['a_b-c.9', 'a_b-c.9'],
  ])('%s → %s', (input, name) => {
    expect(unwrap(trustDomainFromString(input)).name).toBe(name);
  });

  it.each([
    ['', 'trust domain is missing'],
    ['Example.org', TD_CHARS],
    ['example.org:8080', TD_CHARS], // no ":/" → a bare name, and ":" is not allowed
    ['example.org/x', TD_CHARS],
    ['spiffe:/example.org', 'scheme is missing or invalid'], // ":/" → parsed as an ID
    ['http://example.org', 'scheme is missing or invalid'],
    ['spiffe://example.org/', 'path cannot have a trailing slash'],
    ['spiffe://', 'trust domain is missing'],
  ])('rejects %j: %s', (input, message) => {
    const r = trustDomainFromString(input);
    expect(r.ok ? '' : r.error.message).toBe(message);
  });

  it('is a value: name, ID string, equality, order', () => {
    const a = td('example.org');
    expect(a.idString()).toBe('spiffe://example.org');
    expect(a.equals(td('example.org'))).toBe(true);
    expect(a.equals(td('example.com'))).toBe(false);
    expect(td('a').compare(td('b'))).toBe(-1);
    expect(Object.isFrozen(a)).toBe(true);
  });
});

describe('SPIRE trust_domain config (pkg/common/cli/trust_domain.go)', () => {
  it('only warns above 255 bytes', () => {
    expect(longTrustDomainWarning(td('a'.repeat(255)))).toBeUndefined();
    expect(longTrustDomainWarning(td('a'.repeat(256)))).toBe(WARNING);
    const long = unwrap(parseConfiguredTrustDomain('b'.repeat(300)));
    expect(long.trustDomain.name).toHaveLength(300);
    expect(long.warning).toBe(WARNING);
    expect(unwrap(parseConfiguredTrustDomain('example.org')).warning).toBeUndefined();
  });

  it('wraps parse errors as SPIRE does', () => {
    const r = parseConfiguredTrustDomain('Example.org');
    expect(r.ok ? '' : r.error.message).toBe(`could not parse trust_domain "Example.org": ${TD_CHARS}`);
  });
});
