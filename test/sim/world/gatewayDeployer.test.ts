// The servers a Gateway API gateway's pod gets: istiod's conversion, gated by PILOT_ENABLE_ALPHA_GATEWAY_API
// for TLS listeners from 1.25 (conversion.go listenerProtocolToIstio).
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../sim/kube/object.ts';
import { gatewayApiServers } from '../../../sim/world/gatewayDeployer.ts';
import type { ClusterRuntime } from '../../../sim/world/cluster.ts';
import type { IstiodRuntime } from '../../../sim/world/istiod.ts';

const gateway = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'cross-network-gateway', namespace: 'istio-system', labels: { 'topology.istio.io/network': 'west-network' } },
  spec: { gatewayClassName: 'istio', listeners: [{ name: 'cross-network', port: 15443, protocol: 'TLS', tls: { mode: 'Passthrough' } }] },
} as unknown as KubeObject;
const cluster = { name: 'west', store: { find: (_k: unknown, _ns: unknown, name: string) => (name === 'cross-network-gateway' ? gateway : undefined) } } as unknown as ClusterRuntime;
const pod = { metadata: { name: 'cross-network-gateway-istio-x', namespace: 'istio-system', labels: { 'gateway.networking.k8s.io/gateway-name': 'cross-network-gateway' } } } as unknown as KubeObject;
const istiod = (version: string, alpha: boolean) => ({ version, pod: { spec: { containers: [{ env: alpha ? [{ name: 'PILOT_ENABLE_ALPHA_GATEWAY_API', value: 'true' }] : [] }] } } }) as unknown as IstiodRuntime;

describe('gatewayApiServers', () => {
  it('1.29 without PILOT_ENABLE_ALPHA_GATEWAY_API: the TLS listener is not converted', () => {
    expect(gatewayApiServers(cluster, pod, istiod('1.29.0', false))).toEqual([]);
  });
  it('with the flag (or before 1.25): AUTO_PASSTHROUGH on 15443 for the network-labelled Gateway', () => {
    for (const i of [istiod('1.29.0', true), istiod('1.24.3', false)])
      expect(gatewayApiServers(cluster, pod, i)).toMatchObject([{ port: 15443, mode: 'AUTO_PASSTHROUGH', hosts: ['istio-system/*'] }]);
  });
});
