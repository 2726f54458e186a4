import { describe, expect, it } from 'vitest';
import { parseClusterFederatedTrustDomainSpec, validateBundleEndpointUrl } from '../../../../sim/spire/controllerManager/federation.ts';
import { controllerManagerWebhook } from '../../../../sim/spire/controllerManager/webhook.ts';
import type { SpiffeBundle } from '../../../../sim/spiffe/index.ts';
import { cluster, must } from './harness.ts';

const cftd = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'spire.spiffe.io/v1alpha1', kind: 'ClusterFederatedTrustDomain', metadata: { name }, spec });
const west = (extra: Record<string, unknown> = {}) => ({
  className: 'spire-spire',
  trustDomain: 'west.local',
  bundleEndpointURL: 'https://10.0.0.9:8443',
  bundleEndpointProfile: { type: 'https_spiffe', endpointSPIFFEID: 'spiffe://west.local/spire/server' },
  trustDomainBundle: '{"keys": [], "spiffe_refresh_hint": 300}',
  ...extra,
});
const hint = (b: SpiffeBundle | 'stored' | undefined) => (b && b !== 'stored' ? b.refreshHint : undefined);

describe('ClusterFederatedTrustDomain reconciler', () => {
  it('creates the relationship with the bundle; ignores bundle-only edits; applies URL changes; deletion keeps the bundle', () => {
    const c = cluster();
    c.start({ className: 'spire-spire' });
    must(c.store.create(cftd('west', west())));
    expect(c.api.listFederationRelationships()).toEqual([
      { trustDomain: 'west.local', bundleEndpointUrl: 'https://10.0.0.9:8443', profile: { type: 'https_spiffe', endpointSpiffeId: 'spiffe://west.local/spire/server' } },
    ]);
    expect(hint(c.api.bundles.get('west.local'))).toBe(300_000);

    // edit only trustDomainBundle: Equal() compares TD, URL and profile → nothing is sent
    c.api.calls.length = 0;
    const obj = c.get('ClusterFederatedTrustDomain', 'west');
    must(c.store.update({ ...obj, spec: west({ trustDomainBundle: '{"keys": [], "spiffe_refresh_hint": 600}' }) }));
    c.clock.advance(30_000);
    expect(c.api.calls.filter((x) => x.includes('FederationRelationship'))).toEqual([]);
    expect(hint(c.api.bundles.get('west.local'))).toBe(300_000);

    // a URL change is an update, sent without a field mask: it carries the CR's bundle again
    const obj2 = c.get('ClusterFederatedTrustDomain', 'west');
    must(c.store.update({ ...obj2, spec: { ...(obj2.spec as object), bundleEndpointURL: 'https://10.0.0.10:8443' } }));
    expect(c.api.listFederationRelationships()[0]!.bundleEndpointUrl).toBe('https://10.0.0.10:8443');
    expect(hint(c.api.bundles.get('west.local'))).toBe(600_000);

    must(c.store.delete({ group: 'spire.spiffe.io', kind: 'ClusterFederatedTrustDomain' }, undefined, 'west'));
    expect(c.api.listFederationRelationships()).toEqual([]);
    expect(c.api.bundles.has('west.local')).toBe(true);
  });

  it('className filtering, oldest wins on duplicate trust domains, and unmanaged relationships are deleted', () => {
    const c = cluster();
    c.api.relationships.set('manual.local', { trustDomain: 'manual.local', bundleEndpointUrl: 'https://m:8443', profile: { type: 'https_web' } });
    must(c.store.create(cftd('classless', { ...west(), className: undefined, trustDomain: 'other.local' })));
    must(c.store.create(cftd('west-a', west())));
    c.clock.advance(2_000);
    must(c.store.create(cftd('west-b', west({ bundleEndpointURL: 'https://10.9.9.9:8443' }))));
    const { cm, lines } = c.start({ className: 'spire-spire' });
    expect(c.api.listFederationRelationships().map((r) => [r.trustDomain, r.bundleEndpointUrl])).toEqual([['west.local', 'https://10.0.0.9:8443']]);
    expect(cm.lastFederationPass()?.deleted).toEqual(['manual.local']);
    expect(lines.some((l) => l.includes('Ignoring ClusterFederatedTrustDomain with conflicting trust domain') && l.includes('"conflictWith": "/west-a"'))).toBe(true);
  });

  it('validation errors as the webhook and the reconciler report them', () => {
    const msg = (spec: Record<string, unknown>) => {
      const r = parseClusterFederatedTrustDomainSpec(spec);
      return r.ok ? 'ok' : r.error.message;
    };
    expect(msg(west({ trustDomain: 'West.local' }))).toBe('invalid trustDomain value: trust domain characters are limited to lowercase letters, numbers, dots, dashes, and underscores');
    expect(msg(west({ bundleEndpointURL: 'http://x:8443' }))).toBe('invalid bundleEndpointURL value: scheme must be https');
    expect(msg(west({ bundleEndpointURL: 'https://user@x:8443' }))).toBe('invalid bundleEndpointURL value: cannot contain userinfo');
    expect(msg(west({ bundleEndpointURL: '' }))).toBe('invalid bundleEndpointURL value: bundle endpoint URL is missing');
    expect(msg(west({ bundleEndpointProfile: { type: 'https_web', endpointSPIFFEID: 'spiffe://west.local/spire/server' } }))).toBe(
      'invalid bundle endpoint profile endpointSPIFFEID value: not applicable to the "https_web" profile',
    );
    expect(msg(west({ bundleEndpointProfile: { type: 'https_spiffe' } }))).toBe('invalid bundle endpoint profile endpointSPIFFEID value: cannot be empty');
    expect(msg(west({ bundleEndpointProfile: { type: 'spiffe' } }))).toBe('invalid bundle endpoint profile type value "spiffe"');
    expect(msg(west({ trustDomainBundle: '{"spiffe_refresh_hint": 300}' }))).toBe('invalid trustDomainBundle value: spiffebundle: no authorities found');
    expect(validateBundleEndpointUrl('https://:8443').ok).toBe(true); // Go's url.Parse accepts an empty host with a port
  });

  it('the webhook denies invalid specs at admission, whatever their className', () => {
    const c = cluster();
    c.store.addAdmission(controllerManagerWebhook());
    const r = c.store.create(cftd('bad', west({ className: 'someone-else', bundleEndpointURL: 'http://x' })));
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.error.message).toBe(
        'Error from server (Forbidden): admission webhook "vclusterfederatedtrustdomain.kb.io" denied the request: invalid bundleEndpointURL value: scheme must be https',
      );
    const s = c.store.create({ apiVersion: 'spire.spiffe.io/v1alpha1', kind: 'ClusterSPIFFEID', metadata: { name: 'x' }, spec: { spiffeIDTemplate: 'spiffe://{{ .TrustDomain }', federatesWith: ['west.local'] } });
    expect(!s.ok && s.error.message).toContain("invalid SPIFFEID template: template: spiffeIDTemplate:1: unrecognized character in action: U+007D '}'");
  });
});
