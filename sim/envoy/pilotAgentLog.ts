/**
 * Log lines of the istio-proxy container: pilot-agent's own (Istio pkg/log over zap) and Envoy's (spdlog
 * with the pattern pilot-agent passes in the bootstrap). Research/istio-spec.md §1.2, §6.7.
 *
 * pilot-agent (istio: pkg/log/config.go): zap console encoder, fields separated by a tab —
 *   `<time>\t<level>\t<scope>\t<message>` — time from `formatDate` (UTC, microseconds:
 *   `2026-01-15T09:00:00.000000Z`), level lower-case (`debug info warn error fatal`), and **no scope
 *   column for the default scope** (pkg/log/scope.go leaves `nameToEmit` empty for `default`, and zap
 *   omits an empty logger name). Scope labels are appended as `\tk=v k2=v2` (scope.go `emitWithTime`).
 * Envoy (istio: pkg/bootstrap testdata, `text_format`):
 *   `%Y-%m-%dT%T.%fZ\t%l\tenvoy %n %g:%#\t%v\tthread=%t` — e.g.
 *   `2023-12-08T07:39:50.405760Z\tdebug\tenvoy pool external/envoy/source/common/http/conn_pool_base.cc:78\t<msg>\tthread=23`.
 * Lines are returned without the trailing newline.
 */

export type AgentLevel = 'debug' | 'info' | 'warn' | 'error' | 'fatal';
export type EnvoyLevel = 'trace' | 'debug' | 'info' | 'warning' | 'error' | 'critical';

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** pkg/log `formatDate`: UTC with six fractional digits (the sim's clock has ms, so the last three are 0). */
export function istioLogTime(ms: number): string {
  const d = new Date(ms);
  const micros = d.getUTCMilliseconds() * 1000;
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}` +
    `T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(micros, 6)}Z`
  );
}

/** One pilot-agent message: `scope` '' is Istio's default scope (no column). */
export interface AgentLogEntry {
  readonly level: AgentLevel;
  readonly scope: string;
  readonly message: string;
  readonly labels?: Readonly<Record<string, string | number>>;
}

export function agentLogLine(ms: number, e: AgentLogEntry): string {
  const labels = e.labels && Object.keys(e.labels).length > 0 ? `\t${Object.entries(e.labels).map(([k, v]) => `${k}=${v}`).join(' ')}` : '';
  return [istioLogTime(ms), e.level, ...(e.scope ? [e.scope] : []), `${e.message}${labels}`].join('\t');
}

export interface EnvoyLogEntry {
  readonly level: EnvoyLevel;
  /** spdlog logger name (`config`, `connection`, `pool`, `router`…). */
  readonly logger: string;
  /** `%g:%#`: source file and line (`external/envoy/source/common/http/conn_pool_base.cc:78`). */
  readonly source: string;
  readonly message: string;
  readonly thread: number;
}

export function envoyLogLine(ms: number, e: EnvoyLogEntry): string {
  return `${istioLogTime(ms)}\t${e.level}\tenvoy ${e.logger} ${e.source}\t${e.message}\tthread=${e.thread}`;
}

// ---------------------------------------------------------------------------------------------------
// The messages, with their level and scope as upstream logs them.

/**
 * pkg/security/security.go: the workload socket SPIRE's CSI driver provides, as pilot-agent prints it —
 * `GetWorkloadSDSSocketListenPath` is `filepath.Join("./var/run/secrets/workload-spiffe-uds", file)`, and
 * Go's Join cleans the leading `./` away (real logs: istio#58516, istio.io#16844). The credential
 * sockets below are used unjoined, so they keep it.
 */
export const WORKLOAD_SOCKET_PATH = 'var/run/secrets/workload-spiffe-uds/socket';
export const CREDENTIAL_SOCKET_PATH = './var/run/secrets/credential-uds/socket';
export const FILE_CREDENTIAL_SOCKET_PATH = './var/run/secrets/credential-uds/files-socket';

/** Go's %q for the plain ASCII paths these messages carry. */
const goQuote = (s: string): string => JSON.stringify(s);

/** pkg/istio-agent/agent.go: a SPIRE socket answered at start-up. */
export const existingWorkloadSocket = (path = WORKLOAD_SOCKET_PATH): AgentLogEntry => ({
  level: 'info',
  scope: '',
  message: `Existing workload SDS socket found at ${path}. Default Istio SDS Server will only serve files`,
});
/** agent.go: no socket; pilot-agent serves istiod-signed certificates itself. */
export const STARTING_DEFAULT_SDS: AgentLogEntry = { level: 'info', scope: '', message: 'Starting default Istio SDS Server' };
/** agent.go: the credential (gateway `sds://`) socket answered. */
export const CREDENTIAL_SOCKET_FOUND: AgentLogEntry = { level: 'info', scope: '', message: 'Credential SDS socket found' };
/** agent.go: fatal at start-up (pilot-agent exits) when a non-default socket file name has no socket. */
export const nonDefaultSocketMissing = (path: string): string => `agent configured for non-default SDS socket path: ${path} but no socket found`;

/** security/pkg/nodeagent/sds/server.go (scope `sds`). */
export const SDS_GRPC_STARTING: AgentLogEntry = { level: 'info', scope: 'sds', message: 'Starting SDS grpc server' };
export const sdsListening = (filesOnly: boolean, path = filesOnly ? FILE_CREDENTIAL_SOCKET_PATH : WORKLOAD_SOCKET_PATH): AgentLogEntry => ({
  level: 'info',
  scope: 'sds',
  message: filesOnly
    ? `Starting SDS server for file certificates only, will listen on ${goQuote(path)}`
    : `Starting SDS server for workload certificates, will listen on ${goQuote(path)}`,
});
export const sdsUdsFailed = (error: string): AgentLogEntry => ({ level: 'error', scope: 'sds', message: `SDS grpc server for workload proxies failed to set up UDS: ${error}` });
export const sdsServeFailed = (error: string): AgentLogEntry => ({ level: 'error', scope: 'sds', message: `SDS grpc server for workload proxies failed to start: ${error}` });
/** After 5 failed attempts (1 s doubling back-off). */
export const SDS_COULD_NOT_START: AgentLogEntry = { level: 'warn', scope: 'sds', message: 'SDS grpc server could not be started' };
/** agent.go newSecretManager: the CA client pilot-agent creates when it serves workload certificates itself. */
export const caEndpoint = (endpoint: string, provider = 'Citadel'): AgentLogEntry => ({ level: 'info', scope: '', message: `CA Endpoint ${endpoint}, provider ${provider}` });
/** agent.go newSecretManager: no CA client (a SPIRE socket serves the workload certificates). */
export const FILE_MOUNTED_CERTS: AgentLogEntry = { level: 'info', scope: '', message: 'Workload is using file mounted certificates. Skipping connecting to CA' };
/**
 * pkg/uds/listener.go NewListener on a read-only mount: something (a dangling symlink, a stale file) at
 * the path ⇒ the `os.Remove` fails (wording seen in istio#58516, istio.io#16844); nothing there ⇒
 * `net.Listen` fails (Unverified: inferred from the code, not observed).
 */
export const udsReadOnlyError = (path: string, exists: boolean): string =>
  exists ? `failed to remove unix://${path}: remove ${path}: read-only file system` : `failed to listen on unix socket ${goQuote(path)}: listen unix ${path}: bind: read-only file system`;
/**
 * security/pkg/nodeagent/sds/server.go initWorkloadSdsService: `maxRetryTimes` (5) attempts with a 1 s
 * doubling sleep after each, then the warning — lines at +0, 1, 3, 7, 15 s and the warning at +31 s
 * (the spacing istio#58516 shows). Offsets in ms from "Starting SDS grpc server".
 */
export function udsSetupFailures(error: string): { readonly afterMs: number; readonly entry: AgentLogEntry }[] {
  const out: { afterMs: number; entry: AgentLogEntry }[] = [];
  let t = 0;
  for (let i = 0, wait = 1000; i < 5; i++, wait *= 2) {
    out.push({ afterMs: t, entry: sdsUdsFailed(error) });
    t += wait;
  }
  out.push({ afterMs: t, entry: SDS_COULD_NOT_START });
  return out;
}

/** pilot-agent/status/server.go `handleReadyProbe` (default scope), logged on every failed probe. */
export const envoyNotReady = (reason: string): AgentLogEntry => ({ level: 'warn', scope: '', message: `Envoy proxy is NOT ready: ${reason}` });
/** Logged once when a probe succeeds after a failure. */
export const ENVOY_READY: AgentLogEntry = { level: 'info', scope: '', message: 'Envoy proxy is ready' };

/** Readiness reasons (pilot-agent/status/ready/probe.go, status/util/stats.go `Stats.String`). */
export interface XdsUpdateStats {
  readonly cdsSuccess: number;
  readonly cdsRejected: number;
  readonly ldsSuccess: number;
  readonly ldsRejected: number;
}
const statsText = (s: XdsUpdateStats): string =>
  `cds updates: ${s.cdsSuccess} successful, ${s.cdsRejected} rejected; lds updates: ${s.ldsSuccess} successful, ${s.ldsRejected} rejected`;
/** probe.go `checkConfigStatus`; undefined once both CDS and LDS have succeeded. */
export function configNotReadyReason(s: XdsUpdateStats): string | undefined {
  const cds = s.cdsSuccess > 0;
  const lds = s.ldsSuccess > 0;
  if (cds && lds) return undefined;
  if (!cds && !lds) return `config not received from XDS server (is Istiod running?): ${statsText(s)}`;
  if (s.ldsRejected > 0 || s.cdsRejected > 0) return `config received from XDS server, but was rejected: ${statsText(s)}`;
  return `config not fully received from XDS server: ${statsText(s)}`;
}
/** probe.go `isEnvoyReady`: Envoy's server.state is not LIVE (e.g. `PRE_INITIALIZING`, `INITIALIZING`). */
export const serverNotLive = (state: string): string => `server is not live, current state is: ${state}`;
export const WORKERS_NOT_STARTED = 'workers have not yet started';
