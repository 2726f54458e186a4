import { describe, expect, it } from 'vitest';
import { admitPod, type PodLike } from '../../../../sim/istiod/inject/index.ts';
import { GOLDEN_NODES, spireConfig } from './fixtures.ts';

/** A pod as the ReplicaSet controller creates it (generateName + controller reference). */
const rsPod = (annotations: Record<string, string> = {}): PodLike => ({
  metadata: {
    generateName: 'helloworld-v1-5f9c7d-',
    namespace: 'sample',
    labels: { app: 'helloworld', version: 'v1', 'pod-template-hash': '5f9c7d' },
    annotations,
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'helloworld-v1-5f9c7d', controller: true }],
  },
  spec: { containers: [{ name: 'helloworld', image: 'docker.io/istio/examples-helloworld-v1:1.0', ports: [{ containerPort: 5000 }] }] },
});

describe('admitPod (Pod CREATE through the injector webhook)', () => {
  const ctx = { config: spireConfig(), namespace: 'sample', nodes: GOLDEN_NODES, namespaceLabels: { 'istio-injection': 'enabled' } };

  it('injects a ReplicaSet pod, naming the Deployment as owner', () => {
    const r = admitPod(rsPod(), ctx);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).toMatchObject({ injected: true, webhook: 'namespace.sidecar-injector.istio.io' });
    const proxy = (r.value.pod.spec.initContainers as Record<string, unknown>[]).find((c) => c.name === 'istio-proxy');
    const env = (proxy?.env as { name: string; value?: string }[]).filter((e) => e.name === 'ISTIO_META_OWNER' || e.name === 'ISTIO_META_WORKLOAD_NAME');
    expect(env).toEqual([
      { name: 'ISTIO_META_WORKLOAD_NAME', value: 'helloworld-v1' },
      { name: 'ISTIO_META_OWNER', value: 'kubernetes://apis/apps/v1/namespaces/sample/deployments/helloworld-v1' },
    ]);
    expect(r.value.pod.metadata?.labels?.['service.istio.io/canonical-revision']).toBe('v1');
  });

  it('leaves pods in namespaces without injection alone', () => {
    const r = admitPod(rsPod(), { ...ctx, namespaceLabels: {} });
    expect(r.ok && r.value.injected).toBe(false);
  });

  it('a template error is a webhook denial', () => {
    const r = admitPod(rsPod({ 'inject.istio.io/templates': 'sidecar,spire-typo' }), ctx);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toMatch(/^admission webhook "namespace.sidecar-injector.istio.io" denied the request: failed to run injection template: requested template "spire-typo" not found; have /);
  });
});
