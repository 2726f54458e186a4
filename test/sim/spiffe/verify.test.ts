import { describe, expect, it } from 'vitest';
import { HOUR } from '../../../sim/core/duration.ts';
import { unwrap } from '../../../sim/core/result.ts';
import { decodePem, parseCertificate, SignatureVerifier, type Certificate, type CertificateTemplate } from '../../../sim/pki/index.ts';
import {
  authorizeId,
  authorizeMemberOf,
  parseAndVerifyX509Svid,
  parseSpiffeId,
  SpiffeBundle,
  SpiffeBundleSet,
  verifyX509Svid,
  X509Bundle,
  X509BundleSet,
} from '../../../sim/spiffe/index.ts';
import { conformance, makeCa, makeIntermediate, makeSvid, T0, td } from './testPki.ts';

const verifier = new SignatureVerifier(crypto);
const certsOf = (text: string): Certificate[] => unwrap(decodePem(text)).filter((b) => b.type === 'CERTIFICATE').map((b) => unwrap(parseCertificate(b.der)));
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

describe('verifyX509Svid with sim/pki certificates', () => {
  it.each(['ec-p256', 'ec-p384', 'rsa-2048'] as const)('%s CA: a SPIRE-shaped SVID verifies against its bundle', async (keyType) => {
    const ca = await makeCa('west.example', keyType);
    const leaf = await makeSvid(ca, 'spiffe://west.example/ns/default/sa/web');
    const r = unwrap(await verifyX509Svid(verifier, [leaf.cert], X509Bundle.of(td('west.example'), [ca.cert]), T0));
    expect(r.id.toString()).toBe('spiffe://west.example/ns/default/sa/web');
    expect(r.chains).toHaveLength(1);
    expect(r.chains[0]!.map((c) => c.serial)).toEqual([leaf.cert.serial, ca.cert.serial]);
  });

  it('uses the rest of the chain as intermediates', async () => {
    const root = await makeCa('west.example', 'rsa-2048');
    const mid = await makeIntermediate(root, 'west.example', 'ec-p256');
    const leaf = await makeSvid(mid, 'spiffe://west.example/w');
    const bundle = X509Bundle.of(td('west.example'), [root.cert]);
    expect(unwrap(await verifyX509Svid(verifier, [leaf.cert, mid.cert], bundle, T0)).chains[0]).toHaveLength(3);
    const without = await verifyX509Svid(verifier, [leaf.cert], bundle, T0);
    expect(without.ok ? '' : without.error.message).toBe('x509svid: could not verify leaf certificate: x509: certificate signed by unknown authority');
  });

  it('picks the bundle of the leaf’s trust domain: a peer from a TD with no bundle fails', async () => {
    const west = await makeCa('west.example');
    const east = await makeCa('east.example');
    const peer = await makeSvid(east, 'spiffe://east.example/ns/default/sa/api');
    const onlyWest = X509BundleSet.of(X509Bundle.of(td('west.example'), [west.cert]));
    const r = await verifyX509Svid(verifier, [peer.cert], onlyWest, T0);
    expect(r.ok ? '' : r.error.message).toBe('x509svid: could not get X509 bundle: x509bundle: no X.509 bundle for trust domain "east.example"');
    expect(r.ok ? undefined : r.error.code).toBe('spiffe/no-bundle-for-trust-domain');
    expect(r.ok ? undefined : r.error.detail).toMatchObject({ id: 'spiffe://east.example/ns/default/sa/api', trustDomain: 'east.example' });
    // A single bundle as the source (SPIRE's https_spiffe client) words it differently.
    const single = await verifyX509Svid(verifier, [peer.cert], X509Bundle.of(td('west.example'), [west.cert]), T0);
    expect(single.ok ? '' : single.error.message).toBe('x509svid: could not get X509 bundle: x509bundle: no X.509 bundle found for trust domain: "east.example"');
    // Once federated (both bundles held), it verifies.
    const federated = SpiffeBundleSet.of(SpiffeBundle.of(td('west.example'), { x509Authorities: [west.cert] }), SpiffeBundle.of(td('east.example'), { x509Authorities: [east.cert] }));
    expect((await verifyX509Svid(verifier, [peer.cert], federated, T0)).ok).toBe(true);
  });

  it('a bundle for the right TD but the wrong root: unknown authority, with the pki cause attached', async () => {
    const real = await makeCa('west.example');
    const other = await makeCa('west.example');
    const leaf = await makeSvid(real, 'spiffe://west.example/w');
    const r = await verifyX509Svid(verifier, [leaf.cert], X509Bundle.of(td('west.example'), [other.cert]), T0);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('spiffe/chain-invalid');
    expect(r.error.message).toMatch(/^x509svid: could not verify leaf certificate: x509: certificate signed by unknown authority/);
    expect(r.error.cause?.code).toBe('pki/unknown-authority');
  });

  it('checks validity at the given time: before, inside and after the SVID’s window', async () => {
    const ca = await makeCa('west.example', 'ec-p256', T0 - HOUR, 48 * HOUR);
    const leaf = await makeSvid(ca, 'spiffe://west.example/w', { now: T0, ttl: HOUR });
    const bundle = X509Bundle.of(td('west.example'), [ca.cert]);
    const notBefore = T0 - 10_000;
    const notAfter = T0 + HOUR;
    expect(leaf.cert.notBefore).toBe(notBefore);
    expect(leaf.cert.notAfter).toBe(notAfter);

    const before = await verifyX509Svid(verifier, [leaf.cert], bundle, notBefore - 1000);
    expect(before.ok ? '' : before.error.message).toBe(
      `x509svid: could not verify leaf certificate: x509: certificate has expired or is not yet valid: current time ${iso(notBefore - 1000)} is before ${iso(notBefore)}`,
    );
    expect((await verifyX509Svid(verifier, [leaf.cert], bundle, notBefore)).ok).toBe(true);
    expect((await verifyX509Svid(verifier, [leaf.cert], bundle, T0 + 30 * 60_000)).ok).toBe(true);
    expect((await verifyX509Svid(verifier, [leaf.cert], bundle, notAfter)).ok).toBe(true);
    const after = await verifyX509Svid(verifier, [leaf.cert], bundle, notAfter + 1000);
    expect(after.ok ? '' : after.error.message).toBe(
      `x509svid: could not verify leaf certificate: x509: certificate has expired or is not yet valid: current time ${iso(notAfter + 1000)} is after ${iso(notAfter)}`,
    );
    expect(after.ok ? undefined : after.error.cause?.code).toBe('pki/expired');
  });

  it('an expired leaf fails even when the CA is still valid', async () => {
    const ca = await makeCa('west.example');
    const leaf = await makeSvid(ca, 'spiffe://west.example/w', { ttl: 60_000 });
    const r = await verifyX509Svid(verifier, [leaf.cert], X509Bundle.of(td('west.example'), [ca.cert]), T0 + 2 * 60_000);
    expect(r.ok ? '' : r.error.cause?.code).toBe('pki/expired');
  });

  it('leaf checks use Verify’s own wording and skip what Parse checks', async () => {
    const ca = await makeCa('west.example');
    const bundle = X509Bundle.of(td('west.example'), [ca.cert]);
    const msg = async (change: Partial<CertificateTemplate>, spiffeId = 'spiffe://west.example/w'): Promise<string> => {
      const leaf = await makeSvid(ca, spiffeId, { change });
      const r = await verifyX509Svid(verifier, [leaf.cert], bundle, T0);
      return r.ok ? 'accepted' : r.error.message;
    };
    expect(await msg({ isCA: true })).toBe('x509svid: leaf certificate with CA flag set to true');
    expect(await msg({ keyUsage: ['digitalSignature', 'keyCertSign'] })).toBe('x509svid: leaf certificate with KeyCertSign key usage');
    expect(await msg({ keyUsage: ['digitalSignature', 'cRLSign'] })).toBe('x509svid: leaf certificate with KeyCrlSign key usage');
    expect(await msg({ uris: [] })).toBe('x509svid: could not get leaf SPIFFE ID: certificate contains no URI SAN');
    // Not checked by Verify: digitalSignature and a non-root path.
    expect(await msg({ keyUsage: ['keyEncipherment'] })).toBe('accepted');
    expect(await msg({}, 'spiffe://west.example')).toBe('accepted');
  });

  it('empty chain and missing source', async () => {
    const empty = await verifyX509Svid(verifier, [], X509BundleSet.of(), T0);
    expect(empty.ok ? '' : empty.error.message).toBe('x509svid: empty certificates chain');
    const ca = await makeCa('west.example');
    const noSource = await verifyX509Svid(verifier, [ca.cert], undefined, T0);
    expect(noSource.ok ? '' : noSource.error.message).toBe('x509svid: bundleSource is required');
  });

  it('parseAndVerify works on raw DER and reports unparseable certificates', async () => {
    const ca = await makeCa('west.example');
    const leaf = await makeSvid(ca, 'spiffe://west.example/w');
    const bundle = X509Bundle.of(td('west.example'), [ca.cert]);
    expect((await parseAndVerifyX509Svid(verifier, [leaf.cert.der], bundle, T0)).ok).toBe(true);
    const bad = await parseAndVerifyX509Svid(verifier, [Uint8Array.of(1, 2, 3)], bundle, T0);
    expect(bad.ok ? '' : bad.error.message).toBe('x509svid: unable to parse certificate: x509: malformed certificate');
  });

  it('verification then authorization', async () => {
    const ca = await makeCa('west.example');
    const leaf = await makeSvid(ca, 'spiffe://west.example/ns/default/sa/web');
    const v = unwrap(await verifyX509Svid(verifier, [leaf.cert], X509Bundle.of(td('west.example'), [ca.cert]), T0));
    expect(authorizeMemberOf(td('west.example'))(v.id, v.chains).ok).toBe(true);
    const r = authorizeId(unwrap(parseSpiffeId('spiffe://west.example/ns/default/sa/db')))(v.id, v.chains);
    expect(r.ok ? '' : r.error.message).toBe('unexpected ID "spiffe://west.example/ns/default/sa/web"');
  });
});

describe('verifyX509Svid on the go-spiffe conformance files (pinned times)', () => {
  const leafAndCa = certsOf(conformance('x509svid', 'good-leaf-and-intermediate.pem'));
  const bundle = X509Bundle.of(td('example.org'), [leafAndCa[1]!]);

  it('good-leaf-and-intermediate.pem verifies inside its one-hour life', async () => {
    const r = unwrap(await verifyX509Svid(verifier, [leafAndCa[0]!], bundle, Date.UTC(2020, 2, 24, 14, 30)));
    expect(r.id.toString()).toBe('spiffe://example.org/workload-1');
  });

  it('and is expired after it', async () => {
    const r = await verifyX509Svid(verifier, [leafAndCa[0]!], bundle, Date.UTC(2020, 2, 24, 16, 0));
    expect(r.ok ? '' : r.error.message).toBe(
      'x509svid: could not verify leaf certificate: x509: certificate has expired or is not yet valid: current time 2020-03-24T16:00:00Z is after 2020-03-24T15:07:40Z',
    );
  });

  it.each([
    ['wrong-leaf-ca-true.pem', 'x509svid: leaf certificate with CA flag set to true'],
    ['wrong-leaf-cert-sign.pem', 'x509svid: leaf certificate with KeyCertSign key usage'],
    ['wrong-leaf-no-digital-signature.pem', 'x509svid: leaf certificate with KeyCertSign key usage'],
    ['wrong-leaf-crl-sign.pem', 'x509svid: leaf certificate with KeyCrlSign key usage'],
    ['wrong-leaf-empty-id.pem', 'x509svid: could not get leaf SPIFFE ID: certificate contains no URI SAN'],
  ])('%s: Verify’s wording', async (name, message) => {
    const r = await verifyX509Svid(verifier, certsOf(conformance('x509svid', name)), bundle, Date.UTC(2020, 2, 31, 16, 0));
    expect(r.ok ? '' : r.error.message).toBe(message);
  });

  it('wrong-intermediate-no-ca.pem: Verify leaves intermediates to path building (the self-issued leaf is its own root here)', async () => {
    const [leaf, notCa] = certsOf(conformance('x509svid', 'wrong-intermediate-no-ca.pem'));
    const r = await verifyX509Svid(verifier, [leaf!, notCa!], X509Bundle.of(td('example.org'), [leaf!]), Date.UTC(2020, 2, 31, 16, 0));
    expect(r.ok).toBe(true);
  });
});
