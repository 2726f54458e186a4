/**
 * One SPIRE agent (one per node): node attestation (k8s_psat) through `AgentApi.attestAgent`, a sync
 * with the server every 5 s on the injected clock (`syncAuthorizedEntries`), X509-SVIDs minted for the
 * authorised entries with agent-generated keys (`workload_x509_svid_key_type`, ec-p256 by default),
 * renewed at a jittered half-life or when the entry's revision changes, and the bundles the entries need
 * (own TD + every `federates_with` TD, §1.6). Workloads subscribe by selectors and get a new
 * `X509WorkloadUpdate` whenever what they would receive changed; the SDS and Workload API endpoints are
 * built on those subscriptions.
 *
 * Upstream: `spire:pkg/agent/manager/manager.go` (runSynchronizer, defaultSyncInterval = 5s, backoff on
 * failure up to 4 min), `spire:pkg/agent/manager/sync.go` (synchronize, updateX509SVIDCache,
 * fetchX509SVIDs: `Creating X509-SVID` / `Renewing X509-SVID`), `spire:pkg/agent/attestor/node/node.go`
 * (`Node attestation was successful`), `spire:pkg/agent/manager/cache/lru_cache.go` (subscribers,
 * `Waiting for SVID to get cached`).
 *
 * While the server is unavailable every sync fails (`Synchronize failed`, event `spire.agent.sync.failed`)
 * and the agent keeps serving the SVIDs it holds, expired ones included (no eviction by expiry upstream).
 * Simplified: the agent's own SVID is not rotated (no RenewAgent); a failed attestation is retried on the
 * sync schedule instead of the agent exiting and its pod restarting; the sync backoff grows ×1.5 without
 * randomisation; SVIDs are minted one entry at a time rather than in one BatchNewX509SVID call.
 */
import { err, ok, simError, type Result, type SimError } from '../../core/result.ts';
import type { Rng } from '../../core/rng.ts';
import { encodePem, exportPkcs8, generateKeyPair, serialHex } from '../../pki/index.ts';
import type { ComponentDeps, Selector, SpireServerApi } from '../api.ts';
import { AgentCache, type StaleEntry } from './cache.ts';
import type { AgentConfig } from './config.ts';
import { rpcErrorString, type AgentError } from './grpcStatus.ts';
import { logrusLine, rfc3339Seconds, type LogFields, type LogLevel } from './logrus.ts';
import { SdsStream, type SdsStep } from './sds.ts';
import { selectorString } from './workloadAttestor.ts';
import { updateFingerprint, type X509WorkloadUpdate } from './workloadUpdate.ts';
import { jwtBundlesResponse, x509BundlesResponse, x509SvidResponse, type WorkloadApiEndpoint } from './workloadApi.ts';

/** `spire:pkg/agent/manager/manager.go` defaultSyncInterval. */
export const DEFAULT_SYNC_INTERVAL_MS = 5_000;
const MAX_SYNC_BACKOFF_MS = 4 * 60_000;

export interface SpireAgentOptions {
  readonly deps: ComponentDeps;
  readonly config: AgentConfig;
  readonly server: SpireServerApi;
  readonly node: { readonly name: string; readonly uid: string };
  readonly syncIntervalMs?: number;
}

export interface WorkloadSubscription {
  readonly selectors: readonly Selector[];
  /** False while the agent still waits for SVIDs of matching entries. */
  readonly ready: boolean;
  cancel(): void;
}

interface Subscriber {
  readonly selectors: readonly Selector[];
  readonly listener: (u: X509WorkloadUpdate) => void;
  fingerprint: string | undefined;
  active: boolean;
}

export type AgentState = 'new' | 'attesting' | 'running' | 'stopped';

export class SpireAgent {
  readonly cache: AgentCache;
  private id: string | undefined;
  private stateValue: AgentState = 'new';
  private timer: number | undefined;
  private inflight: Promise<void> = Promise.resolve();
  private failures = 0;
  private readonly subscribers = new Set<Subscriber>();
  private readonly rotationRng: Rng;
  private readonly nonceRng: Rng;
  private bundleFingerprint = '';
  private notedBundleSet: ReadonlyMap<string, unknown> | undefined;

  constructor(private readonly opts: SpireAgentOptions) {
    this.cache = new AgentCache(opts.config.trustDomain, (msg, fields) => this.log('warning', msg, fields));
    this.rotationRng = opts.deps.rng.fork('svid-rotation');
    this.nonceRng = opts.deps.rng.fork('sds-nonce');
  }

  get config(): AgentConfig {
    return this.opts.config;
  }

  get agentId(): string | undefined {
    return this.id;
  }

  get state(): AgentState {
    return this.stateValue;
  }

  private get now(): number {
    return this.opts.deps.clock.now();
  }

  log(level: LogLevel, msg: string, fields?: LogFields): void {
    this.opts.deps.log(logrusLine(this.now, level, msg, fields));
  }

  private emit(type: string, data: Record<string, unknown>): void {
    this.opts.deps.events.emit(type, this.opts.deps.name, data);
  }

  /** Attests the node, runs the first sync, then syncs every 5 s. Resolves when the first attempt is done. */
  start(): Promise<void> {
    if (this.stateValue !== 'new' && this.stateValue !== 'stopped') return this.inflight;
    this.stateValue = 'attesting';
    this.inflight = this.attestAndSync();
    return this.inflight;
  }

  /** Stops syncing (the sockets are the integrator's to close). */
  stop(): void {
    if (this.timer !== undefined) this.opts.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.stateValue = 'stopped';
  }

  /** Resolves when no sync is in flight (tests advance the virtual clock, then await this). */
  async idle(): Promise<void> {
    for (let last: Promise<void> | undefined; last !== this.inflight; ) {
      last = this.inflight;
      await last;
    }
  }

  private async attestAndSync(): Promise<void> {
    const attested = await this.attest();
    if (this.stateValue === 'stopped') return;
    if (!attested.ok) {
      this.failures++;
      this.log('error', 'Agent crashed', { error: attested.error.message });
      this.emit('spire.agent.attestation.failed', { node: this.opts.node.name, error: attested.error.message });
      this.schedule();
      return;
    }
    this.stateValue = 'running';
    this.log('info', 'Starting Workload and SDS APIs', { address: this.opts.config.socketPath, network: 'unix' });
    await this.syncOnce();
    this.schedule();
  }

  private async attest(): Promise<Result<string, SimError>> {
    const { server, config, node } = this.opts;
    if (!server.isServing()) return err(simError('spire/unavailable', `failed to attest: ${unavailableText(config)}`));
    const key = await generateKeyPair(this.opts.deps.crypto, 'ec-p256');
    const res = await server.attestAgent({ cluster: config.k8sPsatCluster ?? '', nodeName: node.name, nodeUid: node.uid, key });
    if (!res.ok) return err(simError('spire/attestation-failed', `failed to attest: ${rpcErrorString(res.error)}`, undefined, res.error));
    this.id = res.value.agentId;
    this.log('info', 'Node attestation was successful', { reattestable: false, spiffe_id: res.value.agentId, trust_domain_id: `spiffe://${config.trustDomain}` });
    this.emit('spire.agent.attested', { node: node.name, agentId: res.value.agentId });
    return ok(res.value.agentId);
  }

  private schedule(): void {
    if (this.stateValue === 'stopped') return;
    const base = this.opts.syncIntervalMs ?? DEFAULT_SYNC_INTERVAL_MS;
    const delay = this.failures === 0 ? base : Math.min(base * 1.5 ** this.failures, MAX_SYNC_BACKOFF_MS);
    this.timer = this.opts.deps.clock.setTimeout(
      () => {
        this.timer = undefined;
        this.inflight = (this.id === undefined ? this.attestAndSync() : this.syncOnce().then(() => this.schedule()));
      },
      delay,
      `${this.opts.deps.name}/sync`,
    );
  }

  /** One synchronisation pass (exposed so the integrator can force one after a change). */
  sync(): Promise<void> {
    this.inflight = this.inflight.then(() => this.syncOnce());
    return this.inflight;
  }

  private syncFailed(e: SimError): void {
    this.failures++;
    this.log('error', 'Synchronize failed', { error: e.message });
    this.emit('spire.agent.sync.failed', { error: e.message, failures: this.failures });
    this.notify();
  }

  // Runs every sync interval of every agent: no closures per call (tsx names each one it creates).
  private async syncOnce(): Promise<void> {
    if (this.id === undefined || this.stateValue === 'stopped') return;
    const { server } = this.opts;
    if (!server.isServing()) return this.syncFailed(simError('spire/unavailable', `failed to fetch authorized entries: ${unavailableText(this.opts.config)}`));
    const res = server.syncAuthorizedEntries(this.id);
    if (!res.ok) return this.syncFailed(simError(res.error.code, `failed to fetch authorized entries: ${rpcErrorString(res.error)}`));
    this.cache.update(res.value.entries, res.value.bundles);
    this.noteBundles();

    for (const stale of this.cache.staleEntries(this.now, this.rotationRng, this.opts.config.availabilityTarget)) {
      const minted = await this.mint(stale);
      if (!minted.ok) return this.syncFailed(minted.error);
    }
    if (this.failures > 0) this.emit('spire.agent.sync.recovered', { afterFailures: this.failures });
    this.failures = 0;
    this.notify();
  }

  private async mint(stale: StaleEntry): Promise<Result<void, SimError>> {
    const { entry } = stale;
    const fields: Record<string, string> = { entry_id: entry.id, spiffe_id: entry.spiffeId };
    if (stale.currentExpiresAt !== undefined) fields.expires_at = rfc3339Seconds(stale.currentExpiresAt);
    this.log('info', stale.reason === 'new' ? 'Creating X509-SVID' : 'Renewing X509-SVID', fields);
    const { crypto } = this.opts.deps;
    const key = await generateKeyPair(crypto, this.opts.config.workloadKeyType);
    if (!this.opts.server.isServing()) return err(simError('spire/unavailable', `failed to batch new X509 SVID(s): ${unavailableText(this.opts.config)}`));
    const res = await this.opts.server.mintX509Svid({ spiffeId: entry.spiffeId, key, ...(entry.x509SvidTtl > 0 ? { ttlSeconds: entry.x509SvidTtl } : {}), dnsNames: entry.dnsNames });
    if (!res.ok) return err(simError(res.error.code, `failed to batch new X509 SVID(s): ${rpcErrorString(res.error)}`));
    const keyPem = encodePem('PRIVATE KEY', await exportPkcs8(crypto, key));
    // The entry may have been removed by a concurrent sync; setSvid ignores unknown entries.
    const current = this.cache.entry(entry.id) ?? entry;
    this.cache.setSvid({ entryId: entry.id, spiffeId: entry.spiffeId, chain: res.value.chain, key, keyPem, revision: current.revisionNumber });
    const leaf = res.value.chain[0]!;
    this.emit(stale.reason === 'new' ? 'spire.agent.svid.issued' : 'spire.agent.svid.rotated', {
      entryId: entry.id,
      spiffeId: entry.spiffeId,
      serial: serialHex(leaf.serial),
      notBefore: leaf.notBefore,
      notAfter: leaf.notAfter,
      reason: stale.reason,
    });
    return ok(undefined);
  }

  private noteBundles(): void {
    // Every sync (5 s) lands here; the fingerprint can only change when the cache's bundle set did.
    if (this.cache.bundleSet === this.notedBundleSet) return;
    this.notedBundleSet = this.cache.bundleSet;
    const fp = this.cache
      .bundleNames()
      .map((td) => `${td}=${this.cache.bundle(td)!.x509Authorities.map((c) => serialHex(c.serial)).join(',')}`)
      .join('|');
    if (fp !== this.bundleFingerprint) {
      this.bundleFingerprint = fp;
      this.emit('spire.agent.bundles.updated', { trustDomains: this.cache.bundleNames() });
    }
  }

  // ------------------------------------------------------------------ workloads

  /** What a workload with `selectors` receives right now. */
  workloadUpdate(selectors: readonly Selector[]): X509WorkloadUpdate {
    return this.cache.workloadUpdate(selectors);
  }

  /**
   * Subscribes a workload: `listener` gets the current update as soon as every matching entry has an SVID
   * (immediately when it already has), then every changed update.
   */
  subscribe(selectors: readonly Selector[], listener: (u: X509WorkloadUpdate) => void): WorkloadSubscription {
    const sub: Subscriber = { selectors, listener, fingerprint: undefined, active: true };
    this.subscribers.add(sub);
    if (selectors.length > 0 && this.cache.missingSvids(selectors).length > 0) this.log('info', 'Waiting for SVID to get cached', { selectors: selectors.map(selectorString) });
    this.deliver(sub);
    const subscribers = this.subscribers;
    return {
      selectors,
      get ready() {
        return sub.fingerprint !== undefined;
      },
      cancel() {
        sub.active = false;
        subscribers.delete(sub);
      },
    };
  }

  private deliver(sub: Subscriber): void {
    if (!sub.active) return;
    if (sub.selectors.length > 0 && this.cache.missingSvids(sub.selectors).length > 0) return;
    const upd = this.cache.workloadUpdate(sub.selectors);
    const fp = updateFingerprint(upd);
    if (fp === sub.fingerprint) return;
    sub.fingerprint = fp;
    sub.listener(upd);
  }

  private notify(): void {
    for (const sub of [...this.subscribers]) this.deliver(sub);
  }

  /** An SDS StreamSecrets stream for a workload (Envoy), wired to the agent's updates. Call `close()` when Envoy disconnects. */
  openSdsStream(selectors: readonly Selector[], onStep?: (step: SdsStep) => void): { stream: SdsStream; close(): void } {
    const stream = new SdsStream({ config: this.opts.config.sds, rng: this.nonceRng, log: (level, msg, fields) => this.log(level, msg, fields) });
    const sub = this.subscribe(selectors, (u) => {
      const step = stream.update(u);
      if (step.response) this.emit('spire.agent.sds.pushed', { version: step.response.version_info, resources: step.response.resources.map((r) => r.name) });
      if (step.error) sub.cancel();
      onStep?.(step);
    });
    return { stream, close: () => sub.cancel() };
  }

  /** The Workload API for a caller attested with `selectors` (what a client reaches through the socket). */
  workloadApi(selectors: readonly Selector[]): WorkloadApiEndpoint {
    const noIdentity = (): void => this.log('error', 'No identity issued', { registered: false, selectors: selectors.map(selectorString) });
    // Each RPC is a server stream over the caller's updates; an error (no identity) ends it.
    const stream = <T,>(respond: (u: X509WorkloadUpdate) => Result<T, AgentError>, onMessage: (r: Result<T, AgentError>) => void): { cancel(): void } => {
      let done = false;
      let sub: WorkloadSubscription | undefined = undefined;
      sub = this.subscribe(selectors, (u) => {
        if (done) return;
        const r = respond(u);
        if (!r.ok) {
          done = true;
          noIdentity();
          sub?.cancel();
        }
        onMessage(r);
      });
      if (done) sub.cancel();
      return { cancel: () => sub?.cancel() };
    };
    const allow = this.opts.config.allowUnauthenticatedVerifiers;
    return {
      watchX509Svid: (onMessage) => stream(x509SvidResponse, onMessage),
      watchX509Bundles: (onMessage) => stream((u) => x509BundlesResponse(u, allow), onMessage),
      watchJwtBundles: (onMessage) => stream((u) => jwtBundlesResponse(u, allow), onMessage),
    };
  }
}

/** What a gRPC client prints when the server address does not answer (dns:/// target, port from the config). */
function unavailableText(config: AgentConfig): string {
  return `rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial tcp ${config.serverAddress}:${config.serverPort}: connect: connection refused"`;
}
