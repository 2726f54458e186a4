/**
 * What one workload is entitled to, computed from the agent's cache for the workload's selectors
 * (`spire:pkg/agent/manager/cache/x509_lru_cache.go` buildX509WorkloadUpdate,
 * `spire:pkg/agent/manager/cache/lru_cache.go` getRecordsForSelectors / GatherFederatedBundles,
 * `spire:pkg/agent/manager/cache/util.go` sortIdentities):
 *
 * - identities I: every cached entry whose selectors are a **subset** of the workload's selectors (an
 *   entry with no selectors never matches) and for which the agent holds an SVID, sorted by entry ID;
 * - own TD bundle B: always, even without identities;
 * - federated bundles F: the union of those identities' entries' `federates_with`, restricted to the
 *   bundles the agent holds; a missing one is skipped with the warning `Federated bundle contents missing`.
 */
import type { KeyPair, Certificate } from '../../pki/index.ts';
import type { SpiffeBundle } from '../../spiffe/index.ts';
import type { RegistrationEntry, Selector } from '../api.ts';
import type { LogFields } from './logrus.ts';
import { selectorString } from './workloadAttestor.ts';

/** An X509-SVID the agent holds for one entry. */
export interface CachedSvid {
  readonly entryId: string;
  readonly spiffeId: string;
  /** Leaf first (just the leaf with a self-signed server CA). */
  readonly chain: readonly Certificate[];
  readonly key: KeyPair;
  /** PKCS#8 PEM of the key (`-----BEGIN PRIVATE KEY-----`), exported once at minting. */
  readonly keyPem: string;
  /** The entry revision the SVID was minted for. */
  readonly revision: number;
}

export interface X509Identity {
  readonly entry: RegistrationEntry;
  readonly svid: CachedSvid;
}

export interface X509WorkloadUpdate {
  readonly bundle: SpiffeBundle | undefined;
  /** Keyed by trust domain name, in name order. */
  readonly federatedBundles: ReadonlyMap<string, SpiffeBundle>;
  readonly identities: readonly X509Identity[];
}

export interface WorkloadUpdateInputs {
  readonly trustDomain: string;
  readonly entries: Iterable<RegistrationEntry>;
  readonly svids: ReadonlyMap<string, CachedSvid>;
  /** All bundles the agent holds, by trust domain name (own + federated). */
  readonly bundles: ReadonlyMap<string, SpiffeBundle>;
  readonly warn?: (msg: string, fields: LogFields) => void;
}

/** Entries whose selector set is within `selectors` (and not empty). */
export function entriesMatching(entries: Iterable<RegistrationEntry>, selectors: readonly Selector[]): RegistrationEntry[] {
  const set = new Set(selectors.map(selectorString));
  const out: RegistrationEntry[] = [];
  for (const e of entries) if (e.selectors.length > 0 && selectorStrings(e.selectors).every((s) => set.has(s))) out.push(e);
  return out;
}

// Every agent sync matches every workload against every entry: an entry's selector strings are
// computed once per selector list (entries are replaced, not edited, when they change).
const SELECTOR_STRINGS = new WeakMap<readonly Selector[], readonly string[]>();
function selectorStrings(selectors: readonly Selector[]): readonly string[] {
  let s = SELECTOR_STRINGS.get(selectors);
  if (!s || s.length !== selectors.length) {
    s = selectors.map(selectorString);
    SELECTOR_STRINGS.set(selectors, s);
  }
  return s;
}

const byEntryId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** `federates_with` may hold a name or a `spiffe://` ID (TrustDomainFromString accepts both). */
const tdName = (fw: string): string => (fw.includes(':/') ? fw.replace(/^spiffe:\/\//, '').replace(/\/.*$/, '') : fw);

export function buildWorkloadUpdate(inputs: WorkloadUpdateInputs, selectors: readonly Selector[]): X509WorkloadUpdate {
  const identities: X509Identity[] = [];
  for (const entry of entriesMatching(inputs.entries, selectors).sort(byEntryId)) {
    const svid = inputs.svids.get(entry.id);
    if (svid) identities.push({ entry, svid });
  }
  const federated = new Map<string, SpiffeBundle>();
  for (const { entry } of identities) {
    for (const fw of entry.federatesWith) {
      const name = tdName(fw);
      const bundle = inputs.bundles.get(name);
      if (bundle) federated.set(name, bundle);
      else inputs.warn?.('Federated bundle contents missing', { registration_id: entry.id, spiffe_id: entry.spiffeId, federated_bundle: fw });
    }
  }
  const federatedBundles = new Map([...federated].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { bundle: inputs.bundles.get(inputs.trustDomain), federatedBundles, identities };
}

/**
 * A fingerprint of what a workload would receive: equal fingerprints mean no push is due
 * (upstream notifies subscribers only when their entries, SVIDs or bundles changed).
 */
export function updateFingerprint(u: X509WorkloadUpdate): string {
  let fp = FINGERPRINTS.get(u);
  if (fp === undefined) FINGERPRINTS.set(u, (fp = fingerprintOf(u)));
  return fp;
}

// An update is not modified once built (the agent cache hands the same one out while nothing changed).
const FINGERPRINTS = new WeakMap<X509WorkloadUpdate, string>();

function fingerprintOf(u: X509WorkloadUpdate): string {
  const roots = (b: SpiffeBundle | undefined): string => (b ? b.x509Authorities.map((c) => c.serial.toString(16) + ':' + c.notAfter).join(',') : '-');
  return [
    roots(u.bundle),
    ...[...u.federatedBundles].map(([td, b]) => `${td}=${roots(b)}`),
    ...u.identities.map((i) => `${i.entry.id}@${i.entry.revisionNumber}:${i.svid.chain[0]?.serial.toString(16) ?? ''}`),
  ].join('|');
}
