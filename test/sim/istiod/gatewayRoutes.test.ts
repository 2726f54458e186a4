// Gateway listeners that are not AUTO_PASSTHROUGH (gatewayRoutes.ts) and how PushContext builds gateway
// listeners (push.ts): chains from VirtualService tls/tcp routes, SNI hosts without `ns/`, and no listener
// when a port ends up without filter chains (gateway.go "must have more than 0 chains").
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../sim/kube/object.ts';
import type { KindRef } from '../../../sim/kube/store.ts';
import { routeChains, sniHostsOf } from '../../../sim/istiod/gatewayRoutes.ts';
import { PushContext, type GatewayServer } from '../../../sim/istiod/push.ts';
import { DEFAULT_MESH } from '../../../sim/istiod/meshConfig.ts';
import type { ReadStore } from '../../../sim/istiod/registry.ts';

const kindOf = (k: KindRef): string => (typeof k === 'string' ? k : (k as { kind: string }).kind);
const fakeStore = (objs: KubeObject[]): ReadStore => ({
  scan: (k, ns) => objs.filter((o) => o.kind === kindOf(k) && (ns === undefined || o.metadata.namespace === ns)),
  find: (k, ns, name) => objs.find((o) => o.kind === kindOf(k) && o.metadata.name === name && (ns === undefined || o.metadata.namespace === ns)),
});
const obj = (kind: string, ns: string | undefined, name: string, rest: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'v1', kind, metadata: { name, ...(ns ? { namespace: ns } : {}) }, ...rest }) as KubeObject;

const helloworld = [
  obj('Service', 'default', 'helloworld', { spec: { ports: [{ port: 5000, name: 'http' }] } }),
  obj('Endpoints', 'default', 'helloworld', { subsets: [{ addresses: [{ ip: '10.12.1.5', targetRef: { name: 'helloworld-v2-x', namespace: 'default' } }] }] }),
  obj('Pod', 'default', 'helloworld-v2-x', { metadata: { name: 'helloworld-v2-x', namespace: 'default', labels: { 'security.istio.io/tlsMode': 'istio', 'topology.istio.io/network': 'west-network' } }, spec: {}, status: { podIP: '10.12.1.5', phase: 'Running' } }),
];
const vs = (spec: Record<string, unknown>) => obj('VirtualService', 'istio-system', 'hw', { spec });
const gwRef = { kind: 'Gateway', namespace: 'istio-system', name: 'cross-network-gateway' };
const eps = () => [{ address: '10.12.1.5', port: 5000, network: 'west-network', tlsMode: 'istio' as const, weight: 1 }];

describe('gateway route chains', () => {
  it('drops the ns/ part of server hosts (GetSNIHostsForServer)', () => {
    expect(sniHostsOf(['istio-system/*.local', '*.local', './a.b'])).toEqual(['*.local', 'a.b']);
  });

  it('PASSTHROUGH: one chain per tls route sniHost, forwarding to the route destination', () => {
    const store = fakeStore([vs({ hosts: ['helloworld.default.svc.cluster.local'], gateways: ['cross-network-gateway'], tls: [{ match: [{ sniHosts: ['helloworld.default.svc.cluster.local'] }], route: [{ destination: { host: 'helloworld.default.svc.cluster.local', port: { number: 5000 } } }] }] })]);
    const chains = routeChains(store, { port: 15443, mode: 'PASSTHROUGH', hosts: ['*.local'], gateway: gwRef }, eps);
    expect(chains).toMatchObject([{ sni: 'helloworld.default.svc.cluster.local', destination: { host: 'helloworld.default.svc.cluster.local', port: 5000 } }]);
    expect(chains[0]!.terminate).toBeUndefined();
  });

  it('ISTIO_MUTUAL: a terminating chain on the server hosts only with a tcp route; none without', () => {
    const tcp = vs({ hosts: ['helloworld.default.svc.cluster.local'], gateways: ['istio-system/cross-network-gateway'], tcp: [{ route: [{ destination: { host: 'helloworld.default.svc.cluster.local', port: { number: 5000 } } }] }] });
    expect(routeChains(fakeStore([tcp]), { port: 15443, mode: 'ISTIO_MUTUAL', hosts: ['*.local'], gateway: gwRef }, eps)).toMatchObject([{ sni: '*.local', terminate: { mode: 'ISTIO_MUTUAL' } }]);
    expect(routeChains(fakeStore([]), { port: 15443, mode: 'ISTIO_MUTUAL', hosts: ['*.local'], gateway: gwRef }, eps)).toEqual([]);
    // Bound to another gateway: not this server's route.
    const other = vs({ hosts: ['*'], gateways: ['other'], tcp: [{ route: [{ destination: { host: 'x' } }] }] });
    expect(routeChains(fakeStore([other]), { port: 15443, mode: 'SIMPLE', hosts: ['*.local'], gateway: gwRef }, eps)).toEqual([]);
  });
});

describe('PushContext gateway listeners', () => {
  const push = (extra: KubeObject[]) => new PushContext({ local: { id: 'west', store: fakeStore([...helloworld, ...extra]), trustDomain: 'west.local', istioNamespace: 'istio-system' }, remotes: [], mesh: DEFAULT_MESH, skipValidateTrustDomain: false });
  const node = { namespace: 'istio-system', labels: {}, network: 'west-network', type: 'router' as const, requestedNetworkView: ['west-network'] };
  const server = (mode: GatewayServer['mode'], hosts: string[]): GatewayServer => ({ port: 15443, mode, hosts, source: gwRef });

  it('AUTO_PASSTHROUGH covers every namespace even with an ns/ host (converted Gateway API listener)', () => {
    const l = push([]).proxyConfig(node, [server('AUTO_PASSTHROUGH', ['istio-system/*.local'])]).listeners;
    expect(l).toMatchObject([{ port: 15443, mode: 'AUTO_PASSTHROUGH', chains: [{ sni: 'outbound_.5000_._.helloworld.default.svc.cluster.local', endpoints: [{ address: '10.12.1.5', port: 5000 }] }] }]);
  });

  it('a port whose servers yield no filter chain gets no listener (hosts *.global, PASSTHROUGH without routes)', () => {
    expect(push([]).proxyConfig(node, [server('AUTO_PASSTHROUGH', ['*.global'])]).listeners).toEqual([]);
    expect(push([]).proxyConfig(node, [server('PASSTHROUGH', ['*.local'])]).listeners).toEqual([]);
    expect(push([]).proxyConfig(node, [server('ISTIO_MUTUAL', ['*.local'])]).listeners).toEqual([]);
  });
});
