import { describe, expect, it } from 'vitest';
import { unwrap } from '../../../sim/core/result.ts';
import { nameValues, OID } from '../../../sim/pki/index.ts';
import { parseX509Bundle, X509Bundle } from '../../../sim/spiffe/index.ts';
import { conformance, makeCa, td } from './testPki.ts';

const TD = td('example.org');

describe('go-spiffe x509bundle conformance files', () => {
  it('cert.pem: one 768-bit RSA certificate without SPIFFE ID or CA flag is an authority', () => {
    const b = unwrap(parseX509Bundle(TD, conformance('x509bundle', 'cert.pem')));
    expect(b.x509Authorities).toHaveLength(1);
    const cert = b.x509Authorities[0]!;
    expect(cert.publicKey).toEqual({ algorithm: 'rsa', bits: 768 });
    expect(nameValues(cert.subject, OID.commonName)).toEqual(['PEMUTILTEST1']);
    expect(cert.uris).toEqual([]);
  });

  it('certs.pem: two authorities, in file order', () => {
    const b = unwrap(parseX509Bundle(TD, conformance('x509bundle', 'certs.pem')));
    expect(b.x509Authorities.map((c) => nameValues(c.subject, OID.commonName)[0])).toEqual(['PEMUTILTEST1', 'PEMUTILTEST2']);
  });

  it('empty.pem: zero bytes is an empty bundle', () => {
    const b = unwrap(parseX509Bundle(TD, conformance('x509bundle', 'empty.pem')));
    expect(b.isEmpty()).toBe(true);
  });

  it('key.pem: a key-only PEM yields no certificates', () => {
    expect(unwrap(parseX509Bundle(TD, conformance('x509bundle', 'key.pem'))).x509Authorities).toHaveLength(0);
  });

  it('not-pem.pem: rejected', () => {
    const r = parseX509Bundle(TD, conformance('x509bundle', 'not-pem.pem'));
    expect(r.ok ? '' : r.error.message).toBe('x509bundle: cannot parse certificate: no PEM blocks found');
  });

  it('corrupted.pem: rejected', () => {
    const r = parseX509Bundle(TD, conformance('x509bundle', 'corrupted.pem'));
    expect(r.ok ? '' : r.error.message).toMatch(/^x509bundle: cannot parse certificate: x509: malformed certificate/);
    expect(r.ok ? '' : r.error.code).toBe('spiffe/x509-bundle-invalid');
  });

  it('whitespace is not "empty": it has no PEM blocks', () => {
    expect(parseX509Bundle(TD, '\n').ok).toBe(false);
  });
});

describe('X509Bundle', () => {
  it('round-trips through PEM', async () => {
    const a = await makeCa('example.org');
    const b = await makeCa('example.org', 'rsa-2048');
    const bundle = X509Bundle.of(TD, [a.cert, b.cert]);
    const again = unwrap(parseX509Bundle(TD, bundle.marshal()));
    expect(again.equals(bundle)).toBe(true);
    expect(bundle.marshal()).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]*-----END CERTIFICATE-----\n$/);
  });

  it('keeps authorities unique and is immutable', async () => {
    const a = await makeCa('example.org');
    const b = await makeCa('example.org');
    const one = X509Bundle.of(TD, [a.cert, a.cert]);
    expect(one.x509Authorities).toHaveLength(1);
    const two = one.withX509Authority(b.cert).withX509Authority(a.cert);
    expect(two.x509Authorities).toHaveLength(2);
    expect(one.x509Authorities).toHaveLength(1);
    expect(two.hasX509Authority(b.cert)).toBe(true);
    expect(two.withoutX509Authority(b.cert).equals(one)).toBe(true);
  });

  it('answers only for its own trust domain', () => {
    const bundle = X509Bundle.of(TD);
    expect(unwrap(bundle.getX509BundleForTrustDomain(td('example.org')))).toBe(bundle);
    const r = bundle.getX509BundleForTrustDomain(td('other.org'));
    expect(r.ok ? '' : r.error.message).toBe('x509bundle: no X.509 bundle found for trust domain: "other.org"');
    expect(r.ok ? '' : r.error.code).toBe('spiffe/no-bundle-for-trust-domain');
  });
});
