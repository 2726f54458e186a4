/**
 * G04: meshNetworks is not required when the east-west gateway Service carries topology.istio.io/network
 * (istiod discovers it from each cluster's registry, pilot/pkg/serviceregistry/kube/controller/network.go);
 * it matters when istiod cannot read the remote cluster. A gateway address left as a guide's placeholder
 * is not an address at all.
 */
import type { AnalyzedObject, Finding, Rule } from '../../types.ts';
import { arr, registryGatewayNetworks, embedded, finding, installs, isPlaceholder, obj, ofKind, nameOf, str, specOf, type Obj } from './facts.ts';

export const meshNetworksNotNeeded: Rule = {
  code: 'FL0121',
  severity: 'info',
  title: 'meshNetworks not needed where gateways carry topology.istio.io/network (or its gateway address is a placeholder)',
  refs: ['G04'],
  check(input) {
    const out: Finding[] = [];
    const labelled = new Set(input.clusters.flatMap(registryGatewayNetworks));
    for (const c of input.clusters) {
      const sources: { object: AnalyzedObject; path: string; networks: Obj; embedded: boolean }[] = [
        ...installs(c).map((o) => ({ object: o, path: 'spec.values.global.meshNetworks', networks: obj(obj(obj(specOf(o).values).global).meshNetworks), embedded: false })),
        ...ofKind(c, 'ConfigMap').filter((o) => nameOf(o) === 'istio').map((o) => ({ object: o, path: 'data.meshNetworks', networks: obj(obj(embedded(obj(o.object.data).meshNetworks)).networks), embedded: true })),
      ];
      for (const s of sources) {
        for (const [network, n] of Object.entries(s.networks)) {
          const gateways = arr(obj(n).gateways).map(obj);
          gateways.forEach((g, i) => {
            const address = str(g.address);
            if (address && isPlaceholder(address)) {
              out.push(finding(meshNetworksNotNeeded, s.object, s.embedded ? s.path : `${s.path}.${network}.gateways[${i}].address`,
                `meshNetworks.${network}.gateways[${i}].address is still the placeholder ${address}: istiod cannot use it as a gateway address. meshNetworks is not required when the east-west gateway Service carries topology.istio.io/network and remote secrets exist (G04): drop it, or fill in the gateway's external address.`, { severity: 'warning' }));
            }
          });
          if (gateways.length > 0 && labelled.has(network) && !gateways.some((g) => isPlaceholder(str(g.address) ?? ''))) {
            out.push(finding(meshNetworksNotNeeded, s.object, s.embedded ? s.path : `${s.path}.${network}`,
              `meshNetworks.${network} lists gateways, but ${network}'s east-west gateway is already labelled topology.istio.io/network=${network}, which istiod discovers by itself (with remote secrets). meshNetworks is not required (G04); it matters only when istiod cannot read the remote cluster.`));
          }
        }
      }
    }
    return out;
  },
};
