/**
 * spiffe-helper (github.com/spiffe/spiffe-helper): reads helper.conf, connects to the Workload API at
 * `agent_address` and writes the X509-SVID to `cert_dir`: `svid_file_name` (leaf + intermediates),
 * `svid_key_file_name` (PKCS#8 PEM, mode 0600) and `svid_bundle_file_name` (the SVID's own TD roots,
 * then — only with `include_federated_domains = true` — every other TD's roots in TD-name order).
 * In daemon mode (the default) it watches the X.509 context and rewrites the files on every update.
 *
 * Two behaviours, by `version`:
 * - `0.8.x` (the image the seeds run; `cmd/spiffe-helper/config/config.go@v0.8.0`): the camelCase names
 *   (`agentAddress`, `certDir`, `svidFileName`, …) are accepted with the warning `agentAddress will be
 *   deprecated, should be used as agent_address`, and using both spellings is an error; other unknown keys
 *   are ignored; `SPIRE_AGENT_ADDRESS` is the address fallback; file modes are fixed 0644/0600;
 *   errors end as `Error starting spiffe-helper` with `error="invalid configuration: …"`.
 * - `latest` (main): unknown keys are an error (`unknown top level key(s): …`, the old names included);
 *   `SPIFFE_ENDPOINT_SOCKET` fallback; `cert_file_mode` / `key_file_mode`; `failed to parse configuration` /
 *   `invalid configuration` log lines.
 * Watch errors are logged `Error while watching x509 context: rpc error: …` and retried after go-spiffe's
 * linear backoff (1 s, 2 s, … capped at 30 s, reset by a good message) (`go-spiffe:v2/workloadapi/client.go`,
 * `backoff.go`). The address is dialled as `unix://<agent_address>` (`pkg/sidecar/util_posix.go`).
 * Upstream: `cmd/spiffe-helper/main.go`, `cmd/spiffe-helper/config/config.go`, `pkg/sidecar/sidecar.go`,
 * `pkg/sidecar/workloadapi.go`, `pkg/disk/x509.go`.
 * Simplified: JWT SVIDs/bundles, `cmd` process management and signals, `hint`, `omit_expired`, the
 * health listener and pid files are not modelled (the keys are accepted); 0.9–0.11 are treated as `latest`;
 * one-shot mode's PermissionDenied retries (10 ms × 5ⁿ) are collapsed into waiting for the first message.
 */
import type { Clock } from '../../core/clock.ts';
import { err, ok, simError, type Result, type SimError } from '../../core/result.ts';
import { encodePem, type Certificate } from '../../pki/index.ts';
import { hclBlocks, parseConfigText, type HclMap } from '../hcl.ts';
import { rpcErrorString, type AgentError } from '../agent/grpcStatus.ts';
import { logrusLine, type LogFields, type LogLevel } from '../agent/logrus.ts';
import type { WorkloadApiEndpoint, X509SvidResponse } from '../agent/workloadApi.ts';

export type HelperVersion = '0.8' | 'latest';

export interface HelperConfig {
  readonly agentAddress: string;
  readonly cmd: string;
  readonly cmdArgs: string;
  readonly certDir: string;
  readonly svidFileName: string;
  readonly svidKeyFileName: string;
  readonly svidBundleFileName: string;
  readonly includeFederatedDomains: boolean;
  readonly addIntermediatesToBundle: boolean;
  readonly renewSignal: string;
  readonly daemonMode: boolean;
  readonly certFileMode: number;
  readonly keyFileMode: number;
  readonly jwtBundleFileName: string;
  readonly jwtSvidCount: number;
}

export interface HelperConfigResult {
  readonly config: HelperConfig;
  readonly warnings: readonly string[];
}

const DEFAULT_AGENT_ADDRESS = '/tmp/spire-agent/public/api.sock';

// cmd/spiffe-helper/config/config.go@v0.8.0: [new name, deprecated name]
const DEPRECATED: ReadonlyArray<readonly [string, string]> = [
  ['agent_address', 'agentAddress'],
  ['cmd_args', 'cmdArgs'],
  ['cert_dir', 'certDir'],
  ['svid_file_name', 'svidFileName'],
  ['svid_key_file_name', 'svidKeyFileName'],
  ['svid_bundle_file_name', 'svidBundleFileName'],
  ['renew_signal', 'renewSignal'],
];
// cmd/spiffe-helper/config/config.go@main Config hcl tags
const LATEST_KEYS = new Set([
  'add_intermediates_to_bundle', 'agent_address', 'cmd', 'cmd_args', 'pid_file_name', 'cert_dir', 'cert_file_mode', 'key_file_mode',
  'jwt_bundle_file_mode', 'jwt_svid_file_mode', 'include_federated_domains', 'omit_expired', 'renew_signal', 'daemon_mode',
  'health_checks', 'hint', 'svid_file_name', 'svid_key_file_name', 'svid_bundle_file_name', 'jwt_svids', 'jwt_bundle_file_name',
]);

const s = (m: HclMap, k: string): string => {
  const v = m[k];
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
};
const b = (m: HclMap, k: string): boolean => m[k] === true;
const n = (m: HclMap, k: string): number => (typeof m[k] === 'number' ? (m[k] as number) : typeof m[k] === 'string' && /^\d+$/.test(m[k] as string) ? Number(m[k]) : 0);

/** `ValidateConfig` (+ `ParseConfigFlagOverrides` for daemon mode) of the given version. */
export function helperConfigFromTree(
  tree: HclMap,
  opts: { readonly version?: HelperVersion; readonly env?: Readonly<Record<string, string>>; readonly daemonModeFlag?: boolean } = {},
): Result<HelperConfigResult, SimError<'spire/helper-config'>> {
  const version = opts.version ?? '0.8';
  const env = opts.env ?? {};
  const warnings: string[] = [];
  const fail = (m: string): Result<HelperConfigResult, SimError<'spire/helper-config'>> => err(simError('spire/helper-config', m, { warnings }));
  const values: Record<string, string> = {};
  for (const k of ['agent_address', 'cmd', 'cmd_args', 'cert_dir', 'svid_file_name', 'svid_key_file_name', 'svid_bundle_file_name', 'renew_signal', 'jwt_bundle_file_name', 'pid_file_name']) values[k] = s(tree, k);
  const jwtSvids = hclBlocks(tree.jwt_svids);

  if (version === 'latest') {
    const unknown = Object.keys(tree).filter((k) => !LATEST_KEYS.has(k)).sort();
    if (unknown.length > 0) return fail(`unknown top level key(s): ${unknown.join(',')}`);
  } else {
    for (const [name, old] of DEPRECATED) {
      const oldValue = s(tree, old);
      if (oldValue === '') continue;
      if (values[name] !== '') return fail(`use of ${name} and ${old} found, use only ${name}`);
      warnings.push(`${old} will be deprecated, should be used as ${name}`);
      values[name] = oldValue;
    }
  }
  for (const j of jwtSvids) {
    if (s(j, 'jwt_svid_file_name') === '') return fail("'jwt_file_name' is required in 'jwt_svids'");
    if (s(j, 'jwt_audience') === '') return fail("'jwt_audience' is required in 'jwt_svids'");
  }
  if (values.agent_address === '') {
    if (version === 'latest') values.agent_address = env.SPIFFE_ENDPOINT_SOCKET || DEFAULT_AGENT_ADDRESS;
    else values.agent_address = env.SPIRE_AGENT_ADDRESS || DEFAULT_AGENT_ADDRESS;
  }
  const daemonMode = opts.daemonModeFlag ?? (tree.daemon_mode === undefined ? true : b(tree, 'daemon_mode'));
  if (version === 'latest') {
    if (!daemonMode) {
      if (values.cmd !== '') warnings.push('cmd is set but daemon_mode is false. cmd will be ignored. This may become an error in a future release.');
      if (values.renew_signal !== '') warnings.push('renew_signal is set but daemon_mode is false. renew_signal will be ignored. This may become an error in a future release.');
      if (values.pid_file_name !== '') return fail('pid_file_name is set but daemon_mode is false. pid_file_name is only supported in daemon_mode');
    }
    if (values.pid_file_name !== '' && values.renew_signal === '') return fail('must specify renew_signal when using pid_file_name');
  }
  const x509Empty = [values.svid_file_name, values.svid_bundle_file_name, values.svid_key_file_name].filter((v) => v === '').length;
  if (x509Empty !== 0 && x509Empty !== 3) return fail("all or none of 'svid_file_name', 'svid_key_file_name', 'svid_bundle_file_name' must be specified");
  // v0.8.0 validateJWTConfig counts svid_bundle_file_name as the JWT bundle (an upstream slip, kept).
  const jwtBundleEnabled = version === 'latest' ? values.jwt_bundle_file_name !== '' : values.svid_bundle_file_name !== '';
  if (x509Empty === 3 && !jwtBundleEnabled && jwtSvids.length === 0)
    return fail("at least one of the sets ('svid_file_name', 'svid_key_file_name', 'svid_bundle_file_name'), 'jwt_svids', or 'jwt_bundle_file_name' must be fully specified");
  let certFileMode = 0o644;
  let keyFileMode = 0o600;
  if (version === 'latest') {
    const cm = n(tree, 'cert_file_mode');
    const km = n(tree, 'key_file_mode');
    if (cm < 0) return fail('cert file mode must be positive');
    if (km < 0) return fail('key file mode must be positive');
    if (cm > 0) certFileMode = cm;
    if (km > 0) keyFileMode = km;
  }
  return ok({
    config: {
      agentAddress: values.agent_address!,
      cmd: values.cmd!,
      cmdArgs: values.cmd_args!,
      certDir: values.cert_dir!,
      svidFileName: values.svid_file_name!,
      svidKeyFileName: values.svid_key_file_name!,
      svidBundleFileName: values.svid_bundle_file_name!,
      includeFederatedDomains: b(tree, 'include_federated_domains'),
      addIntermediatesToBundle: b(tree, 'add_intermediates_to_bundle') || (version === '0.8' && b(tree, 'addIntermediatesToBundle')),
      renewSignal: values.renew_signal!,
      daemonMode,
      certFileMode,
      keyFileMode,
      jwtBundleFileName: values.jwt_bundle_file_name!,
      jwtSvidCount: jwtSvids.length,
    },
    warnings,
  });
}

/** Go `path.Join` for absolute or relative cert dirs. */
function joinPath(dir: string, name: string): string {
  const parts = `${dir}/${name}`.split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else out.push(p);
  }
  const joined = out.join('/');
  return dir.startsWith('/') ? `/${joined}` : joined || '.';
}

export interface HelperFile {
  readonly content: string;
  readonly mode: number;
}

/** The three files `disk.WriteX509Context` writes for an X.509 context, or its error. */
export function x509ContextFiles(resp: X509SvidResponse, config: HelperConfig): Result<Map<string, HelperFile>, SimError> {
  const svid = resp.svids[0];
  if (!svid) return err(simError('spire/helper-write', 'no SVIDs in response'));
  const td = svid.spiffe_id.replace(/^spiffe:\/\//, '').replace(/\/.*$/, '');
  // go-spiffe parseX509Bundles: one bundle per SVID's TD, plus the federated ones, keyed by TD name.
  const bundles = new Map<string, readonly Certificate[]>([[td, svid.bundle]]);
  for (const [id, certs] of Object.entries(resp.federated_bundles)) bundles.set(id.replace(/^spiffe:\/\//, ''), certs);
  let roots: Certificate[] = [...(bundles.get(td) ?? [])];
  let certs: Certificate[] = [...svid.x509_svid];
  if (config.addIntermediatesToBundle) {
    roots = [...roots, ...certs.slice(1)];
    certs = certs.slice(0, 1);
  }
  if (config.includeFederatedDomains) {
    for (const name of [...bundles.keys()].sort()) if (name !== td) roots.push(...bundles.get(name)!);
  }
  const pem = (list: readonly Certificate[]): string => list.map((c) => encodePem('CERTIFICATE', c.der)).join('');
  return ok(
    new Map([
      [joinPath(config.certDir, config.svidFileName), { content: pem(certs), mode: config.certFileMode }],
      [joinPath(config.certDir, config.svidKeyFileName), { content: svid.x509_svid_key, mode: config.keyFileMode }],
      [joinPath(config.certDir, config.svidBundleFileName), { content: pem(roots), mode: config.certFileMode }],
    ]),
  );
}

export interface SpiffeHelperOptions {
  readonly clock: Clock;
  /** Log lines as spiffe-helper prints them (`kubectl logs -c spiffe-helper`). */
  readonly log: (line: string) => void;
  /** helper.conf text and its path (`-config`, default `helper.conf`). */
  readonly configText: string;
  readonly configPath?: string;
  readonly version?: HelperVersion;
  readonly env?: Readonly<Record<string, string>>;
  /** `-daemon-mode` when passed on the command line. */
  readonly daemonModeFlag?: boolean;
  /** Dials `unix://<path>` from inside the pod (see `dialWorkloadApi` and the CSI mounts). */
  readonly dial: (path: string) => Result<WorkloadApiEndpoint, AgentError>;
  /** Where files go; defaults to the helper's own map. Return an error for e.g. a missing directory. */
  readonly writeFile?: (path: string, file: HelperFile) => Result<void, SimError>;
}

export type HelperState = 'new' | 'running' | 'exited';

/**
 * One spiffe-helper process. `start()` validates the config and starts watching (daemon) or fetching once;
 * `exitCode` is set when the process exits (config error, one-shot done or failed).
 */
export class SpiffeHelper {
  readonly files = new Map<string, HelperFile>();
  private stateValue: HelperState = 'new';
  private exit: number | undefined;
  private cfg: HelperConfig | undefined;
  private stream: { cancel(): void } | undefined;
  private retryTimer: number | undefined;
  private backoffN = 0;
  private updates = 0;

  constructor(private readonly opts: SpiffeHelperOptions) {}

  get state(): HelperState {
    return this.stateValue;
  }

  get exitCode(): number | undefined {
    return this.exit;
  }

  get config(): HelperConfig | undefined {
    return this.cfg;
  }

  /** How many times the X.509 files were written. */
  get writes(): number {
    return this.updates;
  }

  private log(level: LogLevel, msg: string, fields: LogFields = {}): void {
    this.opts.log(logrusLine(this.opts.clock.now(), level, msg, { ...fields, system: 'spiffe-helper' }));
  }

  private quit(code: number): void {
    this.stream?.cancel();
    if (this.retryTimer !== undefined) this.opts.clock.clearTimeout(this.retryTimer);
    this.stateValue = 'exited';
    this.exit = code;
  }

  private startError(what: 'parse' | 'invalid', e: SimError): void {
    const path = this.opts.configPath ?? 'helper.conf';
    if ((this.opts.version ?? '0.8') === 'latest') this.log('error', what === 'parse' ? 'failed to parse configuration' : 'invalid configuration', { error: what === 'parse' ? `failed to parse ${JSON.stringify(path)}: ${e.message}` : e.message });
    else this.log('error', 'Error starting spiffe-helper', { error: what === 'parse' ? `failed to parse ${JSON.stringify(path)}: ${e.message}` : `invalid configuration: ${e.message}` });
    this.quit(1);
  }

  start(): void {
    if (this.stateValue !== 'new') return;
    this.stateValue = 'running';
    const path = this.opts.configPath ?? 'helper.conf';
    this.log('info', `Using configuration file: ${JSON.stringify(path)}`);
    const tree = parseConfigText(this.opts.configText, path);
    if (!tree.ok) return this.startError('parse', tree.error);
    const cfg = helperConfigFromTree(tree.value, { version: this.opts.version ?? '0.8', env: this.opts.env ?? {}, ...(this.opts.daemonModeFlag !== undefined ? { daemonModeFlag: this.opts.daemonModeFlag } : {}) });
    for (const w of cfg.ok ? cfg.value.warnings : ((cfg.error.detail?.warnings as string[] | undefined) ?? [])) this.log('warning', w);
    if (!cfg.ok) return this.startError('invalid', cfg.error);
    this.cfg = cfg.value.config;
    if (!this.cfg.daemonMode) {
      this.log('info', 'Daemon mode disabled');
      return this.fetchOnce();
    }
    this.log('info', 'Launching daemon');
    if (this.cfg.svidFileName !== '') {
      this.log('info', 'Watching for X509 Context');
      this.watch();
    }
  }

  /** Stops the process (pod deleted). */
  stop(): void {
    if (this.stateValue === 'running') this.quit(0);
  }

  private write(resp: X509SvidResponse): Result<void, SimError> {
    const files = x509ContextFiles(resp, this.cfg!);
    if (!files.ok) return files;
    for (const [p, f] of files.value) {
      const w = this.opts.writeFile ? this.opts.writeFile(p, f) : ok(undefined);
      if (!w.ok) return w;
      this.files.set(p, f);
    }
    this.updates++;
    return ok(undefined);
  }

  private fetchOnce(): void {
    const endpoint = this.opts.dial(this.cfg!.agentAddress);
    const failed = (e: SimError): void => {
      this.log('error', 'Error fetching x509 certificates', { error: e.detail?.grpcCode ? rpcErrorString(e) : e.message });
      this.log('error', 'Error starting spiffe-helper', { error: e.detail?.grpcCode ? rpcErrorString(e) : e.message });
      this.quit(1);
    };
    if (!endpoint.ok) return failed(endpoint.error);
    let first = true;
    this.stream = endpoint.value.watchX509Svid((r) => {
      if (!first) return;
      first = false;
      queueMicrotaskFree(() => this.stream?.cancel());
      if (!r.ok) return failed(r.error);
      const w = this.write(r.value);
      if (!w.ok) return failed(w.error);
      this.log('info', 'Successfully fetched x509 certificates');
      this.log('info', 'Exiting');
      this.quit(0);
    });
  }

  private watch(): void {
    if (this.stateValue !== 'running') return;
    const endpoint = this.opts.dial(this.cfg!.agentAddress);
    if (!endpoint.ok) return this.watchError(endpoint.error);
    this.stream = endpoint.value.watchX509Svid((r) => {
      if (this.stateValue !== 'running') return;
      if (!r.ok) return this.watchError(r.error);
      this.backoffN = 0;
      for (const svid of r.value.svids) this.log('info', 'Received update', { spiffe_id: svid.spiffe_id });
      const w = this.write(r.value);
      if (!w.ok) this.log('error', 'Unable to dump bundle', { error: w.error.message });
      else this.log('info', 'X.509 certificates updated');
    });
  }

  /** `OnX509ContextWatchError` then go-spiffe's `handleWatchError`: log, back off linearly, redial. */
  private watchError(e: SimError): void {
    this.log('error', `Error while watching x509 context: ${e.detail?.grpcCode ? rpcErrorString(e) : e.message}`);
    if (e.code === 'spire/invalid-argument') return; // go-spiffe: "Canceling watch"
    const delay = Math.min(1_000 * (this.backoffN + 1), 30_000);
    this.backoffN++;
    this.retryTimer = this.opts.clock.setTimeout(() => {
      this.retryTimer = undefined;
      this.watch();
    }, delay, 'spiffe-helper/watch-retry');
  }
}

/** Runs `fn` after the current call stack without timers: a resolved promise (allowed in sim/, no ambient time). */
function queueMicrotaskFree(fn: () => void): void {
  void Promise.resolve().then(fn);
}
