import { describe, expect, it } from 'vitest';
import { joinPathSegments, validatePath, validatePathSegment } from '../../../sim/spiffe/index.ts';

describe('validatePath (go-spiffe ValidatePath)', () => {
  it.each([[''], ['/a'], ['/a/b'], ['/a.b/...c/d-e_f'], ['/UPPER/lower/09']])('accepts %j', (p) => {
    expect(validatePath(p).ok).toBe(true);
  });

  it.each([
    ['a', 'path must have a leading slash'],
    ['/', 'path cannot have a trailing slash'],
    ['/a/', 'path cannot have a trailing slash'],
    ['//a', 'path cannot contain empty segments'],
    ['/a//b', 'path cannot contain empty segments'],
    ['/.', 'path cannot contain dot segments'],
    ['/a/..', 'path cannot contain dot segments'],
    ['/./a', 'path cannot contain dot segments'],
    ['/a%20b', 'path segment characters are limited to letters, numbers, dots, dashes, and underscores'],
    ['/a~b', 'path segment characters are limited to letters, numbers, dots, dashes, and underscores'],
    // Left to right: the first offending segment decides.
    ['/a%/./', 'path segment characters are limited to letters, numbers, dots, dashes, and underscores'],
    ['/./a%', 'path cannot contain dot segments'],
  ])('rejects %j: %s', (p, message) => {
    const r = validatePath(p);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe(message);
  });
});

describe('path segments', () => {
  it('joins validated segments', () => {
    expect(joinPathSegments('ns', 'default', 'sa', 'web')).toEqual({ ok: true, value: '/ns/default/sa/web' });
    expect(joinPathSegments()).toEqual({ ok: true, value: '' });
  });

  it.each([
    ['', 'spiffe/id-empty-segment'],
    ['.', 'spiffe/id-dot-segment'],
    ['..', 'spiffe/id-dot-segment'],
    ['a/b', 'spiffe/id-bad-path-char'],
  ])('rejects segment %j', (s, code) => {
    const r = validatePathSegment(s);
    expect(r.ok ? undefined : r.error.code).toBe(code);
    expect(joinPathSegments('ok', s).ok).toBe(false);
  });
});
