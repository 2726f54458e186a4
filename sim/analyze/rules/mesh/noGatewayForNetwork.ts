/**
 * M03: istiod rewrites an endpoint of another network to that network's gateway only if it knows one
 * (a Service labelled topology.istio.io/network with the mTLS port, meshNetworks, or a network-labelled
 * Gateway API Gateway; pilot/pkg/xds/endpoints/ep_filters.go). Knowing none it sends the remote pod IP,
 * which is not routable from the client's network: the connect times out.
 */
import type { Finding, Rule } from '../../types.ts';
import { appServices, describe, eastWestGateways, embedded, finding, installValues, kindOf, meshConfig, networkOf, obj, registryGatewayNetworks, serviceHost } from './facts.ts';
import { discovers } from './multiCluster.ts';

export const noGatewayForNetwork: Rule = {
  code: 'FL0106',
  severity: 'error',
  title: 'No gateway known for a remote network: remote pod IPs are dialled directly (timeouts)',
  refs: ['M03', 'G04'],
  check(input) {
    const out: Finding[] = [];
    const gatewayNetworks = new Set(input.clusters.flatMap(registryGatewayNetworks));
    for (const client of input.clusters) {
      const mine = networkOf(client);
      if (!mine) continue;
      const v = installValues(client);
      const cm = meshConfig(client);
      const meshNetworks = { ...obj(obj(obj(v?.values.global).meshNetworks)), ...obj(obj(embedded(cm?.embedded ? obj(cm.object.object.data).meshNetworks : undefined)).networks) };
      for (const remote of input.clusters) {
        const theirs = networkOf(remote);
        if (remote === client || !theirs || theirs === mine || !discovers(client, remote)) continue;
        if (gatewayNetworks.has(theirs) || obj(meshNetworks[theirs]).gateways !== undefined) continue;
        const hosts = appServices(remote).map(serviceHost);
        if (hosts.length === 0) continue;
        const at = eastWestGateways(remote)[0]?.object ?? installValues(remote)!.object;
        out.push(finding(noGatewayForNetwork, at, at === installValues(remote)?.object ? 'spec.values.global.network' : 'metadata.labels',
          `cluster ${client.name}'s istiod discovers cluster ${remote.name} (network ${theirs}) but knows no gateway for ${theirs}: no Service labelled topology.istio.io/network=${theirs} exposing 15443 and no meshNetworks gateway. Split horizon keeps ${theirs}'s endpoints as pod IPs, which ${mine} cannot route to, so calls to ${hosts.slice(0, 3).join(', ')} time out (with a healthy local endpoint, retries hide it). Label ${kindOf(at) === 'Service' ? describe(at) : `${remote.name}'s east-west gateway Service`} topology.istio.io/network=${theirs} (gen-eastwest-gateway.sh --network ${theirs} does; it must expose 15443 and have an external address); meshNetworks is not required for that (G04).`));
      }
    }
    return out;
  },
};
