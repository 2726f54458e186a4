/**
 * ClusterStaticEntry → one registration entry, no templating (scm:pkg/spireentry/entries.go
 * renderStaticEntry, scm:api/v1alpha1/clusterstaticentry_types.go). Status `{rendered, masked, set}`
 * is recomputed from false every pass (scm:pkg/spireentry/by.go): `set` is true only in the pass whose
 * create succeeded.
 * Simplified: TTLs that are not Go durations are a render failure here (upstream the object cannot be
 * decoded by the client at all).
 */
import { parseDuration } from '../../core/duration.ts';
import { err, ok, simError, type Result } from '../../core/result.ts';
import { parseSpiffeId } from '../../spiffe/id.ts';
import { trustDomainFromString } from '../../spiffe/trustDomain.ts';
import type { EntryInput, Selector } from '../api.ts';
import { parseEntrySelector, type RenderError } from './clusterSpiffeId.ts';

export interface ClusterStaticEntrySpec {
  spiffeID?: string;
  parentID?: string;
  selectors?: string[];
  federatesWith?: string[];
  x509SVIDTTL?: string;
  jwtSVIDTTL?: string;
  dnsNames?: string[];
  hint?: string;
  admin?: boolean;
  downstream?: boolean;
  storeSVID?: boolean;
  className?: string;
}

export interface ClusterStaticEntryStatus {
  rendered: boolean;
  masked: boolean;
  set: boolean;
}

const fail = (message: string): { ok: false; error: RenderError } => err(simError('spire/entry-render-failed', message));

function seconds(text: string | undefined): Result<number, string> {
  if (!text) return ok(0);
  const d = parseDuration(text);
  return d.ok ? ok(Math.trunc(d.value / 1000)) : err(d.error.message);
}

export function renderStaticEntry(spec: ClusterStaticEntrySpec): Result<EntryInput, RenderError> {
  const spiffeId = parseSpiffeId(spec.spiffeID ?? '');
  if (!spiffeId.ok) return fail(`failed to parse SPIFFEID: ${spiffeId.error.message}`);
  const parentId = parseSpiffeId(spec.parentID ?? '');
  if (!parentId.ok) return fail(`failed to parse ParentID: ${parentId.error.message}`);
  const selectors: Selector[] = [];
  for (const s of spec.selectors ?? []) {
    const p = parseEntrySelector(s);
    if (!p.ok) return fail(`failed to parse Selectors: ${p.error}`);
    selectors.push(p.value);
  }
  const federatesWith: string[] = [];
  for (const v of spec.federatesWith ?? []) {
    const td = trustDomainFromString(v);
    if (!td.ok) return fail(`invalid federatesWith value: ${td.error.message}`);
    federatesWith.push(td.value.name);
  }
  const x509 = seconds(spec.x509SVIDTTL);
  if (!x509.ok) return fail(x509.error);
  const jwt = seconds(spec.jwtSVIDTTL);
  if (!jwt.ok) return fail(jwt.error);
  return ok({
    spiffeId: spiffeId.value.toString(),
    parentId: parentId.value.toString(),
    selectors,
    x509SvidTtl: x509.value,
    jwtSvidTtl: jwt.value,
    federatesWith,
    dnsNames: spec.dnsNames ?? [],
    hint: spec.hint ?? '',
    admin: spec.admin === true,
    downstream: spec.downstream === true,
    storeSvid: spec.storeSVID === true,
  });
}
