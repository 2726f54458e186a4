/**
 * The contract between the SPIRE server model and its clients in the lab (agents, the
 * spire-controller-manager, the `spire-server` CLI, the bundle endpoint client of a peer server):
 * the server's gRPC APIs as in-process calls. Shapes and error wording follow SPIRE's
 * `proto/spire/api/server/{entry,bundle,trustdomain,svid,agent}/v1` and `pkg/server/api/*`.
 * Errors are gRPC-style: `{ code: 'spire/<grpc-code-kebab>', message }` with upstream's message.
 */
import type { Clock } from '../core/clock.ts';
import type { EventLog } from '../core/events.ts';
import type { Result, SimError } from '../core/result.ts';
import type { Rng } from '../core/rng.ts';
import type { NetworkFaults } from '../net/faults.ts';
import type { Certificate, KeyPair } from '../pki/index.ts';
import type { SpiffeBundle } from '../spiffe/index.ts';
import type { BundleEndpointProfile } from '../net/bundleEndpoint.ts';

/** `k8s:ns:default` is `{ type: 'k8s', value: 'ns:default' }`. */
export interface Selector {
  readonly type: string;
  readonly value: string;
}

export interface RegistrationEntry {
  readonly id: string;
  readonly spiffeId: string;
  readonly parentId: string;
  readonly selectors: readonly Selector[];
  /** Seconds; 0 = the server's default_x509_svid_ttl. */
  readonly x509SvidTtl: number;
  readonly jwtSvidTtl: number;
  /** Trust domain names (no scheme), as the Entry API stores them. */
  readonly federatesWith: readonly string[];
  readonly dnsNames: readonly string[];
  readonly hint: string;
  readonly admin: boolean;
  readonly downstream: boolean;
  readonly storeSvid: boolean;
  readonly revisionNumber: number;
  /** Unix seconds. */
  readonly createdAt: number;
}

export type EntryInput = Omit<RegistrationEntry, 'id' | 'revisionNumber' | 'createdAt'> & { readonly id?: string };

/** gRPC status per item of a batch call (`codes.OK` is ok: true). */
export type GrpcCode = 'invalid-argument' | 'not-found' | 'already-exists' | 'failed-precondition' | 'internal' | 'unavailable' | 'permission-denied';
export type ApiError = SimError<`spire/${GrpcCode}`>;


export interface FederationRelationship {
  readonly trustDomain: string;
  readonly bundleEndpointUrl: string;
  readonly profile: BundleEndpointProfile;
  /** Only on create/update: the bundle to store for that trust domain (replaces the stored one). */
  readonly trustDomainBundle?: SpiffeBundle;
}

export interface EntryApi {
  listEntries(filter?: { readonly spiffeId?: string; readonly parentId?: string; readonly selectors?: readonly Selector[] }): readonly RegistrationEntry[];
  getEntry(id: string): Result<RegistrationEntry, ApiError>;
  /** An entry equal to an existing one (same spiffeId, parentId, selectors) → `already-exists` with that entry in `detail.entry`. */
  batchCreateEntry(inputs: readonly EntryInput[]): Result<RegistrationEntry, ApiError>[];
  batchUpdateEntry(entries: readonly (EntryInput & { readonly id: string })[]): Result<RegistrationEntry, ApiError>[];
  batchDeleteEntry(ids: readonly string[]): Result<string, ApiError>[];
}

export interface BundleApi {
  /** The server's own trust domain bundle. */
  getBundle(): SpiffeBundle;
  getFederatedBundle(trustDomain: string): Result<SpiffeBundle, ApiError>;
  listFederatedBundles(): readonly SpiffeBundle[];
  /** `bundle set`: the server's own TD is refused with upstream's message. */
  batchSetFederatedBundle(bundles: readonly SpiffeBundle[]): Result<SpiffeBundle, ApiError>[];
  batchDeleteFederatedBundle(trustDomains: readonly string[], mode?: 'restrict' | 'delete' | 'dissociate'): Result<string, ApiError>[];
}

export interface TrustDomainApi {
  /** Dynamic relationships only (static `federates_with` ones are not listed, as upstream). */
  listFederationRelationships(): readonly FederationRelationship[];
  batchCreateFederationRelationship(rels: readonly FederationRelationship[]): Result<FederationRelationship, ApiError>[];
  batchUpdateFederationRelationship(rels: readonly FederationRelationship[]): Result<FederationRelationship, ApiError>[];
  batchDeleteFederationRelationship(trustDomains: readonly string[]): Result<string, ApiError>[];
  refreshBundle(trustDomain: string): Result<void, ApiError>;
}

/** An X509-SVID as the server returns it: the chain (leaf first; intermediates when an UpstreamAuthority signs) and its expiry. */
export interface MintedSvid {
  readonly chain: readonly Certificate[];
  readonly expiresAt: number;
}

export interface SvidApi {
  /** Signs an X509-SVID for `key` (the agent generates keys; the server never sees private keys). */
  mintX509Svid(req: { readonly spiffeId: string; readonly key: KeyPair; readonly ttlSeconds?: number; readonly dnsNames?: readonly string[] }): Promise<Result<MintedSvid, ApiError>>;
}

export interface AgentApi {
  /** k8s_psat node attestation: returns the agent's SPIFFE ID and SVID. */
  attestAgent(node: { readonly cluster: string; readonly nodeName: string; readonly nodeUid: string; readonly key: KeyPair }): Promise<Result<{ readonly agentId: string; readonly svid: MintedSvid }, ApiError>>;
  /** What an agent's sync fetches: the entries it is authorised for and the bundles they need. */
  syncAuthorizedEntries(agentId: string): Result<{ readonly entries: readonly RegistrationEntry[]; readonly bundles: readonly SpiffeBundle[] }, ApiError>;
}

export interface SpireServerApi extends EntryApi, BundleApi, TrustDomainApi, SvidApi, AgentApi {
  readonly trustDomain: string;
  /** False while stopped (fault) or not started: every call then fails with `spire/unavailable`. */
  isServing(): boolean;
}

/** What every SPIRE component model is given by the world (never ambient time or randomness). */
export interface ComponentDeps {
  readonly clock: Clock;
  readonly rng: Rng;
  readonly events: EventLog;
  readonly crypto: Crypto;
  readonly faults: NetworkFaults;
  /** `<cluster>/<component>` — the event source and the fault-model name (`west/spire-server`). */
  readonly name: string;
  /** Log lines as the component prints them (`kubectl logs` shows these). */
  readonly log: (line: string) => void;
}

/**
 * How a server fetches a peer's bundle endpoint (in memory in the browser, real HTTPS in Node) and
 * what an endpoint answers: defined with the network in sim/net/bundleEndpoint.ts. `fetch` returns the
 * body of a 200 answer; its errors already read as SPIRE's bundle client words them
 * (`failed to fetch bundle: Get "<url>": …`, `unexpected status 404 fetching bundle: …`); the updater
 * adds `failed to fetch federated bundle from endpoint: `.
 */
export type { BundleEndpointClient, BundleEndpointProfile, BundleEndpointResponse } from '../net/bundleEndpoint.ts';
