/**
 * The namespace OpenShift ships for operators installed cluster-wide: `openshift-operators` with the
 * OperatorGroup `global-operators` (no targetNamespaces = AllNamespaces). OperatorHub installs "All
 * namespaces" operators there, and the OSSM 3 documentation's Subscription (seed 000 Step 7) names it.
 * Source: operator-framework/operator-lifecycle-manager deploy/chart/templates/0000_50_olm_13-operatorgroup-default.yaml
 * (`global-operators` in `.Values.operator_namespace`, which OpenShift's OLM sets to `openshift-operators`).
 */
import type { ClusterStore } from '../kube/store.ts';

export const GLOBAL_OPERATORS_NAMESPACE = 'openshift-operators';

export function createGlobalOperators(store: ClusterStore): void {
  if (!store.find('Namespace', undefined, GLOBAL_OPERATORS_NAMESPACE)) store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: GLOBAL_OPERATORS_NAMESPACE } });
  const og = { apiVersion: 'operators.coreos.com/v1', kind: 'OperatorGroup' };
  if (!store.find(og, GLOBAL_OPERATORS_NAMESPACE, 'global-operators')) store.create({ ...og, metadata: { name: 'global-operators', namespace: GLOBAL_OPERATORS_NAMESPACE }, spec: {} });
}
