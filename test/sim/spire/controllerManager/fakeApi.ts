/**
 * A small stand-in for the SPIRE server's Entry and TrustDomain APIs: entries keyed by
 * (SPIFFE ID, parent, selectors), federated bundles by trust domain, and the datastore rule that an
 * entry may only federate with a trust domain whose bundle is stored (spire:pkg/server/datastore/
 * sqlstore/sqlstore.go makeFederatesWith).
 */
import { err, ok, simError, type Result } from '../../../../sim/core/result.ts';
import type { ApiError, EntryApi, EntryInput, FederationRelationship, GrpcCode, RegistrationEntry, Selector, TrustDomainApi } from '../../../../sim/spire/api.ts';
import type { SpiffeBundle } from '../../../../sim/spiffe/index.ts';

const apiError = (code: GrpcCode, message: string, detail?: Record<string, unknown>): ApiError => simError(`spire/${code}`, message, detail);
const key = (e: { spiffeId: string; parentId: string; selectors: readonly Selector[] }) =>
  JSON.stringify([e.spiffeId, e.parentId, [...e.selectors].map((s) => `${s.type}:${s.value}`).sort()]);

export class FakeSpireApi implements EntryApi, TrustDomainApi {
  readonly entries = new Map<string, RegistrationEntry>();
  readonly bundles = new Map<string, SpiffeBundle | 'stored'>();
  readonly relationships = new Map<string, FederationRelationship>();
  readonly calls: string[] = [];
  serving = true;
  private nextId = 1;

  constructor(readonly trustDomain: string) {}

  isServing(): boolean {
    return this.serving;
  }

  /** An entry made outside the controller (`spire-server entry create`). */
  addEntry(e: Partial<EntryInput> & Pick<EntryInput, 'spiffeId' | 'parentId' | 'selectors'>): RegistrationEntry {
    const r = this.batchCreateEntry([{ x509SvidTtl: 0, jwtSvidTtl: 0, federatesWith: [], dnsNames: [], hint: '', admin: false, downstream: false, storeSvid: false, ...e }])[0]!;
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  }

  /** Entries without the controller's unsupported-fields probe, sorted by SPIFFE ID. */
  userEntries(): RegistrationEntry[] {
    return [...this.entries.values()].filter((e) => !e.spiffeId.endsWith('/spire-controller-manager/unsupported-fields-test')).sort((a, b) => (a.spiffeId < b.spiffeId ? -1 : a.spiffeId > b.spiffeId ? 1 : 0));
  }

  listEntries(): readonly RegistrationEntry[] {
    this.calls.push('ListEntries');
    return [...this.entries.values()];
  }

  getEntry(id: string): Result<RegistrationEntry, ApiError> {
    const e = this.entries.get(id);
    return e ? ok(e) : err(apiError('not-found', 'entry not found'));
  }

  private check(input: EntryInput): ApiError | undefined {
    for (const td of input.federatesWith)
      if (!this.bundles.has(td)) return apiError('internal', `failed to create entry: datastore-sql: unable to find federated bundle "spiffe://${td}"`);
    return undefined;
  }

  batchCreateEntry(inputs: readonly EntryInput[]): Result<RegistrationEntry, ApiError>[] {
    this.calls.push(`BatchCreateEntry(${inputs.length})`);
    return inputs.map((input) => {
      const existing = [...this.entries.values()].find((e) => key(e) === key(input));
      if (existing) return err(apiError('already-exists', 'similar entry already exists', { entry: existing }));
      const bad = this.check(input);
      if (bad) return err(bad);
      const id = input.id ?? `00000000-0000-4000-8000-${String(this.nextId++).padStart(12, '0')}`;
      const entry: RegistrationEntry = { ...input, id, revisionNumber: 0, createdAt: 0 };
      this.entries.set(id, entry);
      return ok(entry);
    });
  }

  batchUpdateEntry(entries: readonly (EntryInput & { readonly id: string })[]): Result<RegistrationEntry, ApiError>[] {
    this.calls.push(`BatchUpdateEntry(${entries.length})`);
    return entries.map((input) => {
      const cur = this.entries.get(input.id);
      if (!cur) return err(apiError('not-found', 'failed to update entry: datastore-sql: no such registration entry'));
      const bad = this.check(input);
      if (bad) return err(apiError('internal', bad.message.replace('failed to create entry', 'failed to update entry')));
      const next: RegistrationEntry = { ...cur, ...input, revisionNumber: cur.revisionNumber + 1 };
      this.entries.set(input.id, next);
      return ok(next);
    });
  }

  batchDeleteEntry(ids: readonly string[]): Result<string, ApiError>[] {
    this.calls.push(`BatchDeleteEntry(${ids.length})`);
    return ids.map((id) => (this.entries.delete(id) ? ok(id) : err(apiError('not-found', 'entry not found'))));
  }

  listFederationRelationships(): readonly FederationRelationship[] {
    return [...this.relationships.values()];
  }

  private storeBundle(rel: FederationRelationship): void {
    if (rel.trustDomainBundle) this.bundles.set(rel.trustDomain, rel.trustDomainBundle);
  }

  batchCreateFederationRelationship(rels: readonly FederationRelationship[]): Result<FederationRelationship, ApiError>[] {
    this.calls.push(`BatchCreateFederationRelationship(${rels.length})`);
    return rels.map((rel) => {
      if (rel.trustDomain === this.trustDomain) return err(apiError('invalid-argument', 'failed to create federation relationship: unable to create federation relationship for server trust domain'));
      if (this.relationships.has(rel.trustDomain)) return err(apiError('already-exists', 'failed to create federation relationship: datastore-sql: UNIQUE constraint failed: federated_trust_domains.trust_domain'));
      this.storeBundle(rel);
      const { trustDomainBundle: _b, ...stored } = rel;
      this.relationships.set(rel.trustDomain, stored);
      return ok(stored);
    });
  }

  batchUpdateFederationRelationship(rels: readonly FederationRelationship[]): Result<FederationRelationship, ApiError>[] {
    this.calls.push(`BatchUpdateFederationRelationship(${rels.length})`);
    return rels.map((rel) => {
      if (!this.relationships.has(rel.trustDomain)) return err(apiError('not-found', 'failed to update federation relationship: datastore-sql: record not found'));
      this.storeBundle(rel);
      const { trustDomainBundle: _b, ...stored } = rel;
      this.relationships.set(rel.trustDomain, stored);
      return ok(stored);
    });
  }

  batchDeleteFederationRelationship(trustDomains: readonly string[]): Result<string, ApiError>[] {
    this.calls.push(`BatchDeleteFederationRelationship(${trustDomains.length})`);
    return trustDomains.map((td) => (this.relationships.delete(td) ? ok(td) : err(apiError('not-found', 'federation relationship not found'))));
  }

  refreshBundle(): Result<void, ApiError> {
    return ok(undefined);
  }
}
