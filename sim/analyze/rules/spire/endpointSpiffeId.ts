/**
 * FL0007 — an https_spiffe relationship whose `endpointSPIFFEID` is not the peer SPIRE server's ID
 * (`spiffe://<trust domain>/spire/server`, the SVID its bundle endpoint presents): authentication of the
 * endpoint fails on every refresh and the bundle goes stale (S07). Checked on ClusterFederatedTrustDomains
 * and static federates_with blocks.
 */
import type { Rule } from '../../types.ts';
import { finding, get, isObj, isTrustDomain, nameOf, objects, perCluster, spireConfigs, str } from '../util.ts';

export const endpointSpiffeId: Rule = {
  code: 'FL0007',
  severity: 'error',
  title: 'https_spiffe endpointSPIFFEID is not the peer SPIRE server\'s ID',
  refs: ['S07'],
  check: perCluster((c) => [
    ...objects(c, 'ClusterFederatedTrustDomain').flatMap((o) => {
      if (str(get(o.object, 'spec.bundleEndpointProfile.type')) !== 'https_spiffe') return [];
      const td = str(get(o.object, 'spec.trustDomain'));
      const id = str(get(o.object, 'spec.bundleEndpointProfile.endpointSPIFFEID'));
      const want = `spiffe://${td}/spire/server`;
      if (!td || id === want) return [];
      return [finding(endpointSpiffeId, o, 'spec.bundleEndpointProfile.endpointSPIFFEID', `ClusterFederatedTrustDomain ${JSON.stringify(nameOf(o))}: ${id === undefined ? 'no endpointSPIFFEID' : `endpointSPIFFEID ${id}`}, but ${td}'s bundle endpoint presents its SPIRE server's SVID ${want}: authentication fails on every refresh (SPIRE logs "Error updating bundle" … unexpected ID "${want}") and ${td}'s bundle goes stale when its CA rotates. Set endpointSPIFFEID: ${want}`)];
    }),
    ...spireConfigs(c, 'server').flatMap(({ cm, key, conf }) => {
      const fw = get(conf, 'server.federation.federates_with');
      if (!isObj(fw)) return [];
      return Object.entries(fw).flatMap(([td, body]) => {
        if (!isTrustDomain(td)) return []; // FL0006's
        const id = str(get(body, 'bundle_endpoint_profile.https_spiffe.endpoint_spiffe_id'));
        const want = `spiffe://${td}/spire/server`;
        return id !== undefined && id !== want ? [finding(endpointSpiffeId, cm, `data[${key}]`, `${key}: federates_with "${td}" expects endpoint_spiffe_id ${id}, but ${td}'s bundle endpoint presents ${want}: every refresh fails authentication`)] : [];
      });
    }),
  ]),
};
