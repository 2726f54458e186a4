/**
 * The entry reconciler: one pass brings SPIRE's registration entries in line with the ClusterSPIFFEIDs
 * and ClusterStaticEntries this controller handles, and writes their status
 * (scm:pkg/spireentry/reconciler.go reconcile, addClusterSPIFFEIDEntriesState, makeEntryKey,
 * sortDeclaredEntriesByPreference, getOutdatedEntryFields, filterJoinTokenEntries,
 * shouldProcessOrDeleteEntryID; scm:pkg/spireentry/by.go; scm:pkg/spireapi/entryapi.go).
 *
 * A pass, as upstream: (every 10 min) probe for unsupported entry fields with a throw-away entry;
 * list entries (only those with `entryIDPrefix`, if set; those with the cleanup prefix are deleted);
 * declare static entries, then ClusterSPIFFEID entries (fallback CRs last, skipping pods a
 * non-fallback CR already covered); group current and declared entries by SPIFFE ID + parent ID +
 * sorted selectors; in each group the oldest declarer wins (entriesToSet), the others are masked
 * (entriesMasked); create, take over (update only changed fields), delete the rest (join-token
 * entries excepted); failures count as entryFailures; status written when it changed.
 * Simplified: the entry render cache (an optimisation with no visible effect) is not modelled; group
 * iteration is in first-seen order (upstream: Go map order), which only orders batch items.
 */
import type { Rng } from '../../core/rng.ts';
import { deepEqual, type KubeObject } from '../../kube/object.ts';
import type { ClusterStore } from '../../kube/store.ts';
import type { EntryApi, EntryInput, RegistrationEntry } from '../api.ts';
import { parseClusterSpiffeIdSpec, renderPodEntry, zeroStats, type ClusterSpiffeIdSpec, type ClusterSpiffeIdStats } from './clusterSpiffeId.ts';
import { isNamespaceIgnored, reconcilesClass, type ControllerManagerConfig } from './config.ts';
import { CLUSTER_SPIFFE_ID, CLUSTER_STATIC_ENTRY, listKind, objectCmp, objectName, uuidV4, type Logger } from './resources.ts';
import { renderStaticEntry, type ClusterStaticEntrySpec, type ClusterStaticEntryStatus } from './staticEntry.ts';

/** scm:pkg/spireentry/reconciler.go joinTokenSpiffePrefix / joinTokenSelectorType. */
const JOIN_TOKEN_PATH_PREFIX = '/spire/agent/join_token/';
/** scm:pkg/spireapi/entryapi.go GetUnsupportedFields probe; recalculated every 10 minutes. */
export const UNSUPPORTED_FIELDS_PROBE_PATH = '/spire-controller-manager/unsupported-fields-test';
const PROBE_INTERVAL_MS = 10 * 60_000;

type Field = 'jwtSVIDTTL' | 'hint' | 'storeSVID';

interface ByObject {
  readonly obj: KubeObject;
  toSet(): void;
  masked(): void;
  success(): void;
  failure(): void;
}

interface Declared {
  readonly entry: EntryInput & { id?: string };
  readonly by: ByObject;
}

export interface EntryReconcilerDeps {
  readonly store: ClusterStore;
  readonly api: EntryApi & { readonly isServing?: () => boolean };
  readonly config: ControllerManagerConfig;
  readonly rng: Rng;
  readonly now: () => number;
  readonly log: Logger;
}

/** What one pass did (for events, tests and the UI). */
export interface EntryPassReport {
  readonly created: readonly RegistrationEntry[];
  readonly updated: readonly RegistrationEntry[];
  readonly deleted: readonly string[];
  readonly failures: readonly { readonly spiffeId: string; readonly message: string; readonly by: string }[];
}

const LOGGER = 'entry-reconciler';

export function entryKey(e: Pick<EntryInput, 'spiffeId' | 'parentId' | 'selectors'>): string {
  const sels = [...e.selectors].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return JSON.stringify([e.spiffeId, e.parentId, sels.map((s) => [s.type, s.value])]);
}

function isJoinTokenEntry(e: RegistrationEntry): boolean {
  const path = e.parentId.replace(/^spiffe:\/\/[^/]*/, '');
  return path.startsWith(JOIN_TOKEN_PATH_PREFIX) && e.selectors.some((s) => s.type === 'spiffe_id');
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

// The listed ClusterSPIFFEIDs are the stored objects (listKind), replaced on every write and never
// edited: a spec's parse (selectors, templates, TTLs) is kept for as long as the object lives, instead
// of being redone on each 10 s pass.
const PARSED_SPECS = new WeakMap<ClusterSpiffeIdSpec, ReturnType<typeof parseClusterSpiffeIdSpec>>();
function parsedSpec(spec: ClusterSpiffeIdSpec): ReturnType<typeof parseClusterSpiffeIdSpec> {
  let r = PARSED_SPECS.get(spec);
  if (!r) PARSED_SPECS.set(spec, (r = parseClusterSpiffeIdSpec(spec)));
  return r;
}

export class EntryReconciler {
  private unsupported = new Set<Field>();
  private nextProbe = 0;

  constructor(private readonly d: EntryReconcilerDeps) {}

  /** Whether the next pass probes for unsupported fields (a pass input that depends on time). */
  probeDue(): boolean {
    return this.d.now() >= this.nextProbe;
  }

  /** One full pass. */
  reconcile(): EntryPassReport {
    const { config, api, store, log } = this.d;
    const report = { created: [] as RegistrationEntry[], updated: [] as RegistrationEntry[], deleted: [] as string[], failures: [] as EntryPassReport['failures'][number][] };
    if (api.isServing && !api.isServing()) {
      log('ERROR', LOGGER, 'Failed to list SPIRE entries', { error: 'rpc error: code = Unavailable desc = connection error' });
      return report;
    }
    if (this.d.now() >= this.nextProbe) this.probeUnsupportedFields();

    // Current entries, filtered by the prefix rules (shouldProcessOrDeleteEntryID).
    const current: RegistrationEntry[] = [];
    const deleteOnly: RegistrationEntry[] = [];
    for (const e of api.listEntries()) {
      const [proc, del] = this.processOrDelete(e.id);
      if (proc) current.push(e);
      if (del) deleteOnly.push(e);
    }
    const state = new Map<string, { current: RegistrationEntry[]; declared: Declared[] }>();
    const stateFor = (k: string) => {
      let s = state.get(k);
      if (!s) state.set(k, (s = { current: [], declared: [] }));
      return s;
    };
    for (const e of current) stateFor(entryKey(e)).current.push(e);

    const statics: { obj: KubeObject; next: ClusterStaticEntryStatus }[] = [];
    if (config.reconcile.clusterStaticEntries) {
      for (const obj of listKind(store, CLUSTER_STATIC_ENTRY) ?? []) {
        const spec = (obj.spec ?? {}) as ClusterStaticEntrySpec;
        if (!reconcilesClass(config, spec.className ?? '')) continue;
        const item = { obj, next: { rendered: false, masked: false, set: false } };
        statics.push(item);
        const r = renderStaticEntry(spec);
        if (!r.ok) {
          log('ERROR', LOGGER, 'Failed to render ClusterStaticEntry', { clusterSPIFFEID: objectName(obj), error: r.error.message });
          continue;
        }
        item.next.rendered = true;
        stateFor(entryKey(r.value)).declared.push({
          entry: { ...r.value },
          by: { obj, toSet() {}, masked: () => (item.next.masked = true), success: () => (item.next.set = true), failure() {} },
        });
      }
    }

    const csids: { obj: KubeObject; next: ClusterSpiffeIdStats }[] = [];
    if (config.reconcile.clusterSPIFFEIDs) {
      for (const obj of listKind(store, CLUSTER_SPIFFE_ID) ?? []) if (reconcilesClass(config, ((obj.spec ?? {}) as ClusterSpiffeIdSpec).className ?? '')) csids.push({ obj, next: zeroStats() });
      this.declareClusterSpiffeIds(csids, stateFor);
    }

    const toDelete: RegistrationEntry[] = [];
    const toCreate: Declared[] = [];
    const toUpdate: Declared[] = [];
    for (const s of state.values()) {
      s.declared.sort((a, b) => objectCmp(a.by.obj, b.by.obj));
      const [preferred, ...others] = s.declared;
      if (preferred) {
        preferred.by.toSet();
        for (const o of others) o.by.masked();
        if (s.current.length === 0) {
          const entry = config.entryIdPrefix !== '' ? { ...preferred.entry, id: `${config.entryIdPrefix}${this.uuid()}` } : preferred.entry;
          toCreate.push({ entry, by: preferred.by });
        } else {
          const cur = s.current.shift()!;
          const entry = { ...preferred.entry, id: cur.id };
          if (this.outdated(entry, cur)) toUpdate.push({ entry, by: preferred.by });
        }
      }
      toDelete.push(...s.current.filter((e) => !isJoinTokenEntry(e)));
    }
    toDelete.push(...deleteOnly);

    if (toDelete.length > 0) {
      const res = api.batchDeleteEntry(toDelete.map((e) => e.id));
      res.forEach((r, i) => {
        const e = toDelete[i]!;
        if (r.ok) {
          report.deleted.push(e.id);
          log('INFO', LOGGER, 'Deleted entry', entryFields(e));
        } else log('ERROR', LOGGER, 'Failed to delete entry', { ...entryFields(e), error: grpcText(r.error) });
      });
    }
    if (toCreate.length > 0) {
      const res = api.batchCreateEntry(toCreate.map((d) => d.entry));
      res.forEach((r, i) => {
        const d = toCreate[i]!;
        if (r.ok) {
          report.created.push(r.value);
          log('INFO', LOGGER, 'Created entry', entryFields(r.value));
          d.by.success();
        } else {
          d.by.failure();
          report.failures.push({ spiffeId: d.entry.spiffeId, message: r.error.message, by: d.by.obj.metadata.name });
          log('ERROR', LOGGER, 'Failed to create entry', { ...entryFields(d.entry), error: grpcText(r.error) });
        }
      });
    }
    if (toUpdate.length > 0) {
      const res = api.batchUpdateEntry(toUpdate.map((d) => d.entry as EntryInput & { id: string }));
      res.forEach((r, i) => {
        const d = toUpdate[i]!;
        if (r.ok) {
          report.updated.push(r.value);
          log('INFO', LOGGER, 'Updated entry', entryFields(r.value));
        } else {
          d.by.failure();
          report.failures.push({ spiffeId: d.entry.spiffeId, message: r.error.message, by: d.by.obj.metadata.name });
          log('ERROR', LOGGER, 'Failed to update entry', { ...entryFields(d.entry), error: grpcText(r.error) });
        }
      });
    }

    for (const { obj, next } of statics) this.writeStatus(obj, { ...next }, 'clusterStaticEntry');
    for (const { obj, next } of csids) this.writeStatus(obj, { stats: { ...next } }, 'clusterSPIFFEID');
    return report;
  }

  private declareClusterSpiffeIds(csids: { obj: KubeObject; next: ClusterSpiffeIdStats }[], stateFor: (k: string) => { declared: Declared[] }): void {
    const { config, store, log } = this.d;
    const podsWithNonFallback = new Set<string>();
    const fallback = (o: KubeObject) => ((o.spec ?? {}) as ClusterSpiffeIdSpec).fallback === true;
    // slices.SortStableFunc: non-fallback first.
    csids.sort((a, b) => Number(fallback(a.obj)) - Number(fallback(b.obj)));
    const nodes = new Map<string, KubeObject>();
    for (const n of store.scan('Node')) nodes.set(n.metadata.name, n);
    const namespaces = store.listView('Namespace') ?? [];
    for (const item of csids) {
      const { obj, next } = item;
      const isFallback = fallback(obj);
      const parsed = parsedSpec((obj.spec ?? {}) as ClusterSpiffeIdSpec);
      if (!parsed.ok) {
        log('ERROR', LOGGER, 'Failed to parse ClusterSPIFFEID spec', { clusterSPIFFEID: objectName(obj), error: parsed.error.message });
        continue;
      }
      const spec = parsed.value;
      const by: ByObject = { obj, toSet: () => next.entriesToSet++, masked: () => next.entriesMasked++, success() {}, failure: () => next.entryFailures++ };
      const selected = namespaces.filter((ns) => !spec.namespaceSelector || spec.namespaceSelector.matches(ns.metadata.labels));
      next.namespacesSelected += selected.length;
      for (const ns of selected) {
        if (isNamespaceIgnored(config, ns.metadata.name)) {
          next.namespacesIgnored++;
          continue;
        }
        const pods = store
          .scan('Pod', ns.metadata.name)
          .filter((p) => !spec.podSelector || spec.podSelector.matches(p.metadata.labels))
          .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
        next.podsSelected += pods.length;
        const endpoints = spec.autoPopulateDnsNames ? store.scan('Endpoints', ns.metadata.name) : [];
        for (const pod of pods) {
          if (isFallback && podsWithNonFallback.has(pod.metadata.uid)) continue;
          const nodeName = (pod as { spec?: { nodeName?: string } }).spec?.nodeName ?? '';
          const r = renderPodEntry(spec, { pod, node: nodes.get(nodeName), endpoints }, config);
          if (!r.ok) {
            log('ERROR', LOGGER, 'Failed to render entry', { clusterSPIFFEID: objectName(obj), namespace: `/${ns.metadata.name}`, pod: `${ns.metadata.name}/${pod.metadata.name}`, error: r.error.message });
            next.podEntryRenderFailures++;
            continue;
          }
          stateFor(entryKey(r.value)).declared.push({ entry: r.value, by });
          if (!isFallback) podsWithNonFallback.add(pod.metadata.uid);
        }
      }
    }
  }

  private writeStatus(obj: KubeObject, next: Record<string, unknown>, logKey: string): void {
    const cur = obj.status ?? (logKey === 'clusterSPIFFEID' ? { stats: zeroStats() } : { rendered: false, masked: false, set: false });
    if (deepEqual(cur, next)) return;
    const r = this.d.store.updateStatus({ ...obj, status: next });
    if (r.ok) this.d.log('INFO', LOGGER, 'Updated status', { [logKey]: objectName(obj) });
    else this.d.log('ERROR', LOGGER, 'Failed to update status', { [logKey]: objectName(obj), error: r.error.message });
  }

  private processOrDelete(id: string): [boolean, boolean] {
    const { entryIdPrefix, entryIdPrefixCleanup } = this.d.config;
    if (entryIdPrefix === '') return [true, false];
    if (id.startsWith(entryIdPrefix)) return [true, false];
    if (entryIdPrefixCleanup !== undefined) {
      if (entryIdPrefixCleanup === '') return [false, !id.includes('.')];
      if (id.startsWith(entryIdPrefixCleanup)) return [false, true];
    }
    return [false, false];
  }

  /** getOutdatedEntryFields: SPIFFE ID, parent and selectors are the group key, so never compared. */
  private outdated(n: EntryInput, o: RegistrationEntry): boolean {
    const u = this.unsupported;
    return (
      o.x509SvidTtl !== n.x509SvidTtl ||
      (o.jwtSvidTtl !== n.jwtSvidTtl && !u.has('jwtSVIDTTL')) ||
      !sameSet(o.federatesWith, n.federatesWith) ||
      o.admin !== n.admin ||
      o.downstream !== n.downstream ||
      !sameSet(o.dnsNames, n.dnsNames) ||
      (o.hint !== n.hint && !u.has('hint')) ||
      (o.storeSvid !== n.storeSvid && !u.has('storeSVID'))
    );
  }

  /** GetUnsupportedFields: create a probe entry with every optional field set, see what came back, delete it. */
  private probeUnsupportedFields(): void {
    const td = this.d.config.trustDomain;
    const id = `spiffe://${td}${UNSUPPORTED_FIELDS_PROBE_PATH}`;
    const [r] = this.d.api.batchCreateEntry([
      { spiffeId: id, parentId: id, selectors: [{ type: 'a', value: '1' }], x509SvidTtl: 60, jwtSvidTtl: 60, storeSvid: true, hint: 'hint', federatesWith: [], dnsNames: [], admin: false, downstream: false },
    ]);
    let entry: RegistrationEntry | undefined;
    if (r?.ok) entry = r.value;
    else if (r && r.error.code === 'spire/already-exists') entry = (r.error.detail?.entry as RegistrationEntry | undefined) ?? undefined;
    if (!entry) {
      this.d.log('ERROR', LOGGER, 'failed to get unsupported fields', { error: `failed to create entry: ${r && !r.ok ? r.error.message : 'no result'}` });
      return;
    }
    const del = this.d.api.batchDeleteEntry([entry.id]);
    if (!del[0]?.ok) this.d.log('ERROR', LOGGER, 'failed to delete dummy entry', { entry_id: entry.id });
    const next = new Set<Field>();
    if (entry.jwtSvidTtl === 0) next.add('jwtSVIDTTL');
    if (entry.hint === '') next.add('hint');
    if (!entry.storeSvid) next.add('storeSVID');
    const added = [...next].filter((f) => !this.unsupported.has(f));
    if (added.length > 0) this.d.log('INFO', LOGGER, 'New unsupported fields in SPIRE server found', { fields: added.join(',') });
    this.unsupported = next;
    this.nextProbe = this.d.now() + PROBE_INTERVAL_MS;
  }

  private uuid(): string {
    return uuidV4(this.d.rng.bytes(16));
  }
}

/** gRPC status error text as Go's status.Err() prints it. */
export function grpcText(e: { code: string; message: string }): string {
  const code = e.code.replace(/^spire\//, '');
  const name = code
    .split('-')
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
  return `rpc error: code = ${name} desc = ${e.message}`;
}

/** entryLogFields. */
function entryFields(e: EntryInput & { id?: string }): Record<string, unknown> {
  const list = (xs: readonly string[]) => `[${xs.join(',')}]`;
  const dur = (s: number) => (s === 0 ? '0s' : `${Math.floor(s / 3600) > 0 ? `${Math.floor(s / 3600)}h` : ''}${s >= 60 ? `${Math.floor((s % 3600) / 60)}m` : ''}${s % 60}s`);
  return {
    id: e.id ?? '',
    parentID: e.parentId,
    spiffeID: e.spiffeId,
    x509SVIDTTL: dur(e.x509SvidTtl),
    jwtSVIDTTL: dur(e.jwtSvidTtl),
    selectors: list(e.selectors.map((s) => `${s.type}:${s.value}`)),
    federatesWith: list(e.federatesWith),
    dnsNames: list(e.dnsNames),
    admin: e.admin,
    downstream: e.downstream,
    hint: e.hint,
    storeSVID: e.storeSvid,
  };
}
