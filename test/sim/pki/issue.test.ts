import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import {
  encodePem,
  formatNameOpenssl,
  generateKeyPair,
  issueCertificate,
  issueWithNewKey,
  OID,
  parseCertificate,
  spireCaTemplate,
  toHex,
  x509SvidTemplate,
  type Certificate,
  type KeyType,
} from '../../../sim/pki/index.ts';
import { crypto, HOUR_MS, T0, testCa, testSvid } from '../../helpers/pki.ts';

const reparse = (c: Certificate): Certificate => {
  const r = parseCertificate(c.der);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('SPIRE-shaped CA certificates', () => {
  it.each<KeyType>(['ec-p256', 'ec-p384', 'rsa-2048', 'rsa-4096'])('%s CA: C=US, O=SPIFFE + serialNumber, CA:TRUE, keyCertSign|cRLSign, URI SAN of the trust domain', async (keyType) => {
    const ca = await testCa('west.demo', keyType);
    const c = reparse(ca.cert);
    expect(formatNameOpenssl(c.subject)).toBe(`C = US, O = SPIFFE, serialNumber = ${c.serial.toString(10)}`);
    expect(c.issuer.der).toEqual(c.subject.der);
    expect(c.basicConstraints).toEqual({ ca: true, critical: true });
    expect(c.keyUsage).toEqual({ usages: ['keyCertSign', 'cRLSign'], critical: true });
    expect(c.uris).toEqual(['spiffe://west.demo']);
    expect(c.notBefore).toBe(T0 - 10_000);
    expect(c.notAfter).toBe(T0 + 24 * HOUR_MS);
    expect(c.authorityKeyId).toBeUndefined();
    expect(c.publicKey).toMatchObject(keyType.startsWith('ec') ? { algorithm: 'ec', curve: keyType === 'ec-p256' ? 'P-256' : 'P-384' } : { algorithm: 'rsa', bits: Number(keyType.slice(4)) });
  });
});

describe('X509-SVIDs', () => {
  it('have exactly the shape SPIRE issues', async () => {
    const ca = await testCa();
    const svid = await testSvid(ca, 'spiffe://example.org/ns/default/sa/web');
    const c = reparse(svid.cert);
    expect(formatNameOpenssl(c.subject)).toBe('C = US, O = SPIRE');
    expect(c.uris).toEqual(['spiffe://example.org/ns/default/sa/web']);
    expect(c.dnsNames).toEqual([]);
    expect(c.basicConstraints).toEqual({ ca: false, critical: true });
    expect(c.keyUsage).toEqual({ usages: ['digitalSignature', 'keyEncipherment', 'keyAgreement'], critical: true });
    expect(c.extKeyUsage).toEqual(['serverAuth', 'clientAuth']);
    expect(c.authorityKeyId).toEqual(ca.cert.subjectKeyId);
    expect(c.extensions.map((e) => e.oid)).toEqual([OID.keyUsage, OID.extKeyUsage, OID.basicConstraints, OID.subjectKeyIdentifier, OID.authorityKeyIdentifier, OID.subjectAltName]);
    expect(c.sanCritical).toBe(false);
  });

  it('use the first DNS name as CN and list DNS names before the URI', async () => {
    const ca = await testCa();
    const c = reparse((await testSvid(ca, 'spiffe://example.org/web', { dnsNames: ['web.default.svc', 'web'] })).cert);
    expect(formatNameOpenssl(c.subject)).toBe('C = US, O = SPIRE, CN = web.default.svc');
    expect(c.dnsNames).toEqual(['web.default.svc', 'web']);
  });

  it('never outlive the CA that signs them', async () => {
    const ca = await testCa('example.org', 'ec-p256', T0, 2 * HOUR_MS);
    const svid = await testSvid(ca, 'spiffe://example.org/web', { now: T0 + HOUR_MS + 30 * 60_000, ttl: HOUR_MS });
    expect(svid.cert.notAfter).toBe(ca.cert.notAfter);
  });

  it('each get a fresh key: SPKIs pairwise distinct over a batch', async () => {
    const ca = await testCa();
    const svids = await Promise.all(Array.from({ length: 200 }, (_, i) => testSvid(ca, `spiffe://example.org/w${i}`)));
    expect(new Set(svids.map((s) => toHex(s.cert.spki))).size).toBe(200);
  });

  it('model built on the hot path equals the DER parsed back', async () => {
    const ca = await testCa('example.org', 'rsa-2048');
    const svid = await testSvid(ca, 'spiffe://example.org/ns/a/sa/b', { dnsNames: ['b.a.svc'] });
    expect(reparse(svid.cert)).toEqual(svid.cert);
    expect(reparse(ca.cert)).toEqual(ca.cert);
  });

  it('certificates with an empty subject mark the SAN critical (RFC 5280 §4.2.1.6)', async () => {
    const key = await generateKeyPair(crypto, 'ec-p256');
    const ca = await testCa();
    const t = { ...x509SvidTemplate({ spiffeId: 'spiffe://example.org/x', serial: 7n, now: T0, ttl: HOUR_MS, caNotAfter: ca.cert.notAfter }), subject: {} };
    const c = reparse((await issueCertificate(crypto, t, key, ca)).cert);
    expect(c.subject.attributes).toEqual([]);
    expect(c.sanCritical).toBe(true);
  });
});

describe('the fast path agrees with @peculiar/x509', () => {
  it('field by field, for a certificate made from the same inputs', async () => {
    const ca = await testCa('example.org', 'ec-p256');
    const key = await generateKeyPair(crypto, 'ec-p256');
    const template = x509SvidTemplate({ spiffeId: 'spiffe://example.org/ns/default/sa/web', serial: 0x1234567890abcdefn, now: T0, ttl: HOUR_MS, caNotAfter: ca.cert.notAfter, dnsNames: ['web.default.svc'] });
    const fast = reparse((await issueCertificate(crypto, template, key, ca)).cert);

    const ref = await x509.X509CertificateGenerator.create(
      {
        serialNumber: '1234567890abcdef',
        subject: 'C=US, O=SPIRE, CN=web.default.svc',
        issuer: new x509.X509Certificate(ca.cert.der as Uint8Array<ArrayBuffer>).subject,
        notBefore: new Date(template.notBefore),
        notAfter: new Date(template.notAfter),
        signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
        publicKey: key.publicKey,
        signingKey: ca.key.privateKey,
        extensions: [
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment | x509.KeyUsageFlags.keyAgreement, true),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth], false),
          new x509.BasicConstraintsExtension(false, undefined, true),
          await x509.SubjectKeyIdentifierExtension.create(key.publicKey, false, crypto),
          await x509.AuthorityKeyIdentifierExtension.create(ca.key.publicKey, false, crypto),
          new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'web.default.svc' }, { type: 'url', value: 'spiffe://example.org/ns/default/sa/web' }], false),
        ],
      },
      crypto,
    );
    const parsedRef = parseCertificate(new Uint8Array(ref.rawData));
    if (!parsedRef.ok) throw new Error(parsedRef.error.message);
    const other = parsedRef.value;
    expect(fast.version).toBe(other.version);
    expect(fast.serial).toBe(other.serial);
    expect(fast.signatureOid).toBe(other.signatureOid);
    expect(fast.issuer.attributes).toEqual(other.issuer.attributes);
    expect(fast.subject.attributes).toEqual(other.subject.attributes);
    expect(fast.notBefore).toBe(other.notBefore);
    expect(fast.notAfter).toBe(other.notAfter);
    expect(toHex(fast.spki)).toBe(toHex(other.spki));
    expect(fast.extensions.map((e) => [e.oid, e.critical, toHex(e.value)])).toEqual(other.extensions.map((e) => [e.oid, e.critical, toHex(e.value)]));
    // and @peculiar/x509 accepts the fast path's signature
    const parsed = new x509.X509Certificate(fast.der as Uint8Array<ArrayBuffer>);
    expect(await parsed.verify({ publicKey: ca.key.publicKey, date: new Date(T0) }, crypto)).toBe(true);
  });
});

describe('OpenSSL accepts the certificates', () => {
  const attime = String(Math.floor(T0 / 1000));
  it.each<KeyType>(['ec-p256', 'rsa-2048'])('openssl verify -purpose sslclient and sslserver (%s CA)', async (keyType) => {
    const dir = mkdtempSync(join(tmpdir(), 'fedlab-openssl-'));
    const ca = await testCa('example.org', keyType);
    const samples = await Promise.all([0, 1, 2].map((i) => testSvid(ca, `spiffe://example.org/ns/default/sa/w${i}`, { dnsNames: i === 0 ? ['w0.default.svc'] : [] })));
    writeFileSync(join(dir, 'ca.pem'), encodePem('CERTIFICATE', ca.cert.der));
    samples.forEach((s, i) => writeFileSync(join(dir, `leaf${i}.pem`), encodePem('CERTIFICATE', s.cert.der)));
    for (const purpose of ['sslclient', 'sslserver']) {
      const out = execFileSync('openssl', ['verify', '-attime', attime, '-purpose', purpose, '-CAfile', join(dir, 'ca.pem'), ...samples.map((_, i) => join(dir, `leaf${i}.pem`))], { encoding: 'utf8' });
      expect(out.trim().split('\n')).toEqual(samples.map((_, i) => `${join(dir, `leaf${i}.pem`)}: OK`));
    }
    // and rejects them outside their validity window
    let failure = '';
    try {
      execFileSync('openssl', ['verify', '-attime', String(Math.floor((T0 + 2 * HOUR_MS) / 1000)), '-CAfile', join(dir, 'ca.pem'), join(dir, 'leaf0.pem')], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      failure = String((e as { stdout: string }).stdout) + String((e as { stderr: string }).stderr);
    }
    expect(failure).toContain('certificate has expired');
  });
});

describe('intermediates for UpstreamAuthority', () => {
  it('a CA signed by an upstream root carries the AKI of the root and chains to it', async () => {
    const root = await testCa('example.org', 'rsa-2048');
    const key = await generateKeyPair(crypto, 'ec-p256');
    const inter = await issueCertificate(crypto, spireCaTemplate({ trustDomainId: 'spiffe://example.org', serial: 99n, now: T0, ttl: 12 * HOUR_MS, notAfterCap: root.cert.notAfter }), key, root);
    const leaf = await issueWithNewKey(crypto, x509SvidTemplate({ spiffeId: 'spiffe://example.org/w', serial: 100n, now: T0, ttl: HOUR_MS, caNotAfter: inter.cert.notAfter }), 'ec-p256', inter);
    expect(reparse(inter.cert).authorityKeyId).toEqual(root.cert.subjectKeyId);
    expect(reparse(inter.cert).issuer.der).toEqual(root.cert.subject.der);
    expect(reparse(leaf.cert).authorityKeyId).toEqual(inter.cert.subjectKeyId);
  });
});
