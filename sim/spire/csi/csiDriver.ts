/**
 * The SPIFFE CSI driver (`csi.spiffe.io`, spiffe/spiffe-csi `pkg/driver/driver.go`): for a pod volume
 * `csi: { driver: csi.spiffe.io, readOnly: true }` it bind-mounts the node's Workload API socket
 * directory (`-workload-api-socket-dir`, host `/run/spire/agent-sockets` in the chart and in ZTWIM) into
 * the pod, read-only, so each container mounting the volume sees the agent socket (and the chart's
 * `socket` / `api.sock` symlinks) under its `mountPath`.
 *
 * Failures, as the kubelet reports them in a `Warning FailedMount` event while the pod stays
 * `ContainerCreating`:
 * - no driver registered on the node (the driver DaemonSet is not running there):
 *   `MountVolume.SetUp failed for volume "<vol>" : kubernetes.io/csi: mounter.SetUpAt failed to get CSI
 *   client: driver name csi.spiffe.io not found in the list of registered CSI drivers`
 *   (kubernetes `pkg/volume/csi/csi_client.go` newCsiDriverClient, `csi_mounter.go` SetUpAt);
 * - the volume is not `readOnly: true`: NodePublishVolume fails with InvalidArgument
 *   `pod.spec.volumes[].csi.readOnly must be set to 'true'` (spiffe-csi driver.go).
 * Simplified: the kubelet's retry cadence and the later `Unable to attach or mount volumes` timeout
 * event are not modelled; the volume content is the live socket directory (no copy).
 */
import { err, ok, simError, type Result, type SimError } from '../../core/result.ts';
import type { Pod } from '../../kube/builtinKinds.ts';

export const SPIFFE_CSI_DRIVER = 'csi.spiffe.io';
/** The chart's and ZTWIM's host directory for the agent sockets. */
export const DEFAULT_AGENT_SOCKET_DIR = '/run/spire/agent-sockets';

/** What the kubelet of one node knows about CSI drivers: registered name → the directory it publishes. */
export interface CsiNode {
  readonly name: string;
  readonly drivers: ReadonlyMap<string, { readonly workloadApiSocketDir: string }>;
}

export interface CsiMount {
  readonly container: string;
  readonly volume: string;
  /** Where the container sees the directory. */
  readonly mountPath: string;
  /** The host directory behind it. */
  readonly hostPath: string;
  readonly readOnly: true;
}

export type CsiMountError = SimError<'spire/csi-driver-not-registered' | 'spire/csi-volume-not-read-only'> & {
  readonly detail: { readonly volume: string; readonly reason: 'FailedMount'; readonly waitingReason: 'ContainerCreating' };
};

const mountError = (code: CsiMountError['code'], volume: string, message: string): CsiMountError => ({
  ...simError(code, message),
  detail: { volume, reason: 'FailedMount', waitingReason: 'ContainerCreating' },
});

interface CsiVolume {
  readonly name: string;
  readonly csi?: { readonly driver?: string; readonly readOnly?: boolean };
}

/**
 * The SPIFFE CSI mounts of `pod` on `node`, or the FailedMount the kubelet reports (its message is the
 * event text). A pod without such a volume gets `[]`.
 */
export function csiMountsFor(pod: Pod, node: CsiNode): Result<CsiMount[], CsiMountError> {
  const volumes = ((pod.spec.volumes ?? []) as unknown as CsiVolume[]).filter((v) => v.csi?.driver === SPIFFE_CSI_DRIVER);
  const out: CsiMount[] = [];
  for (const v of volumes) {
    const driver = node.drivers.get(SPIFFE_CSI_DRIVER);
    if (!driver)
      return err(
        mountError(
          'spire/csi-driver-not-registered',
          v.name,
          `MountVolume.SetUp failed for volume ${JSON.stringify(v.name)} : kubernetes.io/csi: mounter.SetUpAt failed to get CSI client: driver name ${SPIFFE_CSI_DRIVER} not found in the list of registered CSI drivers`,
        ),
      );
    if (v.csi?.readOnly !== true)
      return err(
        mountError(
          'spire/csi-volume-not-read-only',
          v.name,
          `MountVolume.SetUp failed for volume ${JSON.stringify(v.name)} : rpc error: code = InvalidArgument desc = pod.spec.volumes[].csi.readOnly must be set to 'true'`,
        ),
      );
    for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
      for (const m of c.volumeMounts ?? []) {
        if (m.name === v.name) out.push({ container: c.name, volume: v.name, mountPath: m.mountPath.replace(/\/+$/, '') || '/', hostPath: driver.workloadApiSocketDir, readOnly: true });
      }
    }
  }
  return ok(out);
}

/** The host path behind `path` as `container` sees it through its CSI mounts, or undefined (not under any mount). */
export function hostPathInMounts(mounts: readonly CsiMount[], container: string, path: string): string | undefined {
  let best: CsiMount | undefined;
  for (const m of mounts) {
    if (m.container !== container) continue;
    const prefix = m.mountPath === '/' ? '/' : `${m.mountPath}/`;
    if ((path.startsWith(prefix) || path === m.mountPath) && (!best || m.mountPath.length > best.mountPath.length)) best = m;
  }
  if (!best) return undefined;
  return `${best.hostPath}${path.slice(best.mountPath.length)}`;
}
