// The two-verdict comparison rules, case by case (pure).
import { describe, expect, it } from 'vitest';
import { clocksAgree, compareVerdicts, labClass, opensslClass } from '../../../../server/net/wire/twoVerdicts.ts';

const both = { clocksAgree: true };

describe('compareVerdicts', () => {
  it('agrees when both accept, or both refuse (with or without the same reason)', () => {
    expect(compareVerdicts({ ...both, lab: { ok: true }, openssl: { authorized: true } })).toMatchObject({ kind: 'agree', chain: 'ok' });
    expect(compareVerdicts({ ...both, lab: { ok: false, reason: 'chain', chainErrorCode: 'pki/expired' }, openssl: { authorized: false, authorizationError: 'CERT_HAS_EXPIRED' } })).toMatchObject({ kind: 'agree', chain: 'fail', sameReason: true });
    expect(compareVerdicts({ ...both, lab: { ok: false, reason: 'chain', chainErrorCode: 'pki/unknown-authority' }, openssl: { authorized: false, authorizationError: 'CERT_HAS_EXPIRED' } })).toMatchObject({ kind: 'agree', chain: 'fail', sameReason: false });
  });

  it('disagrees when one accepts the chain and the other refuses it, naming both reasons', () => {
    expect(compareVerdicts({ ...both, lab: { ok: true }, openssl: { authorized: false, authorizationError: 'SELF_SIGNED_CERT_IN_CHAIN' } })).toEqual({ kind: 'disagree', lab: 'ok', openssl: 'unauthorized (SELF_SIGNED_CERT_IN_CHAIN)', labChain: 'ok', opensslChain: 'fail' });
    expect(compareVerdicts({ ...both, lab: { ok: false, reason: 'chain', chainErrorCode: 'pki/not-ca' }, openssl: { authorized: true } })).toMatchObject({ kind: 'disagree', lab: 'chain (pki/not-ca)', openssl: 'authorized' });
    // SAN failure means the lab's chain passed: OpenSSL refusing that chain is a real disagreement.
    expect(compareVerdicts({ ...both, lab: { ok: false, reason: 'san' }, openssl: { authorized: false, authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' } })).toMatchObject({ kind: 'disagree' });
    expect(compareVerdicts({ ...both, lab: { ok: false, reason: 'no-bundle' }, openssl: { authorized: true } })).toMatchObject({ kind: 'disagree' });
  });

  it('SAN mismatch and missing bundle are the lab\'s alone', () => {
    expect(compareVerdicts({ ...both, lab: { ok: false, reason: 'san' }, openssl: { authorized: true } })).toMatchObject({ kind: 'agree', chain: 'ok', labOnly: 'san' });
    for (const code of ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT'])
      expect(compareVerdicts({ ...both, lab: { ok: false, reason: 'no-bundle' }, openssl: { authorized: false, authorizationError: code } })).toMatchObject({ kind: 'agree', chain: 'fail', labOnly: 'no-bundle', sameReason: true });
  });

  it('is not comparable when the clocks differ or the lab stopped at its own precheck', () => {
    expect(compareVerdicts({ clocksAgree: false, lab: { ok: true }, openssl: { authorized: false, authorizationError: 'CERT_HAS_EXPIRED' } })).toMatchObject({ kind: 'not-comparable', why: 'clocks-differ' });
    expect(compareVerdicts({ ...both, lab: { ok: false, reason: 'precheck' }, openssl: { authorized: true } })).toMatchObject({ kind: 'not-comparable', why: 'lab-only-check' });
  });

  it('accepts the validator\'s PeerVerdict as is', () => {
    expect(compareVerdicts({ ...both, lab: { ok: true, id: 'spiffe://a/b', trustDomain: 'a' }, openssl: { authorized: true } })).toMatchObject({ kind: 'agree' });
    expect(compareVerdicts({ ...both, lab: { ok: false, reason: 'chain', detail: 'verify cert failed: no certificate', id: undefined }, openssl: { authorized: false, authorizationError: 'UNABLE_TO_GET_ISSUER_CERT', presented: 0 } })).toMatchObject({ kind: 'agree', sameReason: true });
  });
});

describe('classes and clocks', () => {
  it('maps OpenSSL codes and lab codes onto one scale', () => {
    expect(opensslClass('CERT_NOT_YET_VALID')).toBe('not-yet-valid');
    expect(opensslClass('INVALID_CA')).toBe('invalid-ca');
    expect(opensslClass('SOMETHING_NEW')).toBe('other');
    expect(opensslClass('UNABLE_TO_GET_ISSUER_CERT', 0)).toBe('no-certificate');
    expect(labClass({ ok: false, reason: 'chain', chainErrorCode: 'pki/ca-key-usage' })).toBe('invalid-ca');
    expect(labClass({ ok: false, reason: 'san' })).toBeUndefined();
  });

  it('clocks agree when both instants fall on the same side of every validity edge', () => {
    const c = { notBefore: 1_000, notAfter: 2_000 };
    expect(clocksAgree([c], 1_500, 1_900)).toBe(true);
    expect(clocksAgree([c], 2_500, 9_000)).toBe(true);
    expect(clocksAgree([c], 1_500, 2_001)).toBe(false);
    expect(clocksAgree([c, { notBefore: 0, notAfter: 1_600 }], 1_500, 1_700)).toBe(false);
  });
});
