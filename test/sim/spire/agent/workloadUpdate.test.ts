import { describe, expect, it } from 'vitest';
import { AgentCache } from '../../../../sim/spire/agent/cache.ts';
import { attestK8sWorkload, parseSelector } from '../../../../sim/spire/agent/workloadAttestor.ts';
import type { Pod } from '../../../../sim/kube/builtinKinds.ts';
import { bundleOf, cachedSvid, entry, FakeServer, makeCa, T0 } from './fakeServer.ts';

const pod = (labels: Record<string, string>, sa = 'app-sa'): Pod =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'app-1', namespace: 'shop', uid: 'uid-1', labels, resourceVersion: '1', generation: 1, creationTimestamp: '', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'app-7d9', uid: 'rs-uid' }] },
    spec: { nodeName: 'node-1', serviceAccountName: sa, containers: [{ name: 'app', image: 'nginx:1.27' }, { name: 'istio-proxy', image: 'proxyv2:1.29' }] },
    status: {
      phase: 'Running',
      containerStatuses: [
        { name: 'app', image: 'nginx:1.27', imageID: 'docker.io/library/nginx@sha256:aa' },
        { name: 'istio-proxy', image: 'proxyv2:1.29', imageID: 'docker.io/istio/proxyv2@sha256:bb' },
      ],
    },
  }) as unknown as Pod;

describe('k8s workload attestor', () => {
  it('derives the selectors of §4.7 in upstream order for the calling container', () => {
    const values = attestK8sWorkload(pod({ app: 'shop' }), 'istio-proxy').map((s) => `${s.type}:${s.value}`);
    expect(values).toEqual([
      'k8s:sa:app-sa',
      'k8s:ns:shop',
      'k8s:node-name:node-1',
      'k8s:pod-uid:uid-1',
      'k8s:pod-name:app-1',
      'k8s:pod-image-count:2',
      'k8s:pod-init-image-count:0',
      'k8s:pod-image:docker.io/library/nginx@sha256:aa',
      'k8s:pod-image:nginx:1.27',
      'k8s:pod-image:docker.io/istio/proxyv2@sha256:bb',
      'k8s:pod-image:proxyv2:1.29',
      'k8s:pod-label:app:shop',
      'k8s:pod-owner:ReplicaSet:app-7d9',
      'k8s:pod-owner-uid:ReplicaSet:rs-uid',
      'k8s:container-name:istio-proxy',
      'k8s:container-image:docker.io/istio/proxyv2@sha256:bb',
      'k8s:container-image:proxyv2:1.29',
    ]);
  });

  it('omits container selectors when disabled, adds ns-label when enabled, and needs a container status otherwise', () => {
    const v = attestK8sWorkload(pod({}), 'app', { disableContainerSelectors: true, enableNamespaceLabels: true, namespaceLabels: { 'kubernetes.io/metadata.name': 'shop' } }).map((s) => s.value);
    expect(v.some((x) => x.startsWith('container-'))).toBe(false);
    expect(v.at(-1)).toBe('ns-label:kubernetes.io/metadata.name:shop');
    expect(attestK8sWorkload(pod({}), 'not-started')).toEqual([]);
    expect(attestK8sWorkload(pod({}), 'not-started', { disableContainerSelectors: true }).length).toBeGreaterThan(0);
    expect(parseSelector('k8s:pod-label:app:foo')).toEqual({ type: 'k8s', value: 'pod-label:app:foo' });
  });
});

describe('workload update: identities and federated bundles per workload', () => {
  it('returns every matching entry with an SVID sorted by entry ID, and F only from those entries', async () => {
    const clock = { now: () => T0 };
    const server = await FakeServer.create('east.local', clock);
    const west = await makeCa('west.local');
    const north = await makeCa('north.local');
    const warnings: string[] = [];
    const cache = new AgentCache('east.local', (msg, f) => warnings.push(`${msg} ${String(f.federated_bundle)}`));
    const eB = entry('spiffe://east.local/ns/shop/sa/app-sa', ['k8s:ns:shop', 'k8s:sa:app-sa'], { id: 'east.b', federatesWith: ['west.local', 'south.local'] });
    const eA = entry('spiffe://east.local/shop', ['k8s:ns:shop'], { id: 'east.a' });
    const eOther = entry('spiffe://east.local/other', ['k8s:ns:other'], { id: 'east.0', federatesWith: ['north.local'] });
    const eTooSpecific = entry('spiffe://east.local/x', ['k8s:ns:shop', 'k8s:sa:someone-else'], { id: 'east.c' });
    cache.update([eB, eA, eOther, eTooSpecific], [server.getBundle(), bundleOf('west.local', west), bundleOf('north.local', north)]);
    for (const e of [eB, eA, eOther, eTooSpecific]) cache.setSvid(await cachedSvid(server, e));

    const sel = attestK8sWorkload(pod({ app: 'shop' }), 'app');
    const u = cache.workloadUpdate(sel);
    expect(u.identities.map((i) => i.entry.id)).toEqual(['east.a', 'east.b']);
    expect([...u.federatedBundles.keys()]).toEqual(['west.local']);
    expect(u.bundle?.trustDomain.name).toBe('east.local');
    expect(warnings).toEqual(['Federated bundle contents missing south.local']);

    // A workload in another namespace gets north, not west; one matching nothing still gets the own bundle.
    expect([...cache.workloadUpdate([{ type: 'k8s', value: 'ns:other' }]).federatedBundles.keys()]).toEqual(['north.local']);
    const none = cache.workloadUpdate([{ type: 'k8s', value: 'ns:empty' }]);
    expect(none.identities).toEqual([]);
    expect(none.bundle?.trustDomain.name).toBe('east.local');
    expect(none.federatedBundles.size).toBe(0);
  });
});

describe('agent cache: matches kept while the entries are unchanged', () => {
  it('answers from the same entries until a sync brings a different set, then matches again', async () => {
    const server = await FakeServer.create('east.local', { now: () => T0 });
    const cache = new AgentCache('east.local');
    const eA = entry('spiffe://east.local/shop', ['k8s:ns:shop'], { id: 'east.a' });
    const sel = attestK8sWorkload(pod({ app: 'shop' }), 'app');
    cache.update([eA], [server.getBundle()]);
    expect(cache.missingSvids(sel).map((e) => e.id)).toEqual(['east.a']);
    cache.setSvid(await cachedSvid(server, eA));
    // The same stored entry again (a sync with nothing new): the SVID stays, nothing is missing.
    cache.update([eA], [server.getBundle()]);
    expect(cache.missingSvids(sel)).toEqual([]);
    expect(cache.workloadUpdate(sel).identities.map((i) => i.entry.id)).toEqual(['east.a']);
    // A new entry for the same workload: matched at once, and missing its SVID.
    const eB = entry('spiffe://east.local/shop/b', ['k8s:ns:shop', 'k8s:sa:app-sa'], { id: 'east.b' });
    cache.update([eA, eB], [server.getBundle()]);
    expect(cache.missingSvids(sel).map((e) => e.id)).toEqual(['east.b']);
    // An entry replaced by an updated copy (same ID, new revision) is a change too.
    const eA2 = { ...eA, revisionNumber: 1, selectors: [{ type: 'k8s', value: 'ns:elsewhere' }] };
    cache.update([eA2, eB], [server.getBundle()]);
    expect(cache.workloadUpdate(sel).identities.map((i) => i.entry.id)).toEqual([]);
    expect(cache.missingSvids(sel).map((e) => e.id)).toEqual(['east.b']);
  });
});

describe('agent cache: workload updates kept while nothing changed', () => {
  it('hands out the same update until entries, SVIDs or bundles change, logging its warnings each time', async () => {
    const server = await FakeServer.create('east.local', { now: () => T0 });
    const warnings: string[] = [];
    const cache = new AgentCache('east.local', (msg, f) => warnings.push(`${msg} ${String(f.federated_bundle)}`));
    const eA = entry('spiffe://east.local/shop', ['k8s:ns:shop'], { id: 'east.a', federatesWith: ['south.local'] });
    const sel = attestK8sWorkload(pod({ app: 'shop' }), 'app');
    cache.update([eA], [server.getBundle()]);
    cache.setSvid(await cachedSvid(server, eA));
    const u1 = cache.workloadUpdate(sel);
    expect(cache.workloadUpdate(sel)).toBe(u1);
    expect(warnings).toEqual(['Federated bundle contents missing south.local', 'Federated bundle contents missing south.local']);
    // The same stored entry and bundle objects (a sync with nothing new): still the same update.
    const bundle = server.getBundle();
    cache.update([eA], [bundle]);
    const u2 = cache.workloadUpdate(sel);
    cache.update([eA], [bundle]);
    expect(cache.workloadUpdate(sel)).toBe(u2);
    // A new SVID is a change: a new update, with the new certificate.
    const renewed = await cachedSvid(server, eA);
    cache.setSvid(renewed);
    const u3 = cache.workloadUpdate(sel);
    expect(u3).not.toBe(u2);
    expect(u3.identities[0]!.svid).toBe(renewed);
  });
});
