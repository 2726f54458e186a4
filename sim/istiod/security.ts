/**
 * istiod's security configuration for one workload:
 * - inbound trust domains: `[trustDomain] + trustDomainAliases + caCertificates[].trustDomains`, or any
 *   under PILOT_SKIP_VALIDATE_TRUST_DOMAIN (pilot/pkg/networking/plugin/authn/util.go TrustDomainsForValidation);
 * - PeerAuthentication: workload selector > namespace > root namespace; same scope ⇒ oldest
 *   (pilot/pkg/security/authn/policy_applier.go);
 * - AuthorizationPolicy → RBAC: principals get `spiffe://` prepended (so `spiffe://…` in a policy never
 *   matches), `*` gives prefix/suffix, `namespaces` a regex over any trust domain, and principals in
 *   the trust domain, an alias or `cluster.local` are expanded to every domain of
 *   `[trustDomain] + trustDomainAliases` (pilot/pkg/security/authz/model/generator.go,
 *   pilot/pkg/security/trustdomain/bundle.go).
 */
import type { KubeObject } from '../kube/object.ts';
import type { ConfigRef, PeerAuthMode, PrincipalMatcher, RbacPolicy, RbacRule } from '../envoy/config.ts';
import type { MeshConfig } from './meshConfig.ts';
import type { ReadStore } from './registry.ts';

export interface WorkloadRef {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

const selects = (selector: { matchLabels?: Record<string, string> } | undefined, labels: Readonly<Record<string, string>>): boolean =>
  Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);

const ref = (o: KubeObject, cluster: string): ConfigRef => ({ kind: o.kind, namespace: o.metadata.namespace ?? 'default', name: o.metadata.name, cluster });

export function inboundTrustDomains(mesh: MeshConfig, skipValidate: boolean): readonly string[] | 'any' {
  if (skipValidate) return 'any';
  const all = [mesh.trustDomain, ...mesh.trustDomainAliases, ...mesh.caCertificates.flatMap((c) => c.trustDomains)];
  return all.filter((td, i) => all.indexOf(td) === i);
}

export function peerAuthentication(store: ReadStore, mesh: MeshConfig, w: WorkloadRef, cluster: string): { mode: PeerAuthMode; source?: ConfigRef } {
  const byAge = (a: KubeObject, b: KubeObject) => String(a.metadata.creationTimestamp ?? '').localeCompare(String(b.metadata.creationTimestamp ?? ''));
  const pas = [...store.scan('PeerAuthentication')].sort(byAge);
  type Spec = { selector?: { matchLabels?: Record<string, string> }; mtls?: { mode?: string } };
  const candidates = [
    pas.find((p) => p.metadata.namespace === w.namespace && (p.spec as Spec).selector && selects((p.spec as Spec).selector, w.labels)),
    pas.find((p) => p.metadata.namespace === w.namespace && !(p.spec as Spec).selector),
    pas.find((p) => p.metadata.namespace === mesh.rootNamespace && !(p.spec as Spec).selector),
  ];
  for (const p of candidates) {
    const mode = (p?.spec as Spec | undefined)?.mtls?.mode;
    if (p && mode && mode !== 'UNSET') return { mode: mode as PeerAuthMode, source: ref(p, cluster) };
  }
  return { mode: 'PERMISSIVE' };
}

/** The principal as istiod writes the matcher, with trust-domain alias expansion. */
function principalMatchers(p: string, mesh: MeshConfig): PrincipalMatcher[] {
  const bundle = [mesh.trustDomain, ...mesh.trustDomainAliases];
  const td = p.split('/')[0] ?? '';
  const rest = p.slice(td.length);
  const forms = (td === 'cluster.local' || bundle.includes(td)) && !p.startsWith('*') ? bundle.map((d) => `${d}${rest}`) : [p];
  return forms.map((f) => (f === '*' ? { prefix: 'spiffe://' } : f.startsWith('*') ? { suffix: f.slice(1) } : f.endsWith('*') ? { prefix: `spiffe://${f.slice(0, -1)}` } : { exact: `spiffe://${f}` }));
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function authorizationPolicies(store: ReadStore, mesh: MeshConfig, w: WorkloadRef, cluster: string): RbacPolicy[] {
  type Source = { principals?: string[]; notPrincipals?: string[]; namespaces?: string[]; notNamespaces?: string[]; serviceAccounts?: string[] };
  type Spec = { selector?: { matchLabels?: Record<string, string> }; action?: string; rules?: { from?: { source?: Source }[]; to?: { operation?: { paths?: string[]; methods?: string[]; ports?: string[] } }[] }[] };
  const out: RbacPolicy[] = [];
  for (const ap of store.scan('AuthorizationPolicy')) {
    const spec = ap.spec as Spec;
    const ns = ap.metadata.namespace ?? 'default';
    const applies = (ns === w.namespace && selects(spec.selector, w.labels)) || (ns === mesh.rootNamespace && !spec.selector);
    if (!applies) continue;
    const rules: RbacRule[] = (spec.rules ?? []).map((r) => {
      const sources = (r.from ?? []).map((f) => f.source ?? {});
      const principals = sources.flatMap((s) => [
        ...(s.principals ?? []).flatMap((p) => principalMatchers(p, mesh)),
        ...(s.namespaces ?? []).map((n) => ({ regex: `.*/ns/${escape(n)}/.*` })),
        ...(s.serviceAccounts ?? []).map((sa) => {
          const [sns, name] = sa.split('/');
          return { regex: `spiffe://.+/ns/${escape(sns ?? '')}/(.+/|)sa/${escape(name ?? '')}(/.+)?` };
        }),
      ]);
      const notPrincipals = sources.flatMap((s) => [...(s.notPrincipals ?? []).flatMap((p) => principalMatchers(p, mesh)), ...(s.notNamespaces ?? []).map((n) => ({ regex: `.*/ns/${escape(n)}/.*` }))]);
      const ops = (r.to ?? []).map((t) => t.operation ?? {});
      return { principals, notPrincipals, paths: ops.flatMap((o) => o.paths ?? []), methods: ops.flatMap((o) => o.methods ?? []), ports: ops.flatMap((o) => (o.ports ?? []).map(Number)) };
    });
    out.push({ namespace: ns, name: ap.metadata.name, action: (spec.action ?? 'ALLOW') as RbacPolicy['action'], rules, source: ref(ap, cluster) });
  }
  return out;
}

/** DestinationRule TLS for a host/port (subset-level ignored: Simplified, no subsets in the lab's routes). */
export function destinationRuleTls(store: ReadStore, host: string, port: number, clientNamespace: string, rootNamespace: string, cluster: string): { mode: string; sans: string[]; sni?: string; source: ConfigRef } | undefined {
  type Tls = { mode?: string; subjectAltNames?: string[]; sni?: string };
  type Spec = { host?: string; trafficPolicy?: { tls?: Tls; portLevelSettings?: { port?: { number?: number }; tls?: Tls }[] } };
  const matchesHost = (h: string | undefined, ns: string) => h !== undefined && (h === host || (!h.includes('.') && `${h}.${ns}.svc.cluster.local` === host) || (h.startsWith('*') && host.endsWith(h.slice(1))));
  const drs = store.scan('DestinationRule').filter((d) => matchesHost((d.spec as Spec).host, d.metadata.namespace ?? 'default'));
  // Lookup order: the client's namespace, the service's namespace, the root namespace (pilot/pkg/model/push_context.go destinationRule).
  const svcNs = host.split('.')[1] ?? '';
  const dr = drs.find((d) => d.metadata.namespace === clientNamespace) ?? drs.find((d) => d.metadata.namespace === svcNs) ?? drs.find((d) => d.metadata.namespace === rootNamespace);
  if (!dr) return undefined;
  const spec = dr.spec as Spec;
  const tls = spec.trafficPolicy?.portLevelSettings?.find((p) => p.port?.number === port)?.tls ?? spec.trafficPolicy?.tls;
  if (!tls?.mode) return undefined;
  return { mode: tls.mode, sans: tls.subjectAltNames ?? [], ...(tls.sni ? { sni: tls.sni } : {}), source: ref(dr, cluster) };
}
