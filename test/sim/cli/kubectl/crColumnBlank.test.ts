import { describe, expect, it } from 'vitest';
import { tableRows } from '../../../../sim/cli/kubectl/tablePrinter.ts';
import type { KindInfo } from '../../../../sim/kube/index.ts';
import type { KubeObject } from '../../../../sim/kube/object.ts';

describe('custom resource columns', () => {
  it('a missing value is a blank cell, not <none> (apiextensions rowFn nil; cli-runtime prints nothing): a first CSV has no REPLACES', () => {
    const info = { group: 'operators.coreos.com', version: 'v1alpha1', kind: 'ClusterServiceVersion', plural: 'clusterserviceversions', namespaced: true } as unknown as KindInfo;
    const csv = {
      apiVersion: 'operators.coreos.com/v1alpha1',
      kind: 'ClusterServiceVersion',
      metadata: { name: 'zero-trust-workload-identity-manager.v1.0.0', namespace: 'ztwim', creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: { displayName: 'Zero Trust Workload Identity Manager', version: '1.0.0' },
      status: { phase: 'Succeeded' },
    } as unknown as KubeObject;
    const rows = tableRows(info, [csv], { wide: false, now: Date.parse('2026-01-01T00:05:00Z'), withNamespace: false, withKind: false, showLabels: false });
    expect(rows[0]).toEqual(['NAME', 'DISPLAY', 'VERSION', 'REPLACES', 'PHASE']);
    expect(rows[1]).toEqual(['zero-trust-workload-identity-manager.v1.0.0', 'Zero Trust Workload Identity Manager', '1.0.0', '', 'Succeeded']);
  });
});
