/**
 * Bundles keyed by trust domain (`go-spiffe:bundle/x509bundle/set.go`, `bundle/spiffebundle/set.go`):
 * what a workload or Envoy holds when it trusts several trust domains (its own plus federated ones).
 * Immutable: `with`/`without` return a new set; adding a bundle for a trust domain already present
 * replaces it. `bundles()` is sorted by trust domain name, as upstream.
 * Note the wording differs from a single bundle's: a set says `no X.509 bundle for trust domain "<td>"`.
 */
import { err, ok, simError, type Result, type SimError } from '../core/result.ts';
import type { SpiffeBundle } from './spiffeBundle.ts';
import type { TrustDomain } from './trustDomain.ts';
import type { X509Bundle } from './x509Bundle.ts';

type NoBundle = SimError<'spiffe/no-bundle-for-trust-domain'>;

const noBundle = (message: string, td: TrustDomain): { ok: false; error: NoBundle } =>
  err(simError('spiffe/no-bundle-for-trust-domain', message, { trustDomain: td.name }));

abstract class BundleMap<B extends { readonly trustDomain: TrustDomain }, S> {
  protected readonly byName: ReadonlyMap<string, B>;

  protected constructor(bundles: Iterable<B>) {
    const m = new Map<string, B>();
    for (const b of bundles) m.set(b.trustDomain.name, b);
    this.byName = m;
  }

  protected abstract make(bundles: Iterable<B>): S;

  get size(): number {
    return this.byName.size;
  }

  has(td: TrustDomain): boolean {
    return this.byName.has(td.name);
  }

  get(td: TrustDomain): B | undefined {
    return this.byName.get(td.name);
  }

  with(bundle: B): S {
    return this.make([...this.byName.values(), bundle]);
  }

  without(td: TrustDomain): S {
    return this.make([...this.byName.values()].filter((b) => b.trustDomain.name !== td.name));
  }

  bundles(): B[] {
    return [...this.byName.values()].sort((a, b) => a.trustDomain.compare(b.trustDomain));
  }

  trustDomains(): TrustDomain[] {
    return this.bundles().map((b) => b.trustDomain);
  }
}

/** `x509bundle.Set`. */
export class X509BundleSet extends BundleMap<X509Bundle, X509BundleSet> {
  static of(...bundles: X509Bundle[]): X509BundleSet {
    return new X509BundleSet(bundles);
  }

  protected make(bundles: Iterable<X509Bundle>): X509BundleSet {
    return new X509BundleSet(bundles);
  }

  getX509BundleForTrustDomain(td: TrustDomain): Result<X509Bundle, NoBundle> {
    const b = this.get(td);
    return b ? ok(b) : noBundle(`x509bundle: no X.509 bundle for trust domain ${JSON.stringify(td.name)}`, td);
  }
}

/** `spiffebundle.Set`: also an X.509 bundle source (the X.509 part of each bundle). */
export class SpiffeBundleSet extends BundleMap<SpiffeBundle, SpiffeBundleSet> {
  static of(...bundles: SpiffeBundle[]): SpiffeBundleSet {
    return new SpiffeBundleSet(bundles);
  }

  protected make(bundles: Iterable<SpiffeBundle>): SpiffeBundleSet {
    return new SpiffeBundleSet(bundles);
  }

  getBundleForTrustDomain(td: TrustDomain): Result<SpiffeBundle, NoBundle> {
    const b = this.get(td);
    return b ? ok(b) : noBundle(`spiffebundle: no SPIFFE bundle for trust domain ${JSON.stringify(td.name)}`, td);
  }

  getX509BundleForTrustDomain(td: TrustDomain): Result<X509Bundle, NoBundle> {
    const b = this.get(td);
    return b ? ok(b.x509Bundle()) : noBundle(`spiffebundle: no X.509 bundle for trust domain ${JSON.stringify(td.name)}`, td);
  }
}
