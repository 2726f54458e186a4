/**
 * One `oidc-discovery-provider` process (`spire:support/oidc-discovery-provider/main.go` `run`): parse the
 * config, build the logger, start the key source, build the domain allowlist and the handler, open the
 * listener, and serve. A startup error ends the process: `%+v` of the error on stderr, exit code 1 —
 * `start()` returns it and `exitCode` is 1.
 *
 * Startup log lines (info): with `serving_cert_file`, diskcertmanager's `Started watching certificate files`
 * `interval=1m0s` and `Serving HTTPS using certificate loaded from disk` with `address=<key_file_path>`
 * (upstream logs the key path under `address`) `cert_file_path=…`; `insecure_addr`: warning
 * `Serving HTTP (insecure)` `address=…`; `listen_socket_path`: `Serving HTTP` `address=… network=unix`;
 * ACME: `Serving HTTPS via ACME`; `log_requests`: `Logging all requests`. The key source logs as in
 * `workloadApiSource.ts`. Health checks (`health_checks`): `/ready` is 200 while the last successful poll is
 * younger than max(5 × poll interval, 3 min), else 500; `/live` is also 200 before the first success until
 * that threshold has passed since start (`healthchecks_handler.go`) — so a provider that never reaches the
 * Workload API is never Ready, and its liveness probe fails after 3 minutes.
 *
 * Simplified: only the `workload_api` source is modelled (`server_api` / `file` start but never get keys:
 * `/keys` stays 500); ACME is not run; the TLS certificate is checked for presence only (`fileExists`);
 * the relative order of the source's first poll and the listener lines (two goroutines upstream) is fixed:
 * listener lines first; the domain allowlist is checked before the source starts (upstream starts the
 * source first, then fails — a first poll may log once before the exit).
 */
import type { Clock } from '../../core/clock.ts';
import { formatDuration } from '../../core/duration.ts';
import { err, ok, simError, type Result, type SimError } from '../../core/result.ts';
import { trustDomainFromString } from '../../spiffe/index.ts';
import type { AgentError } from '../agent/grpcStatus.ts';
import { parseOidcProviderConfig, type OidcProviderConfig } from './config.ts';
import { domainAllowlist } from './domainPolicy.ts';
import { httpError, serveOidc, type OidcHandlerConfig, type OidcResponse } from './handler.ts';
import { makeOidcLogger, type OidcLogger } from './oidcLog.ts';
import type { WorkloadApiEndpoint } from '../agent/workloadApi.ts';
import { WorkloadApiJwksSource, type KeySet } from './workloadApiSource.ts';

export const DEFAULT_OIDC_SPIRE_VERSION = '1.13.3';
// healthchecks_handler.go
const THRESHOLD_MULTIPLIER = 5;
const THRESHOLD_MIN_MS = 3 * 60_000;

export interface OidcDiscoveryProviderOptions {
  readonly clock: Clock;
  /** Every stdout line (`kubectl logs`). */
  readonly log: (line: string) => void;
  /** What the process writes to stderr before exiting (a startup error); defaults to `log`. */
  readonly stderr?: (line: string) => void;
  /** The config file's text and its path (`-config`, default `oidc-discovery-provider.conf`). */
  readonly configText: string;
  readonly configPath?: string;
  /** Dials `unix://<path>` from inside the provider's container. */
  readonly dial: (path: string) => Result<WorkloadApiEndpoint, AgentError>;
  /** Does a file exist in the container (serving certificate and key)? Default: yes. */
  readonly fileExists?: (path: string) => boolean;
  /** SPIRE version of the image (`1.13.3` for ZTWIM 1.0, `1.12.4` for 0.2). */
  readonly version?: string;
}

export type OidcProviderState = 'new' | 'running' | 'exited';

export interface ServeOptions {
  /** Lower-case request headers (`x-forwarded-host`, `x-forwarded-proto`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** The request came over the TLS listener (default: true when serving HTTPS). */
  readonly tls?: boolean;
}

const NOT_LISTENING: OidcResponse = { status: 0, headers: {}, body: '' };

const atLeast114 = (v: string): boolean => {
  const m = /^v?(\d+)\.(\d+)/.exec(v);
  return m !== null && (Number(m[1]) > 1 || (Number(m[1]) === 1 && Number(m[2]) >= 14));
};

export class OidcDiscoveryProvider {
  private stateValue: OidcProviderState = 'new';
  private exit: number | undefined;
  private cfg: OidcProviderConfig | undefined;
  private logger: OidcLogger | undefined;
  private source: WorkloadApiJwksSource | undefined;
  private handlerCfg: OidcHandlerConfig | undefined;
  private startedAt = 0;

  constructor(private readonly opts: OidcDiscoveryProviderOptions) {}

  get state(): OidcProviderState {
    return this.stateValue;
  }

  get exitCode(): number | undefined {
    return this.exit;
  }

  get config(): OidcProviderConfig | undefined {
    return this.cfg;
  }

  /** The address the HTTPS/HTTP listener is on (`:8443` for ZTWIM), undefined before start. */
  get listenAddress(): string | undefined {
    const c = this.cfg;
    if (!c) return undefined;
    return c.insecureAddr || c.servingCertFile?.addr || (c.listenSocketPath ? `unix:${c.listenSocketPath}` : c.acme ? ':443' : undefined);
  }

  /** The health-check port (`health_checks.bind_port`), undefined when health checks are off. */
  get healthPort(): number | undefined {
    return this.cfg?.healthChecks?.bindPort;
  }

  /** `run()`: ok when serving; an error when the process exited (its stderr text is the message). */
  start(): Result<void, SimError> {
    if (this.stateValue !== 'new') return ok(undefined);
    this.stateValue = 'running';
    const fail = (message: string, code: `${string}/${string}` = 'spire/oidc-start'): Result<void, SimError> => {
      (this.opts.stderr ?? this.opts.log)(message);
      this.source?.stop();
      this.stateValue = 'exited';
      this.exit = 1;
      return err(simError(code, message));
    };
    const parsed = parseOidcProviderConfig(this.opts.configText, this.opts.configPath ?? 'oidc-discovery-provider.conf');
    if (!parsed.ok) return fail(parsed.error.message, parsed.error.code);
    if (parsed.value.stdout) this.opts.log(parsed.value.stdout);
    const c = parsed.value.config;
    this.cfg = c;
    const logger = makeOidcLogger(c.logLevel, c.logFormat, () => this.opts.clock.now(), this.opts.log);
    if (!logger.ok) return fail(logger.error);
    const log = logger.value;
    this.logger = log;
    const v114 = atLeast114(this.opts.version ?? DEFAULT_OIDC_SPIRE_VERSION);
    if (v114 && c.allowInsecureScheme)
      log.warn('allow_insecure_scheme is enabled. JWKS keys will be served over HTTP. Only enable this when the network path to the provider is trusted end-to-end (for example, when TLS is terminated at a trusted reverse proxy or load balancer on a private network)');
    if (c.workloadApi) {
      // newSource → NewWorkloadAPISource: spiffeid.TrustDomainFromString
      const td = trustDomainFromString(c.workloadApi.trustDomain);
      if (!td.ok) return fail(td.error.message);
      this.source = new WorkloadApiJwksSource({ clock: this.opts.clock, log, dial: this.opts.dial, socketPath: c.workloadApi.socketPath, trustDomain: td.value, pollIntervalMs: c.workloadApi.pollIntervalMs });
    }
    const policy = domainAllowlist(c.domains);
    if (!policy.ok) return fail(policy.error);
    this.handlerCfg = { domainPolicy: policy.value, allowInsecureScheme: c.allowInsecureScheme, setKeyUse: c.setKeyUse, jwtIssuer: c.jwtIssuer, jwksUri: c.jwksUri, serverPathPrefix: c.serverPathPrefix, v114 };
    if (c.logRequests) log.info('Logging all requests');
    // buildNetListener
    if (c.insecureAddr !== '') log.warn('Serving HTTP (insecure)', { address: c.insecureAddr });
    else if (c.listenSocketPath !== '') log.info('Serving HTTP', { address: c.listenSocketPath, network: 'unix' });
    else if (c.servingCertFile) {
      const exists = this.opts.fileExists ?? (() => true);
      for (const p of [c.servingCertFile.certFilePath, c.servingCertFile.keyFilePath]) if (!exists(p)) return fail(`failed to load certificate: open ${p}: no such file or directory`);
      log.info('Started watching certificate files', { interval: formatDuration(c.servingCertFile.fileSyncIntervalMs) });
      log.info('Serving HTTPS using certificate loaded from disk', { address: c.servingCertFile.keyFilePath, cert_file_path: c.servingCertFile.certFilePath });
    } else log.info('Serving HTTPS via ACME');
    this.startedAt = this.opts.clock.now();
    this.source?.start();
    return ok(undefined);
  }

  /** The process ends (pod deleted / container killed). */
  stop(): void {
    if (this.stateValue !== 'running') return;
    this.source?.stop();
    this.stateValue = 'exited';
    this.exit = 0;
  }

  /** The key set the handler would serve now (undefined: none fetched yet). */
  keySet(): KeySet | undefined {
    return this.source?.fetchKeySet();
  }

  /** One HTTP request on the main listener. Status 0: nothing listens (the process is not running). */
  serve(method: string, path: string, host: string, opts: ServeOptions = {}): OidcResponse {
    if (this.stateValue !== 'running' || !this.handlerCfg) return NOT_LISTENING;
    const tls = opts.tls ?? (this.cfg?.insecureAddr === '' && this.cfg?.listenSocketPath === '');
    return serveOidc(this.handlerCfg, { method, path, host, tls, ...(opts.headers ? { headers: opts.headers } : {}) }, this.keySet(), (kid, message) =>
      this.logger?.error('Failed to get public key algorithm', { error: message, kid }),
    );
  }

  private threshold(): number {
    const c = this.cfg;
    const poll = c?.workloadApi?.pollIntervalMs ?? c?.serverApi?.pollIntervalMs ?? c?.file?.pollIntervalMs ?? 0;
    return Math.max(poll * THRESHOLD_MULTIPLIER, THRESHOLD_MIN_MS);
  }

  /** `GET /ready` on the health port: 200 or 500 (undefined when health checks are not configured). */
  ready(): boolean {
    const last = this.source?.lastSuccessfulPoll() ?? 0;
    return this.stateValue === 'running' && last !== 0 && this.opts.clock.now() - last < this.threshold();
  }

  /** `GET /live` on the health port. */
  live(): boolean {
    if (this.stateValue !== 'running') return false;
    const last = this.source?.lastSuccessfulPoll() ?? 0;
    if (last === 0) return this.opts.clock.now() - this.startedAt < this.threshold();
    return this.opts.clock.now() - last < this.threshold();
  }

  /** A request to the health listener (status 0: nothing listens) (`health_checks`), as the kubelet's probes send it. */
  serveHealth(method: string, path: string): OidcResponse {
    const hc = this.cfg?.healthChecks;
    if (!hc || this.stateValue !== 'running') return NOT_LISTENING;
    if (path !== hc.readyPath && path !== hc.livePath) return httpError('404 page not found', 404);
    if (method !== 'GET') return httpError('method not allowed', 405);
    const good = path === hc.readyPath ? this.ready() : this.live();
    return { status: good ? 200 : 500, headers: { 'content-length': '0' }, body: '' };
  }
}
