import { describe, expect, it } from 'vitest';
import { unwrap } from '../../../sim/core/result.ts';
import { encodePem, exportPkcs8 } from '../../../sim/pki/index.ts';
import { idFromCert, marshalX509Svid, parseX509Svid, svidFromIssued } from '../../../sim/spiffe/index.ts';
import { conformance, makeCa, makeIntermediate, makeSvid } from './testPki.ts';

const pem = (name: string): string => conformance('x509svid', name);
const RSA_KEY = 'key-pkcs8-rsa.pem';

async function parseFiles(cert: string, key = RSA_KEY): Promise<Awaited<ReturnType<typeof parseX509Svid>>> {
  return parseX509Svid(crypto, pem(cert), pem(key));
}

async function messageOf(cert: string, key = RSA_KEY): Promise<string> {
  const r = await parseFiles(cert, key);
  return r.ok ? 'accepted' : r.error.message;
}

describe('go-spiffe x509svid conformance files (x509svid.Parse)', () => {
  it('good-leaf-only.pem + key-pkcs8-rsa.pem: accepted', async () => {
    const svid = unwrap(await parseFiles('good-leaf-only.pem'));
    expect(svid.id.toString()).toBe('spiffe://example.org/workload-1');
    expect(svid.certificates).toHaveLength(1);
  });

  it('good-leaf-and-intermediate.pem + key-pkcs8-ecdsa.pem: accepted with 2 certificates', async () => {
    const svid = unwrap(await parseFiles('good-leaf-and-intermediate.pem', 'key-pkcs8-ecdsa.pem'));
    expect(svid.id.toString()).toBe('spiffe://example.org/workload-1');
    expect(svid.certificates).toHaveLength(2);
  });

  it('good-leaf-and-intermediate.pem + the RSA key: key mismatch', async () => {
    expect(await messageOf('good-leaf-and-intermediate.pem')).toBe('x509svid: private key validation failed: leaf certificate does not match private key');
  });

  it.each(['good-cert-and-key.pem', 'good-key-and-cert.pem'])('%s: the same file as cert and key, in any block order', async (name) => {
    expect(unwrap(await parseFiles(name, name)).id.toString()).toBe('spiffe://example.org/workload-1');
  });

  it('key-pkcs8-rsa.pem / key-pkcs8-ecdsa.pem as the certificate input: no certificates found', async () => {
    expect(await messageOf('key-pkcs8-rsa.pem')).toBe('x509svid: certificate validation failed: no certificates found');
    expect(await messageOf('key-pkcs8-ecdsa.pem', 'key-pkcs8-ecdsa.pem')).toBe('x509svid: certificate validation failed: no certificates found');
  });

  it('good-leaf-only.pem as the key input: no private key found', async () => {
    expect(await messageOf('good-leaf-only.pem', 'good-leaf-only.pem')).toBe('x509svid: private key validation failed: no private key found');
  });

  it('not-pem: as key and as certificate', async () => {
    expect(await messageOf('good-leaf-only.pem', 'not-pem')).toBe('x509svid: cannot parse PEM encoded private key: no PEM blocks found');
    expect(await messageOf('not-pem')).toBe('x509svid: cannot parse PEM encoded certificate: no PEM blocks found');
  });

  it('corrupt-cert.pem: malformed certificate', async () => {
    expect(await messageOf('corrupt-cert.pem')).toBe('x509svid: cannot parse PEM encoded certificate: x509: malformed certificate');
  });

  it('corrupt-key.pem: asn1 structure error', async () => {
    expect(await messageOf('good-leaf-only.pem', 'corrupt-key.pem')).toBe(
      "x509svid: cannot parse PEM encoded private key: asn1: structure error: tags don't match (16 vs {class:1 tag:3 length:79 isCompound:false}) {optional:false explicit:false application:false private:false defaultValue:<nil> tag:<nil> stringType:0 timeType:0 set:false omitEmpty:false} pkcs8 @2",
    );
  });

  it.each([
    ['wrong-leaf-empty-id.pem', 'x509svid: certificate validation failed: cannot get leaf certificate SPIFFE ID: certificate contains no URI SAN'],
    ['wrong-leaf-ca-true.pem', 'x509svid: certificate validation failed: leaf certificate must not have CA flag set to true'],
    ['wrong-leaf-no-digital-signature.pem', "x509svid: certificate validation failed: leaf certificate must have 'digitalSignature' set as key usage"],
    ['wrong-leaf-cert-sign.pem', "x509svid: certificate validation failed: leaf certificate must not have 'keyCertSign' set as key usage"],
    ['wrong-leaf-crl-sign.pem', "x509svid: certificate validation failed: leaf certificate must not have 'cRLSign' set as key usage"],
    ['wrong-intermediate-no-ca.pem', 'x509svid: certificate validation failed: signing certificate must have CA flag set to true'],
    ['wrong-intermediate-no-key-cert-sign.pem', "x509svid: certificate validation failed: signing certificate must have 'keyCertSign' set as key usage"],
  ])('%s: rejected', async (name, message) => {
    const r = await parseFiles(name);
    expect(r.ok ? '' : r.error.message).toBe(message);
    expect(r.ok ? '' : r.error.code).toBe('spiffe/svid-certificate-invalid');
  });

  it('both PEM inputs are decoded before validation; certificate checks precede the key check', async () => {
    expect(await messageOf('wrong-leaf-ca-true.pem', 'good-leaf-only.pem')).toBe('x509svid: certificate validation failed: leaf certificate must not have CA flag set to true');
    expect(await messageOf('wrong-leaf-ca-true.pem', 'corrupt-key.pem')).toMatch(/private key: asn1/);
  });
});

describe('SVIDs issued by sim/pki', () => {
  it('svidFromIssued wraps a SPIRE-shaped leaf and its chain', async () => {
    const root = await makeCa('example.org');
    const mid = await makeIntermediate(root, 'example.org');
    const leaf = await makeSvid(mid, 'spiffe://example.org/ns/default/sa/web');
    const svid = unwrap(svidFromIssued(leaf, [mid.cert]));
    expect(svid.id.toString()).toBe('spiffe://example.org/ns/default/sa/web');
    expect(svid.certificates).toHaveLength(2);
  });

  it('marshal → parse round trip (EC and RSA keys)', async () => {
    for (const keyType of ['ec-p256', 'rsa-2048'] as const) {
      const ca = await makeCa('example.org', keyType);
      const svid = unwrap(svidFromIssued(await makeSvid(ca, 'spiffe://example.org/w', { keyType })));
      const files = unwrap(await marshalX509Svid(crypto, svid));
      const again = unwrap(await parseX509Svid(crypto, files.certificates, files.privateKey));
      expect(again.id.equals(svid.id)).toBe(true);
      expect(again.certificates[0]!.der).toEqual(svid.certificates[0]!.der);
    }
  });

  it('a key from another SVID does not match', async () => {
    const ca = await makeCa('example.org');
    const a = await makeSvid(ca, 'spiffe://example.org/a');
    const b = await makeSvid(ca, 'spiffe://example.org/b');
    const keyPem = encodePem('PRIVATE KEY', await exportPkcs8(crypto, b.key));
    const r = await parseX509Svid(crypto, encodePem('CERTIFICATE', a.cert.der), keyPem);
    expect(r.ok ? '' : r.error.message).toBe('x509svid: private key validation failed: leaf certificate does not match private key');
  });

  it('leaf rules: non-root path, one URI SAN', async () => {
    const ca = await makeCa('example.org');
    const root = svidFromIssued(await makeSvid(ca, 'spiffe://example.org'));
    expect(root.ok ? '' : root.error.message).toBe('x509svid: certificate validation failed: leaf certificate SPIFFE ID must have a non-root path');
    const two = svidFromIssued(await makeSvid(ca, 'spiffe://example.org/a', { change: { uris: ['spiffe://example.org/a', 'spiffe://example.org/b'] } }));
    expect(two.ok ? '' : two.error.message).toBe('x509svid: certificate validation failed: cannot get leaf certificate SPIFFE ID: certificate contains more than one URI SAN');
    const bad = svidFromIssued(await makeSvid(ca, 'spiffe://Example.org/a'));
    expect(bad.ok ? '' : bad.error.message).toBe(
      'x509svid: certificate validation failed: cannot get leaf certificate SPIFFE ID: trust domain characters are limited to lowercase letters, numbers, dots, dashes, and underscores',
    );
  });

  it('idFromCert reads the URI SAN as Go url.Parse + String() gives it back (scheme lower-cased)', async () => {
    const ca = await makeCa('example.org');
    const upper = await makeSvid(ca, 'SPIFFE://example.org/x');
    expect(unwrap(idFromCert(upper.cert)).toString()).toBe('spiffe://example.org/x');
    const none = idFromCert(ca.cert);
    expect(unwrap(none).toString()).toBe('spiffe://example.org');
  });
});
