/**
 * Wires a cluster's control plane onto its store: the service IP admission step, the controller
 * manager with the namespace, node, scheduler, kubelet, ReplicaSet, Deployment, DaemonSet,
 * StatefulSet, service-LB and endpoints controllers, and the objects every cluster starts with
 * (namespaces default, kube-system, kube-public, kube-node-lease; the `kubernetes` Service).
 *
 * How it runs: synchronously. Every write settles the whole cascade (Deployment → ReplicaSet → Pods
 * → scheduled → Running → Endpoints) before it returns, in a deterministic order; only the optional
 * pod start-up delay goes through the injected Clock (advance it to see pods turn Running).
 */
import type { Clock } from '../../core/clock.ts';
import type { Rng } from '../../core/rng.ts';
import type { KubeObject } from '../object.ts';
import { ClusterIpam, type ClusterIpamOptions } from '../ipam.ts';
import type { ClusterStore } from '../store.ts';
import { startDaemonSetController } from './daemonSet.ts';
import { startDeploymentController } from './deployment.ts';
import { startEndpointsController } from './endpoints.ts';
import { Kubelet, type PodStartGate } from './kubelet.ts';
import { ControllerManager } from './manager.ts';
import { startNamespaceController } from './namespace.ts';
import { startNodeController } from './node.ts';
import { startReplicaSetController } from './replicaSet.ts';
import { startScheduler } from './scheduler.ts';
import { serviceIpAdmission, startServiceController } from './service.ts';
import { startStatefulSetController } from './statefulSet.ts';

export interface KubeControllersOptions extends ClusterIpamOptions {
  readonly clock: Clock;
  /** The controllers' own randomness (addresses, container IDs); pod names come from the store's rng. */
  readonly rng: Rng;
  /** Virtual ms from scheduling to Running; 0 (default) = synchronous. */
  readonly podStartupMs?: number;
  readonly podStartGate?: PodStartGate;
  readonly kubeletVersion?: string | ((node: KubeObject) => string);
  /** Create the standard namespaces and the `kubernetes` Service (default true). */
  readonly bootstrap?: boolean;
  /** The apiserver's address for the `kubernetes` Endpoints (port 6443); omitted → no Endpoints. */
  readonly apiServerAddress?: string;
}

export interface KubeControllers {
  readonly manager: ControllerManager;
  readonly ipam: ClusterIpam;
  readonly kubelet: Kubelet;
  /** Unsubscribes every controller and the admission step. */
  stop(): void;
}

export const STANDARD_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'] as const;

export function startControllers(store: ClusterStore, opts: KubeControllersOptions): KubeControllers {
  const ipam = new ClusterIpam(opts.rng.fork('ipam'), opts);
  const removeAdmission = store.addAdmission(serviceIpAdmission(ipam));
  const manager = new ControllerManager(store);
  startNamespaceController(manager);
  startNodeController(manager, { clock: opts.clock, ipam, kubeletVersion: opts.kubeletVersion });
  startScheduler(manager, { clock: opts.clock });
  const kubelet = new Kubelet(manager, { clock: opts.clock, rng: opts.rng.fork('kubelet'), ipam, startupDelayMs: opts.podStartupMs ?? 0, startGate: opts.podStartGate });
  startReplicaSetController(manager, { clock: opts.clock });
  startDeploymentController(manager, { clock: opts.clock });
  startDaemonSetController(manager);
  startStatefulSetController(manager);
  startServiceController(manager, ipam);
  startEndpointsController(manager);
  if (opts.bootstrap !== false) bootstrapCluster(store, ipam, opts.apiServerAddress);
  store.settle();
  return {
    manager,
    ipam,
    kubelet,
    stop() {
      manager.stop();
      removeAdmission();
    },
  };
}

/** The objects a fresh kubeadm/kind cluster has before anyone applies anything. */
export function bootstrapCluster(store: ClusterStore, ipam: ClusterIpam, apiServerAddress?: string): void {
  for (const name of STANDARD_NAMESPACES) if (!store.find('Namespace', undefined, name)) store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  if (!store.find('Service', 'default', 'kubernetes')) {
    store.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: { clusterIP: ipam.kubernetesServiceIP, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], type: 'ClusterIP' },
    });
    if (apiServerAddress)
      store.create({
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
        subsets: [{ addresses: [{ ip: apiServerAddress }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }],
      });
  }
}
