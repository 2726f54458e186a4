import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../sim/kube/object.ts';
import { dnsCaptureEnabled, dnsProxyLookup, resolveViaDnsProxy, searchNames, type DnsProxyInput } from '../../../sim/world/meshDns.ts';

const HOST = 'helloworld.default.svc.cluster.local';

function pod(env: Record<string, string>, native = true): KubeObject {
  const proxy = { name: 'istio-proxy', env: Object.entries(env).map(([name, value]) => ({ name, value })) };
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'curl-1', namespace: 'default' }, spec: native ? { initContainers: [proxy], containers: [{ name: 'curl' }] } : { containers: [{ name: 'curl' }, proxy] } } as unknown as KubeObject;
}

function se(name: string, spec: Record<string, unknown>, created = '2026-01-15T09:00:00Z', labels?: Record<string, string>): KubeObject {
  return { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name, namespace: 'default', creationTimestamp: created, ...(labels ? { labels } : {}) }, spec } as unknown as KubeObject;
}

const istiod = (version: string, env: Record<string, string> = {}) => ({
  version,
  pod: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'istiod-1', namespace: 'istio-system' }, spec: { containers: [{ name: 'discovery', env: Object.entries(env).map(([name, value]) => ({ name, value })) }] } } as unknown as KubeObject,
});

const input = (over: Partial<DnsProxyInput> = {}): DnsProxyInput => ({ pod: pod({ ISTIO_META_DNS_CAPTURE: 'true' }), istiod: istiod('1.29.0'), serviceEntries: [se('helloworld-west', { hosts: [HOST], resolution: 'STATIC' })], ...over });

describe("the sidecar's DNS proxy (ISTIO_META_DNS_CAPTURE)", () => {
  it('answers a ServiceEntry host with the auto-allocated address (240.240.0.0/16, 1.25+ default)', () => {
    expect(dnsCaptureEnabled(input().pod)).toBe(true);
    expect(dnsProxyLookup(input(), 'default', HOST)).toEqual({ host: HOST, address: '240.240.0.1' });
    // The short name through the pod's search path.
    expect(resolveViaDnsProxy(input(), 'default', 'helloworld')).toEqual({ host: HOST, ip: '240.240.0.1' });
  });

  it('does nothing without DNS capture: the query goes on to kube-dns', () => {
    expect(resolveViaDnsProxy(input({ pod: pod({}) }), 'default', 'helloworld')).toBeUndefined();
    expect(resolveViaDnsProxy(input({ pod: pod({ ISTIO_META_DNS_CAPTURE: 'true' }, false) }), 'default', 'helloworld')).toEqual({ host: HOST, ip: '240.240.0.1' });
  });

  it('before 1.25 auto-allocation needs ISTIO_META_DNS_AUTO_ALLOCATE; spec.addresses always count', () => {
    expect(dnsProxyLookup(input({ istiod: istiod('1.24.3') }), 'default', HOST)).toBeUndefined();
    expect(dnsProxyLookup(input({ istiod: istiod('1.24.3'), pod: pod({ ISTIO_META_DNS_CAPTURE: 'true', ISTIO_META_DNS_AUTO_ALLOCATE: 'true' }) }), 'default', HOST)?.address).toBe('240.240.0.1');
    expect(dnsProxyLookup(input({ istiod: istiod('1.29.0', { PILOT_ENABLE_IP_AUTOALLOCATE: 'false' }) }), 'default', HOST)).toBeUndefined();
    expect(dnsProxyLookup(input({ istiod: istiod('1.24.3'), serviceEntries: [se('x', { hosts: [HOST], addresses: ['10.99.0.1'], resolution: 'STATIC' })] }), 'default', HOST)?.address).toBe('10.99.0.1');
  });

  it('skips resolution NONE, the opt-out label and entries not exported to the namespace; allocates in creation order', () => {
    expect(dnsProxyLookup(input({ serviceEntries: [se('x', { hosts: [HOST], resolution: 'NONE' })] }), 'default', HOST)).toBeUndefined();
    expect(dnsProxyLookup(input({ serviceEntries: [se('x', { hosts: [HOST] }, undefined, { 'networking.istio.io/enable-autoallocate-ip': 'false' })] }), 'default', HOST)).toBeUndefined();
    expect(dnsProxyLookup(input({ serviceEntries: [se('x', { hosts: [HOST], exportTo: ['other'] })] }), 'default', HOST)).toBeUndefined();
    const two = [se('later', { hosts: [HOST] }, '2026-01-15T10:00:00Z'), se('earlier', { hosts: ['a.example.com'] }, '2026-01-15T09:00:00Z')];
    expect(dnsProxyLookup(input({ serviceEntries: two }), 'default', HOST)?.address).toBe('240.240.0.2');
  });

  it('asks the search-path names first for names with fewer than five dots', () => {
    expect(searchNames('default', 'helloworld')).toEqual(['helloworld.default.svc.cluster.local', 'helloworld.svc.cluster.local', 'helloworld.cluster.local', 'helloworld']);
    expect(searchNames('default', `${HOST}.`)).toEqual([HOST]);
  });
});
