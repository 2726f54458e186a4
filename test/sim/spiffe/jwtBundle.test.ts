import { describe, expect, it } from 'vitest';
import { unwrap } from '../../../sim/core/result.ts';
import { JwtBundle, parseJwtBundle, type PublicJwk } from '../../../sim/spiffe/index.ts';
import { conformance, td } from './testPki.ts';

const TD = td('example.org');

describe('go-spiffe jwtbundle conformance files', () => {
  it('jwks_valid_1.json: one authority', () => {
    const b = unwrap(parseJwtBundle(TD, conformance('jwtbundle', 'jwks_valid_1.json')));
    expect([...b.jwtAuthorities.keys()]).toEqual(['C6vs25welZOx6WksNYfbMfiw9l96pMnD']);
  });

  it('jwks_valid_2.json: two authorities', () => {
    expect(unwrap(parseJwtBundle(TD, conformance('jwtbundle', 'jwks_valid_2.json'))).jwtAuthorities.size).toBe(2);
  });

  it('jwks_missing_kid.json: rejected', () => {
    const r = parseJwtBundle(TD, conformance('jwtbundle', 'jwks_missing_kid.json'));
    expect(r.ok ? '' : r.error.message).toBe('jwtbundle: error adding authority 1 of JWKS: keyID cannot be empty');
  });
});

describe('JwtBundle', () => {
  const key: PublicJwk = { kty: 'EC', crv: 'P-256', x: 'ngLYQnlfF6GsojUwqtcEE3WgTNG2RUlsGhK73RNEl5k', y: 'tKbiDSUSsQ3F1P7wteeHNXIcU-cx6CgSbroeQrQHTLM' };

  it('round-trips as a plain JWKS (no use)', () => {
    const b = unwrap(JwtBundle.of(TD).withJwtAuthority('k1', key));
    const text = b.marshal();
    expect(JSON.parse(text)).toEqual({ keys: [{ kty: 'EC', kid: 'k1', crv: 'P-256', x: key.x, y: key.y }] });
    expect(unwrap(parseJwtBundle(TD, text)).equals(b)).toBe(true);
  });

  it('refuses an empty key ID and a document that is not JSON', () => {
    const e = JwtBundle.of(TD).withJwtAuthority('', key);
    expect(e.ok ? '' : e.error.message).toBe('jwtbundle: keyID cannot be empty');
    const r = parseJwtBundle(TD, 'nope');
    expect(r.ok ? '' : r.error.message).toBe("jwtbundle: unable to parse JWKS: invalid character 'o' in literal null (expecting 'u')");
  });

  it('a document without keys is an empty JWT bundle', () => {
    expect(unwrap(parseJwtBundle(TD, '{}')).isEmpty()).toBe(true);
  });
});
