// A small SpireServerApi for the agent tests: one self-signed CA, entries and federated bundles set by
// the test, SVIDs signed with sim/pki in SPIRE's shape. Only the agent-facing calls do anything.
import { VirtualClock } from '../../../../sim/core/clock.ts';
import { EventLog } from '../../../../sim/core/events.ts';
import { ok, err, simError, unwrap, type Result } from '../../../../sim/core/result.ts';
import { Rng } from '../../../../sim/core/rng.ts';
import { NetworkFaults } from '../../../../sim/net/faults.ts';
import { encodePem, exportPkcs8, generateKeyPair, issueCertificate, issueWithNewKey, spireCaTemplate, x509SvidTemplate, type IssuedCertificate, type KeyPair } from '../../../../sim/pki/index.ts';
import { SpiffeBundle, trustDomainFromString } from '../../../../sim/spiffe/index.ts';
import { ENTRY_DEFAULTS } from '../server/helpers.ts';
import type { CachedSvid } from '../../../../sim/spire/agent/workloadUpdate.ts';
import type { ApiError, ComponentDeps, MintedSvid, RegistrationEntry, Selector, SpireServerApi } from '../../../../sim/spire/api.ts';

export const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const HOUR = 3_600_000;

export async function makeCa(trustDomain: string, now = T0, ttl = 48 * HOUR): Promise<IssuedCertificate> {
  return issueWithNewKey(crypto, spireCaTemplate({ trustDomainId: `spiffe://${trustDomain}`, serial: BigInt(Math.floor(now / 1000)) + BigInt(trustDomain.length), now, ttl }), 'ec-p256');
}

export function bundleOf(trustDomain: string, ...cas: IssuedCertificate[]): SpiffeBundle {
  return SpiffeBundle.of(unwrap(trustDomainFromString(trustDomain)), { x509Authorities: cas.map((c) => c.cert) });
}

let entrySeq = 0;
export function entry(spiffeId: string, selectors: string[], extra: Partial<RegistrationEntry> = {}): RegistrationEntry {
  return {
    id: extra.id ?? `entry-${String(++entrySeq).padStart(3, '0')}`,
    spiffeId,
    parentId: 'spiffe://east.local/spire/agent/k8s_psat/east/node-uid-1',
    selectors: selectors.map((s): Selector => ({ type: s.slice(0, s.indexOf(':')), value: s.slice(s.indexOf(':') + 1) })),
    ...ENTRY_DEFAULTS,
    revisionNumber: 0,
    createdAt: Math.floor(T0 / 1000),
    ...extra,
  };
}

const notModelled = (): never => {
  throw new Error('fakeServer: not modelled');
};

export class FakeServer implements SpireServerApi {
  serving = true;
  entries: RegistrationEntry[] = [];
  federated: SpiffeBundle[] = [];
  /** Seconds; what `default_x509_svid_ttl` would be. */
  defaultTtl = 3600;
  minted = 0;
  private serial = 1000n;

  constructor(
    readonly trustDomain: string,
    readonly ca: IssuedCertificate,
    private readonly clock: { now(): number },
  ) {}

  static async create(trustDomain: string, clock: { now(): number }): Promise<FakeServer> {
    return new FakeServer(trustDomain, await makeCa(trustDomain, clock.now()), clock);
  }

  isServing(): boolean {
    return this.serving;
  }

  private unavailable(): Result<never, ApiError> {
    return err(simError('spire/unavailable', 'connection error: desc = "transport: Error while dialing: dial tcp 10.96.0.10:443: connect: connection refused"', { grpcCode: 'Unavailable' }));
  }

  getBundle(): SpiffeBundle {
    return bundleOf(this.trustDomain, this.ca);
  }

  async attestAgent(node: { cluster: string; nodeName: string; nodeUid: string; key: KeyPair }): Promise<Result<{ agentId: string; svid: MintedSvid }, ApiError>> {
    if (!this.serving) return this.unavailable();
    const agentId = `spiffe://${this.trustDomain}/spire/agent/k8s_psat/${node.cluster}/${node.nodeUid}`;
    const svid = await this.sign(agentId, node.key, this.defaultTtl);
    return ok({ agentId, svid });
  }

  syncAuthorizedEntries(_agentId: string): Result<{ entries: readonly RegistrationEntry[]; bundles: readonly SpiffeBundle[] }, ApiError> {
    if (!this.serving) return this.unavailable();
    return ok({ entries: this.entries, bundles: [this.getBundle(), ...this.federated] });
  }

  async mintX509Svid(req: { spiffeId: string; key: KeyPair; ttlSeconds?: number; dnsNames?: readonly string[] }): Promise<Result<MintedSvid, ApiError>> {
    if (!this.serving) return this.unavailable();
    this.minted++;
    return ok(await this.sign(req.spiffeId, req.key, req.ttlSeconds ?? this.defaultTtl, req.dnsNames));
  }

  private async sign(spiffeId: string, key: KeyPair, ttlSeconds: number, dnsNames: readonly string[] = []): Promise<MintedSvid> {
    const t = x509SvidTemplate({ spiffeId, serial: ++this.serial, now: this.clock.now(), ttl: ttlSeconds * 1000, caNotAfter: this.ca.cert.notAfter, dnsNames });
    const issued = await issueCertificate(crypto, t, key, this.ca);
    return { chain: [issued.cert], expiresAt: issued.cert.notAfter };
  }

  // Not used by the agent.
  listEntries = notModelled;
  getEntry = notModelled;
  batchCreateEntry = notModelled;
  batchUpdateEntry = notModelled;
  batchDeleteEntry = notModelled;
  getFederatedBundle = notModelled;
  listFederatedBundles = (): readonly SpiffeBundle[] => this.federated;
  batchSetFederatedBundle = notModelled;
  batchDeleteFederatedBundle = notModelled;
  listFederationRelationships = notModelled;
  batchCreateFederationRelationship = notModelled;
  batchUpdateFederationRelationship = notModelled;
  batchDeleteFederationRelationship = notModelled;
  refreshBundle = notModelled;
}

/** ComponentDeps on a virtual clock; `lines` collects the log. */
export function testDeps(name = 'east/spire-agent-node1', seed = 'agent-test'): ComponentDeps & { clock: VirtualClock; lines: string[] } {
  const clock = new VirtualClock(T0);
  const events = new EventLog(clock);
  const lines: string[] = [];
  return { clock, rng: new Rng(seed), events, crypto, faults: new NetworkFaults(events), name, log: (l) => lines.push(l), lines };
}

/** An SVID for `e` signed by `server`, as the agent caches it. */
export async function cachedSvid(server: FakeServer, e: RegistrationEntry): Promise<CachedSvid> {
  const key = await generateKeyPair(crypto, 'ec-p256');
  const minted = unwrap(await server.mintX509Svid({ spiffeId: e.spiffeId, key }));
  return { entryId: e.id, spiffeId: e.spiffeId, chain: minted.chain, key, keyPem: encodePem('PRIVATE KEY', await exportPkcs8(crypto, key)), revision: e.revisionNumber };
}
