import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../sim/core/clock.ts';
import { err, ok } from '../../../sim/core/result.ts';
import { Rng } from '../../../sim/core/rng.ts';
import type { KubeObject } from '../../../sim/kube/object.ts';
import { ClusterStore, type WatchEvent } from '../../../sim/kube/store.ts';

const T0 = Date.UTC(2025, 0, 1);
function newStore(seed = 'seed') {
  const store = new ClusterStore({ clock: new VirtualClock(T0), rng: new Rng(seed) });
  store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  return store;
}
const must = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const cm = (name: string, data: Record<string, string>, ns = 'default') => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data });

describe('ClusterStore', () => {
  it('fills metadata deterministically from the clock and rng', () => {
    const a = must(newStore('s1').create(cm('x', {})));
    const b = must(newStore('s1').create(cm('x', {})));
    const c = must(newStore('s2').create(cm('x', {})));
    expect(a.metadata.uid).toBe(b.metadata.uid);
    expect(a.metadata.uid).not.toBe(c.metadata.uid);
    expect(a.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.metadata.creationTimestamp).toBe('2025-01-01T00:00:00Z');
    expect(a.metadata.generation).toBe(1);
  });

  it('resourceVersion is monotonic per cluster; generation bumps only for content changes', () => {
    const s = newStore();
    const d0 = must(
      s.create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'app:1' }] } } } }),
    );
    const rv0 = Number(d0.metadata.resourceVersion);
    const labelled = must(s.update({ ...d0, metadata: { ...d0.metadata, labels: { team: 'a' } } }));
    expect(Number(labelled.metadata.resourceVersion)).toBeGreaterThan(rv0);
    expect(labelled.metadata.generation).toBe(1);
    const status = must(s.updateStatus({ ...labelled, status: { replicas: 3 } }));
    expect(status.metadata.generation).toBe(1);
    expect(Number(status.metadata.resourceVersion)).toBeGreaterThan(Number(labelled.metadata.resourceVersion));
    const spec = must(s.patch('deployments', 'default', 'web', 'merge', { spec: { replicas: 4 } }));
    expect(spec.object.metadata.generation).toBe(2);
    const same = must(s.update(spec.object));
    expect(same.metadata.resourceVersion).toBe(spec.object.metadata.resourceVersion); // no-op write
  });

  it('status subresource: update ignores status, updateStatus ignores the rest; create drops status', () => {
    const s = newStore();
    const p = must(s.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }] }, status: { phase: 'Running' } }));
    expect(p.status).toMatchObject({ phase: 'Pending' });
    const u = must(s.update({ ...p, status: { phase: 'Failed' } }));
    expect(u.status).toMatchObject({ phase: 'Pending' });
    const st = must(s.updateStatus({ ...u, spec: { containers: [] }, status: { phase: 'Running' } }));
    expect(st.status).toMatchObject({ phase: 'Running' });
    expect((st.spec as { containers: unknown[] }).containers).toHaveLength(1);
  });

  it('errors use kube\'s words and stable codes', () => {
    const s = newStore();
    must(s.create(cm('x', {})));
    const dup = s.create(cm('x', {}));
    expect(!dup.ok && [dup.error.code, dup.error.message]).toEqual(['kube/already-exists', 'Error from server (AlreadyExists): configmaps "x" already exists']);
    const missing = s.get('pods', 'default', 'nope');
    expect(!missing.ok && [missing.error.code, missing.error.message]).toEqual(['kube/not-found', 'Error from server (NotFound): pods "nope" not found']);
    const dep = s.get('deploy', 'default', 'web');
    expect(!dep.ok && dep.error.message).toBe('Error from server (NotFound): deployments.apps "web" not found');
    const noNs = s.create(cm('x', {}, 'foo'));
    expect(!noNs.ok && [noNs.error.code, noNs.error.message]).toEqual(['kube/namespace-not-found', 'Error from server (NotFound): namespaces "foo" not found']);
    const cur = must(s.get('cm', 'default', 'x'));
    must(s.update({ ...cur, data: { a: '1' } }));
    const stale = s.update({ ...cur, data: { a: '2' } });
    expect(!stale.ok && [stale.error.code, stale.error.message]).toEqual([
      'kube/conflict',
      'Error from server (Conflict): Operation cannot be fulfilled on configmaps "x": the object has been modified; please apply your changes to the latest version and try again',
    ]);
    const badName = s.create(cm('Bad_Name', {}));
    expect(!badName.ok && badName.error.message).toMatch(/^The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
    const unknown = s.create({ apiVersion: 'spire.spiffe.io/v1alpha1', kind: 'ClusterSPIFFEID', metadata: { name: 'x' } });
    expect(!unknown.ok && [unknown.error.code, unknown.error.message]).toEqual(['kube/no-kind-match', 'no matches for kind "ClusterSPIFFEID" in version "spire.spiffe.io/v1alpha1"']);
  });

  it('kinds registered later (from a CRD) are served; strategic merge on them is refused', () => {
    const s = newStore();
    s.registerKind({ group: 'spire.spiffe.io', version: 'v1alpha1', kind: 'ClusterSPIFFEID', plural: 'clusterspiffeids', namespaced: false, hasStatus: true });
    const o = must(s.create({ apiVersion: 'spire.spiffe.io/v1alpha1', kind: 'ClusterSPIFFEID', metadata: { name: 'x', namespace: 'ignored' }, spec: { spiffeIDTemplate: 'a' } }));
    expect(o.metadata.namespace).toBeUndefined();
    expect(must(s.get('clusterspiffeid', undefined, 'x')).metadata.uid).toBe(o.metadata.uid);
    const smp = s.patch('clusterspiffeids.spire.spiffe.io', undefined, 'x', 'strategic', { spec: { a: 1 } });
    expect(!smp.ok && [smp.error.code, smp.error.message]).toEqual([
      'kube/unsupported-media-type',
      'Error from server (UnsupportedMediaType): the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    ]);
    const mp = must(s.patch('clusterspiffeids.spire.spiffe.io', undefined, 'x', 'merge', { spec: { spiffeIDTemplate: null, className: 'c' } }));
    expect(mp.changed).toBe(true);
    expect(mp.object.spec).toEqual({ className: 'c' });
    const again = must(s.patch('clusterspiffeids.spire.spiffe.io', undefined, 'x', 'merge', { spec: { className: 'c' } }));
    expect(again.changed).toBe(false);
  });

  it('admission hooks run in order, may mutate, may refuse', () => {
    const s = newStore();
    const seen: string[] = [];
    s.addAdmission((obj, _old, op) => {
      seen.push(`first:${op}`);
      return ok({ ...obj, metadata: { ...obj.metadata, labels: { ...(obj.metadata.labels ?? {}), injected: 'yes' } } });
    });
    s.addAdmission((obj, old, op) => {
      seen.push(`second:${op}:${old === undefined ? 'new' : 'old'}:${obj.metadata.labels?.injected}`);
      return obj.metadata.name === 'deny' ? err({ code: 'test/denied', message: 'admission webhook "x" denied the request' }) : ok(obj);
    });
    const o = must(s.create(cm('x', {})));
    expect(o.metadata.labels).toEqual({ injected: 'yes' });
    must(s.update({ ...o, data: { a: 'b' } }));
    expect(seen).toEqual(['first:create', 'second:create:new:yes', 'first:update', 'second:update:old:yes']);
    const denied = s.create(cm('deny', {}));
    expect(!denied.ok && denied.error.code).toBe('test/denied');
    expect(s.find('cm', 'default', 'deny')).toBeUndefined();
  });

  it('watches by kind, namespace and selector; selector changes become ADDED/DELETED', () => {
    const s = newStore();
    must(s.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } }));
    const all: string[] = [];
    const sel: string[] = [];
    s.watch({ kind: 'ConfigMap', namespace: 'default' }, (e: WatchEvent) => all.push(`${e.type} ${e.object.metadata.name}`));
    s.watch({ kind: 'ConfigMap', labelSelector: 'app=web' }, (e: WatchEvent) => sel.push(`${e.type} ${e.object.metadata.name}`));
    must(s.create(cm('a', {})));
    must(s.create(cm('b', {}, 'other')));
    const a = must(s.get('cm', 'default', 'a'));
    const labelled = must(s.update({ ...a, metadata: { ...a.metadata, labels: { app: 'web' } } }));
    must(s.update({ ...labelled, data: { k: 'v' } }));
    const rel = must(s.update({ ...must(s.get('cm', 'default', 'a')), metadata: { ...labelled.metadata, resourceVersion: '', labels: {} } }));
    must(s.delete('cm', 'default', rel.metadata.name));
    expect(all).toEqual(['ADDED a', 'MODIFIED a', 'MODIFIED a', 'MODIFIED a', 'DELETED a']);
    expect(sel).toEqual(['ADDED a', 'MODIFIED a', 'DELETED a']);
  });

  it('deleting an owner deletes its dependents (background cascade); Orphan keeps them', () => {
    const s = newStore();
    const owner = must(s.create(cm('owner', {})));
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid, controller: true };
    must(s.create({ ...cm('child', {}), metadata: { name: 'child', namespace: 'default', ownerReferences: [ref] } }));
    const child = must(s.get('cm', 'default', 'child'));
    must(s.create({ ...cm('grandchild', {}), metadata: { name: 'grandchild', namespace: 'default', ownerReferences: [{ ...ref, name: 'child', uid: child.metadata.uid }] } }));
    const other = must(s.create(cm('other', {})));
    must(s.create({ ...cm('shared', {}), metadata: { name: 'shared', namespace: 'default', ownerReferences: [ref, { ...ref, name: 'other', uid: other.metadata.uid, controller: false }] } }));
    must(s.delete('cm', 'default', 'owner'));
    expect(must(s.list('cm')).map((o: KubeObject) => o.metadata.name)).toEqual(['other', 'shared']);
    expect(must(s.get('cm', 'default', 'shared')).metadata.ownerReferences?.map((r) => r.name)).toEqual(['other']);
    must(s.delete('cm', 'default', 'other', { propagationPolicy: 'Orphan' }));
    expect(must(s.get('cm', 'default', 'shared')).metadata.ownerReferences).toBeUndefined();
  });

  it('finalizers hold deletion until removed; deleting a namespace empties it', () => {
    const s = newStore();
    must(s.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } }));
    must(s.create({ ...cm('held', {}, 'team'), metadata: { name: 'held', namespace: 'team', finalizers: ['example.com/wait'] } }));
    const held = must(s.delete('cm', 'team', 'held'));
    expect(held.metadata.deletionTimestamp).toBe('2025-01-01T00:00:00Z');
    must(s.update({ ...must(s.get('cm', 'team', 'held')), metadata: { ...held.metadata, finalizers: [] } }));
    expect(s.find('cm', 'team', 'held')).toBeUndefined();
    must(s.create(cm('a', {}, 'team')));
    must(s.delete('ns', undefined, 'team'));
    expect(must(s.list('cm', { namespace: 'team' }))).toEqual([]);
    expect(s.find('ns', undefined, 'team')).toBeUndefined();
  });

  it('namespaces get the kubernetes.io/metadata.name label and phase Active', () => {
    const s = newStore();
    const ns = must(s.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-system', labels: { 'istio-injection': 'enabled' } } }));
    expect(ns.metadata.labels).toEqual({ 'istio-injection': 'enabled', 'kubernetes.io/metadata.name': 'istio-system' });
    expect(ns.status).toEqual({ phase: 'Active' });
    const upd = must(s.update({ ...ns, metadata: { ...ns.metadata, labels: {} } }));
    expect(upd.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'istio-system' });
  });

  it('lists with label selectors, sorted by namespace and name; bad selectors fail', () => {
    const s = newStore();
    for (const n of ['c', 'a', 'b']) must(s.create({ ...cm(n, {}), metadata: { name: n, namespace: 'default', labels: { tier: n === 'b' ? 'be' : 'fe' } } }));
    expect(must(s.list('configmaps', { labelSelector: 'tier=fe' })).map((o: KubeObject) => o.metadata.name)).toEqual(['a', 'c']);
    const bad = s.list('configmaps', { labelSelector: 'tier in fe' });
    expect(!bad.ok && bad.error.code).toBe('kube/bad-selector');
  });
});

describe('ClusterStore listView and peek', () => {
  it('return the stored objects without copies, sorted as list sorts them; undefined for unknown kinds', () => {
    const store = newStore();
    must(store.create(cm('b', { k: '1' })));
    must(store.create(cm('a', { k: '2' })));
    const view = store.listView('ConfigMap')!;
    expect(view.map((o) => o.metadata.name)).toEqual(must(store.list('ConfigMap')).map((o) => o.metadata.name));
    expect(view.map((o) => o.metadata.name)).toEqual(['a', 'b']);
    expect(store.listView('ConfigMap')![0]).toBe(view[0]);
    expect(store.peek('ConfigMap', 'default', 'a')).toBe(view[0]);
    expect(store.peek('ConfigMap', 'default', 'zz')).toBeUndefined();
    expect(store.listView('NoSuchKind')).toBeUndefined();
    expect(store.peek('NoSuchKind', 'default', 'a')).toBeUndefined();
    // A write replaces what later reads see.
    must(store.update({ ...must(store.get('ConfigMap', 'default', 'a')), data: { k: '3' } } as KubeObject));
    expect((store.peek('ConfigMap', 'default', 'a') as { data: Record<string, string> }).data).toEqual({ k: '3' });
  });
});
