/**
 * The small read interfaces consumers depend on (`go-spiffe:bundle/x509bundle/source.go`,
 * `bundle/spiffebundle/source.go`, `bundle/jwtbundle/source.go`, `svid/x509svid/source.go`). A single
 * bundle, a bundle set, or a live component (an agent's cache, a server's datastore) can each play
 * the part; the error text then comes from whichever implements it.
 */
import type { Result, SimError } from '../core/result.ts';
import type { JwtBundle } from './jwtBundle.ts';
import type { SpiffeBundle } from './spiffeBundle.ts';
import type { TrustDomain } from './trustDomain.ts';
import type { X509Bundle } from './x509Bundle.ts';
import type { X509Svid } from './x509Svid.ts';

export interface X509BundleSource {
  /** A single `X509Bundle` answers `x509bundle: no X.509 bundle found for trust domain: "<td>"` for another TD. */
  getX509BundleForTrustDomain(td: TrustDomain): Result<X509Bundle, SimError>;
}

export interface JwtBundleSource {
  getJwtBundleForTrustDomain(td: TrustDomain): Result<JwtBundle, SimError>;
}

export interface SpiffeBundleSource {
  getBundleForTrustDomain(td: TrustDomain): Result<SpiffeBundle, SimError>;
}

export interface X509SvidSource {
  getX509Svid(): Result<X509Svid, SimError>;
}
