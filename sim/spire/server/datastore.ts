/**
 * The server's datastore: registration entries, bundles (the local one and federated ones) and dynamic
 * federation relationships, with the behaviour of SPIRE's SQL datastore that users notice
 * (`spire:pkg/server/datastore/sqlstore/sqlstore.go`):
 * - appending to a bundle creates it with sequence 0, then bumps the sequence once per append that adds
 *   something; pruning that removes anything bumps it too; `SetBundle` replaces wholesale;
 * - an entry that federates with a trust domain needs that domain's bundle row
 *   (`unable to find federated bundle "spiffe://<td>"`, makeFederatesWith);
 * - deleting a bundle that entries federate with: RESTRICT refuses, DELETE removes those entries,
 *   DISSOCIATE drops the trust domain from them (deleteBundle);
 * - deleting a federation relationship keeps the stored bundle (deleteFederationRelationship);
 * - entry IDs are random UUIDs (v4), drawn from the seeded rng; revision numbers start at 0, +1 per update.
 *
 * Messages here are the datastore's; the API layer (server.ts) wraps them as the gRPC services do.
 * Simplified: no events table, pagination or node (attested agent) expiry.
 */
import { err, ok, simError, type Result, type SimError } from '../../core/result.ts';
import type { Rng } from '../../core/rng.ts';
import { equalBytes, type Certificate } from '../../pki/index.ts';
import { publicJwkFromSpki, SpiffeBundle, TrustDomain, type PublicJwk } from '../../spiffe/index.ts';
import type { FederationRelationship, RegistrationEntry, Selector } from '../api.ts';

export interface JwtSigningKey {
  readonly kid: string;
  readonly publicKey: PublicJwk;
  /** PKIX DER when known (local keys); federated keys arrive as JWKs only. */
  readonly spki?: Uint8Array;
  /** Milliseconds; 0 when unknown (keys learned through federation carry no expiry). */
  readonly notAfter: number;
  readonly tainted: boolean;
}

/** A stored bundle (`common.Bundle`): X.509 roots, JWT keys, refresh hint (seconds) and sequence number. */
export interface BundleRecord {
  readonly trustDomain: string;
  readonly x509Authorities: readonly Certificate[];
  readonly jwtSigningKeys: readonly JwtSigningKey[];
  readonly refreshHint: number;
  readonly sequenceNumber: number;
}

export type DeleteMode = 'restrict' | 'delete' | 'dissociate';
export type DatastoreError = SimError<'spire/failed-precondition' | 'spire/not-found' | 'spire/internal' | 'spire/already-exists'>;

const dsErr = (code: DatastoreError['code'], message: string, detail?: Record<string, unknown>): { ok: false; error: DatastoreError } => err(simError(code, message, detail));

/** A stored record as a SPIFFE bundle (refresh hint in ms, as `SpiffeBundle` keeps it). */
export function bundleFromRecord(r: BundleRecord): SpiffeBundle {
  // Records are replaced, never edited, and the bundle is frozen: one bundle per record. Every agent
  // sync (each 5 s) asks for the bundles again; the same objects also let its cache see nothing changed.
  let b = BUNDLES.get(r);
  if (!b) BUNDLES.set(r, (b = bundleFromRecordUncached(r)));
  return b;
}

const BUNDLES = new WeakMap<BundleRecord, SpiffeBundle>();

function bundleFromRecordUncached(r: BundleRecord): SpiffeBundle {
  return SpiffeBundle.of(TrustDomain.fromValidName(r.trustDomain), {
    x509Authorities: r.x509Authorities,
    jwtAuthorities: new Map(r.jwtSigningKeys.map((k) => [k.kid, k.publicKey])),
    refreshHint: r.refreshHint * 1000,
    sequenceNumber: r.sequenceNumber,
  });
}

/** `bundleutil.SPIFFEBundleToProto`: hint truncated to seconds, sequence 0 when unset. */
export function recordFromBundle(b: SpiffeBundle): BundleRecord {
  return {
    trustDomain: b.trustDomain.name,
    x509Authorities: b.x509Authorities,
    jwtSigningKeys: [...b.jwtAuthorities].map(([kid, publicKey]) => ({ kid, publicKey, notAfter: 0, tainted: false })),
    refreshHint: Math.trunc((b.refreshHint ?? 0) / 1000),
    sequenceNumber: b.sequenceNumber ?? 0,
  };
}

/** A random (version 4) UUID, as `uuid.New()` gives SPIRE's entry IDs. */
export function uuidV4(rng: Rng): string {
  const b = rng.bytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const selectorKey = (s: readonly Selector[]): string =>
  s
    .map((x) => `${x.type}:${x.value}`)
    .sort()
    .join('\n');

/** A Map that reports each change, so the datastore can keep a revision of its entries and bundles. */
class CountedMap<K, V> extends Map<K, V> {
  constructor(private readonly changed: () => void) {
    super();
  }

  override set(key: K, value: V): this {
    this.changed?.(); // undefined only while Map's constructor runs
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    const had = super.delete(key);
    if (had) this.changed();
    return had;
  }

  override clear(): void {
    if (this.size > 0) this.changed();
    super.clear();
  }
}

export class Datastore {
  private rev = 0;
  private readonly entries = new CountedMap<string, RegistrationEntry>(() => this.rev++);
  private readonly bundles = new CountedMap<string, BundleRecord>(() => this.rev++);
  private readonly relationships = new Map<string, FederationRelationship>();

  constructor(private readonly rng: Rng) {}

  /** Changes whenever an entry or a bundle is written or deleted: what an agent's sync reads. */
  get revision(): number {
    return this.rev;
  }

  // ------------------------------------------------------------------ bundles

  fetchBundle(trustDomain: string): BundleRecord | undefined {
    return this.bundles.get(trustDomain);
  }

  listBundles(): BundleRecord[] {
    return [...this.bundles.values()];
  }

  /** `AppendBundle`: merges new roots and keys; creates the row (sequence as given, normally 0) when absent. */
  appendBundle(add: { readonly trustDomain: string; readonly x509Authorities?: readonly Certificate[]; readonly jwtSigningKeys?: readonly JwtSigningKey[] }): BundleRecord {
    const existing = this.bundles.get(add.trustDomain);
    if (!existing) {
      const created: BundleRecord = { trustDomain: add.trustDomain, x509Authorities: [...(add.x509Authorities ?? [])], jwtSigningKeys: [...(add.jwtSigningKeys ?? [])], refreshHint: 0, sequenceNumber: 0 };
      this.bundles.set(add.trustDomain, created);
      return created;
    }
    const x509 = [...existing.x509Authorities];
    const jwt = [...existing.jwtSigningKeys];
    let changed = false;
    for (const c of add.x509Authorities ?? [])
      if (!x509.some((x) => equalBytes(x.der, c.der))) {
        x509.push(c);
        changed = true;
      }
    for (const k of add.jwtSigningKeys ?? [])
      if (!jwt.some((x) => x.kid === k.kid)) {
        jwt.push(k);
        changed = true;
      }
    if (!changed) return existing;
    const next = { ...existing, x509Authorities: x509, jwtSigningKeys: jwt, sequenceNumber: existing.sequenceNumber + 1 };
    this.bundles.set(add.trustDomain, next);
    return next;
  }

  /** `SetBundle`: replaces (or creates) the row as given. */
  setBundle(record: BundleRecord): BundleRecord {
    this.bundles.set(record.trustDomain, record);
    return record;
  }

  /**
   * `PruneBundle` (`bundleutil.PruneBundle`): drops roots and JWT keys with `notAfter <= expiresBefore`;
   * refuses to remove every root ("would prune all certificates"); bumps the sequence when it removed anything.
   */
  pruneBundle(trustDomain: string, expiresBefore: number): Result<boolean, DatastoreError> {
    const b = this.bundles.get(trustDomain);
    if (!b) return ok(false);
    const x509 = b.x509Authorities.filter((c) => c.notAfter > expiresBefore);
    if (x509.length === 0) return dsErr('spire/internal', 'prune failed: would prune all certificates');
    const jwt = b.jwtSigningKeys.filter((k) => k.notAfter === 0 || k.notAfter > expiresBefore);
    if (x509.length === b.x509Authorities.length && jwt.length === b.jwtSigningKeys.length) return ok(false);
    this.bundles.set(trustDomain, { ...b, x509Authorities: x509, jwtSigningKeys: jwt, sequenceNumber: b.sequenceNumber + 1 });
    return ok(true);
  }

  /** `DeleteBundle` with a mode; messages as sqlstore's. */
  deleteBundle(trustDomain: string, mode: DeleteMode): Result<void, DatastoreError> {
    if (!this.bundles.has(trustDomain)) return dsErr('spire/not-found', 'datastore-sql: record not found');
    const users = [...this.entries.values()].filter((e) => e.federatesWith.includes(trustDomain));
    if (users.length > 0) {
      if (mode === 'restrict') return dsErr('spire/failed-precondition', `datastore-sql: cannot delete bundle; federated with ${users.length} registration entries`, { entries: users.length });
      for (const e of users) {
        if (mode === 'delete') this.entries.delete(e.id);
        else this.entries.set(e.id, { ...e, federatesWith: e.federatesWith.filter((t) => t !== trustDomain) });
      }
    }
    this.bundles.delete(trustDomain);
    return ok(undefined);
  }

  // ------------------------------------------------------------------ entries

  fetchEntry(id: string): RegistrationEntry | undefined {
    return this.entries.get(id);
  }

  listEntries(): RegistrationEntry[] {
    return [...this.entries.values()];
  }

  /** `makeFederatesWith`: every named trust domain needs a stored bundle. */
  private checkFederatesWith(federatesWith: readonly string[]): Result<void, DatastoreError> {
    for (const td of federatesWith) if (!this.bundles.has(td)) return dsErr('spire/internal', `unable to find federated bundle "spiffe://${td}"`, { trustDomain: td });
    return ok(undefined);
  }

  /** `CreateOrReturnRegistrationEntry`: an entry with the same SPIFFE ID, parent ID and selectors is returned instead (`existing: true`). */
  createOrReturnEntry(e: Omit<RegistrationEntry, 'id' | 'revisionNumber'> & { readonly id?: string }): Result<{ entry: RegistrationEntry; existing: boolean }, DatastoreError> {
    const key = selectorKey(e.selectors);
    for (const x of this.entries.values()) if (x.spiffeId === e.spiffeId && x.parentId === e.parentId && selectorKey(x.selectors) === key) return ok({ entry: x, existing: true });
    const fed = this.checkFederatesWith(e.federatesWith);
    if (!fed.ok) return fed;
    if (e.id !== undefined && e.id !== '' && this.entries.has(e.id)) return dsErr('spire/already-exists', 'datastore-sql: UNIQUE constraint failed: registered_entries.entry_id');
    const entry: RegistrationEntry = { ...e, id: e.id || uuidV4(this.rng), revisionNumber: 0 };
    this.entries.set(entry.id, entry);
    return ok({ entry, existing: false });
  }

  updateEntry(e: Omit<RegistrationEntry, 'revisionNumber' | 'createdAt'>): Result<RegistrationEntry, DatastoreError> {
    const old = this.entries.get(e.id);
    if (!old) return dsErr('spire/not-found', 'datastore-sql: record not found');
    const fed = this.checkFederatesWith(e.federatesWith);
    if (!fed.ok) return fed;
    const entry: RegistrationEntry = { ...e, createdAt: old.createdAt, revisionNumber: old.revisionNumber + 1 };
    this.entries.set(entry.id, entry);
    return ok(entry);
  }

  deleteEntry(id: string): Result<RegistrationEntry, DatastoreError> {
    const old = this.entries.get(id);
    if (!old) return dsErr('spire/not-found', 'datastore-sql: record not found');
    this.entries.delete(id);
    return ok(old);
  }

  // ------------------------------------------------------------------ federation relationships

  listRelationships(): FederationRelationship[] {
    return [...this.relationships.values()];
  }

  fetchRelationship(trustDomain: string): FederationRelationship | undefined {
    return this.relationships.get(trustDomain);
  }

  /** Stores the relationship; a carried `trustDomainBundle` replaces the stored bundle in the same transaction. */
  createRelationship(rel: FederationRelationship): Result<FederationRelationship, DatastoreError> {
    if (this.relationships.has(rel.trustDomain)) return dsErr('spire/already-exists', 'datastore-sql: UNIQUE constraint failed: federated_trust_domains.trust_domain');
    return ok(this.storeRelationship(rel));
  }

  updateRelationship(rel: FederationRelationship): Result<FederationRelationship, DatastoreError> {
    if (!this.relationships.has(rel.trustDomain)) return dsErr('spire/not-found', 'unable to fetch federation relationship: record not found');
    return ok(this.storeRelationship(rel));
  }

  private storeRelationship(rel: FederationRelationship): FederationRelationship {
    const { trustDomainBundle, ...stored } = rel;
    if (trustDomainBundle) this.setBundle(recordFromBundle(trustDomainBundle));
    this.relationships.set(rel.trustDomain, stored);
    return stored;
  }

  /** Removes the relationship only: the stored bundle stays (workloads keep trusting it). */
  deleteRelationship(trustDomain: string): Result<void, DatastoreError> {
    if (!this.relationships.delete(trustDomain)) return dsErr('spire/not-found', 'datastore-sql: record not found');
    return ok(undefined);
  }
}

/** A JWT signing key record from a public key (PKIX DER). */
export function jwtKeyFromSpki(kid: string, spki: Uint8Array, notAfter: number): JwtSigningKey {
  const publicKey = publicJwkFromSpki(spki);
  if (!publicKey) throw new Error('jwtKeyFromSpki: unsupported key type');
  return { kid, publicKey, spki, notAfter, tainted: false };
}
