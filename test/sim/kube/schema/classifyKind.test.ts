import { describe, expect, it } from 'vitest';
import { classifyKind } from '../../../../sim/kube/crds/classifyKind.ts';
import { createCrdRegistry, crdSetsFor } from '../../../../sim/kube/crds/registry.ts';

describe('classifyKind', () => {
  const openshift = createCrdRegistry();
  const kind = createCrdRegistry({ platform: 'kubernetes' });

  it('separates modelled built-ins, CRDs, stored built-ins and unknown kinds', () => {
    expect(classifyKind('apps/v1', 'Deployment', openshift).class).toBe('modelled');
    expect(classifyKind('operator.openshift.io/v1alpha1', 'SpireServer', openshift)).toEqual({ class: 'crd', scope: 'Cluster' });
    expect(classifyKind('rbac.authorization.k8s.io/v1', 'ClusterRole', openshift).class).toBe('stored-with-warning');
    expect(classifyKind('policy/v1', 'PodDisruptionBudget', openshift).class).toBe('stored-with-warning');
    expect(classifyKind('policy/v1beta1', 'PodDisruptionBudget', openshift).class).toBe('no-match');
    expect(classifyKind('spire.openshift.io/v1alpha1', 'SpireServer', openshift).class).toBe('no-match');
  });

  it('follows the platform for OpenShift-only APIs (monitoring.coreos.com is a CRD, not a built-in)', () => {
    expect(classifyKind('monitoring.coreos.com/v1', 'ServiceMonitor', openshift, { platform: 'openshift' }).class).toBe('stored-with-warning');
    expect(classifyKind('monitoring.coreos.com/v1', 'ServiceMonitor', kind, { platform: 'kubernetes' }).class).toBe('no-match');
    expect(classifyKind('route.openshift.io/v1', 'Route', kind, { platform: 'kubernetes' }).class).toBe('no-match');
    expect(classifyKind('operators.coreos.com/v1', 'OperatorGroup', openshift).class).toBe('stored-with-warning');
  });

  it('picks CRD sets per product version', () => {
    expect(crdSetsFor()).toEqual(['ztwim-1.0', 'sail-3.2', 'istio-1.27', 'gateway-api-1.3', 'openshift-route', 'olm-subscription']);
    expect(crdSetsFor({ platform: 'kubernetes' })).toEqual(['spire-controller-manager', 'istio-1.27', 'gateway-api-1.3']);
    const old = createCrdRegistry({ ztwim: '0.2' });
    expect(old.resolve('operator.openshift.io/v1alpha1', 'SpireServer').ok).toBe(true);
    const tls = 'gateway.networking.k8s.io/v1alpha2';
    expect(openshift.resolve(tls, 'TLSRoute').ok).toBe(false);
    expect(createCrdRegistry({ gatewayApi: 'experimental' }).resolve(tls, 'TLSRoute').ok).toBe(true);
    expect(openshift.resolve('gateway.networking.k8s.io/v1', 'TLSRoute').ok).toBe(false);
  });
});
