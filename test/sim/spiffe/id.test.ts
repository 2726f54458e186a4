import { describe, expect, it } from 'vitest';
import { unwrap } from '../../../sim/core/result.ts';
import { parseSpiffeId, spiffeIdFromPath, spiffeIdFromSegments, trustDomainId } from '../../../sim/spiffe/index.ts';
import { td } from './testPki.ts';

const TD_CHARS = 'trust domain characters are limited to lowercase letters, numbers, dots, dashes, and underscores';
const PATH_CHARS = 'path segment characters are limited to letters, numbers, dots, dashes, and underscores';

describe('parseSpiffeId (go-spiffe FromString)', () => {
  it('splits trust domain and path and keeps the exact text', () => {
    const id = unwrap(parseSpiffeId('spiffe://example.org/ns/default/sa/web'));
    expect(id.trustDomain.name).toBe('example.org');
    expect(id.path).toBe('/ns/default/sa/web');
    expect(id.toString()).toBe('spiffe://example.org/ns/default/sa/web');
    expect(`${id}`).toBe('spiffe://example.org/ns/default/sa/web');
  });

  it('accepts a trust domain ID (empty path)', () => {
    const id = unwrap(parseSpiffeId('spiffe://example.org'));
    expect(id.path).toBe('');
    expect(id.equals(trustDomainId(td('example.org')))).toBe(true);
  });

  it.each([
    'spiffe://a-b_c.9/x',
    'spiffe://example.org/a.b/c..d/...', // dots inside segments and "..." are fine
    'spiffe://example.org/UPPER/Case',
    'spiffe://example.org/a-b_c.d',
  ])('accepts %s', (s) => {
    expect(unwrap(parseSpiffeId(s)).toString()).toBe(s);
  });

  it.each([
    ['', 'cannot be empty'],
    ['SPIFFE://example.org/x', 'scheme is missing or invalid'],
    ['Spiffe://example.org/x', 'scheme is missing or invalid'],
    ['spiffe:/example.org/x', 'scheme is missing or invalid'],
    ['https://example.org/x', 'scheme is missing or invalid'],
    ['example.org/x', 'scheme is missing or invalid'],
    ['spiffe://', 'trust domain is missing'],
    ['spiffe:///x', 'trust domain is missing'],
    ['spiffe://Example.org/x', TD_CHARS],
    ['spiffe://EXAMPLE.ORG', TD_CHARS],
    ['spiffe://example.org:8080/x', TD_CHARS],
    ['spiffe://user@example.org/x', TD_CHARS],
    ['spiffe://ex%61mple.org/x', TD_CHARS],
    ['spiffe://exämple.org/x', TD_CHARS],
    ['spiffe://example.org/', 'path cannot have a trailing slash'],
    ['spiffe://example.org/x/', 'path cannot have a trailing slash'],
    ['spiffe://example.org//x', 'path cannot contain empty segments'],
    ['spiffe://example.org/./x', 'path cannot contain dot segments'],
    ['spiffe://example.org/x/..', 'path cannot contain dot segments'],
    ['spiffe://example.org/x/../y', 'path cannot contain dot segments'],
    ['spiffe://example.org/a%20b', PATH_CHARS], // no percent-decoding
    ['spiffe://example.org/%41', PATH_CHARS],
    ['spiffe://example.org/x?q=1', PATH_CHARS],
    ['spiffe://example.org/x#frag', PATH_CHARS],
    ['spiffe://example.org/~me', PATH_CHARS],
    ['spiffe://example.org/a:b', PATH_CHARS],
  ])('rejects %j: %s', (s, message) => {
    const r = parseSpiffeId(s);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe(message);
  });

  it('has no length limit (a 3000-byte ID parses)', () => {
    const path = '/' + Array.from({ length: 400 }, (_, i) => `seg${String(i).padStart(5, '0')}`).join('/');
    const s = `spiffe://example.org${path}`;
    expect(s.length).toBeGreaterThan(3000);
    expect(unwrap(parseSpiffeId(s)).path).toBe(path);
    const longTd = 'a'.repeat(300);
    expect(unwrap(parseSpiffeId(`spiffe://${longTd}/x`)).trustDomain.name).toBe(longTd);
  });

  it('compares by string and by trust domain', () => {
    const a = unwrap(parseSpiffeId('spiffe://example.org/a'));
    expect(a.equals(unwrap(parseSpiffeId('spiffe://example.org/a')))).toBe(true);
    expect(a.equals(unwrap(parseSpiffeId('spiffe://example.org/A')))).toBe(false);
    expect(a.memberOf(td('example.org'))).toBe(true);
    expect(a.memberOf(td('example.com'))).toBe(false);
    expect(Object.isFrozen(a)).toBe(true);
    expect(JSON.stringify({ a })).toBe('{"a":"spiffe://example.org/a"}');
  });
});

describe('building IDs', () => {
  it('FromPath validates the path', () => {
    expect(unwrap(spiffeIdFromPath(td('example.org'), '/ns/x')).toString()).toBe('spiffe://example.org/ns/x');
    expect(unwrap(spiffeIdFromPath(td('example.org'), '')).toString()).toBe('spiffe://example.org');
    const bad = spiffeIdFromPath(td('example.org'), 'ns/x');
    expect(bad.ok ? '' : bad.error.message).toBe('path must have a leading slash');
  });

  it('FromSegments validates each segment', () => {
    expect(unwrap(spiffeIdFromSegments(td('example.org'), 'ns', 'default')).path).toBe('/ns/default');
    const bad = spiffeIdFromSegments(td('example.org'), 'ns', 'a/b');
    expect(bad.ok ? '' : bad.error.message).toBe(PATH_CHARS);
  });
});
