/**
 * The inspector panel (right): what is selected in the topology or a causal chain. A pod shows its
 * YAML; a proxy its SDS secrets (certificate chain with SPIFFE ID and validity at the virtual now,
 * the bundle that verifies it, ROOTCA by trust domain); a SPIRE server its entries, bundles and
 * federation state; a link its endpoints and detail. Richer inspectors build on `renderInspection`.
 */
import { kv, renderRich } from './inspectors/render.ts';
import type { CertificateView, Driver, InspectTarget, Inspection, LinkView, PodView } from '../../sim/driver.ts';
import { el } from './dom.ts';

export function certificateElement(c: CertificateView, title: string): HTMLElement {
  const box = el('div', `cert validity-${c.validity}`);
  box.dataset.spiffeId = c.spiffeId ?? '';
  box.append(el('h4', undefined, title));
  box.append(
    kv([
      ['SPIFFE ID', c.spiffeId],
      ['subject', c.subject],
      ['issuer', c.issuer],
      ['serial', c.serial],
      ['valid', `${c.notBefore.replace('.000Z', 'Z')} → ${c.notAfter.replace('.000Z', 'Z')}`],
      ['at virtual now', c.validity],
      ['CA', c.isCa ? 'yes' : 'no'],
      ['DNS', c.dnsNames.join(', ')],
      ['verified by', c.verifiedBy ? `${c.verifiedBy.trustDomain} bundle in ${c.verifiedBy.source} (${c.verifiedBy.rootSubject})` : 'no bundle in the lab holds its root'],
    ]),
  );
  const pem = el('details');
  pem.append(el('summary', undefined, 'PEM'), el('pre', 'pem', c.pem));
  box.append(pem);
  return box;
}

export function renderInspection(i: Inspection): HTMLElement {
  const box = el('div', `inspection inspection-${i.type}`);
  switch (i.type) {
    case 'error':
      box.append(el('div', 'fail', i.message));
      break;
    case 'object':
      box.append(el('h3', undefined, `${i.ref.kind} ${i.ref.namespace ? `${i.ref.namespace}/` : ''}${i.ref.name}`));
      if (i.ref.file) box.append(el('div', 'muted', `from ${i.ref.file}${i.ref.line !== undefined ? `:${i.ref.line}` : ''}`));
      box.append(el('pre', 'yaml', i.yaml));
      break;
    case 'certificate':
      if (i.error) box.append(el('div', 'fail', i.error));
      i.chain.forEach((c, n) => box.append(certificateElement(c, n === 0 ? 'certificate' : `chain[${n}]`)));
      break;
    case 'proxy': {
      box.append(el('h3', undefined, `${i.proxyType === 'router' ? 'Gateway' : 'Sidecar'} of ${i.namespace}/${i.pod}`));
      box.append(kv([['ready', i.ready ? 'yes' : `no — ${i.notReadyReason ?? ''}`], ['SDS from', i.provider === 'spire' ? 'the SPIRE agent (workload socket)' : i.provider === 'istiod' ? "pilot-agent with istiod's CA" : 'nobody yet'], ['warming', i.warming.join(', ')]]));
      if (i.default) i.default.chain.forEach((c, n) => box.append(certificateElement(c, n === 0 ? 'default (its SVID)' : `default chain[${n}]`)));
      if (i.rootCa) {
        box.append(el('h4', undefined, `ROOTCA (${i.rootCa.kind}): ${i.rootCa.trustDomains.map((t) => t.trustDomain).join(', ')}`));
        for (const t of i.rootCa.trustDomains) t.roots.forEach((c) => box.append(certificateElement(c, `root for ${t.trustDomain}`)));
      }
      break;
    }
    case 'spire-server': {
      box.append(el('h3', undefined, `SPIRE server in ${i.cluster}${i.trustDomain ? ` (${i.trustDomain})` : ''}`));
      if (!i.serving) box.append(el('div', 'fail', 'not serving'));
      box.append(el('h4', undefined, `Federation (${i.federation.length})`));
      for (const f of i.federation)
        box.append(kv([[f.trustDomain, `${f.bundleEndpointUrl} · ${f.profile}`], ['last refresh', f.lastRefresh ? `${new Date(f.lastRefresh.time).toISOString().slice(11, 19)} ${f.lastRefresh.ok ? 'ok' : `failed: ${f.lastRefresh.error ?? ''}`}` : 'never'], ['next refresh', f.nextRefreshAt ? new Date(f.nextRefreshAt).toISOString().slice(11, 19) : undefined]]));
      box.append(el('h4', undefined, `Bundles (${i.bundles.length})`));
      for (const b of i.bundles) box.append(kv([[b.trustDomain, `sequence ${b.sequenceNumber}, ${b.authorities.length} X.509 authorities${b.authorities.some((a) => a.validity !== 'valid') ? ' (some not valid now)' : ''}`]]));
      box.append(el('h4', undefined, `Entries (${i.entries.length})`));
      const ul = el('ul', 'entries');
      for (const e of i.entries) ul.append(el('li', undefined, `${e.spiffeId}${e.federatesWith.length ? ` · federatesWith ${e.federatesWith.join(', ')}` : ''}`));
      box.append(ul);
      break;
    }
  }
  return box;
}

/** What to ask the driver for when a pod is selected: the object first, then its proxy or server. */
export function targetsForPod(p: PodView): InspectTarget[] {
  const out: InspectTarget[] = [{ type: 'object', cluster: p.cluster, kind: 'Pod', namespace: p.namespace, name: p.name }];
  if (p.sidecar) out.unshift({ type: 'proxy', cluster: p.cluster, namespace: p.namespace, pod: p.name });
  if (p.kind === 'spire-server') out.unshift({ type: 'spire-server', cluster: p.cluster });
  return out;
}

export interface InspectorView {
  showPod(p: PodView): Promise<void>;
  showTarget(t: InspectTarget): Promise<void>;
  showLink(l: LinkView): void;
  showCluster(name: string): void;
  clear(): void;
}

export function createInspector(host: HTMLElement, driver: Driver): InspectorView {
  host.classList.add('inspector');
  const title = el('div', 'inspector-title', 'Inspector');
  const body = el('div', 'inspector-body');
  host.append(title, body);
  const hint = (): void => body.replaceChildren(el('p', 'muted', 'Click a pod, a component or a link in the topology, or an object in a causal chain.'));
  hint();
  let token = 0;
  return {
    async showPod(p) {
      const mine = ++token;
      title.textContent = `${p.cluster} · ${p.namespace}/${p.name}`;
      const parts = await Promise.all(targetsForPod(p).map((t) => driver.inspect(t)));
      if (mine !== token) return;
      body.replaceChildren(kvPod(p), ...parts.map(renderRich));
    },
    async showTarget(t) {
      const mine = ++token;
      title.textContent = t.type === 'object' ? `${t.cluster} · ${t.kind} ${t.name}` : t.type;
      const i = await driver.inspect(t);
      if (mine !== token) return;
      body.replaceChildren(renderRich(i));
    },
    showLink(l) {
      ++token;
      title.textContent = `${l.kind} link`;
      body.replaceChildren(kv([['kind', l.kind], ['health', l.health], ['what', l.label], ['detail', l.detail], ['from', l.from.replace(/^pod:/, '')], ['to', l.to.replace(/^(pod|cluster):/, '')]]));
    },
    showCluster(name) {
      ++token;
      if (!name) {
        title.textContent = 'Inspector';
        hint();
        return;
      }
      title.textContent = `cluster ${name}`;
      body.replaceChildren(el('p', 'muted', `Cluster ${name}. Select its SPIRE server for entries, bundles and federation.`));
    },
    clear() {
      ++token;
      title.textContent = 'Inspector';
      hint();
    },
  };
}

function kvPod(p: PodView): HTMLElement {
  return kv([
    ['status', `${p.status}${p.ready ? '' : ' (not ready)'}`],
    ['role', p.kind],
    ['node', p.node],
    ['IP', p.ip],
    ['sidecar', p.sidecar ? `${p.sidecar.type}${p.sidecar.native ? ' (native)' : ''}, SDS from ${p.sidecar.provider}${p.sidecar.spiffeId ? `, ${p.sidecar.spiffeId}` : ''}` : undefined],
  ]);
}
