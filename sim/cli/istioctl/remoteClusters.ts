/**
 * `istioctl remote-clusters`: what every running istiod answers on `debug/clusterz`
 * (istio: istioctl/pkg/proxyconfig/clusters.go `writeMulticlusterStatus`; research/istio-spec.md §2.6).
 *
 * - One row per cluster an istiod knows (pkg/kube/multicluster/secretcontroller.go `ListRemoteClusters`):
 *   first the config cluster (SECRET empty), then each data key of each remote secret (SECRET
 *   `<namespace>/<name>`); STATUS `syncing` → `synced` | `timeout` | `closed` (pkg/kube/multicluster/cluster.go).
 * - ISTIOD is the istiod pod name (pkg/kube/client.go `AllDiscoveryDo` keys answers by pod name).
 * - Go tabwriter(minwidth 0, tabwidth 8, padding 5, ' '); the last cell is not padded, so an empty
 *   REVISION leaves the ISTIOD cell padded (trailing spaces).
 * Versions:
 * - ≤ 1.30: `NAME SECRET STATUS ISTIOD`, istiods in Go map order (random; the lab keeps first-seen order);
 * - ≥ 1.31 (commit 0888f27714f, first in 1.31.0-alpha.0): a fifth column `REVISION` (label `istio.io/rev`
 *   of the istiod pod, empty if absent) and istiods sorted by name.
 */
import { tabwrite } from '../kubectl/tabWriter.ts';

export type RemoteClusterStatus = 'syncing' | 'synced' | 'timeout' | 'closed';

export interface RemoteClusterRow {
  /** Cluster ID (the remote secret's data key, or the config cluster's CLUSTER_ID). */
  readonly name: string;
  /** `<namespace>/<secret name>`; '' for the config cluster. */
  readonly secret: string;
  /** Printed verbatim (upstream's own tests use `SYNCED`). */
  readonly status: RemoteClusterStatus | (string & {});
  /** Pod name of the istiod that reported the row. */
  readonly istiod: string;
  /** `istio.io/rev` label of that istiod pod. */
  readonly revision?: string;
}

export interface RemoteClustersOptions {
  /** istioctl client version (`1.29.0`); default: the released format (≤ 1.30). */
  readonly istioctlVersion?: string;
}

/** True when `version` (`1.31.0`, `1.31.0-alpha.0`) is at least `major.minor`. */
export function versionAtLeast(version: string, major: number, minor: number): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a > major || (a === major && b >= minor);
}

/** Whether this istioctl prints the REVISION column. */
export const hasRevisionColumn = (istioctlVersion: string | undefined): boolean => istioctlVersion !== undefined && versionAtLeast(istioctlVersion, 1, 31);

/** istioctl's answer when no istiod pod runs in the istio namespace (pkg/kube/client.go). */
export const NO_ISTIOD_ERROR = 'Error: unable to find any Istiod instances';

/** The `remote-clusters` table. */
export function remoteClustersTable(rows: readonly RemoteClusterRow[], opts: RemoteClustersOptions = {}): string {
  const withRevision = hasRevisionColumn(opts.istioctlVersion);
  // Rows are grouped per istiod: upstream ranges over a map keyed by istiod.
  const byIstiod = new Map<string, RemoteClusterRow[]>();
  for (const r of rows) byIstiod.set(r.istiod, [...(byIstiod.get(r.istiod) ?? []), r]);
  const istiods = [...byIstiod.keys()];
  if (withRevision) istiods.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const lines = [withRevision ? 'NAME\tSECRET\tSTATUS\tISTIOD\tREVISION' : 'NAME\tSECRET\tSTATUS\tISTIOD'];
  for (const istiod of istiods) {
    const group = byIstiod.get(istiod)!;
    const revision = group.find((r) => r.revision !== undefined)?.revision ?? '';
    for (const r of group) lines.push([r.name, r.secret, r.status, istiod, ...(withRevision ? [revision] : [])].join('\t'));
  }
  return tabwrite(`${lines.join('\n')}\n`, 0, 5);
}
