/**
 * FL0005 — an https_spiffe ClusterFederatedTrustDomain without `trustDomainBundle`: SPIRE authenticates
 * the peer's bundle endpoint with the peer's own bundle, so the first fetch cannot succeed without an
 * initial copy ("bootstrap problem", seed 001). With the bundle on the CR, the controller loads it (G10).
 */
import type { Rule } from '../../types.ts';
import { finding, get, nameOf, objects, perCluster, str } from '../util.ts';

export const httpsSpiffeWithoutBundle: Rule = {
  code: 'FL0005',
  severity: 'error',
  title: 'https_spiffe ClusterFederatedTrustDomain without an initial trustDomainBundle',
  refs: ['S03', 'G10'],
  check: perCluster((c) =>
    objects(c, 'ClusterFederatedTrustDomain').flatMap((o) => {
      if (str(get(o.object, 'spec.bundleEndpointProfile.type')) !== 'https_spiffe') return [];
      if (get(o.object, 'spec.trustDomainBundle') !== undefined) return [];
      const td = str(get(o.object, 'spec.trustDomain')) ?? '?';
      return [finding(httpsSpiffeWithoutBundle, o, 'spec.trustDomainBundle', `ClusterFederatedTrustDomain ${JSON.stringify(nameOf(o))} uses https_spiffe but has no trustDomainBundle: SPIRE must authenticate ${td}'s bundle endpoint with ${td}'s own bundle, which it does not have, so every fetch fails and the bundle never arrives. Put ${td}'s current bundle (spire-server bundle show -format spiffe) in spec.trustDomainBundle`)];
    }),
  ),
};
