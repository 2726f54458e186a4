/**
 * The provider's key source when `workload_api` is configured (`spire:support/oidc-discovery-provider/workload_api.go`):
 * every `poll_interval` (default 10 s) — first at start, then `interval` after each poll ends — it calls
 * go-spiffe's `FetchJWTBundles` (open the stream, take the first message, close it), picks the bundle of
 * `trust_domain`, and keeps it as a JWKS with `use` cleared. Failures never stop the loop:
 * - the RPC fails (wrong socket path, agent down, no identity): `level=warning msg="Failed to fetch JWKS
 *   from the Workload API" error="rpc error: code = … desc = …"`, and the previous key set stays;
 * - no bundle for the trust domain: `level=error msg="No bundle for trust domain in Workload API response"
 *   trust_domain_id=spiffe://<td>`.
 * `lastSuccessfulPoll` feeds the health checks. The RPC runs over a client created once, so the dial is
 * go-spiffe's lazy gRPC dial: a missing socket surfaces on each RPC as
 * `Unavailable … dial unix <path>: connect: no such file or directory`.
 */
import type { Clock } from '../../core/clock.ts';
import { formatDuration } from '../../core/duration.ts';
import type { Result } from '../../core/result.ts';
import type { PublicJwk, TrustDomain } from '../../spiffe/index.ts';
import { rpcErrorString, type AgentError } from '../agent/grpcStatus.ts';
import type { JwtBundlesResponse, WorkloadApiEndpoint } from '../agent/workloadApi.ts';
import type { OidcLogger } from './oidcLog.ts';

/** One key of the served key set. */
export interface KeySetEntry {
  readonly kid: string;
  readonly key: PublicJwk;
}

export interface KeySet {
  readonly keys: readonly KeySetEntry[];
  /** When the key set last changed (ms): `Last-Modified` of `/keys`. */
  readonly modTime: number;
}

export interface WorkloadApiSourceOptions {
  readonly clock: Clock;
  readonly log: OidcLogger;
  /** Dials the agent's Workload API (FetchJWTBundles is `watchJwtBundles`). */
  readonly dial: (path: string) => Result<WorkloadApiEndpoint, AgentError>;
  readonly socketPath: string;
  readonly trustDomain: TrustDomain;
  readonly pollIntervalMs: number;
}

export class WorkloadApiJwksSource {
  private keySet: KeySet | undefined;
  private raw: string | undefined;
  private lastPoll = 0;
  private timer: number | undefined;
  private stream: { cancel(): void } | undefined;
  private running = false;
  private polls = 0;

  constructor(private readonly opts: WorkloadApiSourceOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.opts.log.debug('Polling started', { interval: formatDuration(this.opts.pollIntervalMs) });
    this.pollOnce();
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.stream?.cancel();
    this.stream = undefined;
    if (this.timer !== undefined) this.opts.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.opts.log.debug('Polling done', { error: 'context canceled' });
  }

  /** `FetchKeySet`: undefined until a bundle was fetched once. */
  fetchKeySet(): KeySet | undefined {
    return this.keySet;
  }

  /** `LastSuccessfulPoll` (ms); 0 = never. */
  lastSuccessfulPoll(): number {
    return this.lastPoll;
  }

  /** How many polls have finished (for tests and the UI). */
  get pollCount(): number {
    return this.polls;
  }

  private next(): void {
    this.polls++;
    if (!this.running) return;
    this.timer = this.opts.clock.setTimeout(() => {
      this.timer = undefined;
      this.pollOnce();
    }, this.opts.pollIntervalMs, 'oidc-discovery-provider/poll');
  }

  private pollOnce(): void {
    if (!this.running) return;
    const failed = (e: AgentError): void => {
      this.opts.log.warn('Failed to fetch JWKS from the Workload API', { error: rpcErrorString(e) });
      this.next();
    };
    // util.GetUnixAddrWithAbsPath + workloadapi.WithAddr("unix://" + path). Simplified: a relative path is taken from /.
    const path = this.opts.socketPath.startsWith('/') ? this.opts.socketPath : `/${this.opts.socketPath}`;
    const ep = this.opts.dial(path);
    if (!ep.ok) return failed(ep.error);
    let first = true;
    let cancelNow = false;
    const stream = ep.value.watchJwtBundles((r) => {
      if (!first || !this.running) return;
      first = false;
      if (this.stream) this.stream.cancel();
      else cancelNow = true;
      this.stream = undefined;
      if (!r.ok) return failed(r.error);
      this.onBundles(r.value);
      this.next();
    });
    if (cancelNow) stream.cancel();
    else this.stream = stream;
  }

  private onBundles(resp: JwtBundlesResponse): void {
    const td = this.opts.trustDomain;
    const bundle = resp.bundles[td.idString()];
    if (!bundle) {
      this.opts.log.error('No bundle for trust domain in Workload API response', { trust_domain_id: td.idString() });
      return;
    }
    const raw = bundle.marshal();
    if (raw !== this.raw) {
      this.raw = raw;
      this.keySet = { keys: [...bundle.jwtAuthorities].map(([kid, key]) => ({ kid, key })), modTime: this.opts.clock.now() };
    }
    this.lastPoll = this.opts.clock.now();
  }
}
