/**
 * The federation bundle manager: keeps one updater per federated trust domain and refreshes its bundle
 * from the peer's bundle endpoint (`spire:pkg/server/bundle/client/manager.go`, `updater.go`,
 * `sources.go`, `spire:pkg/common/bundleutil/refreshhint.go`).
 *
 * - Relationships = static `federates_with` (server.conf) merged with dynamic ones (datastore); static
 *   wins for the same trust domain. Reloaded every 10 s and right after TrustDomain API changes: new trust
 *   domains get an updater whose first fetch runs at once, removed ones are stopped ("Trust domain no
 *   longer managed"), changed URL/profile is applied to the running updater.
 * - One attempt (`UpdateBundle`): for https_spiffe the anchors are the *stored* bundle of the endpoint
 *   SPIFFE ID's trust domain — absent → `can't perform SPIFFE Authentication: local copy of bundle not
 *   found`, nothing fetched; fetch through the `BundleEndpointClient`; decode with SPIRE's decoder;
 *   `SetBundle` (a fetched bundle never equals the stored copy, so every success replaces it).
 * - Next attempt: success → hint(fetched)/4; failure with a local copy of the TD's bundle → hint(local)/4;
 *   no local copy or no client → 1 minute. hint(b) = max(refresh hint, 1m) when > 0, else max(shortest
 *   root lifetime / 10, 1m). No backoff.
 * - Log lines as logrus prints them with `subsystem_name=bundle_client`: "Bundle refreshed", "Error
 *   updating bundle" (with `error=`), "Trust domain is now managed", "Trust domain no longer managed".
 */
import type { Clock } from '../../core/clock.ts';
import { MINUTE } from '../../core/duration.ts';
import { err, ok, type Result } from '../../core/result.ts';
import { decodeFederatedBundle, parseSpiffeId, TrustDomain } from '../../spiffe/index.ts';
import type { BundleEndpointClient, FederationRelationship } from '../api.ts';
import type { BundleRecord, Datastore } from './datastore.ts';
import { recordFromBundle } from './datastore.ts';
import type { LogLevel } from './logrus.ts';

export const CONFIG_REFRESH_INTERVAL = 10_000;
export const MINIMUM_REFRESH_HINT = MINUTE;
const ATTEMPTS_PER_REFRESH_HINT = 4;

/** `bundleutil.CalculateRefreshHint` for a stored/decoded bundle record (hint in seconds). */
export function calculateRefreshHint(b: Pick<BundleRecord, 'refreshHint' | 'x509Authorities'>): number {
  if (b.refreshHint > 0) return Math.max(b.refreshHint * 1000, MINIMUM_REFRESH_HINT);
  let smallest = Infinity;
  for (const c of b.x509Authorities) smallest = Math.min(smallest, c.notAfter - c.notBefore);
  const hint = smallest === Infinity ? 0 : smallest / 10;
  return Math.max(hint, MINIMUM_REFRESH_HINT);
}

/** manager.go `calculateNextUpdate`. */
export const nextUpdateDelay = (b: Pick<BundleRecord, 'refreshHint' | 'x509Authorities'>): number => calculateRefreshHint(b) / ATTEMPTS_PER_REFRESH_HINT;

export interface BundleManagerOptions {
  readonly clock: Clock;
  readonly datastore: Datastore;
  readonly client: BundleEndpointClient | undefined;
  /** `<cluster>/<component>`: who fetches (the network model's source). */
  readonly from: string;
  readonly staticRelationships: readonly FederationRelationship[];
  readonly log: (level: LogLevel, msg: string, fields?: Record<string, string | number | boolean>) => void;
  readonly emit: (type: string, data: Record<string, unknown>) => void;
  readonly track: <T>(work: Promise<T>) => Promise<T>;
  readonly timerLabel?: string;
}

interface Updater {
  readonly trustDomain: string;
  config: FederationRelationship;
  timer: number | undefined;
  nextAt: number | undefined;
  stopped: boolean;
}

export interface UpdateOutcome {
  readonly local?: BundleRecord;
  readonly fetched?: BundleRecord;
  readonly error?: string;
}

const sameConfig = (a: FederationRelationship, b: FederationRelationship): boolean =>
  a.bundleEndpointUrl === b.bundleEndpointUrl && a.profile.type === b.profile.type && (a.profile.type !== 'https_spiffe' || b.profile.type !== 'https_spiffe' || a.profile.endpointSpiffeId === b.profile.endpointSpiffeId);

export class BundleManager {
  private readonly updaters = new Map<string, Updater>();
  private reloadTimer: number | undefined;
  private running = false;

  constructor(private readonly o: BundleManagerOptions) {}

  start(): void {
    this.running = true;
    const tick = () => {
      this.reloadTimer = this.o.clock.setTimeout(tick, CONFIG_REFRESH_INTERVAL, `${this.o.timerLabel ?? 'spire-server'} federation-config-reload`);
      this.reload();
    };
    tick();
  }

  stop(): void {
    this.running = false;
    if (this.reloadTimer !== undefined) this.o.clock.clearTimeout(this.reloadTimer);
    this.reloadTimer = undefined;
    for (const u of this.updaters.values()) this.stopUpdater(u);
    this.updaters.clear();
  }

  /** `TriggerConfigReload` (after TrustDomain API changes). */
  triggerReload(): void {
    if (this.running) this.reload();
  }

  /** The merged relationships: static ones override dynamic ones (sources.go). */
  relationships(): FederationRelationship[] {
    const out = new Map<string, FederationRelationship>();
    for (const r of this.o.datastore.listRelationships()) out.set(r.trustDomain, r);
    for (const r of this.o.staticRelationships) out.set(r.trustDomain, r);
    return [...out.values()];
  }

  /** Managed trust domains with their configuration and the time of the next scheduled attempt. */
  managed(): { trustDomain: string; config: FederationRelationship; nextRefreshAt: number | undefined }[] {
    return [...this.updaters.values()].map((u) => ({ trustDomain: u.trustDomain, config: u.config, nextRefreshAt: u.nextAt }));
  }

  private reload(): void {
    const configs = new Map(this.relationships().map((r) => [r.trustDomain, r]));
    for (const [td, u] of [...this.updaters]) {
      const config = configs.get(td);
      if (config) {
        if (!sameConfig(u.config, config)) {
          u.config = config;
          this.o.log('info', 'Updated configuration for managed trust domain', {
            bundle_endpoint_profile: config.profile.type,
            bundle_endpoint_url: config.bundleEndpointUrl,
            entry: td,
            subsystem_name: 'bundle_client',
          });
        }
        configs.delete(td);
      } else {
        this.o.log('info', 'Trust domain no longer managed', { entry: td, subsystem_name: 'bundle_client' });
        this.stopUpdater(u);
        this.updaters.delete(td);
      }
    }
    for (const [td, config] of configs) {
      this.o.log('info', 'Trust domain is now managed', {
        bundle_endpoint_profile: config.profile.type,
        bundle_endpoint_url: config.bundleEndpointUrl,
        subsystem_name: 'bundle_client',
        trust_domain: td,
      });
      const u: Updater = { trustDomain: td, config, timer: undefined, nextAt: undefined, stopped: false };
      this.updaters.set(td, u);
      void this.o.track(this.cycle(u));
    }
  }

  private stopUpdater(u: Updater): void {
    u.stopped = true;
    if (u.timer !== undefined) this.o.clock.clearTimeout(u.timer);
    u.timer = undefined;
    u.nextAt = undefined;
  }

  /** manager.go `runUpdater`: one attempt, then the next one after the computed delay. */
  private async cycle(u: Updater): Promise<void> {
    if (u.stopped) return;
    const next = await this.runOnce(u);
    if (u.stopped) return;
    u.nextAt = this.o.clock.now() + next;
    u.timer = this.o.clock.setTimeout(() => void this.o.track(this.cycle(u)), next, `${this.o.timerLabel ?? 'spire-server'} bundle-refresh ${u.trustDomain}`);
  }

  /** manager.go `runUpdateOnce`: returns the delay before the next attempt. */
  private async runOnce(u: Updater): Promise<number> {
    const outcome = await this.updateBundle(u.trustDomain, u.config);
    const fields = { subsystem_name: 'bundle_client', trust_domain: u.trustDomain };
    if (outcome.error !== undefined) this.o.log('error', 'Error updating bundle', { ...fields, error: outcome.error });
    let next = MINIMUM_REFRESH_HINT;
    if (outcome.fetched) {
      this.o.log('info', 'Bundle refreshed', fields);
      next = nextUpdateDelay(outcome.fetched);
    } else if (outcome.local) next = nextUpdateDelay(outcome.local);
    if (outcome.fetched)
      this.o.emit('spire.bundle.refreshed', { trustDomain: u.trustDomain, x509Authorities: outcome.fetched.x509Authorities.length, refreshHint: outcome.fetched.refreshHint, nextIn: next });
    else this.o.emit('spire.bundle.refresh-failed', { trustDomain: u.trustDomain, error: outcome.error ?? '', nextIn: next });
    return next;
  }

  /** updater.go `UpdateBundle`. */
  async updateBundle(trustDomain: string, config: FederationRelationship): Promise<UpdateOutcome> {
    const ds = this.o.datastore;
    let anchors: BundleRecord['x509Authorities'] | undefined;
    if (config.profile.type === 'https_spiffe') {
      const id = parseSpiffeId(config.profile.endpointSpiffeId);
      if (!id.ok) return { error: `no SPIFFE ID specified for federation with "${trustDomain}"` };
      const endpointBundle = ds.fetchBundle(id.value.trustDomain.name);
      if (!endpointBundle) return { error: "can't perform SPIFFE Authentication: local copy of bundle not found" };
      anchors = endpointBundle.x509Authorities;
    }
    if (!this.o.client) return { error: 'failed to fetch federated bundle from endpoint: no bundle endpoint client' };
    const local = ds.fetchBundle(trustDomain);
    const localPart = local ? { local } : {};
    const body = await this.o.client.fetch({
      from: this.o.from,
      url: config.bundleEndpointUrl,
      profile: config.profile,
      ...(anchors ? { anchors } : {}),
      at: this.o.clock.now(),
    });
    if (!body.ok) return { ...localPart, error: `failed to fetch federated bundle from endpoint: ${body.error.message}` };
    const decoded = decodeFederatedBundle(TrustDomain.fromValidName(trustDomain), body.value);
    if (!decoded.ok) return { ...localPart, error: `failed to fetch federated bundle from endpoint: ${decoded.error.message}` };
    const fetched = ds.setBundle(recordFromBundle(decoded.value));
    return { ...localPart, fetched };
  }

  /** manager.go `RefreshBundleFor`: reloads configs, then one attempt for `td` (the schedule is unchanged). Ok(false) when not managed. */
  async refreshBundleFor(td: string): Promise<Result<boolean, string>> {
    this.reload();
    const u = this.updaters.get(td);
    if (!u) return ok(false);
    const outcome = await this.updateBundle(td, u.config);
    if (outcome.fetched) this.o.emit('spire.bundle.refreshed', { trustDomain: td, x509Authorities: outcome.fetched.x509Authorities.length, refreshHint: outcome.fetched.refreshHint, manual: true });
    if (outcome.error !== undefined) {
      this.o.emit('spire.bundle.refresh-failed', { trustDomain: td, error: outcome.error, manual: true });
      return err(outcome.error);
    }
    return ok(true);
  }
}
