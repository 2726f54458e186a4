import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../sim/core/clock.ts';
import { Rng } from '../../../sim/core/rng.ts';
import { applyManifest, deletedMessage, lastAppliedConfiguration, patchedMessage } from '../../../sim/kube/apply.ts';
import { LAST_APPLIED_ANNOTATION, type KubeManifest } from '../../../sim/kube/object.ts';
import { ClusterStore } from '../../../sim/kube/store.ts';

function newStore() {
  const store = new ClusterStore({ clock: new VirtualClock(Date.UTC(2025, 0, 1)), rng: new Rng('apply') });
  store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  return store;
}
const must = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

const deployment = (image: string, extra: Record<string, unknown> = {}): KubeManifest => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image, ...extra }, { name: 'log', image: 'busybox:1' }] } },
  },
});

describe('kubectl apply', () => {
  it('creates with the last-applied annotation, then reports unchanged and configured', () => {
    const s = newStore();
    const r1 = must(applyManifest(s, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-system' } }));
    expect(r1.message).toBe('namespace/istio-system created');
    expect(r1.object.metadata.annotations?.[LAST_APPLIED_ANNOTATION]).toBe('{"apiVersion":"v1","kind":"Namespace","metadata":{"annotations":{},"name":"istio-system"}}\n');
    expect(must(applyManifest(s, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-system' } })).message).toBe('namespace/istio-system unchanged');
    const d = must(applyManifest(s, deployment('app:1')));
    expect(d.message).toBe('deployment.apps/web created');
    expect(must(applyManifest(s, deployment('app:1'))).operation).toBe('unchanged');
    const d2 = must(applyManifest(s, deployment('app:2')));
    expect(d2.message).toBe('deployment.apps/web configured');
    expect(d2.patch).toMatchObject({ spec: { template: { spec: { containers: [{ name: 'app', image: 'app:2' }] } } } });
  });

  it('a field removed from the file is removed from the live object', () => {
    const s = newStore();
    must(applyManifest(s, deployment('app:1', { args: ['--verbose'] })));
    const live = must(applyManifest(s, deployment('app:1'))).object as unknown as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
    expect(live.spec.template.spec.containers[0]).not.toHaveProperty('args');
    const noLabels = deployment('app:1');
    delete noLabels.metadata!.labels;
    expect(must(applyManifest(s, noLabels)).object.metadata.labels).toBeUndefined();
  });

  it('fields set by another writer (and defaults) survive re-apply', () => {
    const s = newStore();
    must(applyManifest(s, deployment('app:1')));
    // Another writer (the sidecar injector, a controller, kubectl annotate …) adds a container and an annotation.
    must(
      s.patch('deploy', 'default', 'web', 'strategic', {
        metadata: { annotations: { 'example.com/owner': 'team-a' } },
        spec: { template: { spec: { containers: [{ name: 'istio-proxy', image: 'istio/proxyv2' }] } } },
      }),
    );
    const r = must(applyManifest(s, deployment('app:2')));
    const spec = r.object.spec as { template: { spec: { containers: { name: string; image: string; imagePullPolicy?: string }[] } }; revisionHistoryLimit: number };
    expect(spec.template.spec.containers.map((c) => `${c.name}=${c.image}`)).toEqual(['app=app:2', 'log=busybox:1', 'istio-proxy=istio/proxyv2']);
    expect(spec.template.spec.containers[0]!.imagePullPolicy).toBe('IfNotPresent'); // defaulted, kept
    expect(spec.revisionHistoryLimit).toBe(10);
    expect(r.object.metadata.annotations?.['example.com/owner']).toBe('team-a');
  });

  it('custom resources merge as JSON merge patches: lists are replaced whole', () => {
    const s = newStore();
    s.registerKind({ group: 'spire.spiffe.io', version: 'v1alpha1', kind: 'ClusterSPIFFEID', plural: 'clusterspiffeids', namespaced: false, hasStatus: true });
    const csid = (hints: string[], extra: Record<string, unknown> = {}): KubeManifest => ({
      apiVersion: 'spire.spiffe.io/v1alpha1',
      kind: 'ClusterSPIFFEID',
      metadata: { name: 'foo' },
      spec: { spiffeIDTemplate: 'spiffe://td/ns/{{ .PodMeta.Namespace }}', dnsNameTemplates: hints, ...extra },
    });
    expect(must(applyManifest(s, csid(['a', 'b'], { className: 'x' }))).message).toBe('clusterspiffeid.spire.spiffe.io/foo created');
    const r = must(applyManifest(s, csid(['c'])));
    expect(r.message).toBe('clusterspiffeid.spire.spiffe.io/foo configured');
    expect(r.object.spec).toEqual({ spiffeIDTemplate: 'spiffe://td/ns/{{ .PodMeta.Namespace }}', dnsNameTemplates: ['c'] });
  });

  it('warns when the live object was not created by apply', () => {
    const s = newStore();
    must(s.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: '1' } }));
    const r = must(applyManifest(s, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: '2' } }));
    expect(r.message).toBe('configmap/cfg configured');
    expect(r.warnings[0]).toMatch(/^Warning: resource configmaps\/cfg is missing the kubectl.kubernetes.io\/last-applied-configuration annotation/);
  });

  it('messages for patch and delete', () => {
    const s = newStore();
    const d = must(applyManifest(s, deployment('app:1'))).object;
    expect(patchedMessage(d, true)).toBe('deployment.apps/web patched');
    expect(patchedMessage(d, false)).toBe('deployment.apps/web patched (no change)');
    expect(deletedMessage(d)).toBe('deployment.apps "web" deleted');
    expect(lastAppliedConfiguration({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', annotations: { [LAST_APPLIED_ANNOTATION]: 'old', keep: 'y' } } })).toBe(
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"annotations":{"keep":"y"},"name":"x"}}\n',
    );
  });
});
