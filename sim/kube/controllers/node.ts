/**
 * Nodes as the kubelet registers them and the node IPAM controller completes them: the well-known
 * labels (`kubernetes.io/hostname`, `kubernetes.io/os`, `kubernetes.io/arch`), a podCIDR per node in
 * creation order (pkg/controller/nodeipam), an InternalIP, `status.nodeInfo` with the kubelet version,
 * a Ready condition and pod capacity. Deleting a node deletes its pods (the pod GC for orphaned pods,
 * pkg/controller/podgc), so controllers re-create them elsewhere.
 * Simplified: nodes are always Ready (no heartbeats, no NotReady taints).
 */
import { rfc3339, type KubeObject } from '../object.ts';
import type { NodeObject, Pod } from '../builtinKinds.ts';
import type { Clock } from '../../core/clock.ts';
import type { ClusterIpam } from '../ipam.ts';
import { splitKey, updateStatusIfChanged, type Controller, type ControllerManager } from './manager.ts';

export interface NodeControllerOptions {
  readonly clock: Pick<Clock, 'now'>;
  readonly ipam: ClusterIpam;
  /** `status.nodeInfo.kubeletVersion` unless the node already reports one (a string for every node,
   * or per node); default v1.30.0. */
  readonly kubeletVersion?: string | ((node: KubeObject) => string);
}

export function startNodeController(mgr: ControllerManager, opts: NodeControllerOptions): Controller {
  const store = mgr.store;
  const ctrl: Controller = {
    name: 'node',
    reconcile(key) {
      let node = store.find('Node', undefined, splitKey(key).name) as NodeObject | undefined;
      if (!node) return;
      const name = node.metadata.name;
      const kubeletVersion = typeof opts.kubeletVersion === 'function' ? opts.kubeletVersion(node) : opts.kubeletVersion ?? 'v1.30.0';
      const labels = { 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux' };
      const want = { ...labels, ...(node.metadata.labels ?? {}) };
      const spec = { ...(node.spec ?? {}) };
      let changed = JSON.stringify(want) !== JSON.stringify(node.metadata.labels ?? {});
      if (spec.podCIDR === undefined) {
        const cidr = opts.ipam.nodeSubnets.allocate();
        if (cidr.ok) {
          spec.podCIDR = cidr.value;
          spec.podCIDRs = [cidr.value];
          changed = true;
        }
      }
      if (changed) {
        const r = store.update({ ...node, metadata: { ...node.metadata, labels: want }, spec });
        if (!r.ok) return;
        node = r.value as NodeObject;
      }
      const status = { ...(node.status ?? {}) };
      const now = rfc3339(opts.clock.now());
      let addresses = status.addresses ?? [];
      if (!addresses.some((a) => a.type === 'InternalIP')) {
        const ip = opts.ipam.nodeAddresses.allocate();
        if (ip.ok) addresses = [{ type: 'InternalIP', address: ip.value }, ...addresses];
      }
      if (!addresses.some((a) => a.type === 'Hostname')) addresses = [...addresses, { type: 'Hostname', address: name }];
      status.addresses = addresses;
      status.nodeInfo = {
        architecture: 'amd64',
        bootID: '',
        containerRuntimeVersion: 'containerd://1.7.18',
        kernelVersion: '6.5.0',
        kubeProxyVersion: status.nodeInfo?.kubeletVersion ?? kubeletVersion,
        kubeletVersion,
        machineID: '',
        operatingSystem: 'linux',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        systemUUID: '',
        ...(status.nodeInfo ?? {}),
      };
      status.capacity ??= { cpu: '8', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi' };
      status.allocatable ??= { cpu: '8', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi' };
      if (!status.conditions?.some((c) => c.type === 'Ready'))
        status.conditions = [
          ...(status.conditions ?? []),
          { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now },
        ];
      updateStatusIfChanged(store, node, status);
    },
  };
  mgr.watch({ kind: 'Node' }, (e) => {
    if (e.type !== 'DELETED') {
      mgr.enqueue(ctrl, e.object.metadata.name);
      return;
    }
    const n = e.object as NodeObject;
    if (n.spec?.podCIDR) opts.ipam.nodeSubnets.release(n.spec.podCIDR);
    for (const a of n.status?.addresses ?? []) if (a.type === 'InternalIP') opts.ipam.nodeAddresses.release(a.address);
    const orphans = store.scan('Pod').filter((p: KubeObject) => (p as Pod).spec?.nodeName === n.metadata.name);
    for (const p of [...orphans]) store.delete('Pod', p.metadata.namespace, p.metadata.name);
  });
  for (const n of store.scan('Node')) mgr.enqueue(ctrl, n.metadata.name);
  return ctrl;
}

/** The node's InternalIP, if it has one. */
export function nodeInternalIP(node: KubeObject | undefined): string | undefined {
  return (node as NodeObject | undefined)?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
}
