/**
 * The agent's cache: the registration entries it is authorised for, the X509-SVIDs it holds for them
 * and the bundles it keeps (own TD + every TD named by an authorised entry's `federates_with`, §1.6).
 * It answers per-workload questions (`workloadUpdate`, `missingSvids`) and tells the sync loop which
 * entries need a (new) SVID (`staleEntries`: no SVID yet, rotation due, or entry revision changed).
 * (`spire:pkg/agent/manager/cache/lru_cache.go` UpdateEntries / GetStaleEntries,
 * `spire:pkg/agent/manager/sync.go` updateX509SVIDCache, `spire:pkg/agent/client/client.go`.)
 * Expired SVIDs are not evicted (upstream never evicts by expiry): while the server is unreachable the
 * agent keeps serving what it has, and past `notAfter` the workload's TLS peers reject it.
 * Simplified: the LRU bound (`x509_svid_cache_max_size`, 1000) is not modelled: every authorised entry
 * gets an SVID at the next sync, as upstream does below that bound.
 */
import type { Rng } from '../../core/rng.ts';
import type { SpiffeBundle } from '../../spiffe/index.ts';
import type { RegistrationEntry, Selector } from '../api.ts';
import type { LogFields } from './logrus.ts';
import { shouldRotateX509 } from './rotation.ts';
import { buildWorkloadUpdate, entriesMatching, type CachedSvid, type X509WorkloadUpdate } from './workloadUpdate.ts';

export interface StaleEntry {
  readonly entry: RegistrationEntry;
  /** Why: no SVID yet, rotation due (expiring), or the entry changed (outdated). */
  readonly reason: 'new' | 'expiring' | 'outdated';
  /** The expiry of the SVID being replaced (ms), when there is one. */
  readonly currentExpiresAt?: number;
}

export class AgentCache {
  private entries = new Map<string, RegistrationEntry>();
  private readonly svids = new Map<string, CachedSvid>();
  private bundles = new Map<string, SpiffeBundle>();
  /** `entriesMatching(entries, selectors)` by selector list, for the current `entries`. */
  private matches = new WeakMap<readonly Selector[], readonly RegistrationEntry[]>();
  /** Bumped whenever entries, SVIDs or bundles change: a workload's update is rebuilt only then. */
  private version = 0;
  private lastSync: { readonly entries: readonly RegistrationEntry[]; readonly bundles: readonly SpiffeBundle[] } | undefined;
  private readonly updates = new WeakMap<readonly Selector[], { readonly version: number; readonly update: X509WorkloadUpdate; readonly warnings: readonly (readonly [string, LogFields])[] }>();

  constructor(
    readonly trustDomain: string,
    private readonly warn: (msg: string, fields: LogFields) => void = () => {},
  ) {}

  /** Replaces entries and bundles with what a sync returned; SVIDs of entries no longer authorised are dropped. */
  update(entries: readonly RegistrationEntry[], bundles: readonly SpiffeBundle[]): void {
    // The server hands out the same entries array while its stored entries are unchanged, and the same
    // bundle objects while its bundle rows are: then this sync changes nothing here.
    const last = this.lastSync;
    if (last && last.entries === entries && last.bundles.length === bundles.length && last.bundles.every((b, i) => b === bundles[i])) return;
    this.lastSync = { entries, bundles };
    // The server hands out its stored entries: an unchanged set keeps the map, and with it the
    // per-workload matches (every sync, each 5 s, asks them again for every subscriber).
    const unchanged = entries.length === this.entries.size && entries.every((e) => this.entries.get(e.id) === e);
    if (!unchanged) {
      this.entries = new Map(entries.map((e) => [e.id, e]));
      this.matches = new WeakMap();
      this.version++;
    }
    for (const id of [...this.svids.keys()]) if (!this.entries.has(id) && this.svids.delete(id)) this.version++;
    // Keep the own bundle plus the bundles some authorised entry federates with.
    const wanted = new Set<string>([this.trustDomain]);
    for (const e of entries) for (const fw of e.federatesWith) wanted.add(fw.replace(/^spiffe:\/\//, '').replace(/\/.*$/, ''));
    const next = new Map(bundles.filter((b) => wanted.has(b.trustDomain.name)).map((b) => [b.trustDomain.name, b]));
    if (next.size !== this.bundles.size || [...next].some(([td, b]) => this.bundles.get(td) !== b)) {
      this.bundles = next;
      this.version++;
    }
  }

  setSvid(svid: CachedSvid): void {
    if (this.entries.has(svid.entryId)) {
      this.svids.set(svid.entryId, svid);
      this.version++;
    }
  }

  /** Entries that need an SVID now; one fresh jitter draw per cached SVID per call. */
  staleEntries(now: number, rng: Rng, availabilityTargetMs = 0): StaleEntry[] {
    const out: StaleEntry[] = [];
    for (const entry of [...this.entries.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
      const svid = this.svids.get(entry.id);
      const leaf = svid?.chain[0];
      if (!svid || !leaf) out.push({ entry, reason: 'new' });
      else if (shouldRotateX509(now, leaf.notBefore, leaf.notAfter, rng, availabilityTargetMs)) out.push({ entry, reason: 'expiring', currentExpiresAt: leaf.notAfter });
      else if (svid.revision !== entry.revisionNumber) out.push({ entry, reason: 'outdated', currentExpiresAt: leaf.notAfter });
    }
    return out;
  }

  workloadUpdate(selectors: readonly Selector[]): X509WorkloadUpdate {
    // Every sync re-delivers to every subscriber; while nothing changed the update is the same, and
    // the warnings building it logged are logged again, as a rebuild would.
    const memo = this.updates.get(selectors);
    if (memo && memo.version === this.version) {
      for (const [msg, fields] of memo.warnings) this.warn(msg, fields);
      return memo.update;
    }
    const warnings: (readonly [string, LogFields])[] = [];
    const warn = (msg: string, fields: LogFields): void => {
      warnings.push([msg, fields]);
      this.warn(msg, fields);
    };
    const update = buildWorkloadUpdate({ trustDomain: this.trustDomain, entries: this.matching(selectors), svids: this.svids, bundles: this.bundles, warn }, selectors);
    this.updates.set(selectors, { version: this.version, update, warnings });
    return update;
  }

  /** Entries matching `selectors` that have no SVID yet (a subscriber waits for them: "Waiting for SVID to get cached"). */
  missingSvids(selectors: readonly Selector[]): RegistrationEntry[] {
    return this.matching(selectors).filter((e) => !this.svids.has(e.id));
  }

  private matching(selectors: readonly Selector[]): readonly RegistrationEntry[] {
    let m = this.matches.get(selectors);
    if (!m) {
      m = entriesMatching(this.entries.values(), selectors);
      this.matches.set(selectors, m);
    }
    return m;
  }

  entry(id: string): RegistrationEntry | undefined {
    return this.entries.get(id);
  }

  svid(entryId: string): CachedSvid | undefined {
    return this.svids.get(entryId);
  }

  get entryCount(): number {
    return this.entries.size;
  }

  get svidCount(): number {
    return this.svids.size;
  }

  bundle(trustDomain: string): SpiffeBundle | undefined {
    return this.bundles.get(trustDomain);
  }

  bundleNames(): string[] {
    return [...this.bundles.keys()].sort();
  }

  /** The bundles held, as one object that is replaced whenever a bundle changes (never edited). */
  get bundleSet(): ReadonlyMap<string, SpiffeBundle> {
    return this.bundles;
  }
}
