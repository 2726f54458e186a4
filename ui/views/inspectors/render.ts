/**
 * The inspectors: a certificate chain (SPIFFE ID, validity drawn against the virtual now, the bundle
 * whose root verified it), a SPIRE server (entries, bundles, federation with its refresh state), a
 * proxy's SDS secrets (`default` and ROOTCA per trust domain, what is still warming), and any
 * Kubernetes object as YAML with the manifest line it came from. Plain DOM from Driver data.
 */
import type { CertificateView, Inspection, ObjectInspection, ProxyInspection, SpireServerInspection } from '../../../sim/driver.ts';
import { button, el, fileLink, links } from '../dom.ts';

const iso = (s: string): string => s.replace('.000Z', 'Z').replace('T', ' ');
const clock = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

/** A definition list of the rows that have a value (also the plain inspector's, inspector.ts). */
export function kv(rows: readonly (readonly [string, string | Node | undefined])[]): HTMLElement {
  const dl = el('dl', 'kv');
  for (const [k, v] of rows) {
    if (v === undefined || v === '') continue;
    const dd = el('dd');
    dd.append(v);
    dl.append(el('dt', undefined, k), dd);
  }
  return dl;
}

function duration(ms: number): string {
  const a = Math.abs(ms);
  const s = a < 120_000 ? `${Math.round(a / 1000)}s` : a < 7_200_000 ? `${Math.round(a / 60_000)}m` : a < 172_800_000 ? `${Math.round(a / 3_600_000)}h` : `${Math.round(a / 86_400_000)}d`;
  return s;
}

/** notBefore ━━━●━━━ notAfter with the virtual now as the dot. */
function validityBar(c: CertificateView): HTMLElement {
  const now = links().now();
  const nb = Date.parse(c.notBefore);
  const na = Date.parse(c.notAfter);
  const box = el('div', `validity validity-${c.validity}`);
  const bar = el('div', 'bar');
  const frac = na > nb ? Math.max(0, Math.min(1, (now - nb) / (na - nb))) : 0;
  const fill = el('span', 'fill');
  fill.style.width = `${(frac * 100).toFixed(1)}%`;
  const dot = el('span', 'now');
  dot.style.left = `${(frac * 100).toFixed(1)}%`;
  bar.append(fill, dot);
  const text =
    c.validity === 'valid' ? `valid now · expires in ${duration(na - now)} (lifetime ${duration(na - nb)})` : c.validity === 'expired' ? `EXPIRED ${duration(now - na)} ago` : `NOT YET VALID (starts in ${duration(nb - now)})`;
  box.append(bar, el('div', 'validity-text', now ? text : c.validity));
  return box;
}

export function certificateCard(c: CertificateView, title: string): HTMLElement {
  const box = el('div', `cert validity-${c.validity}`);
  box.dataset.spiffeId = c.spiffeId ?? '';
  const head = el('div', 'cert-head');
  head.append(el('span', 'cert-title', title), el('span', `badge ${c.isCa ? 'ca' : 'leaf'}`, c.isCa ? 'CA' : 'leaf'));
  box.append(head);
  if (c.spiffeId) box.append(el('div', 'spiffe-id', c.spiffeId));
  box.append(validityBar(c));
  box.append(
    kv([
      ['subject', c.subject],
      ['issuer', c.issuer],
      ['valid', `${iso(c.notBefore)} → ${iso(c.notAfter)}`],
      ['serial', c.serial],
      ['URI SANs', c.uris.filter((u) => u !== c.spiffeId).join(', ')],
      ['DNS SANs', c.dnsNames.join(', ')],
      ['verified by', c.verifiedBy ? `the ${c.verifiedBy.trustDomain} bundle in ${c.verifiedBy.source} (root ${c.verifiedBy.rootSubject})` : 'no bundle in the lab holds its root'],
    ]),
  );
  const more = el('details', 'pem-box');
  more.append(el('summary', undefined, 'key ids and PEM'), kv([['subject key id', c.subjectKeyId], ['authority key id', c.authorityKeyId]]), el('pre', 'pem', c.pem));
  box.append(more);
  return box;
}

/** leaf → intermediates → root, then each certificate's card. */
export function chainElement(chain: readonly CertificateView[], what: string): HTMLElement {
  const box = el('div', 'cert-chain');
  const path = el('div', 'chain-path');
  chain.forEach((c, i) => {
    if (i > 0) path.append(el('span', 'arrow', '→'));
    path.append(el('span', `hop validity-${c.validity}`, c.spiffeId ?? c.subject.replace(/^.*CN\s*=\s*/, '') ?? `#${i}`));
  });
  const top = chain[chain.length - 1];
  if (top) {
    path.append(el('span', 'arrow', '→'));
    path.append(el('span', `hop bundle ${top.verifiedBy ? 'ok' : 'fail'}`, top.verifiedBy ? `${top.verifiedBy.trustDomain} bundle (${top.verifiedBy.source})` : 'no bundle'));
  }
  box.append(path);
  chain.forEach((c, i) => box.append(certificateCard(c, i === 0 ? what : `chain[${i}]${c.isCa ? ' (CA)' : ''}`)));
  return box;
}

function objectView(i: ObjectInspection): HTMLElement {
  const box = el('div', 'inspection inspection-object');
  const head = el('div', 'obj-head');
  head.append(el('h3', undefined, `${i.ref.kind} ${i.ref.namespace ? `${i.ref.namespace}/` : ''}${i.ref.name}`));
  if (i.ref.cluster) head.append(el('span', 'badge', i.ref.cluster));
  box.append(head);
  if (i.ref.file) {
    const from = el('div', 'from muted', 'from ');
    from.append(fileLink(i.ref.file, i.ref.line));
    box.append(from);
  }
  if (!i.found) box.append(el('div', 'fail', 'not found in the cluster (deleted, or never created)'));
  // The last-applied annotation repeats the whole object as JSON; fold it to keep the YAML readable.
  const yaml = i.yaml.replace(/( {4}kubectl\.kubernetes\.io\/last-applied-configuration: \|\n)( {6}.*\n)+/, '$1      …\n');
  box.append(el('pre', 'yaml', yaml));
  return box;
}

function proxyView(i: ProxyInspection): HTMLElement {
  const box = el('div', 'inspection inspection-proxy');
  box.append(el('h3', undefined, `${i.proxyType === 'router' ? 'Gateway' : 'Sidecar'} of ${i.cluster}/${i.namespace}/${i.pod}`));
  box.append(
    kv([
      ['ready', i.ready ? 'yes' : `no — ${i.notReadyReason ?? 'not ready'}`],
      ['SDS from', i.provider === 'spire' ? 'the SPIRE agent (workload API socket)' : i.provider === 'istiod' ? "pilot-agent with istiod's CA (not SPIRE)" : 'nobody yet'],
      ['warming', i.warming.length ? i.warming.join(', ') : 'nothing'],
    ]),
  );
  box.append(el('h4', undefined, 'SDS secret "default" (the proxy\'s SVID)'));
  if (i.default) {
    box.append(el('div', 'muted', `version ${i.default.version} · updated ${clock(i.default.lastUpdated)}`));
    box.append(chainElement(i.default.chain, 'default'));
  } else box.append(el('div', 'fail', 'none: the proxy has no certificate (warming)'));
  box.append(el('h4', undefined, 'SDS secret "ROOTCA" (trusted roots per trust domain)'));
  if (i.rootCa) {
    box.append(el('div', 'muted', `${i.rootCa.kind === 'spiffe' ? 'SPIFFE validator (per trust domain)' : 'trusted CA (one pool)'} · version ${i.rootCa.version} · updated ${clock(i.rootCa.lastUpdated)}`));
    const tds = el('div', 'td-list');
    for (const t of i.rootCa.trustDomains) {
      const d = el('details', 'td');
      d.append(el('summary', undefined, `${t.trustDomain} — ${t.roots.length} root${t.roots.length === 1 ? '' : 's'}${t.roots.some((r) => r.validity !== 'valid') ? ' (some not valid now)' : ''}`));
      t.roots.forEach((r) => d.append(certificateCard(r, `root for ${t.trustDomain}`)));
      tds.append(d);
    }
    box.append(tds);
  } else box.append(el('div', 'fail', 'none: the proxy cannot verify any peer (warming)'));
  return box;
}

function table(head: readonly string[], rows: readonly (readonly (string | Node)[])[], cls: string): HTMLTableElement {
  const t = el('table', `grid ${cls}`);
  const tr = el('tr');
  for (const h of head) tr.append(el('th', undefined, h));
  t.append(tr);
  for (const r of rows) {
    const row = el('tr');
    for (const c of r) {
      const td = el('td');
      td.append(c);
      row.append(td);
    }
    t.append(row);
  }
  return t;
}

/** The bundle endpoint profile, `https_spiffe (spiffe://east.local/spire/server)`, from its JSON or name. */
function profileText(profile: string): string {
  try {
    const p = JSON.parse(profile) as { type?: string; endpointSpiffeId?: string };
    if (p && typeof p === 'object' && p.type) return `${p.type}${p.endpointSpiffeId ? ` (${p.endpointSpiffeId})` : ''}`;
  } catch {
    // Not JSON: already a name.
  }
  return profile;
}

function spireView(i: SpireServerInspection): HTMLElement {
  const box = el('div', 'inspection inspection-spire-server');
  box.append(el('h3', undefined, `SPIRE server in ${i.cluster}${i.trustDomain ? ` — ${i.trustDomain}` : ''}`));
  if (!i.serving) box.append(el('div', 'fail', 'not serving (stopped or crashing)'));
  box.append(el('h4', undefined, `Federation (${i.federation.length})`));
  if (i.federation.length === 0) box.append(el('div', 'muted', 'federates with no trust domain'));
  else
    box.append(
      table(
        ['trust domain', 'endpoint', 'last refresh', 'next'],
        i.federation.map((f) => {
          const last = f.lastRefresh ? el('span', f.lastRefresh.ok ? 'ok' : 'fail', `${clock(f.lastRefresh.time).slice(11)} ${f.lastRefresh.ok ? 'ok' : `failed: ${f.lastRefresh.error ?? ''}`}`) : el('span', 'fail', 'never');
          return [f.trustDomain, `${f.bundleEndpointUrl} · ${profileText(f.profile)}`, last, f.nextRefreshAt ? clock(f.nextRefreshAt).slice(11) : '—'];
        }),
        'federation',
      ),
    );
  box.append(el('h4', undefined, `Bundles (${i.bundles.length})`));
  for (const b of i.bundles) {
    const d = el('details', 'bundle');
    const bad = b.authorities.filter((a) => a.validity !== 'valid').length;
    d.append(el('summary', undefined, `${b.trustDomain} — sequence ${b.sequenceNumber}, refresh hint ${b.refreshHint}s, ${b.authorities.length} X.509 authorit${b.authorities.length === 1 ? 'y' : 'ies'}${bad ? `, ${bad} not valid now` : ''}`));
    b.authorities.forEach((a, n) => d.append(certificateCard(a, `authority ${n + 1}`)));
    box.append(d);
  }
  box.append(el('h4', undefined, `Registration entries (${i.entries.length})`));
  box.append(
    table(
      ['SPIFFE ID', 'selectors', 'federates with'],
      i.entries.map((e) => [e.spiffeId, e.selectors.join(' '), e.federatesWith.join(', ') || '—']),
      'entries',
    ),
  );
  return box;
}

export function renderRich(i: Inspection): HTMLElement {
  switch (i.type) {
    case 'error':
      return el('div', 'inspection fail', i.message);
    case 'object':
      return objectView(i);
    case 'proxy':
      return proxyView(i);
    case 'spire-server':
      return spireView(i);
    case 'certificate': {
      const box = el('div', 'inspection inspection-certificate');
      box.append(el('h3', undefined, 'Certificate'));
      if (i.error) box.append(el('div', 'fail', i.error));
      if (i.chain.length) box.append(chainElement(i.chain, 'certificate'));
      return box;
    }
  }
}

/** A "inspect certificate" button for PEM text found elsewhere (terminal output). */
export function inspectPemButton(pem: string, cluster: string | undefined): HTMLButtonElement {
  return button('inspect certificate', () => links().inspect({ type: 'certificate', pem, ...(cluster ? { cluster } : {}) }), 'btn small');
}
