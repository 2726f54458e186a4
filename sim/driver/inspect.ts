/**
 * The inspectors' data: any Kubernetes object as YAML (with the manifest line it came from), a
 * certificate chain parsed and judged at the virtual now (with the bundle whose root verifies it), a
 * SPIRE server's entries, bundles and federation state, and one proxy's SDS secrets. Plain JSON out.
 */
import { decodePem, encodePem, formatNameOpenssl, parseCertificate, serialHex, type Certificate } from '../pki/index.ts';
import { toYaml } from '../cli/kubectl/yamlPrinter.ts';
import type { World } from '../world/world.ts';
import type { CertificateInspection, CertificateView, Inspection, InspectTarget, ObjectInspection, ProxyInspection, SpireServerInspection } from '../driver.ts';

const hex = (b: Uint8Array | undefined): string | undefined => (b ? [...b].map((x) => x.toString(16).padStart(2, '0')).join(':') : undefined);
const same = (a: Uint8Array | undefined, b: Uint8Array | undefined): boolean => !!a && !!b && a.length === b.length && a.every((x, i) => x === b[i]);

/** Every bundle the world's SPIRE servers hold, as (trust domain, where, roots). */
function allBundles(world: World): { trustDomain: string; source: string; roots: readonly Certificate[] }[] {
  const out: { trustDomain: string; source: string; roots: readonly Certificate[] }[] = [];
  for (const [cluster, spire] of world.spire) {
    const server = spire.server();
    if (!server) continue;
    for (const b of server.datastore.listBundles()) out.push({ trustDomain: b.trustDomain, source: `${cluster}/spire-server`, roots: b.x509Authorities });
  }
  return out;
}

/** The bundle root that verifies `chain` (matched by key identifier, else by name), preferring `cluster`'s own server. */
function verifier(world: World, chain: readonly Certificate[], cluster: string | undefined): CertificateView['verifiedBy'] {
  const top = chain[chain.length - 1];
  if (!top) return undefined;
  const bundles = allBundles(world).sort((a, b) => Number(b.source.startsWith(`${cluster}/`)) - Number(a.source.startsWith(`${cluster}/`)));
  for (const b of bundles) {
    for (const r of b.roots) {
      const match = same(r.der, top.der) || (top.authorityKeyId ? same(r.subjectKeyId, top.authorityKeyId) : formatNameOpenssl(r.subject) === formatNameOpenssl(top.issuer));
      if (match) return { trustDomain: b.trustDomain, source: b.source, rootSubject: formatNameOpenssl(r.subject) };
    }
  }
  return undefined;
}

export function certificateView(world: World, c: Certificate, chain: readonly Certificate[] = [c], cluster?: string): CertificateView {
  const now = world.clock.now();
  const spiffeId = c.uris.find((u) => u.startsWith('spiffe://'));
  const ski = hex(c.subjectKeyId);
  const aki = hex(c.authorityKeyId);
  const by = verifier(world, chain.slice(chain.indexOf(c)), cluster);
  return {
    pem: encodePem('CERTIFICATE', c.der),
    subject: formatNameOpenssl(c.subject),
    issuer: formatNameOpenssl(c.issuer),
    serial: serialHex(c.serial),
    notBefore: new Date(c.notBefore).toISOString(),
    notAfter: new Date(c.notAfter).toISOString(),
    ...(spiffeId ? { spiffeId } : {}),
    uris: [...c.uris],
    dnsNames: [...c.dnsNames],
    isCa: c.basicConstraints?.ca ?? false,
    validity: now < c.notBefore ? 'not-yet-valid' : now > c.notAfter ? 'expired' : 'valid',
    ...(ski ? { subjectKeyId: ski } : {}),
    ...(aki ? { authorityKeyId: aki } : {}),
    ...(by ? { verifiedBy: by } : {}),
  };
}

const chainView = (world: World, chain: readonly Certificate[], cluster?: string): CertificateView[] => chain.map((c) => certificateView(world, c, chain, cluster));

function inspectObject(world: World, t: Extract<InspectTarget, { type: 'object' }>): ObjectInspection | { type: 'error'; message: string } {
  const c = world.clusters.get(t.cluster);
  if (!c) return { type: 'error', message: `no cluster ${t.cluster}` };
  const obj = c.store.find(t.kind, t.namespace, t.name);
  const ref = c.provenance.locate(t.cluster, t.kind, t.namespace, t.name);
  return { type: 'object', ref, found: obj !== undefined, yaml: obj ? toYaml(obj) : `# ${t.kind} ${t.namespace ? `${t.namespace}/` : ''}${t.name} does not exist in ${t.cluster}\n` };
}

function inspectCertificate(world: World, pem: string, cluster: string | undefined): CertificateInspection {
  const blocks = decodePem(pem);
  if (!blocks.ok) return { type: 'certificate', chain: [], error: blocks.error.message };
  const certs: Certificate[] = [];
  for (const b of blocks.value.filter((x) => x.type === 'CERTIFICATE')) {
    const c = parseCertificate(b.der);
    if (!c.ok) return { type: 'certificate', chain: [], error: c.error.message };
    certs.push(c.value);
  }
  return { type: 'certificate', chain: chainView(world, certs, cluster) };
}

function inspectSpireServer(world: World, cluster: string): SpireServerInspection {
  const server = world.spire.get(cluster)?.server();
  if (!server) return { type: 'spire-server', cluster, serving: false, entries: [], bundles: [], federation: [] };
  const events = world.events.all();
  const last = (td: string): SpireServerInspection['federation'][number]['lastRefresh'] => {
    for (let i = events.length - 1; i >= 0; i--) {
      const e = events[i]!;
      if (!e.source.startsWith(`${cluster}/`) || e.data.trustDomain !== td) continue;
      if (e.type === 'spire.bundle.refreshed') return { time: e.time, ok: true };
      if (e.type === 'spire.bundle.refresh-failed') return { time: e.time, ok: false, error: String(e.data.error ?? '') };
    }
    return undefined;
  };
  return {
    type: 'spire-server',
    cluster,
    serving: server.isServing(),
    trustDomain: server.trustDomain,
    entries: server.datastore.listEntries().map((e) => ({ id: e.id, spiffeId: e.spiffeId, parentId: e.parentId, selectors: e.selectors.map((s) => `${s.type}:${s.value}`), federatesWith: [...e.federatesWith], dnsNames: [...e.dnsNames], x509SvidTtl: e.x509SvidTtl })),
    bundles: server.datastore.listBundles().map((b) => ({ trustDomain: b.trustDomain, sequenceNumber: b.sequenceNumber, refreshHint: b.refreshHint, authorities: b.x509Authorities.map((c) => certificateView(world, c, [c], cluster)) })),
    federation: server.federation.managed().map((m) => {
      const l = last(m.trustDomain);
      return { trustDomain: m.trustDomain, bundleEndpointUrl: m.config.bundleEndpointUrl, profile: typeof m.config.profile === 'string' ? m.config.profile : JSON.stringify(m.config.profile), ...(m.nextRefreshAt !== undefined ? { nextRefreshAt: m.nextRefreshAt } : {}), ...(l ? { lastRefresh: l } : {}) };
    }),
  };
}

function inspectProxy(world: World, t: Extract<InspectTarget, { type: 'proxy' }>): ProxyInspection | { type: 'error'; message: string } {
  const proxy = world.mesh.proxy(t.cluster, t.namespace, t.pod);
  if (!proxy) return { type: 'error', message: `no proxy in ${t.cluster}/${t.namespace}/${t.pod}` };
  const s = proxy.secrets;
  const reason = proxy.notReadyReason();
  const root = s.rootCa;
  return {
    type: 'proxy',
    cluster: t.cluster,
    namespace: t.namespace,
    pod: t.pod,
    proxyType: proxy.id.type,
    ready: proxy.ready,
    ...(reason ? { notReadyReason: reason } : {}),
    provider: s.provider,
    warming: [...s.warming],
    ...(s.default ? { default: { chain: chainView(world, s.default.chain, t.cluster), lastUpdated: s.default.lastUpdated, version: s.default.version } } : {}),
    ...(root
      ? {
          rootCa: {
            kind: root.kind,
            trustDomains: root.kind === 'spiffe' ? [...root.trustDomains].map(([td, roots]) => ({ trustDomain: td, roots: chainView(world, roots, t.cluster) })) : [{ trustDomain: '*', roots: chainView(world, root.roots, t.cluster) }],
            lastUpdated: root.lastUpdated,
            version: root.version,
          },
        }
      : {}),
  };
}

export function inspect(world: World, target: InspectTarget): Inspection {
  switch (target.type) {
    case 'object':
      return inspectObject(world, target);
    case 'certificate':
      return inspectCertificate(world, target.pem, target.cluster);
    case 'spire-server':
      return inspectSpireServer(world, target.cluster);
    case 'proxy':
      return inspectProxy(world, target);
  }
}
