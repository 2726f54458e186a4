/**
 * FL0006 — `federates_with` keyed by something that is not a trust domain (a bundle endpoint URL):
 * SPIRE parses each key as a trust domain name and refuses the configuration (S05; seed 002 "Trust
 * Domain as Key"). Also the ZTWIM SpireServer's spec.federation.federatesWith[].trustDomain.
 */
import type { Rule } from '../../types.ts';
import { finding, get, isObj, isPlaceholder, isTrustDomain, objects, perCluster, spireConfigs, str } from '../util.ts';

export const federatesWithKey: Rule = {
  code: 'FL0006',
  severity: 'error',
  title: 'federates_with keyed by a URL instead of a trust domain',
  refs: ['S05'],
  check: perCluster((c) => [
    ...spireConfigs(c, 'server').flatMap(({ cm, key, conf }) => {
      const fw = get(conf, 'server.federation.federates_with');
      if (!isObj(fw)) return [];
      return Object.keys(fw)
        .filter((k) => !isTrustDomain(k) && !isPlaceholder(k))
        .map((k) => finding(federatesWithKey, cm, `data[${key}]`, `${key}: federation.federates_with is keyed by ${JSON.stringify(k)}, which is not a trust domain: SPIRE reads each key as the trust domain to federate with and refuses to start with this configuration. Key the block by the peer's trust domain (e.g. "east.local") and put the URL in bundle_endpoint_url`));
    }),
    ...objects(c, 'SpireServer').flatMap((o) => {
      const fw = get(o.object, 'spec.federation.federatesWith');
      if (!Array.isArray(fw)) return [];
      return fw.flatMap((f, i) => {
        const td = str(get(f, 'trustDomain'));
        return td !== undefined && !isTrustDomain(td) && !isPlaceholder(td) ? [finding(federatesWithKey, o, `spec.federation.federatesWith[${i}].trustDomain`, `SpireServer federatesWith trustDomain ${JSON.stringify(td)} is not a trust domain: write the peer's trust domain and put the URL in bundleEndpointUrl`)] : [];
      });
    }),
  ]),
};
