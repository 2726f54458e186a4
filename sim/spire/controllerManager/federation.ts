/**
 * ClusterFederatedTrustDomain → SPIRE federation relationships (scm:pkg/spirefederationrelationship/
 * reconciler.go; spec validation scm:api/v1alpha1/clusterfederatedtrustdomain_webhook.go
 * ParseClusterFederatedTrustDomainSpec; scm:pkg/spireapi/types.go ValidateBundleEndpointURL,
 * FederationRelationship.Equal; scm:pkg/spireapi/trustdomainapi.go).
 *
 * A pass: list SPIRE's dynamic relationships; list the CFTDs of this controller's class, oldest first
 * (creation second, then UID), skipping invalid ones and later duplicates of a trust domain; delete
 * relationships nobody declares (the stored bundle stays), create missing ones (with
 * `trustDomainBundle`, which SPIRE stores as the domain's bundle), update those whose URL or profile
 * differ. An edit of only `trustDomainBundle` is therefore ignored; but an update (URL/profile change)
 * is sent without a field mask, so it carries the CR's `trustDomainBundle` again and SPIRE replaces
 * the stored bundle with it. Results are only logged; the CR has no status.
 * Note: upstream does not compare the bundle document's contents with `trustDomain` (a SPIFFE bundle
 * document does not name its trust domain); `invalid trustDomainBundle value` errors are go-spiffe's
 * parse errors.
 * Simplified: URLs are parsed with a small model of Go's net/url (scheme, authority, userinfo, port).
 */
import { err, ok, simError, type Result, type SimError } from '../../core/result.ts';
import type { KubeObject } from '../../kube/object.ts';
import type { ClusterStore } from '../../kube/store.ts';
import { parseSpiffeId } from '../../spiffe/id.ts';
import { parseSpiffeBundle } from '../../spiffe/spiffeBundle.ts';
import type { TrustDomain } from '../../spiffe/trustDomain.ts';

// The controller re-reads every CR on each 10 s pass; the bundle text rarely changes, so its parse is
// kept by (trust domain, text). Parsing is pure, so this changes nothing but speed.
const parsedBundles = new TextMemo<ReturnType<typeof parseSpiffeBundle>>(256);
function parseBundleCached(td: TrustDomain, text: string): ReturnType<typeof parseSpiffeBundle> {
  return parsedBundles.get(td.name, text, () => parseSpiffeBundle(td, text));
}
import { trustDomainFromString } from '../../spiffe/trustDomain.ts';
import { TextMemo } from '../../core/memo.ts';
import type { BundleEndpointProfile, FederationRelationship, TrustDomainApi } from '../api.ts';
import { reconcilesClass, type ControllerManagerConfig } from './config.ts';
import { grpcText } from './reconciler.ts';
import { byCreationThenUid, CLUSTER_FEDERATED_TRUST_DOMAIN, listKind, objectName, type Logger } from './resources.ts';

export type CftdSpecError = SimError<'spire/invalid-cluster-federated-trust-domain'>;

export interface ClusterFederatedTrustDomainSpec {
  trustDomain?: string;
  bundleEndpointURL?: string;
  bundleEndpointProfile?: { type?: string; endpointSPIFFEID?: string };
  trustDomainBundle?: string;
  className?: string;
}

const specError = (message: string): { ok: false; error: CftdSpecError } => err(simError('spire/invalid-cluster-federated-trust-domain', message));

/** ValidateBundleEndpointURL over a model of Go's url.Parse. */
export function validateBundleEndpointUrl(s: string): Result<void, string> {
  if (s === '') return err('bundle endpoint URL is missing');
  const parseErr = (why: string) => err(`parse ${JSON.stringify(s)}: ${why}`);
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(s);
  if (s.startsWith(':')) return parseErr('missing protocol scheme');
  if ([...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return parseErr('net/url: invalid control character in URL');
  const scheme = m ? m[1]!.toLowerCase() : '';
  const rest = m ? s.slice(m[0].length) : s;
  if (!m && /^[^/]*:/.test(s)) return parseErr('first path segment in URL cannot contain colon');
  if (scheme !== 'https') return err('scheme must be https');
  let host = '';
  let user = false;
  if (rest.startsWith('//')) {
    const end = rest.slice(2).search(/[/?#]/);
    let authority = end < 0 ? rest.slice(2) : rest.slice(2, 2 + end);
    const at = authority.lastIndexOf('@');
    if (at >= 0) {
      user = true;
      authority = authority.slice(at + 1);
    }
    host = authority;
    const colon = host.lastIndexOf(':');
    if (colon >= 0 && !host.endsWith(']')) {
      const port = host.slice(colon + 1);
      if (!/^\d*$/.test(port)) return parseErr(`invalid port ${JSON.stringify(host.slice(colon))} after host`);
    }
  }
  if (host === '') return err('host must be specified');
  if (user) return err('cannot contain userinfo');
  return ok(undefined);
}

/** ParseClusterFederatedTrustDomainSpec: what the webhook refuses and the reconciler ignores. */
export function parseClusterFederatedTrustDomainSpec(spec: ClusterFederatedTrustDomainSpec): Result<FederationRelationship, CftdSpecError> {
  const td = trustDomainFromString(spec.trustDomain ?? '');
  if (!td.ok) return specError(`invalid trustDomain value: ${td.error.message}`);
  const url = spec.bundleEndpointURL ?? '';
  const u = validateBundleEndpointUrl(url);
  if (!u.ok) return specError(`invalid bundleEndpointURL value: ${u.error}`);
  const p = spec.bundleEndpointProfile ?? {};
  let profile: BundleEndpointProfile;
  switch (p.type) {
    case 'https_web':
      if (p.endpointSPIFFEID) return specError('invalid bundle endpoint profile endpointSPIFFEID value: not applicable to the "https_web" profile');
      profile = { type: 'https_web' };
      break;
    case 'https_spiffe': {
      const id = parseSpiffeId(p.endpointSPIFFEID ?? '');
      if (!id.ok) return specError(`invalid bundle endpoint profile endpointSPIFFEID value: ${id.error.message}`);
      profile = { type: 'https_spiffe', endpointSpiffeId: id.value.toString() };
      break;
    }
    default:
      return specError(`invalid bundle endpoint profile type value ${JSON.stringify(p.type ?? '')}`);
  }
  const rel: FederationRelationship = { trustDomain: td.value.name, bundleEndpointUrl: url, profile };
  if (spec.trustDomainBundle) {
    const b = parseBundleCached(td.value, spec.trustDomainBundle);
    if (!b.ok) return specError(`invalid trustDomainBundle value: ${b.error.message}`);
    return ok({ ...rel, trustDomainBundle: b.value });
  }
  return ok(rel);
}

/** FederationRelationship.Equal: trust domain, URL and profile only. */
export function relationshipsEqual(a: FederationRelationship, b: FederationRelationship): boolean {
  if (a.trustDomain !== b.trustDomain || a.bundleEndpointUrl !== b.bundleEndpointUrl || a.profile.type !== b.profile.type) return false;
  return a.profile.type === 'https_web' || a.profile.endpointSpiffeId === (b.profile as { endpointSpiffeId: string }).endpointSpiffeId;
}

export interface FederationReconcilerDeps {
  readonly store: ClusterStore;
  readonly api: TrustDomainApi & { readonly isServing?: () => boolean };
  readonly config: Pick<ControllerManagerConfig, 'className' | 'watchClassless'>;
  readonly log: Logger;
}

export interface FederationPassReport {
  readonly created: readonly string[];
  readonly updated: readonly string[];
  readonly deleted: readonly string[];
  readonly ignored: readonly { readonly name: string; readonly reason: string }[];
}

const LOGGER = 'federation relationship-reconciler';

function relFields(r: FederationRelationship): Record<string, unknown> {
  const f: Record<string, unknown> = { trustDomainKey: r.trustDomain, bundleEndpointURL: r.bundleEndpointUrl, bundleEndpointProfile: r.profile.type };
  if (r.profile.type === 'https_spiffe') f.endpointSPIFFEID = r.profile.endpointSpiffeId;
  return f;
}

/** One federation pass. */
export function reconcileFederation(d: FederationReconcilerDeps): FederationPassReport {
  const report = { created: [] as string[], updated: [] as string[], deleted: [] as string[], ignored: [] as { name: string; reason: string }[] };
  if (d.api.isServing && !d.api.isServing()) {
    d.log('ERROR', LOGGER, 'Failed to list SPIRE federation relationships', { error: 'rpc error: code = Unavailable desc = connection error' });
    return report;
  }
  const current = new Map<string, FederationRelationship>();
  for (const r of d.api.listFederationRelationships()) current.set(r.trustDomain, r);
  // sortClusterFederatedTrustDomainsByCreationDate: creation time, then UID.
  const cftds: KubeObject[] = [...(listKind(d.store, CLUSTER_FEDERATED_TRUST_DOMAIN) ?? [])].sort(byCreationThenUid);
  const declared = new Map<string, { obj: KubeObject; rel: FederationRelationship }>();
  for (const obj of cftds) {
    const spec = (obj.spec ?? {}) as ClusterFederatedTrustDomainSpec;
    if (!reconcilesClass(d.config, spec.className ?? '')) continue;
    const parsed = parseClusterFederatedTrustDomainSpec(spec);
    if (!parsed.ok) {
      report.ignored.push({ name: obj.metadata.name, reason: parsed.error.message });
      d.log('ERROR', LOGGER, 'Ignoring invalid ClusterFederatedTrustDomain', { clusterFederatedTrustDomain: objectName(obj), error: parsed.error.message });
      continue;
    }
    const existing = declared.get(parsed.value.trustDomain);
    if (existing) {
      report.ignored.push({ name: obj.metadata.name, reason: `conflicting trust domain with ${existing.obj.metadata.name}` });
      d.log('INFO', LOGGER, 'Ignoring ClusterFederatedTrustDomain with conflicting trust domain', { clusterFederatedTrustDomain: objectName(obj), conflictWith: objectName(existing.obj) });
      continue;
    }
    declared.set(parsed.value.trustDomain, { obj, rel: parsed.value });
  }
  const toDelete = [...current.values()].filter((r) => !declared.has(r.trustDomain));
  const toCreate: FederationRelationship[] = [];
  const toUpdate: FederationRelationship[] = [];
  for (const { rel } of declared.values()) {
    const cur = current.get(rel.trustDomain);
    if (!cur) toCreate.push(rel);
    else if (!relationshipsEqual(cur, rel)) toUpdate.push(rel);
  }
  const run = (
    label: 'delete' | 'create' | 'update',
    rels: FederationRelationship[],
    call: () => Result<unknown, { code: string; message: string }>[],
    done: string[],
  ) => {
    if (rels.length === 0) return;
    const verb = label === 'delete' ? 'Deleted' : label === 'create' ? 'Created' : 'Updated';
    call().forEach((r, i) => {
      const rel = rels[i]!;
      if (r.ok) {
        done.push(rel.trustDomain);
        d.log('INFO', LOGGER, `${verb} federation relationship`, relFields(rel));
      } else d.log('ERROR', LOGGER, `Failed to ${label} federation relationship`, { ...relFields(rel), error: grpcText(r.error) });
    });
  };
  run('delete', toDelete, () => d.api.batchDeleteFederationRelationship(toDelete.map((r) => r.trustDomain)), report.deleted);
  run('create', toCreate, () => d.api.batchCreateFederationRelationship(toCreate), report.created);
  run('update', toUpdate, () => d.api.batchUpdateFederationRelationship(toUpdate), report.updated);
  return report;
}
