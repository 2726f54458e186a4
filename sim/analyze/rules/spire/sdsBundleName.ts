/**
 * FL0012 — the agent's SDS `default_all_bundles_name` is not `ROOTCA` in a federated SPIRE mesh: Envoy
 * asks SDS for ROOTCA; with SPIRE's defaults (default_bundle_name ROOTCA, default_all_bundles_name ALL)
 * ROOTCA is the own domain's bundle only and the federated bundles sit under ALL, so proxies cannot
 * verify peers of other trust domains (S12; istio samples/security/spire).
 */
import type { Rule } from '../../types.ts';
import { finding, get, perCluster, spireConfigs, str } from '../util.ts';
import { relationships } from './federatesWithoutRelationship.ts';
import { spireMeshWorkloads } from './spireMesh.ts';

export const sdsBundleName: Rule = {
  code: 'FL0012',
  severity: 'error',
  title: 'SPIRE agent SDS default_all_bundles_name is not ROOTCA in a federated mesh',
  refs: ['S12'],
  check: perCluster((c) => {
    if (spireMeshWorkloads(c).length === 0 || relationships(c).size === 0) return [];
    return spireConfigs(c, 'agent').flatMap(({ cm, key, conf }) => {
      const all = str(get(conf, 'agent.sds.default_all_bundles_name')) ?? 'ALL';
      const one = str(get(conf, 'agent.sds.default_bundle_name')) ?? 'ROOTCA';
      if (all === 'ROOTCA') return [];
      return [finding(sdsBundleName, cm, `data[${key}]`, `${key}: sds.default_all_bundles_name is ${JSON.stringify(all)} (default_bundle_name ${JSON.stringify(one)}): Envoy asks SDS for ROOTCA, which then holds ${one === 'ROOTCA' ? 'only the local trust domain\'s bundle' : 'nothing'}, not the federated bundles (${[...relationships(c)].join(', ')}), so proxies reject peers of other trust domains. Set default_all_bundles_name: "ROOTCA" and default_bundle_name: "null"`)];
    });
  }),
};
