import { describe, expect, it } from 'vitest';
import { unwrap } from '../../../sim/core/result.ts';
import { authorizeAny, authorizeId, authorizeMemberOf, authorizeOneOf, matchId, parseSpiffeId } from '../../../sim/spiffe/index.ts';
import { td } from './testPki.ts';

const id = (s: string) => unwrap(parseSpiffeId(s));
const web = id('spiffe://west.example/ns/default/sa/web');

describe('tlsconfig authorizers', () => {
  it('authorizeAny accepts every ID', () => {
    expect(authorizeAny()(web, []).ok).toBe(true);
  });

  it('authorizeId: only that exact ID', () => {
    expect(authorizeId(web)(id('spiffe://west.example/ns/default/sa/web'), []).ok).toBe(true);
    const r = authorizeId(web)(id('spiffe://west.example/ns/default/sa/db'), []);
    expect(r.ok ? '' : r.error.message).toBe('unexpected ID "spiffe://west.example/ns/default/sa/db"');
    expect(r.ok ? '' : r.error.code).toBe('spiffe/unexpected-id');
  });

  it('authorizeOneOf: any listed ID', () => {
    const auth = authorizeOneOf(web, id('spiffe://east.example/ns/default/sa/web'));
    expect(auth(id('spiffe://east.example/ns/default/sa/web'), []).ok).toBe(true);
    const r = auth(id('spiffe://east.example/ns/default/sa/other'), []);
    expect(r.ok ? '' : r.error.message).toBe('unexpected ID "spiffe://east.example/ns/default/sa/other"');
    expect(authorizeOneOf()(web, []).ok).toBe(false);
  });

  it('authorizeMemberOf: any ID of the trust domain', () => {
    expect(authorizeMemberOf(td('west.example'))(web, []).ok).toBe(true);
    const r = authorizeMemberOf(td('east.example'))(web, []);
    expect(r.ok ? '' : r.error.message).toBe('unexpected trust domain "west.example"');
    expect(r.ok ? '' : r.error.code).toBe('spiffe/unexpected-trust-domain');
  });

  it('matchers are the same checks without chains', () => {
    expect(matchId(web)(web).ok).toBe(true);
  });
});
