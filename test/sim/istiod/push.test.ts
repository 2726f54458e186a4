import { describe, expect, it } from 'vitest';
import { DEFAULT_MESH, type MeshConfig } from '../../../sim/istiod/meshConfig.ts';
import { PushContext } from '../../../sim/istiod/push.ts';
import type { ClusterView } from '../../../sim/istiod/registry.ts';
import { fakeStore, obj, service } from './fakeStore.ts';

const mesh = (m: Partial<MeshConfig> = {}): MeshConfig => ({ ...DEFAULT_MESH, trustDomain: 'east.local', ...m });
const gatewaySvc = (network: string, ip: string) =>
  obj('v1', 'Service', 'istio-eastwestgateway', 'istio-system', { metadata: { labels: { 'topology.istio.io/network': network } }, spec: { ports: [{ port: 15443 }] }, status: { loadBalancer: { ingress: [{ ip }] } } });

function views(opts: { westGateway?: boolean; westTd?: string } = {}): { local: ClusterView; remotes: ClusterView[] } {
  const east = fakeStore([...service('helloworld', 'default', 5000, [{ name: 'hw-v1', ip: '10.10.0.5', labels: { 'topology.istio.io/network': 'east-network' } }])]);
  const west = fakeStore([...service('helloworld', 'default', 5000, [{ name: 'hw-v2', ip: '10.20.0.7', labels: { 'topology.istio.io/network': 'west-network' } }]), ...(opts.westGateway === false ? [] : [gatewaySvc('west-network', '198.51.101.2')])]);
  return {
    local: { id: 'east', store: east, trustDomain: 'east.local', istioNamespace: 'istio-system' },
    remotes: [{ id: 'west', store: west, trustDomain: opts.westTd ?? 'west.local', istioNamespace: 'istio-system' }],
  };
}

const sidecar = { namespace: 'default', labels: {}, network: 'east-network', type: 'sidecar' as const };
const HOST = 'helloworld.default.svc.cluster.local:5000';

describe('EDS split horizon', () => {
  it('keeps local pod IPs and replaces remote-network endpoints with the remote gateway on 15443', () => {
    const push = new PushContext({ ...views(), mesh: mesh(), skipValidateTrustDomain: false });
    const c = push.proxyConfig(sidecar).clusters.get(HOST)!;
    expect(c.name).toBe('outbound|5000||helloworld.default.svc.cluster.local');
    expect(c.endpoints.map((e) => `${e.address}:${e.port}`)).toEqual(['10.10.0.5:5000', '198.51.101.2:15443']);
    expect(c.defaultTls.sni).toBe('outbound_.5000_._.helloworld.default.svc.cluster.local');
  });

  it('uses the remote pod IP directly when no gateway is known for its network (M03)', () => {
    const push = new PushContext({ ...views({ westGateway: false }), mesh: mesh(), skipValidateTrustDomain: false });
    const c = push.proxyConfig(sidecar).clusters.get(HOST)!;
    expect(c.endpoints.map((e) => e.address)).toEqual(['10.10.0.5', '10.20.0.7']);
    expect(c.notes.join('\n')).toMatch(/no gateway is known/);
  });

  it('takes meshNetworks gateway addresses when the Service is not labelled', () => {
    const m = mesh({ networks: { 'west-network': { endpoints: [{ fromRegistry: 'west' }], gateways: [{ address: '203.0.113.9', port: 15443 }] } } });
    const push = new PushContext({ ...views({ westGateway: false }), mesh: m, skipValidateTrustDomain: false });
    expect(push.proxyConfig(sidecar).clusters.get(HOST)!.endpoints.map((e) => `${e.address}:${e.port}`)).toContain('203.0.113.9:15443');
  });
});

describe('SANs', () => {
  it('lists every endpoint identity, each cluster in its own trust domain (1.29+)', () => {
    const push = new PushContext({ ...views(), mesh: mesh(), skipValidateTrustDomain: false });
    expect(push.proxyConfig(sidecar).clusters.get(HOST)!.defaultTls.sans).toEqual(['spiffe://east.local/ns/default/sa/default', 'spiffe://west.local/ns/default/sa/default']);
  });

  it('uses the local trust domain for remote endpoints before 1.29 and expands aliases', () => {
    const pre = new PushContext({ ...views({ westTd: 'east.local' }), mesh: mesh(), skipValidateTrustDomain: false });
    expect(pre.proxyConfig(sidecar).clusters.get(HOST)!.defaultTls.sans).toEqual(['spiffe://east.local/ns/default/sa/default']);
    const aliased = new PushContext({ ...views({ westTd: 'east.local' }), mesh: mesh({ trustDomainAliases: ['west.local'] }), skipValidateTrustDomain: false });
    expect(aliased.proxyConfig(sidecar).clusters.get(HOST)!.defaultTls.sans).toEqual(['spiffe://east.local/ns/default/sa/default', 'spiffe://west.local/ns/default/sa/default']);
  });

  it('a DestinationRule subjectAltNames replaces the list', () => {
    const v = views();
    const dr = obj('networking.istio.io/v1', 'DestinationRule', 'hw', 'default', { spec: { host: 'helloworld', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL', subjectAltNames: ['spiffe://east.local/ns/default/sa/default'] } } } });
    const local = { ...v.local, store: fakeStore([...(v.local.store.scan('Service') as never[]), ...(v.local.store.scan('Endpoints') as never[]), ...(v.local.store.scan('Pod') as never[]), dr]) };
    const c = new PushContext({ local, remotes: v.remotes, mesh: mesh(), skipValidateTrustDomain: false }).proxyConfig(sidecar).clusters.get(HOST)!;
    expect(c.tls?.sans).toEqual(['spiffe://east.local/ns/default/sa/default']);
    expect(c.tls?.source?.name).toBe('hw');
  });
});

describe('gateways', () => {
  it('AUTO_PASSTHROUGH gets one SNI chain per service port it covers, with local-network endpoints only', () => {
    const push = new PushContext({ ...views(), mesh: mesh(), skipValidateTrustDomain: false });
    const gw = push.proxyConfig({ namespace: 'istio-system', labels: { istio: 'eastwestgateway' }, network: 'east-network', type: 'router', requestedNetworkView: ['east-network'] }, [{ port: 15443, mode: 'AUTO_PASSTHROUGH', hosts: ['*.local'], source: { kind: 'Gateway', name: 'cross-network-gateway' } }]);
    const chain = gw.listeners[0]!.chains.find((c) => c.sni === 'outbound_.5000_._.helloworld.default.svc.cluster.local')!;
    expect(chain.endpoints.map((e) => e.address)).toEqual(['10.10.0.5']);
    const globalOnly = push.proxyConfig({ namespace: 'istio-system', labels: {}, network: 'east-network', type: 'router' }, [{ port: 15443, mode: 'AUTO_PASSTHROUGH', hosts: ['*.global'], source: { kind: 'Gateway', name: 'g' } }]);
    // No service covered ⇒ no chain ⇒ no listener at all (gateway.go "must have more than 0 chains").
    expect(globalOnly.listeners).toEqual([]);
  });
});

describe('inbound', () => {
  it('accepts the mesh trust domain, aliases and caCertificates trust domains', () => {
    const push = new PushContext({ ...views(), mesh: mesh({ trustDomainAliases: ['old.local'], caCertificates: [{ spiffeBundleUrl: 'https://x:8443', trustDomains: ['west.local'] }] }), skipValidateTrustDomain: false });
    expect(push.proxyConfig(sidecar).inbound.trustDomains).toEqual(['east.local', 'old.local', 'west.local']);
    expect(new PushContext({ ...views(), mesh: mesh(), skipValidateTrustDomain: true }).proxyConfig(sidecar).inbound.trustDomains).toBe('any');
  });
});
