/**
 * One SPIRE server: datastore, CA manager, its own SVID, the federation bundle manager and the bundle
 * endpoint, behind the API of `../api.ts` (`spire:pkg/server/server.go`, `pkg/server/api/*`).
 *
 * - Entry API validation and messages as `spire:pkg/server/api/entry.go` (ProtoToRegistrationEntry) and
 *   `pkg/server/api/id.go`: errors read `failed to convert entry: invalid spiffe ID: "<id>" is not a workload in
 *   trust domain "<td>"; path is in the reserved namespace`, `failed to create entry: unable to find federated
 *   bundle "spiffe://<td>"`, `similar entry already exists` (with the existing entry in `detail.entry`).
 * - Bundle API as `pkg/server/api/bundle/v1/service.go`; TrustDomain API as `pkg/server/api/trustdomain/v1`
 *   and `pkg/server/api/trustdomain.go` (own trust domain refused, URL rules).
 * - Agents: k8s_psat node attestation gives `spiffe://<td>/spire/agent/k8s_psat/<cluster>/<node-uid>`
 *   (`spire:pkg/common/plugin/k8s/utils.go` AgentID) with node selectors `k8s_psat:cluster:<c>`,
 *   `k8s_psat:agent_node_name:<n>`, `k8s_psat:agent_node_uid:<uid>`; an agent is authorised for entries
 *   parented to its ID and to node-alias entries (parent `spiffe://<td>/spire/server`) whose selectors its
 *   node selectors include, plus the own bundle and the federated bundles those entries name.
 * - While stopped (`deps.faults.isStopped(deps.name)`) or not started every call fails `spire/unavailable`
 *   with the dial error a client sees.
 * Simplified: no authorization of API callers (admin/agent/local), no JWT-SVID minting, no attested-node
 * store beyond what sync needs, k8s_psat tokens are not validated (the world attests nodes it created).
 */
import { TaskTracker } from '../../core/tasks.ts';
import { err, ok, simError, type Result } from '../../core/result.ts';
import type { Certificate, KeyPair } from '../../pki/index.ts';
import { parseSpiffeId, SpiffeBundle, trustDomainFromString, type SpiffeId } from '../../spiffe/index.ts';
import type { BundleEndpoint } from '../../net/index.ts';
import type {
  ApiError,
  BundleEndpointClient,
  ComponentDeps,
  EntryInput,
  FederationRelationship,
  GrpcCode,
  MintedSvid,
  RegistrationEntry,
  Selector,
  SpireServerApi,
} from '../api.ts';
import { AuthorizedEntriesMemo } from './authorizedEntries.ts';
import { makeBundleEndpoint } from './bundleEndpoint.ts';
import { CaManager, type CaSlots, type UpstreamAuthority } from './ca.ts';
import type { ServerConfig } from './config.ts';
import { bundleFromRecord, Datastore, recordFromBundle, type BundleRecord, type DeleteMode } from './datastore.ts';
import { BundleManager } from './federation.ts';
import { logrusLine, type LogLevel } from './logrus.ts';
import { SvidRotator } from './svidRotator.ts';

export interface SpireServerOptions {
  /** How this server fetches peers' bundle endpoints (none: every refresh fails). */
  readonly bundleClient?: BundleEndpointClient;
  /** Where asynchronous work is tracked (the world's tracker, so `settle()` waits for it). */
  readonly tasks?: TaskTracker;
  /** UpstreamAuthority "disk", already loaded by the integrator. */
  readonly upstream?: UpstreamAuthority;
  /** An https_web endpoint's serving certificate (`serving_cert_file`), when the integrator has one. */
  readonly webIdentity?: () => { readonly chain: readonly Certificate[]; readonly key: KeyPair } | undefined;
  /** The state a previous run left on a persistent data_dir (datastore.sqlite3, keys.json): reloaded at start. */
  readonly persisted?: ServerPersistentState;
  /** `parseServerConfig`'s warnings: logged at start, as run.go's NewServerConfig does (`sc.Log.Warn`). */
  readonly configWarnings?: readonly string[];
}

/** What survives a restart on a persistent data_dir: the datastore (entries, bundles, relationships, attested agents) and the CA journal with its keys. */
export interface ServerPersistentState {
  readonly datastore: Datastore;
  readonly attested: Map<string, { readonly selectors: readonly Selector[] }>;
  readonly ca: CaSlots;
}

const apiErr = (code: GrpcCode, message: string, detail?: Record<string, unknown>): { ok: false; error: ApiError } => err(simError(`spire/${code}`, message, detail));

/** The reserved path namespace (`spire:pkg/common/idutil/spiffeid.go` IsReservedPath). */
const isReservedPath = (path: string): boolean => path === '/spire' || path.startsWith('/spire/');

const MAX_HINT_LENGTH = 1024;

/** What an agent's sync gets: the entries it is authorised for and the bundles they need. */
type SyncAnswer = Result<{ readonly entries: readonly RegistrationEntry[]; readonly bundles: readonly SpiffeBundle[] }, ApiError>;

export class SpireServer implements SpireServerApi {
  readonly trustDomain: string;
  readonly datastore: Datastore;
  readonly ca: CaManager;
  readonly federation: BundleManager;
  readonly svid: SvidRotator;
  /** Every log line printed, in order (also sent to `deps.log`). */
  readonly logLines: string[] = [];
  private readonly tasks: TaskTracker;
  private started = false;
  private readonly attested: Map<string, { readonly selectors: readonly Selector[] }>;
  private endpoint: BundleEndpoint | undefined;

  constructor(
    private readonly deps: ComponentDeps,
    readonly config: ServerConfig,
    private readonly opts: SpireServerOptions = {},
  ) {
    this.trustDomain = config.trustDomain.name;
    this.tasks = opts.tasks ?? new TaskTracker();
    const track = <T>(work: Promise<T>): Promise<T> => this.tasks.track(work);
    const emit = (type: string, data: Record<string, unknown>) => this.deps.events.emit(type, this.deps.name, data);
    const log = (level: LogLevel, msg: string, fields?: Record<string, string | number | boolean>) => this.log(level, msg, fields);
    this.datastore = opts.persisted?.datastore ?? new Datastore(deps.rng.fork('entries'));
    this.attested = opts.persisted?.attested ?? new Map();
    this.ca = new CaManager({
      clock: deps.clock,
      rng: deps.rng.fork('ca'),
      crypto: deps.crypto,
      trustDomain: config.trustDomain,
      caTtl: config.caTtl,
      caKeyType: config.caKeyType,
      jwtKeyType: config.jwtKeyType,
      caSubject: config.caSubject,
      datastore: this.datastore,
      ...(opts.upstream ? { upstream: opts.upstream } : {}),
      emit,
      log: (level, msg, fields) => log(level, msg, { ...fields, subsystem_name: 'ca_manager' }),
      track,
      timerLabel: deps.name,
    });
    this.svid = new SvidRotator({
      clock: deps.clock,
      crypto: deps.crypto,
      spiffeId: `${config.trustDomain.idString()}/spire/server`,
      ttl: config.defaultX509SvidTtl,
      sign: (req) => this.ca.signX509Svid(req),
      onRotated: (s) => emit('spire.server.svid-rotated', { serial: s.chain[0]!.serial.toString(16), notAfter: s.chain[0]!.notAfter }),
      track,
      timerLabel: deps.name,
    });
    this.federation = new BundleManager({
      clock: deps.clock,
      datastore: this.datastore,
      client: opts.bundleClient,
      from: deps.name,
      staticRelationships: config.federatesWith,
      log,
      emit,
      track,
      timerLabel: deps.name,
    });
  }

  /** What a persistent data_dir keeps for the next run of this server. */
  persistentState(): ServerPersistentState {
    return { datastore: this.datastore, attested: this.attested, ca: this.ca.slots() };
  }

  private log(level: LogLevel, msg: string, fields: Record<string, string | number | boolean> = {}): void {
    const line = logrusLine(this.deps.clock.now(), level, msg, fields);
    this.logLines.push(line);
    this.deps.log(line);
  }

  // ------------------------------------------------------------------ lifecycle

  /** Prepares the CA, mints the server SVID, starts rotation, pruning and federation. */
  async start(): Promise<void> {
    if (this.started) return;
    // spire:cmd/spire-server/cli/run/run.go NewServerConfig warns while building the config, before Run.
    for (const w of this.opts.configWarnings ?? []) this.log('warning', w);
    this.log('info', 'Starting SPIRE server', { trust_domain: this.trustDomain });
    await this.tasks.track(this.ca.initialize(this.opts.persisted?.ca));
    await this.tasks.track(this.svid.rotate());
    this.ca.start();
    this.svid.start();
    this.federation.start();
    this.started = true;
    if (this.config.bundleEndpoint)
      this.log('info', 'Serving bundle endpoint', { addr: `${this.config.bundleEndpoint.address || '0.0.0.0'}:${this.config.bundleEndpoint.port}`, refresh_hint: `${this.config.bundleEndpoint.refreshHint / 1000}s`, subsystem_name: 'endpoints' });
    this.deps.events.emit('spire.server.started', this.deps.name, { trustDomain: this.trustDomain });
  }

  stop(): void {
    this.ca.stop();
    this.svid.stop();
    this.federation.stop();
    this.started = false;
    this.deps.events.emit('spire.server.stopped', this.deps.name, {});
  }

  /** Waits for asynchronous work (signing, fetches) started so far, and the work it starts. */
  settle(): Promise<void> {
    return this.tasks.idle();
  }

  isServing(): boolean {
    return this.started && !this.deps.faults.isStopped(this.deps.name);
  }

  private unavailable(): { ok: false; error: ApiError } {
    return apiErr('unavailable', `connection error: desc = "transport: error while dialing: dial unix ${this.config.socketPath}: connect: connection refused"`);
  }

  /** The bundle endpoint (undefined when server.conf has no `federation.bundle_endpoint`). */
  bundleEndpoint(): BundleEndpoint | undefined {
    const cfg = this.config.bundleEndpoint;
    if (!cfg) return undefined;
    this.endpoint ??= makeBundleEndpoint({
      component: this.deps.name,
      refreshHint: cfg.refreshHint,
      localBundle: () => {
        const r = this.datastore.fetchBundle(this.trustDomain);
        return r ? bundleFromRecord(r) : undefined;
      },
      tlsIdentity: () => {
        if (cfg.profile === 'https_web' && this.opts.webIdentity) return this.opts.webIdentity();
        return this.svid.svid;
      },
    });
    return this.endpoint;
  }

  // ------------------------------------------------------------------ entries

  listEntries(filter: { readonly spiffeId?: string; readonly parentId?: string; readonly selectors?: readonly Selector[] } = {}): readonly RegistrationEntry[] {
    if (!this.isServing()) return [];
    return this.datastore.listEntries().filter((e) => {
      if (filter.spiffeId !== undefined && e.spiffeId !== filter.spiffeId) return false;
      if (filter.parentId !== undefined && e.parentId !== filter.parentId) return false;
      // default selector match: superset (the entry holds every selector of the filter)
      if (filter.selectors && !filter.selectors.every((s) => e.selectors.some((x) => x.type === s.type && x.value === s.value))) return false;
      return true;
    });
  }

  getEntry(id: string): Result<RegistrationEntry, ApiError> {
    if (!this.isServing()) return this.unavailable();
    if (id === '') return apiErr('invalid-argument', 'missing ID');
    const e = this.datastore.fetchEntry(id);
    return e ? ok(e) : apiErr('not-found', 'entry not found');
  }

  /** `ProtoToRegistrationEntry` checks, in upstream's order; the message is unwrapped. */
  private convertEntry(input: EntryInput): Result<Omit<RegistrationEntry, 'id' | 'revisionNumber' | 'createdAt'>, string> {
    const td = this.config.trustDomain;
    const parent = parseSpiffeId(input.parentId);
    if (!parent.ok) return err(`invalid parent ID: ${parent.error.message}`);
    if (!parent.value.memberOf(td)) return err(`invalid parent ID: "${parent.value}" is not a member of trust domain "${td.name}"`);
    if (parent.value.path === '') return err(`invalid parent ID: "${parent.value}" is not a member of trust domain "${td.name}"; path is empty`);
    const id = parseSpiffeId(input.spiffeId);
    if (!id.ok) return err(`invalid spiffe ID: ${id.error.message}`);
    const workload = this.workloadIdError(id.value);
    if (workload) return err(`invalid spiffe ID: ${workload}`);
    const federatesWith: string[] = [];
    for (const name of input.federatesWith) {
      const ftd = trustDomainFromString(name);
      if (!ftd.ok) return err(`invalid federated trust domain: ${ftd.error.message}`);
      federatesWith.push(ftd.value.name);
    }
    if (input.selectors.length === 0) return err('selector list is empty');
    for (const s of input.selectors) {
      if (s.type === '') return err('missing selector type');
      if (s.type.includes(':')) return err("selector type contains ':'");
      if (s.value === '') return err('missing selector value');
    }
    if (input.hint.length > MAX_HINT_LENGTH) return err(`hint is too long, max length is ${MAX_HINT_LENGTH} characters`);
    return ok({
      spiffeId: id.value.toString(),
      parentId: parent.value.toString(),
      selectors: input.selectors.map((s) => ({ type: s.type, value: s.value })),
      x509SvidTtl: input.x509SvidTtl,
      jwtSvidTtl: input.jwtSvidTtl,
      federatesWith,
      dnsNames: [...input.dnsNames],
      hint: input.hint,
      admin: input.admin,
      downstream: input.downstream,
      storeSvid: input.storeSvid,
    });
  }

  /** `VerifyTrustDomainWorkloadID` (`spire:pkg/server/api/id.go`). */
  private workloadIdError(id: SpiffeId): string | undefined {
    const td = this.config.trustDomain;
    if (!id.memberOf(td)) return `"${id}" is not a member of trust domain "${td.name}"`;
    if (id.path === '') return `"${id}" is not a workload in trust domain "${td.name}"; path is empty`;
    if (isReservedPath(id.path)) return `"${id}" is not a workload in trust domain "${td.name}"; path is in the reserved namespace`;
    return undefined;
  }

  batchCreateEntry(inputs: readonly EntryInput[]): Result<RegistrationEntry, ApiError>[] {
    if (!this.isServing()) return inputs.map(() => this.unavailable());
    return inputs.map((input) => {
      const converted = this.convertEntry(input);
      if (!converted.ok) return apiErr('invalid-argument', `failed to convert entry: ${converted.error}`);
      const created = this.datastore.createOrReturnEntry({
        ...converted.value,
        ...(input.id !== undefined ? { id: input.id } : {}),
        createdAt: Math.floor(this.deps.clock.now() / 1000),
      });
      if (!created.ok) return apiErr(created.error.code === 'spire/already-exists' ? 'already-exists' : 'internal', `failed to create entry: ${created.error.message}`);
      if (created.value.existing) return apiErr('already-exists', 'similar entry already exists', { entry: created.value.entry });
      const e = created.value.entry;
      this.deps.events.emit('spire.entry.created', this.deps.name, { id: e.id, spiffeId: e.spiffeId, parentId: e.parentId });
      return ok(e);
    });
  }

  batchUpdateEntry(entries: readonly (EntryInput & { readonly id: string })[]): Result<RegistrationEntry, ApiError>[] {
    if (!this.isServing()) return entries.map(() => this.unavailable());
    return entries.map((input) => {
      if (input.id === '') return apiErr('invalid-argument', 'failed to convert entry: missing entry ID');
      const converted = this.convertEntry(input);
      if (!converted.ok) return apiErr('invalid-argument', `failed to convert entry: ${converted.error}`);
      const updated = this.datastore.updateEntry({ ...converted.value, id: input.id });
      if (!updated.ok) return apiErr(updated.error.code === 'spire/not-found' ? 'not-found' : 'internal', `failed to update entry: ${updated.error.message}`);
      this.deps.events.emit('spire.entry.updated', this.deps.name, { id: input.id, revision: updated.value.revisionNumber });
      return ok(updated.value);
    });
  }

  batchDeleteEntry(ids: readonly string[]): Result<string, ApiError>[] {
    if (!this.isServing()) return ids.map(() => this.unavailable());
    return ids.map((id) => {
      if (id === '') return apiErr('invalid-argument', 'missing entry ID');
      const r = this.datastore.deleteEntry(id);
      if (!r.ok) return apiErr('not-found', 'entry not found');
      this.deps.events.emit('spire.entry.deleted', this.deps.name, { id });
      return ok(id);
    });
  }

  // ------------------------------------------------------------------ bundles

  getBundle(): SpiffeBundle {
    const r = this.datastore.fetchBundle(this.trustDomain);
    return r ? bundleFromRecord(r) : SpiffeBundle.of(this.config.trustDomain, { refreshHint: 0, sequenceNumber: 0 });
  }

  /** The stored record of a bundle (JWT key expiries, for `-output json`). */
  bundleRecord(trustDomain: string): BundleRecord | undefined {
    return this.datastore.fetchBundle(trustDomain);
  }

  getFederatedBundle(trustDomain: string): Result<SpiffeBundle, ApiError> {
    if (!this.isServing()) return this.unavailable();
    const td = trustDomainFromString(trustDomain);
    if (!td.ok) return apiErr('invalid-argument', `trust domain argument is not valid: ${td.error.message}`);
    if (td.value.name === this.trustDomain) return apiErr('invalid-argument', "getting a federated bundle for the server's own trust domain is not allowed");
    const r = this.datastore.fetchBundle(td.value.name);
    return r ? ok(bundleFromRecord(r)) : apiErr('not-found', 'bundle not found');
  }

  listFederatedBundles(): readonly SpiffeBundle[] {
    if (!this.isServing()) return [];
    return this.datastore
      .listBundles()
      .filter((b) => b.trustDomain !== this.trustDomain)
      .map(bundleFromRecord);
  }

  batchSetFederatedBundle(bundles: readonly SpiffeBundle[]): Result<SpiffeBundle, ApiError>[] {
    if (!this.isServing()) return bundles.map(() => this.unavailable());
    return bundles.map((b) => {
      if (b.trustDomain.name === this.trustDomain) return apiErr('invalid-argument', "setting a federated bundle for the server's own trust domain is not allowed");
      const stored = this.datastore.setBundle(recordFromBundle(b));
      this.deps.events.emit('spire.bundle.set', this.deps.name, { trustDomain: b.trustDomain.name, x509Authorities: b.x509Authorities.length });
      return ok(bundleFromRecord(stored));
    });
  }

  batchDeleteFederatedBundle(trustDomains: readonly string[], mode: DeleteMode = 'restrict'): Result<string, ApiError>[] {
    if (!this.isServing()) return trustDomains.map(() => this.unavailable());
    return trustDomains.map((name) => {
      const td = trustDomainFromString(name);
      if (!td.ok) return apiErr('invalid-argument', `trust domain argument is not valid: ${td.error.message}`);
      if (td.value.name === this.trustDomain) return apiErr('invalid-argument', 'removing the bundle for the server trust domain is not allowed');
      const r = this.datastore.deleteBundle(td.value.name, mode);
      if (!r.ok) {
        if (r.error.code === 'spire/not-found') return apiErr('not-found', 'bundle not found');
        return apiErr(r.error.code === 'spire/failed-precondition' ? 'failed-precondition' : 'internal', `failed to delete federated bundle: ${r.error.message}`);
      }
      this.deps.events.emit('spire.bundle.deleted', this.deps.name, { trustDomain: td.value.name, mode });
      return ok(td.value.name);
    });
  }

  // ------------------------------------------------------------------ federation relationships

  listFederationRelationships(): readonly FederationRelationship[] {
    if (!this.isServing()) return [];
    return this.datastore.listRelationships();
  }

  /** `api.ProtoToFederationRelationship` checks (`spire:pkg/server/api/trustdomain.go`); unwrapped message. */
  private convertRelationship(rel: FederationRelationship): Result<FederationRelationship, string> {
    const td = trustDomainFromString(rel.trustDomain);
    if (!td.ok) return err(`failed to parse trust domain: ${td.error.message}`);
    const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:([^@/?#]*)@)?([^/?#]*)/.exec(rel.bundleEndpointUrl);
    if (!m || m[1]!.toLowerCase() !== 'https') return err('bundle endpoint URL must use the https scheme');
    if (m[3] === '') return err('bundle endpoint URL must specify the host');
    if (m[2] !== undefined) return err('bundle endpoint URL must not contain user info');
    if (rel.profile.type === 'https_spiffe') {
      const id = parseSpiffeId(rel.profile.endpointSpiffeId);
      if (!id.ok) return err(`failed to parse endpoint SPIFFE ID: ${id.error.message}`);
    }
    if (rel.trustDomainBundle && rel.trustDomainBundle.trustDomain.name !== td.value.name)
      return err(`trust domain bundle (${JSON.stringify(rel.trustDomainBundle.trustDomain.name)}) must match the trust domain of the federation relationship (${JSON.stringify(td.value.name)})`);
    return ok({ ...rel, trustDomain: td.value.name });
  }

  batchCreateFederationRelationship(rels: readonly FederationRelationship[]): Result<FederationRelationship, ApiError>[] {
    if (!this.isServing()) return rels.map(() => this.unavailable());
    const out = rels.map((rel): Result<FederationRelationship, ApiError> => {
      const c = this.convertRelationship(rel);
      if (!c.ok) return apiErr('invalid-argument', `failed to convert federation relationship: ${c.error}`);
      if (c.value.trustDomain === this.trustDomain) return apiErr('invalid-argument', 'unable to create federation relationship for server trust domain');
      const created = this.datastore.createRelationship(c.value);
      if (!created.ok) return apiErr(created.error.code === 'spire/already-exists' ? 'already-exists' : 'internal', `failed to create federation relationship: ${created.error.message}`);
      this.deps.events.emit('spire.federation.created', this.deps.name, { trustDomain: c.value.trustDomain, url: c.value.bundleEndpointUrl, profile: c.value.profile.type });
      return ok(created.value);
    });
    this.federation.triggerReload();
    return out;
  }

  batchUpdateFederationRelationship(rels: readonly FederationRelationship[]): Result<FederationRelationship, ApiError>[] {
    if (!this.isServing()) return rels.map(() => this.unavailable());
    const out = rels.map((rel): Result<FederationRelationship, ApiError> => {
      const c = this.convertRelationship(rel);
      if (!c.ok) return apiErr('invalid-argument', `failed to convert federation relationship: ${c.error}`);
      const updated = this.datastore.updateRelationship(c.value);
      if (!updated.ok) return apiErr(updated.error.code === 'spire/not-found' ? 'not-found' : 'internal', `failed to update federation relationship: ${updated.error.message}`);
      this.deps.events.emit('spire.federation.updated', this.deps.name, { trustDomain: c.value.trustDomain });
      return ok(updated.value);
    });
    this.federation.triggerReload();
    return out;
  }

  batchDeleteFederationRelationship(trustDomains: readonly string[]): Result<string, ApiError>[] {
    if (!this.isServing()) return trustDomains.map(() => this.unavailable());
    const out = trustDomains.map((name): Result<string, ApiError> => {
      if (name === '') return apiErr('invalid-argument', 'missing trust domain');
      const td = trustDomainFromString(name);
      if (!td.ok) return apiErr('invalid-argument', `failed to parse trust domain: ${td.error.message}`);
      const r = this.datastore.deleteRelationship(td.value.name);
      if (!r.ok) return apiErr('not-found', 'federation relationship not found');
      this.deps.events.emit('spire.federation.deleted', this.deps.name, { trustDomain: td.value.name });
      return ok(td.value.name);
    });
    this.federation.triggerReload();
    return out;
  }

  /** Starts a refresh and returns at once (the API contract is synchronous); see `refreshBundleAsync`. */
  refreshBundle(trustDomain: string): Result<void, ApiError> {
    if (!this.isServing()) return this.unavailable();
    const td = trustDomainFromString(trustDomain);
    if (!td.ok) return apiErr('invalid-argument', `failed to parse trust domain: ${td.error.message}`);
    if (!this.federation.relationships().some((r) => r.trustDomain === td.value.name)) return apiErr('not-found', `no relationship with trust domain "${td.value.name}"`);
    void this.tasks.track(this.federation.refreshBundleFor(td.value.name));
    return ok(undefined);
  }

  /** TrustDomain API `RefreshBundle`, waiting for the fetch: `failed to refresh bundle: <err>` on failure. */
  async refreshBundleAsync(trustDomain: string): Promise<Result<void, ApiError>> {
    if (!this.isServing()) return this.unavailable();
    const td = trustDomainFromString(trustDomain);
    if (!td.ok) return apiErr('invalid-argument', `failed to parse trust domain: ${td.error.message}`);
    const r = await this.tasks.track(this.federation.refreshBundleFor(td.value.name));
    if (!r.ok) return apiErr('internal', `failed to refresh bundle: ${r.error}`);
    if (!r.value) return apiErr('not-found', `no relationship with trust domain "${td.value.name}"`);
    return ok(undefined);
  }

  // ------------------------------------------------------------------ SVIDs and agents

  async mintX509Svid(req: { readonly spiffeId: string; readonly key: KeyPair; readonly ttlSeconds?: number; readonly dnsNames?: readonly string[] }): Promise<Result<MintedSvid, ApiError>> {
    if (!this.isServing()) return this.unavailable();
    const id = parseSpiffeId(req.spiffeId);
    if (!id.ok) return apiErr('invalid-argument', `invalid SPIFFE ID: ${id.error.message}`);
    if (!id.value.memberOf(this.config.trustDomain)) return apiErr('invalid-argument', `invalid SPIFFE ID: "${id.value}" is not a member of trust domain "${this.trustDomain}"`);
    const ttl = req.ttlSeconds && req.ttlSeconds > 0 ? req.ttlSeconds * 1000 : this.config.defaultX509SvidTtl;
    const signed = await this.tasks.track(this.ca.signX509Svid({ spiffeId: id.value.toString(), key: req.key, ttl, dnsNames: req.dnsNames ?? [] }));
    if (!signed) return apiErr('internal', 'failed to sign X509-SVID: X509 CA is not available for signing');
    this.deps.events.emit('spire.svid.minted', this.deps.name, { spiffeId: id.value.toString(), serial: signed.chain[0]!.serial.toString(16), expiresAt: signed.expiresAt });
    return ok(signed);
  }

  async attestAgent(node: { readonly cluster: string; readonly nodeName: string; readonly nodeUid: string; readonly key: KeyPair }): Promise<Result<{ readonly agentId: string; readonly svid: MintedSvid }, ApiError>> {
    if (!this.isServing()) return this.unavailable();
    if (!this.config.k8sPsatClusters[node.cluster])
      return apiErr('permission-denied', `failed to attest: k8s_psat: not configured for cluster ${JSON.stringify(node.cluster)}`);
    const agentId = `${this.config.trustDomain.idString()}/spire/agent/k8s_psat/${node.cluster}/${node.nodeUid}`;
    const ttl = this.config.agentTtl > 0 ? this.config.agentTtl : this.config.defaultX509SvidTtl;
    const signed = await this.tasks.track(this.ca.signX509Svid({ spiffeId: agentId, key: node.key, ttl }));
    if (!signed) return apiErr('internal', 'failed to sign X509-SVID: X509 CA is not available for signing');
    this.attested.set(agentId, {
      selectors: [
        { type: 'k8s_psat', value: `cluster:${node.cluster}` },
        { type: 'k8s_psat', value: `agent_node_name:${node.nodeName}` },
        { type: 'k8s_psat', value: `agent_node_uid:${node.nodeUid}` },
      ],
    });
    this.log('info', 'Agent attestation request completed', { address: '', agent_id: agentId, node_attestor_type: 'k8s_psat', subsystem_name: 'api' });
    this.deps.events.emit('spire.agent.attested', this.deps.name, { agentId, cluster: node.cluster, node: node.nodeName });
    return ok({ agentId, svid: signed });
  }

  syncAuthorizedEntries(agentId: string): SyncAnswer {
    if (!this.isServing()) return this.unavailable();
    const node = this.attested.get(agentId);
    // Every agent asks each 5 s; the answer depends only on the stored entries and bundles and the agent's node.
    const revision = this.datastore.revision;
    const last = this.lastSync.get(agentId);
    if (last && last.revision === revision && last.node === node) return last.answer;
    const answer = this.authorizedAnswer(agentId, node);
    this.lastSync.set(agentId, { revision, node, answer });
    return answer;
  }

  private readonly lastSync = new Map<string, { readonly revision: number; readonly node: unknown; readonly answer: SyncAnswer }>();

  private authorizedAnswer(agentId: string, node: { readonly selectors: readonly Selector[] } | undefined): SyncAnswer {
    const nodeSelectors = node?.selectors ?? [];
    const serverId = `${this.config.trustDomain.idString()}/spire/server`;
    const all = this.datastore.listEntries();
    const entries = this.authorizedCrawl.get(agentId, node, all, () => this.crawlAuthorized(agentId, serverId, nodeSelectors, all));
    const bundles: SpiffeBundle[] = [this.getBundle()];
    const tds = new Set(entries.flatMap((e) => e.federatesWith));
    for (const td of tds) {
      const r = this.datastore.fetchBundle(td);
      if (r) bundles.push(bundleFromRecord(r));
    }
    return ok({ entries, bundles });
  }

  /** Every agent asks each 5 s; the crawl is redone only when the stored entries or the agent's node changed. */
  private readonly authorizedCrawl = new AuthorizedEntriesMemo();

  private crawlAuthorized(agentId: string, serverId: string, nodeSelectors: readonly Selector[], all: readonly RegistrationEntry[]): RegistrationEntry[] {
    const aliases = all.filter((e) => e.parentId === serverId && e.selectors.length > 0 && e.selectors.every((s) => nodeSelectors.some((n) => n.type === s.type && n.value === s.value)));
    const parents = new Set([agentId, ...aliases.map((a) => a.spiffeId)]);
    const seen = new Set<string>();
    const entries: RegistrationEntry[] = [];
    // breadth-first over descendants, as the authorized entry crawl does
    for (let frontier = new Set(parents); frontier.size > 0; ) {
      const next = new Set<string>();
      for (const e of all)
        if (frontier.has(e.parentId) && !seen.has(e.id)) {
          seen.add(e.id);
          entries.push(e);
          next.add(e.spiffeId);
        }
      frontier = next;
    }
    return entries;
  }
}
