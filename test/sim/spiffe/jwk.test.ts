import { describe, expect, it } from 'vitest';
import { fromBase64, generateKeyPair, toBase64 } from '../../../sim/pki/index.ts';
import { isOnCurve } from '../../../sim/spiffe/jwk.ts';
import { marshalJsonWebKey, parseJsonWebKey, publicJwkFromSpki, type PublicJwk } from '../../../sim/spiffe/index.ts';
import { makeCa } from './testPki.ts';

const b64url = (b: Uint8Array): string => toBase64(b).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

describe('public keys as JWK members', () => {
  it.each(['P-256', 'P-384', 'P-521'] as const)('%s: SPKI → JWK agrees with WebCrypto and is on the curve', async (crv) => {
    const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: crv }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
    const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
    expect(publicJwkFromSpki(spki)).toEqual({ kty: 'EC', crv, x: jwk.x, y: jwk.y });
    expect(isOnCurve(crv, fromBase64(jwk.x!), fromBase64(jwk.y!))).toBe(true);
    const y = fromBase64(jwk.y!);
    y[y.length - 1]! ^= 1;
    expect(isOnCurve(crv, fromBase64(jwk.x!), y)).toBe(false);
  });

  it('RSA: n and e without leading zeros', async () => {
    const pair = await generateKeyPair(crypto, 'rsa-2048');
    const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
    expect(publicJwkFromSpki(pair.spki)).toEqual({ kty: 'RSA', n: jwk.n, e: 'AQAB' });
  });
});

describe('parseJsonWebKey (go-jose JSONWebKey.UnmarshalJSON)', () => {
  const ec = { kty: 'EC', crv: 'P-256', x: 'ngLYQnlfF6GsojUwqtcEE3WgTNG2RUlsGhK73RNEl5k', y: 'tKbiDSUSsQ3F1P7wteeHNXIcU-cx6CgSbroeQrQHTLM' };

  it('reads an EC key with kid and use', () => {
    const r = parseJsonWebKey({ use: 'jwt-svid', kid: 'k1', ...ec });
    expect(r.ok && r.value).toMatchObject({ keyId: 'k1', use: 'jwt-svid', key: ec, certificates: [] });
  });

  it.each([
    [{}, 'go-jose/go-jose: missing json web key type'],
    [null, 'go-jose/go-jose: missing json web key type'],
    [{ kty: 'XYZ' }, 'go-jose/go-jose: unsupported key type/format'],
    [{ kty: 'OKP', crv: 'X25519', x: 'AA' }, 'go-jose/go-jose: unsupported key type/format'],
    [{ ...ec, crv: 'P-192' }, "go-jose/go-jose: unsupported elliptic curve 'P-192'"],
    [{ kty: 'EC', crv: 'P-256', x: ec.x }, 'go-jose/go-jose: invalid EC key, missing x/y values'],
    [{ ...ec, x: 'AAAA' }, 'go-jose/go-jose: invalid EC public key, wrong length for x'],
    [{ ...ec, y: ec.x }, 'go-jose/go-jose: invalid EC key, X/Y are not on declared curve'],
    [{ kty: 'RSA', n: 'AQAB' }, 'go-jose/go-jose: invalid RSA key, missing n/e values'],
    [{ ...ec, x: `${ec.x}=` }, 'illegal base64 data at input byte 43'],
    [{ ...ec, kid: 7 }, 'json: cannot unmarshal number into Go value of type string'],
    ['key', 'json: cannot unmarshal string into Go value of type jose.rawJSONWebKey'],
    [{ ...ec, x5c: ['Q09SUlVQVA=='] }, 'go-jose/go-jose: failed to unmarshal x5c field: x509: malformed certificate'],
    [{ ...ec, x5c: ['!!'] }, 'go-jose/go-jose: failed to unmarshal x5c field: illegal base64 data at input byte 0'],
  ])('rejects %j', (raw, message) => {
    expect(parseJsonWebKey(raw)).toEqual({ ok: false, error: message });
  });

  it('requires the x5c certificate to hold the same key', async () => {
    const ca = await makeCa('example.org');
    const own = publicJwkFromSpki(ca.cert.spki)!;
    const x5c = [toBase64(ca.cert.der)];
    expect(parseJsonWebKey({ use: 'x509-svid', ...own, x5c }).ok).toBe(true);
    expect(parseJsonWebKey({ use: 'x509-svid', ...ec, x5c })).toEqual({ ok: false, error: 'go-jose/go-jose: invalid JWK, public keys in key and x5c fields do not match' });
    expect(parseJsonWebKey({ kty: 'oct', k: 'AAAA', x5c })).toEqual({ ok: false, error: "go-jose/go-jose: invalid JWK, found 'oct' (symmetric) key with cert chain" });
  });

  it('writes members in go-jose order', async () => {
    const ca = await makeCa('example.org', 'rsa-2048');
    const rsa = publicJwkFromSpki(ca.cert.spki)!;
    expect(Object.keys(marshalJsonWebKey({ key: rsa, use: 'x509-svid', certificates: [ca.cert] }))).toEqual(['use', 'kty', 'n', 'e', 'x5c']);
    const key: PublicJwk = { kty: 'EC', crv: 'P-256', x: ec.x, y: ec.y };
    expect(Object.keys(marshalJsonWebKey({ key, use: 'jwt-svid', keyId: 'k' }))).toEqual(['use', 'kty', 'kid', 'crv', 'x', 'y']);
    expect(b64url(Uint8Array.of(1, 0, 1))).toBe((rsa as { e: string }).e);
  });
});
