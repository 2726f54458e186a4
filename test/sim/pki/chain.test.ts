import { describe, expect, it } from 'vitest';
import { generateKeyPair, issueCertificate, issueWithNewKey, SignatureVerifier, spireCaTemplate, verifyChain, x509SvidTemplate, type KeyType } from '../../../sim/pki/index.ts';
import { crypto, HOUR_MS, T0, testCa, testSvid } from '../../helpers/pki.ts';

const verifier = new SignatureVerifier(crypto);

describe.each<KeyType>(['ec-p256', 'rsa-2048'])('chain validation with an %s CA', (keyType) => {
  it('accepts the SVID inside its validity window and returns leaf → root', async () => {
    const ca = await testCa('example.org', keyType);
    const svid = await testSvid(ca, 'spiffe://example.org/w');
    const r = await verifyChain(verifier, svid.cert, { at: T0 + 30 * 60_000, roots: [ca.cert] });
    expect(r.ok && r.value.map((c) => c.serial)).toEqual([svid.cert.serial, ca.cert.serial]);
  });

  it('rejects it before notBefore and after notAfter with Go x509 wording', async () => {
    const ca = await testCa('example.org', keyType);
    const svid = await testSvid(ca, 'spiffe://example.org/w');
    const before = await verifyChain(verifier, svid.cert, { at: T0 - 60_000, roots: [ca.cert] });
    expect(before).toMatchObject({ ok: false, error: { code: 'pki/not-yet-valid', message: 'x509: certificate has expired or is not yet valid: current time 2026-11-22T11:59:00Z is before 2026-11-22T11:59:50Z' } });
    const after = await verifyChain(verifier, svid.cert, { at: T0 + HOUR_MS + 1000, roots: [ca.cert] });
    expect(after).toMatchObject({ ok: false, error: { code: 'pki/expired', message: 'x509: certificate has expired or is not yet valid: current time 2026-11-22T13:00:01Z is after 2026-11-22T13:00:00Z' } });
    // the boundaries themselves are inside (RFC 5280: notBefore and notAfter are inclusive)
    expect((await verifyChain(verifier, svid.cert, { at: svid.cert.notAfter, roots: [ca.cert] })).ok).toBe(true);
    expect((await verifyChain(verifier, svid.cert, { at: svid.cert.notBefore, roots: [ca.cert] })).ok).toBe(true);
  });

  it('rejects an expired root even when the leaf is still valid', async () => {
    const ca = await testCa('example.org', keyType, T0, 2 * HOUR_MS);
    // a leaf that outlives its CA (SPIRE caps this; a hand-made one need not)
    const t = { ...x509SvidTemplate({ spiffeId: 'spiffe://example.org/w', serial: 9n, now: T0, ttl: HOUR_MS, caNotAfter: ca.cert.notAfter }), notAfter: T0 + 5 * HOUR_MS };
    const leaf = await issueWithNewKey(crypto, t, 'ec-p256', ca);
    const r = await verifyChain(verifier, leaf.cert, { at: T0 + 3 * HOUR_MS, roots: [ca.cert] });
    expect(r).toMatchObject({ ok: false, error: { code: 'pki/expired', message: 'x509: certificate has expired or is not yet valid: current time 2026-11-22T15:00:00Z is after 2026-11-22T14:00:00Z' } });
  });
});

describe('trust decisions', () => {
  it('a root with the same name but another key: unknown authority, with Go\'s hint', async () => {
    const ca = await testCa();
    const svid = await testSvid(ca, 'spiffe://example.org/w');
    const otherKey = await generateKeyPair(crypto, 'ec-p256');
    // same subject (same serial ⇒ same serialNumber attribute), different key
    const impostor = await issueCertificate(crypto, spireCaTemplate({ trustDomainId: 'spiffe://example.org', serial: ca.cert.serial, now: T0, ttl: 24 * HOUR_MS }), otherKey);
    const r = await verifyChain(verifier, { ...svid.cert, authorityKeyId: undefined }, { at: T0, roots: [impostor.cert] });
    expect(r).toMatchObject({ ok: false, error: { code: 'pki/unknown-authority', message: 'x509: certificate signed by unknown authority (possibly because of "x509: ECDSA verification failure" while trying to verify candidate authority certificate "SPIFFE")' } });
  });

  it('a root from another trust domain: plain unknown authority', async () => {
    const ca = await testCa('west.demo');
    const other = await testCa('east.demo');
    const svid = await testSvid(ca, 'spiffe://west.demo/w');
    const r = await verifyChain(verifier, svid.cert, { at: T0, roots: [other.cert] });
    expect(r).toMatchObject({ ok: false, error: { code: 'pki/unknown-authority', message: 'x509: certificate signed by unknown authority' } });
  });

  it('after CA rotation the bundle holds both roots and both generations verify', async () => {
    const ca1 = await testCa('example.org', 'ec-p256', T0);
    const ca2 = await testCa('example.org', 'ec-p256', T0 + 12 * HOUR_MS);
    const old = await testSvid(ca1, 'spiffe://example.org/w', { now: T0 + 11 * HOUR_MS });
    const fresh = await testSvid(ca2, 'spiffe://example.org/w', { now: T0 + 12 * HOUR_MS });
    const roots = [ca1.cert, ca2.cert];
    expect((await verifyChain(verifier, old.cert, { at: T0 + 11.5 * HOUR_MS, roots })).ok).toBe(true);
    expect((await verifyChain(verifier, fresh.cert, { at: T0 + 12.5 * HOUR_MS, roots })).ok).toBe(true);
    expect((await verifyChain(verifier, fresh.cert, { at: T0 + 12.5 * HOUR_MS, roots: [ca1.cert] })).ok).toBe(false);
  });

  it('walks intermediates (UpstreamAuthority) and enforces path length', async () => {
    const root = await testCa('example.org', 'ec-p384');
    const k1 = await generateKeyPair(crypto, 'ec-p256');
    const capped = await issueCertificate(crypto, { ...spireCaTemplate({ trustDomainId: 'spiffe://example.org', serial: 501n, now: T0, ttl: 12 * HOUR_MS }), pathLen: 0 }, k1, root);
    const k2 = await generateKeyPair(crypto, 'ec-p256');
    const second = await issueCertificate(crypto, spireCaTemplate({ trustDomainId: 'spiffe://example.org', serial: 502n, now: T0, ttl: 6 * HOUR_MS }), k2, capped);
    const leaf1 = await testSvid(capped, 'spiffe://example.org/a');
    const leaf2 = await testSvid(second, 'spiffe://example.org/b');
    const ok1 = await verifyChain(verifier, leaf1.cert, { at: T0, roots: [root.cert], intermediates: [capped.cert] });
    expect(ok1.ok && ok1.value.length).toBe(3);
    const tooDeep = await verifyChain(verifier, leaf2.cert, { at: T0, roots: [root.cert], intermediates: [capped.cert, second.cert] });
    expect(tooDeep).toMatchObject({ ok: false, error: { code: 'pki/path-length', message: 'x509: too many intermediates for path length constraint' } });
    const missing = await verifyChain(verifier, leaf1.cert, { at: T0, roots: [root.cert] });
    expect(missing).toMatchObject({ ok: false, error: { code: 'pki/unknown-authority' } });
  });

  it('refuses an issuer that is not a CA or may not sign certificates', async () => {
    const root = await testCa();
    const notCaKey = await generateKeyPair(crypto, 'ec-p256');
    const notCa = await issueCertificate(crypto, { ...spireCaTemplate({ trustDomainId: 'spiffe://example.org', serial: 601n, now: T0, ttl: HOUR_MS }), isCA: false }, notCaKey, root);
    const leaf = await issueWithNewKey(crypto, x509SvidTemplate({ spiffeId: 'spiffe://example.org/x', serial: 602n, now: T0, ttl: HOUR_MS, caNotAfter: notCa.cert.notAfter }), 'ec-p256', notCa);
    expect(await verifyChain(verifier, leaf.cert, { at: T0, roots: [root.cert], intermediates: [notCa.cert] })).toMatchObject({
      ok: false,
      error: { code: 'pki/not-ca', message: 'x509: certificate is not authorized to sign other certificates' },
    });
    const noSignKey = await generateKeyPair(crypto, 'ec-p256');
    const noSign = await issueCertificate(crypto, { ...spireCaTemplate({ trustDomainId: 'spiffe://example.org', serial: 603n, now: T0, ttl: HOUR_MS }), keyUsage: ['cRLSign'] }, noSignKey, root);
    const leaf2 = await issueWithNewKey(crypto, x509SvidTemplate({ spiffeId: 'spiffe://example.org/y', serial: 604n, now: T0, ttl: HOUR_MS, caNotAfter: noSign.cert.notAfter }), 'ec-p256', noSign);
    expect(await verifyChain(verifier, leaf2.cert, { at: T0, roots: [root.cert], intermediates: [noSign.cert] })).toMatchObject({ ok: false, error: { code: 'pki/ca-key-usage' } });
  });

  it('checks the extended key usage only when asked to', async () => {
    const ca = await testCa();
    const key = await generateKeyPair(crypto, 'ec-p256');
    const serverOnly = await issueCertificate(crypto, { ...x509SvidTemplate({ spiffeId: 'spiffe://example.org/s', serial: 700n, now: T0, ttl: HOUR_MS, caNotAfter: ca.cert.notAfter }), extKeyUsage: ['serverAuth'] }, key, ca);
    expect((await verifyChain(verifier, serverOnly.cert, { at: T0, roots: [ca.cert] })).ok).toBe(true);
    expect(await verifyChain(verifier, serverOnly.cert, { at: T0, roots: [ca.cert], requiredEku: 'clientAuth' })).toMatchObject({ ok: false, error: { code: 'pki/incompatible-usage' } });
  });
});
