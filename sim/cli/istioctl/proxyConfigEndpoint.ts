/**
 * `istioctl proxy-config endpoint POD` from Envoy's `/clusters?format=json` host statuses
 * (istio: istioctl/pkg/writer/envoy/clusters/clusters.go; research/istio-spec.md §6.2).
 *
 * Rules, as upstream has them:
 * - filters (`EndpointFilter.Verify`): `--address` and `--cluster` compare case-insensitively
 *   (strings.EqualFold), `--port` exactly (0 = any), `--status` against the EDS health status name
 *   case-insensitively;
 * - rows sorted by address as a string, then port as a number, then cluster (`retrieveSortedEndpointClusterSlice`);
 * - ENDPOINT is `address:port`, or the bare address when the port is 0; STATUS the EDS health status name
 *   (`core.HealthStatus_name`); OUTLIER CHECK `FAILED` when the host failed outlier detection, else `OK`;
 * - Go tabwriter(minwidth 0, tabwidth 8, padding 5, ' '): the last cell is not padded.
 * `-o json` (`PrintEndpoints`): every cluster with at least one host passing the filter, with **all** its
 * hosts, as protojson ClusterStatus messages re-indented by 4 spaces, then a newline.
 * Simplified: the JSON carries only name, host addresses and health status (Envoy adds stats, weight,
 * locality…), since the lab's endpoints have nothing else.
 */
import { tabwrite } from '../kubectl/tabWriter.ts';

/** envoy.config.core.v3.HealthStatus names. */
export type EdsHealthStatus = 'UNKNOWN' | 'HEALTHY' | 'UNHEALTHY' | 'DRAINING' | 'TIMEOUT' | 'DEGRADED';

export interface EndpointHost {
  readonly address: string;
  /** 0 for a non-socket address (pipe, internal). */
  readonly port: number;
  /** Envoy cluster name: `outbound|5000||helloworld.default.svc.cluster.local`. */
  readonly cluster: string;
  readonly healthy: boolean;
  /** Overrides `healthy` when the EDS status is neither HEALTHY nor UNHEALTHY. */
  readonly status?: EdsHealthStatus;
  readonly outlierFailed?: boolean;
}

export interface EndpointFilter {
  readonly address?: string;
  readonly port?: number;
  readonly cluster?: string;
  readonly status?: string;
}

const statusOf = (h: EndpointHost): EdsHealthStatus => h.status ?? (h.healthy ? 'HEALTHY' : 'UNHEALTHY');
/** strings.EqualFold, close enough for ASCII names and addresses. */
const equalFold = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export function matchesFilter(h: EndpointHost, f: EndpointFilter): boolean {
  if (f.address && !equalFold(h.address, f.address)) return false;
  if (f.port && h.port !== f.port) return false;
  if (f.cluster && !equalFold(h.cluster, f.cluster)) return false;
  if (f.status && !equalFold(statusOf(h), f.status)) return false;
  return true;
}

/** Go string order (byte-wise; the same as UTF-16 order for ASCII). */
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The `proxy-config endpoint` table. */
export function endpointSummary(hosts: readonly EndpointHost[], filter: EndpointFilter = {}): string {
  const rows = hosts
    .filter((h) => matchesFilter(h, filter))
    .sort((a, b) => (a.address !== b.address ? cmp(a.address, b.address) : a.port !== b.port ? a.port - b.port : cmp(a.cluster, b.cluster)));
  const lines = [
    'ENDPOINT\tSTATUS\tOUTLIER CHECK\tCLUSTER',
    ...rows.map((h) => [h.port !== 0 ? `${h.address}:${h.port}` : h.address, statusOf(h), h.outlierFailed ? 'FAILED' : 'OK', h.cluster].join('\t')),
  ];
  return tabwrite(`${lines.join('\n')}\n`, 0, 5);
}

/** `-o json`: the matching clusters as Envoy ClusterStatus messages (protojson names, 4-space indent). */
export function endpointJson(hosts: readonly EndpointHost[], filter: EndpointFilter = {}): string {
  const clusters = new Map<string, EndpointHost[]>();
  for (const h of hosts) clusters.set(h.cluster, [...(clusters.get(h.cluster) ?? []), h]);
  const out = [...clusters]
    .filter(([, hs]) => hs.some((h) => matchesFilter(h, filter)))
    .map(([name, hs]) => ({
      name,
      hostStatuses: hs.map((h) => {
        // proto3 JSON omits defaults: no port 0, no UNKNOWN status, no false outlier flag.
        const healthStatus: Record<string, unknown> = {};
        if (h.outlierFailed) healthStatus.failedOutlierCheck = true;
        if (statusOf(h) !== 'UNKNOWN') healthStatus.edsHealthStatus = statusOf(h);
        return {
          address: { socketAddress: { address: h.address, ...(h.port !== 0 ? { portValue: h.port } : {}) } },
          healthStatus,
        };
      }),
    }));
  return `${JSON.stringify(out, null, 4)}\n`;
}
