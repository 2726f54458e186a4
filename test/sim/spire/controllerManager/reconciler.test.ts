import { describe, expect, it } from 'vitest';
import { cluster, must } from './harness.ts';

const NS_SA = 'spiffe://{{ .TrustDomain }}/ns/{{ .PodMeta.Namespace }}/sa/{{ .PodSpec.ServiceAccountName }}';
const stats = (c: ReturnType<typeof cluster>, name: string) => (c.get('ClusterSPIFFEID', name).status as { stats?: Record<string, number> } | undefined)?.stats;

describe('entry reconciler', () => {
  it('renders one entry per pod with the node agent as parent and k8s:pod-uid first', () => {
    const c = cluster();
    c.ns('shop');
    const node = c.node('worker-1');
    const pod = c.pod('shop', 'web-1', { sa: 'web' });
    c.csid('sidecars', { spiffeIDTemplate: NS_SA, federatesWith: ['west.local'], ttl: '1h', hint: 'sidecars', workloadSelectorTemplates: ['k8s:sa:{{ .PodSpec.ServiceAccountName }}'] });
    c.api.bundles.set('west.local', 'stored');
    c.start();
    const [e] = c.api.userEntries();
    expect(e).toMatchObject({
      spiffeId: 'spiffe://east.local/ns/shop/sa/web',
      parentId: `spiffe://east.local/spire/agent/k8s_psat/east/${node.metadata.uid}`,
      selectors: [
        { type: 'k8s', value: `pod-uid:${pod.metadata.uid}` },
        { type: 'k8s', value: 'sa:web' },
      ],
      federatesWith: ['west.local'],
      x509SvidTtl: 3600,
      hint: 'sidecars',
    });
  });

  it('masking: same ID, parent and selectors → the older ClusterSPIFFEID wins, the newer one counts entriesMasked', () => {
    const c = cluster();
    c.ns('shop');
    c.node('worker-1');
    c.pod('shop', 'web-1');
    c.csid('old', { spiffeIDTemplate: NS_SA });
    c.clock.advance(5_000);
    c.csid('new', { spiffeIDTemplate: NS_SA, federatesWith: ['west.local'] });
    c.api.bundles.set('west.local', 'stored');
    c.start();
    const entries = c.api.userEntries();
    expect(entries).toHaveLength(1);
    expect(entries[0]!.federatesWith).toEqual([]); // the newer CR's federatesWith has no effect
    expect(stats(c, 'old')).toMatchObject({ entriesToSet: 1, entriesMasked: 0 });
    expect(stats(c, 'new')).toMatchObject({ entriesToSet: 0, entriesMasked: 1 });
    // masking is not per pod: a different SPIFFE ID is a second identity
    c.csid('other', { spiffeIDTemplate: 'spiffe://{{ .TrustDomain }}/pod/{{ .PodMeta.Name }}' });
    expect(c.api.userEntries().map((e) => e.spiffeId)).toEqual(['spiffe://east.local/ns/shop/sa/default', 'spiffe://east.local/pod/web-1']);
  });

  it('status stats: ignored namespaces, a non-matching pod selector and a render failure', () => {
    const c = cluster();
    for (const n of ['kube-system', 'spire-system', 'shop', 'bank']) c.ns(n);
    c.node('worker-1');
    c.pod('kube-system', 'dns-1');
    c.pod('shop', 'web-1', { labels: { mesh: 'yes' } });
    c.pod('shop', 'batch-1'); // S09: no label → not selected
    c.pod('bank', 'ledger-1', { labels: { mesh: 'yes' }, node: 'gone' }); // render failure: node not found
    c.csid('meshed', { spiffeIDTemplate: NS_SA, podSelector: { matchExpressions: [{ key: 'mesh', operator: 'Exists' }] } });
    const { lines } = c.start();
    expect(stats(c, 'meshed')).toEqual({
      namespacesSelected: 4, // ignored ones included
      namespacesIgnored: 2,
      podsSelected: 2,
      podEntryRenderFailures: 1,
      entriesMasked: 0,
      entriesToSet: 1,
      entryFailures: 0,
    });
    expect(lines.some((l) => l.includes('Failed to render entry') && l.includes('node gone not found in cache'))).toBe(true);
    expect(c.api.userEntries().map((e) => e.spiffeId)).toEqual(['spiffe://east.local/ns/shop/sa/default']);
  });

  it('fallback applies only to pods no other ClusterSPIFFEID matched', () => {
    const c = cluster();
    c.ns('shop');
    c.node('worker-1');
    c.pod('shop', 'web-1', { labels: { mesh: 'yes' } });
    c.pod('shop', 'batch-1');
    c.csid('meshed', { spiffeIDTemplate: 'spiffe://{{ .TrustDomain }}/mesh/{{ .PodMeta.Name }}', podSelector: { matchLabels: { mesh: 'yes' } } });
    c.csid('default', { spiffeIDTemplate: NS_SA, fallback: true });
    c.start();
    expect(c.api.userEntries().map((e) => e.spiffeId)).toEqual(['spiffe://east.local/mesh/web-1', 'spiffe://east.local/ns/shop/sa/default']);
    // the fallback selected both pods but declared only batch-1's entry
    expect(stats(c, 'default')).toMatchObject({ podsSelected: 2, entriesToSet: 1 });
  });

  it('a missing label rendered as <no value> is a podEntryRenderFailure with go-spiffe’s error', () => {
    const c = cluster();
    c.ns('shop');
    c.node('worker-1');
    c.pod('shop', 'web-1');
    c.csid('by-version', { spiffeIDTemplate: 'spiffe://{{ .TrustDomain }}/v/{{ .PodMeta.Labels.version }}' });
    const { lines } = c.start();
    expect(stats(c, 'by-version')).toMatchObject({ podsSelected: 1, podEntryRenderFailures: 1, entriesToSet: 0 });
    expect(lines.find((l) => l.includes('Failed to render entry'))).toContain(
      'failed to render SPIFFE ID: invalid SPIFFE ID: path segment characters are limited to letters, numbers, dots, dashes, and underscores',
    );
  });

  it('className: with ZTWIM’s class and watchClassless=false a classless CR is ignored and keeps an empty status', () => {
    const c = cluster();
    c.ns('shop');
    c.node('worker-1');
    c.pod('shop', 'web-1');
    c.csid('user', { spiffeIDTemplate: 'spiffe://{{ .TrustDomain }}/user/{{ .PodMeta.Name }}', federatesWith: ['west.local'] });
    c.csid('zero-trust-workload-identity-manager-spire-default', {
      className: 'zero-trust-workload-identity-manager-spire',
      spiffeIDTemplate: NS_SA,
      fallback: true,
      hint: 'default',
    });
    c.start({ className: 'zero-trust-workload-identity-manager-spire', watchClassless: false, entryIDPrefix: 'east' });
    expect(c.get('ClusterSPIFFEID', 'user').status).toBeUndefined();
    const entries = c.api.userEntries();
    expect(entries.map((e) => [e.spiffeId, e.federatesWith, e.hint])).toEqual([['spiffe://east.local/ns/shop/sa/default', [], 'default']]);
    expect(entries[0]!.id).toMatch(/^east\.[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('undeclared entries are deleted (all of them without entryIDPrefix, only prefixed ones with it; join tokens kept)', () => {
    const c = cluster();
    c.ns('shop');
    c.node('worker-1');
    c.api.addEntry({ spiffeId: 'spiffe://east.local/manual', parentId: 'spiffe://east.local/spire/agent/x', selectors: [{ type: 'unix', value: 'uid:0' }] });
    c.api.addEntry({ spiffeId: 'spiffe://east.local/node', parentId: 'spiffe://east.local/spire/agent/join_token/abc', selectors: [{ type: 'spiffe_id', value: 'spiffe://east.local/spire/agent/join_token/abc' }] });
    c.start();
    expect(c.api.userEntries().map((e) => e.spiffeId)).toEqual(['spiffe://east.local/node']);

    const d = cluster();
    d.api.addEntry({ spiffeId: 'spiffe://east.local/manual', parentId: 'spiffe://east.local/spire/agent/x', selectors: [{ type: 'unix', value: 'uid:0' }] });
    d.api.addEntry({ id: 'east.stale', spiffeId: 'spiffe://east.local/stale', parentId: 'spiffe://east.local/spire/agent/x', selectors: [{ type: 'unix', value: 'uid:1' }] });
    d.start({ entryIDPrefix: 'east' });
    expect(d.api.userEntries().map((e) => e.spiffeId)).toEqual(['spiffe://east.local/manual']);
  });

  it('federatesWith a trust domain with no stored bundle → entryFailures, retried until the bundle exists', () => {
    const c = cluster();
    c.ns('shop');
    c.node('worker-1');
    c.pod('shop', 'web-1');
    c.csid('sidecars', { spiffeIDTemplate: NS_SA, federatesWith: ['west.local'] });
    const { lines } = c.start();
    expect(stats(c, 'sidecars')).toMatchObject({ entriesToSet: 1, entryFailures: 1 });
    expect(c.api.userEntries()).toHaveLength(0);
    expect(lines.find((l) => l.includes('Failed to create entry'))).toContain('unable to find federated bundle \\"spiffe://west.local\\"');
    c.api.bundles.set('west.local', 'stored');
    c.clock.advance(10_000); // the periodic pass
    expect(c.api.userEntries()).toHaveLength(1);
    expect(stats(c, 'sidecars')).toMatchObject({ entriesToSet: 1, entryFailures: 0 });
  });

  it('namespace relabels wait for the periodic pass; pod changes trigger at once; unchanged entries are not updated', () => {
    const c = cluster();
    c.ns('shop');
    c.node('worker-1');
    c.csid('labelled', { spiffeIDTemplate: NS_SA, namespaceSelector: { matchLabels: { mesh: 'on' } } });
    c.pod('shop', 'web-1');
    c.start();
    expect(c.api.userEntries()).toHaveLength(0);
    const ns = must(c.store.get('Namespace', undefined, 'shop'));
    must(c.store.update({ ...ns, metadata: { ...ns.metadata, labels: { ...ns.metadata.labels, mesh: 'on' } } }));
    expect(c.api.userEntries()).toHaveLength(0);
    c.clock.advance(10_000);
    expect(c.api.userEntries()).toHaveLength(1);
    c.api.calls.length = 0;
    c.pod('shop', 'web-2');
    expect(c.api.userEntries()).toHaveLength(2);
    expect(c.api.calls.filter((x) => x.startsWith('BatchUpdateEntry'))).toEqual([]);
  });

  it('ClusterStaticEntry: rendered, masked by an older declaration, set only in the pass that created it', () => {
    const c = cluster();
    const spec = { spiffeID: 'spiffe://east.local/db', parentID: 'spiffe://east.local/spire/agent/x', selectors: ['unix:uid:1000'] };
    must(c.store.create({ apiVersion: 'spire.spiffe.io/v1alpha1', kind: 'ClusterStaticEntry', metadata: { name: 'db' }, spec }));
    c.clock.advance(2_000);
    must(c.store.create({ apiVersion: 'spire.spiffe.io/v1alpha1', kind: 'ClusterStaticEntry', metadata: { name: 'db-copy' }, spec }));
    must(c.store.create({ apiVersion: 'spire.spiffe.io/v1alpha1', kind: 'ClusterStaticEntry', metadata: { name: 'bad' }, spec: { ...spec, selectors: ['nocolon'] } }));
    c.start();
    expect(c.api.userEntries().map((e) => e.spiffeId)).toEqual(['spiffe://east.local/db']);
    expect(c.get('ClusterStaticEntry', 'db').status).toEqual({ rendered: true, masked: false, set: false }); // set:true was overwritten by the next pass
    expect(c.get('ClusterStaticEntry', 'db-copy').status).toEqual({ rendered: true, masked: true, set: false });
    // all-false equals the zero status, so nothing is written (upstream compares Status with NextStatus)
    expect(c.get('ClusterStaticEntry', 'bad').status).toBeUndefined();
  });
});
