/**
 * Per-namespace defaults: every namespace gets a `default` ServiceAccount, re-created if deleted
 * (pkg/controller/serviceaccount/serviceaccounts_controller.go). The `kubernetes.io/metadata.name`
 * label and phase Active come from the Namespace strategy (builtinKinds.ts); deleting a namespace
 * empties it (store.ts).
 * Simplified: no `kube-root-ca.crt` ConfigMap, no token Secrets.
 */
import { isPlainObject } from '../object.ts';
import type { ClusterStore } from '../store.ts';
import { splitKey, type Controller, type ControllerManager } from './manager.ts';

export function startNamespaceController(mgr: ControllerManager): Controller {
  const store: ClusterStore = mgr.store;
  const ctrl: Controller = {
    name: 'serviceaccount',
    reconcile(key) {
      const ns = store.find('Namespace', undefined, splitKey(key).name);
      if (!ns || ns.metadata.deletionTimestamp !== undefined) return;
      if (isPlainObject(ns.status) && ns.status.phase === 'Terminating') return;
      if (store.find('ServiceAccount', ns.metadata.name, 'default')) return;
      store.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns.metadata.name } });
    },
  };
  mgr.watch({ kind: 'Namespace' }, (e) => {
    if (e.type === 'ADDED') mgr.enqueue(ctrl, e.object.metadata.name);
  });
  mgr.watch({ kind: 'ServiceAccount' }, (e) => {
    if (e.type === 'DELETED' && e.object.metadata.name === 'default') mgr.enqueue(ctrl, e.object.metadata.namespace ?? '');
  });
  for (const ns of store.scan('Namespace')) mgr.enqueue(ctrl, ns.metadata.name);
  return ctrl;
}
