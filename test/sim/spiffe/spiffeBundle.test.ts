import { describe, expect, it } from 'vitest';
import { unwrap } from '../../../sim/core/result.ts';
import { generateKeyPair, toBase64 } from '../../../sim/pki/index.ts';
import {
  decodeFederatedBundle,
  formatBundleShowSpiffe,
  marshalSpireBundle,
  parseSpiffeBundle,
  publicJwkFromSpki,
  SpiffeBundle,
  X509Bundle,
} from '../../../sim/spiffe/index.ts';
import { conformance, makeCa, td } from './testPki.ts';

const TD = td('example.org');
const file = (name: string): string => conformance('spiffebundle', name);

describe('go-spiffe spiffebundle conformance files (spiffebundle.Parse)', () => {
  it('spiffebundle_valid_1.json: 1 X.509 and 1 JWT authority, no hint or sequence', () => {
    const b = unwrap(parseSpiffeBundle(TD, file('spiffebundle_valid_1.json')));
    expect(b.x509Authorities).toHaveLength(1);
    expect(b.x509Authorities[0]!.uris).toEqual(['spiffe://local']);
    expect(b.jwtAuthorities.size).toBe(1);
    expect(b.refreshHint).toBeUndefined();
    expect(b.sequenceNumber).toBeUndefined();
  });

  it('spiffebundle_valid_2.json: 6 JWT authorities, hint 60 s, sequence 1', () => {
    const b = unwrap(parseSpiffeBundle(TD, file('spiffebundle_valid_2.json')));
    expect(b.x509Authorities).toHaveLength(1);
    expect(b.jwtAuthorities.size).toBe(6);
    expect(b.refreshHint).toBe(60_000);
    expect(b.sequenceNumber).toBe(1);
  });

  it('spiffebundle_valid_with_wit.json: 2 JWT and 2 WIT authorities', () => {
    const b = unwrap(parseSpiffeBundle(TD, file('spiffebundle_valid_with_wit.json')));
    expect(b.jwtAuthorities.size).toBe(2);
    expect(b.witAuthorities.size).toBe(2);
    expect(b.jwtBundle().jwtAuthorities.size).toBe(2);
  });

  it.each([
    ['spiffebundle_missing_kid.json', 'spiffebundle: error adding authority 1 of JWKS: keyID cannot be empty'],
    ['spiffebundle_no_keys.json', 'spiffebundle: no authorities found'],
    ['spiffebundle_multiple_x509.json', 'spiffebundle: expected a single certificate in x509-svid entry 0; got 2'],
  ])('%s: rejected', (name, message) => {
    const r = parseSpiffeBundle(TD, file(name));
    expect(r.ok ? '' : r.error.message).toBe(message);
    expect(r.ok ? '' : r.error.code).toBe('spiffe/spiffe-bundle-invalid');
  });
});

describe("SPIRE's federation decoder (bundleutil.Decode) diverges from go-spiffe", () => {
  it.each([
    ['spiffebundle_valid_1.json', 1, 1],
    ['spiffebundle_valid_2.json', 1, 6],
    ['spiffebundle_valid_with_wit.json', 1, 2],
  ])('%s: accepted', (name, x509, jwt) => {
    const b = unwrap(decodeFederatedBundle(TD, file(name)));
    expect(b.x509Authorities).toHaveLength(x509);
    expect(b.jwtAuthorities.size).toBe(jwt);
  });

  it('keeps the refresh hint (0 when absent) and drops the sequence number', () => {
    expect(unwrap(decodeFederatedBundle(TD, file('spiffebundle_valid_2.json')))).toMatchObject({ refreshHint: 60_000, sequenceNumber: undefined });
    expect(unwrap(decodeFederatedBundle(TD, file('spiffebundle_valid_1.json'))).refreshHint).toBe(0);
  });

  it('no keys member: an empty bundle (go-spiffe rejects it)', () => {
    const b = unwrap(decodeFederatedBundle(TD, file('spiffebundle_no_keys.json')));
    expect(b.isEmpty()).toBe(true);
    expect(b.refreshHint).toBe(60_000);
  });

  it.each([
    ['spiffebundle_missing_kid.json', 'missing key ID in jwt-svid entry 1'],
    ['spiffebundle_multiple_x509.json', 'expected a single certificate in x509-svid entry 0; got 2'],
  ])('%s: rejected with SPIRE wording', (name, message) => {
    const r = decodeFederatedBundle(TD, file(name));
    expect(r.ok ? '' : r.error.message).toBe(message);
  });

  const ecKey = { kty: 'EC', crv: 'P-256', x: 'kkEn5E2Hd_rvCRDCVMNj3deN0ADij9uJVmN-El0CJz0', y: 'qNrnjhtzrtTR0bRgI2jPIC1nEgcWNX63YcZOEzyo1iA' };

  it('a key with no use: SPIRE errors, go-spiffe ignores it', () => {
    const doc = JSON.stringify({ keys: [ecKey] });
    const spire = decodeFederatedBundle(TD, doc);
    expect(spire.ok ? '' : spire.error.message).toBe('missing use for key entry 0');
    expect(unwrap(parseSpiffeBundle(TD, doc)).isEmpty()).toBe(true);
  });

  it('an unknown use: SPIRE errors, go-spiffe ignores it', () => {
    const doc = JSON.stringify({ keys: [{ use: 'bad stuff', ...ecKey }] });
    const spire = decodeFederatedBundle(TD, doc);
    expect(spire.ok ? '' : spire.error.message).toBe('unrecognized use "bad stuff" for key entry 0');
    expect(unwrap(parseSpiffeBundle(TD, doc)).isEmpty()).toBe(true);
  });

  it('JSON errors are prefixed "failed to decode bundle"', () => {
    const empty = decodeFederatedBundle(TD, '');
    expect(empty.ok ? '' : empty.error.message).toBe('failed to decode bundle: EOF');
    const html = decodeFederatedBundle(TD, '<html>');
    expect(html.ok ? '' : html.error.message).toBe("failed to decode bundle: invalid character '<' looking for beginning of value");
  });
});

describe('go-spiffe document rules', () => {
  it('an empty keys array is an empty bundle; keys: null is "no authorities found"', () => {
    expect(unwrap(parseSpiffeBundle(TD, '{"keys": []}')).isEmpty()).toBe(true);
    const r = parseSpiffeBundle(TD, '{"keys": null}');
    expect(r.ok ? '' : r.error.message).toBe('spiffebundle: no authorities found');
  });

  it('top-level members match case-insensitively (encoding/json), key members do not (go-jose)', () => {
    expect(unwrap(parseSpiffeBundle(TD, '{"KEYS": [], "Spiffe_Sequence": 3}')).sequenceNumber).toBe(3);
    const r = parseSpiffeBundle(TD, '{"keys": [{"KTY": "EC"}]}');
    expect(r.ok ? '' : r.error.message).toBe('spiffebundle: unable to parse JWKS: go-jose/go-jose: missing json web key type');
  });

  it('reports Go type errors', () => {
    const r = parseSpiffeBundle(TD, '{"keys": [], "spiffe_sequence": -1}');
    expect(r.ok ? '' : r.error.message).toBe('spiffebundle: unable to parse JWKS: json: cannot unmarshal number -1 into Go struct field bundleDoc.spiffe_sequence of type uint64');
    const k = parseSpiffeBundle(TD, '{"keys": {}}');
    expect(k.ok ? '' : k.error.message).toBe('spiffebundle: unable to parse JWKS: json: cannot unmarshal object into Go struct field bundleDoc.keys of type []jose.JSONWebKey');
    const top = parseSpiffeBundle(TD, '[]');
    expect(top.ok ? '' : top.error.message).toBe('spiffebundle: unable to parse JWKS: json: cannot unmarshal array into Go value of type spiffebundle.bundleDoc');
  });
});

describe('marshal and round trips', () => {
  async function sample(): Promise<SpiffeBundle> {
    const ec = await makeCa('example.org', 'ec-p256');
    const rsa = await makeCa('example.org', 'rsa-2048');
    const jwtKey = await generateKeyPair(crypto, 'ec-p256');
    return SpiffeBundle.of(TD, {
      x509Authorities: [ec.cert, rsa.cert],
      jwtAuthorities: new Map([['kid-1', publicJwkFromSpki(jwtKey.spki)!]]),
      refreshHint: 300_000,
      sequenceNumber: 7,
    });
  }

  it('go-spiffe marshal → parse gives the same authorities, sequence and refresh hint', async () => {
    const b = await sample();
    const text = unwrap(b.marshal());
    expect(Object.keys(JSON.parse(text) as object)).toEqual(['keys', 'spiffe_sequence', 'spiffe_refresh_hint']);
    const again = unwrap(parseSpiffeBundle(TD, text));
    expect(again.equals(b)).toBe(true);
    expect(again.x509Authorities.map((c) => toBase64(c.der))).toEqual(b.x509Authorities.map((c) => toBase64(c.der)));
    expect(again.refreshHint).toBe(300_000);
    expect(again.sequenceNumber).toBe(7);
  });

  it('SPIRE bundle endpoint output decodes with the federation decoder', async () => {
    const b = await sample();
    const served = unwrap(marshalSpireBundle(b));
    expect(served).toContain('\n    "keys": [\n        {\n            "use": "x509-svid",');
    const fetched = unwrap(decodeFederatedBundle(TD, served));
    expect(fetched.x509Authorities).toHaveLength(2);
    expect(fetched.jwtAuthorities.get('kid-1')).toEqual(b.jwtAuthorities.get('kid-1'));
    expect(fetched.refreshHint).toBe(300_000);
    expect(JSON.parse(unwrap(marshalSpireBundle(SpiffeBundle.of(TD))))).toEqual({ keys: [] });
    expect(JSON.parse(unwrap(marshalSpireBundle(b, { standardJwks: true, noX509SvidKeys: true })))).toEqual({
      keys: [{ ...b.jwtAuthorities.get('kid-1'), kid: 'kid-1' }],
    });
  });

  it('rounds the refresh hint up to whole seconds (go-spiffe) and only sets members that are set', () => {
    expect(JSON.parse(unwrap(SpiffeBundle.of(TD, { refreshHint: 1500 }).marshal()))).toEqual({ keys: null, spiffe_refresh_hint: 2 });
    expect(unwrap(SpiffeBundle.of(TD).marshal())).toBe('{"keys":null}');
  });

  it('`spire-server bundle show -format spiffe` text: 4-space indent, member order, trailing newline', async () => {
    const ca = await makeCa('example.org', 'ec-p256');
    const jwk = publicJwkFromSpki(ca.cert.spki) as { crv: string; x: string; y: string };
    const b = SpiffeBundle.of(TD, { x509Authorities: [ca.cert], refreshHint: 300_000, sequenceNumber: 2 });
    expect(unwrap(formatBundleShowSpiffe(b))).toBe(
      [
        '{',
        '    "keys": [',
        '        {',
        '            "use": "x509-svid",',
        '            "kty": "EC",',
        `            "crv": "${jwk.crv}",`,
        `            "x": "${jwk.x}",`,
        `            "y": "${jwk.y}",`,
        '            "x5c": [',
        `                "${toBase64(ca.cert.der)}"`,
        '            ]',
        '        }',
        '    ],',
        '    "spiffe_sequence": 2,',
        '    "spiffe_refresh_hint": 300',
        '}',
        '',
      ].join('\n'),
    );
    expect(unwrap(formatBundleShowSpiffe(SpiffeBundle.of(TD)))).toBe('{\n    "keys": null\n}\n');
  });

  it('the show text of a conformance bundle parses back to the same bundle', () => {
    const b = unwrap(parseSpiffeBundle(TD, file('spiffebundle_valid_2.json')));
    expect(unwrap(parseSpiffeBundle(TD, unwrap(formatBundleShowSpiffe(b)))).equals(b)).toBe(true);
  });

  it('converts to and from an X.509 bundle', async () => {
    const ca = await makeCa('example.org');
    const x = X509Bundle.of(TD, [ca.cert]);
    const s = SpiffeBundle.fromX509Bundle(x);
    expect(s.x509Bundle().equals(x)).toBe(true);
    const other = s.getX509BundleForTrustDomain(td('other.org'));
    expect(other.ok ? '' : other.error.message).toBe('spiffebundle: no X.509 bundle for trust domain "other.org"');
    expect(s.with({ sequenceNumber: 3 }).sequenceNumber).toBe(3);
    expect(s.sequenceNumber).toBeUndefined();
  });
});

describe('decodeFederatedBundle cache', () => {
  it('decodes a body once per trust domain: the same (frozen) bundle for the same body, another for another domain', () => {
    const body = file('spiffebundle_valid_2.json');
    const a = unwrap(decodeFederatedBundle(TD, body));
    expect(unwrap(decodeFederatedBundle(TD, body))).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    const other = unwrap(decodeFederatedBundle(td('other.example'), body));
    expect(other).not.toBe(a);
    expect(other.trustDomain.name).toBe('other.example');
    expect(decodeFederatedBundle(TD, '')).toMatchObject({ ok: false, error: { message: 'failed to decode bundle: EOF' } });
  });
});
