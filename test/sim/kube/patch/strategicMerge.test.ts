import { describe, expect, it } from 'vitest';
import { BUILTIN_KINDS } from '../../../../sim/kube/builtinKinds.ts';
import { applyStrategicMergePatch, createThreeWayMergePatch, createTwoWayMergePatch } from '../../../../sim/kube/patch/strategicMerge.ts';

const deploymentSchema = BUILTIN_KINDS.find((k) => k.kind === 'Deployment')!.patchSchema;

const deploy = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', finalizers: ['a'] },
  spec: {
    template: {
      spec: {
        containers: [
          { name: 'app', image: 'app:1', env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 80 }] },
          { name: 'sidecar', image: 'proxy:1' },
        ],
        volumes: [{ name: 'cfg', configMap: { name: 'cfg' } }],
      },
    },
  },
};

describe('strategic merge patch', () => {
  it('patching one container by name keeps the others', () => {
    const r = applyStrategicMergePatch(deploy, { spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'proxy:2' }] } } } }, deploymentSchema);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const cs = r.value.spec.template.spec.containers;
    expect(cs.map((c) => `${c.name}=${c.image}`)).toEqual(['app=app:1', 'sidecar=proxy:2']);
    expect(cs[0]!.env).toEqual([{ name: 'A', value: '1' }]);
  });

  it('new list elements are appended; env merges by name', () => {
    const r = applyStrategicMergePatch(deploy, { spec: { template: { spec: { containers: [{ name: 'app', env: [{ name: 'B', value: '2' }] }, { name: 'extra', image: 'x' }] } } } }, deploymentSchema);
    if (!r.ok) throw new Error(r.error.message);
    const cs = r.value.spec.template.spec.containers as { name: string; env?: unknown }[];
    expect(cs.map((c) => c.name)).toEqual(['app', 'sidecar', 'extra']);
    expect(cs[0]!.env).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: '2' }]);
  });

  it('$patch: delete removes a list element; $patch: replace replaces the list or map', () => {
    const del = applyStrategicMergePatch(deploy, { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } }, deploymentSchema);
    expect(del.ok && del.value.spec.template.spec.containers.map((c) => c.name)).toEqual(['app']);
    const rep = applyStrategicMergePatch(deploy, { spec: { template: { spec: { containers: [{ name: 'only', image: 'o' }, { $patch: 'replace' }] } } } }, deploymentSchema);
    expect(rep.ok && rep.value.spec.template.spec.containers).toEqual([{ name: 'only', image: 'o' }]);
    const mapRep = applyStrategicMergePatch(deploy, { metadata: { $patch: 'replace', name: 'web' } }, deploymentSchema);
    expect(mapRep.ok && mapRep.value.metadata).toEqual({ name: 'web' });
  });

  it('primitive merge lists union, $deleteFromPrimitiveList removes; null deletes fields', () => {
    const r = applyStrategicMergePatch(deploy, { metadata: { finalizers: ['b'], $deleteFromPrimitiveList: undefined }, spec: { template: { spec: { volumes: null } } } }, deploymentSchema);
    expect(r.ok && r.value.metadata.finalizers).toEqual(['a', 'b']);
    expect(r.ok && 'volumes' in r.value.spec.template.spec).toBe(false);
    const d = applyStrategicMergePatch(deploy, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }, deploymentSchema);
    expect(d.ok && d.value.metadata.finalizers).toEqual([]);
  });

  it('an element without its merge key is refused as the apiserver does', () => {
    const r = applyStrategicMergePatch(deploy, { spec: { template: { spec: { containers: [{ image: 'nginx' }] } } } }, deploymentSchema);
    expect(!r.ok && r.error.message).toBe('Error from server: map: map[image:nginx] does not contain declared merge key: name');
  });

  it('two-way patch of a changed container is keyed by name', () => {
    const modified = structuredClone(deploy);
    modified.spec.template.spec.containers[1]!.image = 'proxy:3';
    expect(createTwoWayMergePatch(deploy, modified, deploymentSchema)).toEqual({ spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'proxy:3' }] } } } });
  });

  it('three-way: a container removed from the file is deleted by key, one added by others is kept', () => {
    const original = { spec: { template: { spec: { containers: [{ name: 'app', image: 'app:1' }, { name: 'old', image: 'o' }] } } } };
    const modified = { spec: { template: { spec: { containers: [{ name: 'app', image: 'app:2' }] } } } };
    const current = { spec: { template: { spec: { containers: [{ name: 'app', image: 'app:1', imagePullPolicy: 'IfNotPresent' }, { name: 'old', image: 'o' }, { name: 'injected', image: 'istio/proxyv2' }] } } } };
    const patch = createThreeWayMergePatch(original, modified, current, deploymentSchema);
    const r = applyStrategicMergePatch(current, patch, deploymentSchema);
    expect(r.ok && r.value.spec.template.spec.containers).toEqual([
      { name: 'app', image: 'app:2', imagePullPolicy: 'IfNotPresent' },
      { name: 'injected', image: 'istio/proxyv2' },
    ]);
  });
});
