import { describe, expect, it } from 'vitest';
import { unwrap } from '../../../sim/core/result.ts';
import { SpiffeBundle, SpiffeBundleSet, X509Bundle, X509BundleSet } from '../../../sim/spiffe/index.ts';
import { makeCa, td } from './testPki.ts';

describe('X509BundleSet', () => {
  it('finds bundles by trust domain, replaces on add, sorts by name', async () => {
    const west = X509Bundle.of(td('west.example'), [(await makeCa('west.example')).cert]);
    const east = X509Bundle.of(td('east.example'));
    const set = X509BundleSet.of(west, east);
    expect(set.size).toBe(2);
    expect(set.trustDomains().map((t) => t.name)).toEqual(['east.example', 'west.example']);
    expect(unwrap(set.getX509BundleForTrustDomain(td('west.example')))).toBe(west);
    const replaced = set.with(X509Bundle.of(td('west.example')));
    expect(replaced.size).toBe(2);
    expect(replaced.get(td('west.example'))!.isEmpty()).toBe(true);
    expect(set.get(td('west.example'))!.isEmpty()).toBe(false);
    expect(set.without(td('east.example')).has(td('east.example'))).toBe(false);
  });

  it('uses the Set wording when a trust domain is missing', () => {
    const r = X509BundleSet.of().getX509BundleForTrustDomain(td('north.example'));
    expect(r.ok ? '' : r.error.message).toBe('x509bundle: no X.509 bundle for trust domain "north.example"');
    expect(r.ok ? '' : r.error.code).toBe('spiffe/no-bundle-for-trust-domain');
  });
});

describe('SpiffeBundleSet', () => {
  it('serves SPIFFE and X.509 bundles with spiffebundle wording', async () => {
    const ca = await makeCa('west.example');
    const set = SpiffeBundleSet.of(SpiffeBundle.of(td('west.example'), { x509Authorities: [ca.cert] }));
    expect(unwrap(set.getX509BundleForTrustDomain(td('west.example'))).x509Authorities).toHaveLength(1);
    const a = set.getBundleForTrustDomain(td('east.example'));
    expect(a.ok ? '' : a.error.message).toBe('spiffebundle: no SPIFFE bundle for trust domain "east.example"');
    const b = set.getX509BundleForTrustDomain(td('east.example'));
    expect(b.ok ? '' : b.error.message).toBe('spiffebundle: no X.509 bundle for trust domain "east.example"');
  });
});
