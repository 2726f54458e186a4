/**
 * M02 (security property): `trustDomainAliases` makes istiod rewrite every AuthorizationPolicy principal whose
 * trust domain is the local one, an alias or `cluster.local` for every domain of `[trustDomain] + aliases`
 * (pilot/pkg/security/trustdomain/bundle.go ReplaceTrustDomainAliases). Aliasing a federated peer's domain
 * therefore merges the two identity spaces: a policy naming `east.local/ns/default/sa/curl` also admits
 * `west.local/ns/default/sa/curl`. `caCertificates[].trustDomains` accepts the peer without merging.
 */
import type { Finding, Rule } from '../../types.ts';
import { arr, describe, finding, meshConfig, obj, ofKind, specOf, strings, trustDomainOf } from './facts.ts';

export const aliasesMergeIdentities: Rule = {
  code: 'FL0105',
  severity: 'warning',
  title: 'trustDomainAliases names a federated peer\'s domain: AuthorizationPolicy principals match both domains',
  refs: ['M02'],
  check(input) {
    const out: Finding[] = [];
    const peerDomains = new Map(input.clusters.map((c) => [trustDomainOf(c), c.name] as const));
    for (const c of input.clusters) {
      const m = meshConfig(c);
      const own = trustDomainOf(c);
      if (!m || !own) continue;
      const aliases = strings(m.mesh.trustDomainAliases).filter((a) => a !== own && peerDomains.has(a) && peerDomains.get(a) !== c.name);
      if (aliases.length === 0) continue;
      const bundle = [own, ...strings(m.mesh.trustDomainAliases)];
      for (const ap of ofKind(c, 'AuthorizationPolicy')) {
        arr(specOf(ap).rules).forEach((r, i) => {
          arr(obj(r).from).forEach((f, j) => {
            strings(obj(obj(f).source).principals).forEach((p, k) => {
              if (p.startsWith('spiffe://') || p.startsWith('*')) return;
              const td = p.split('/')[0] ?? '';
              if (td !== 'cluster.local' && !bundle.includes(td)) return;
              const rest = p.slice(td.length);
              const others = bundle.filter((d) => d !== td).map((d) => `${d}${rest}`);
              out.push(finding(aliasesMergeIdentities, ap, `spec.rules[${i}].from[${j}].source.principals[${k}]`,
                `${describe(ap)}: principal "${p}" also matches ${others.join(', ')} — cluster ${c.name}'s trustDomainAliases (${aliases.join(', ')}) name a federated peer's trust domain, and istiod expands principals of the local domain and its aliases to every domain of [trustDomain] + trustDomainAliases, so two different workloads are one identity for this policy. Accept the peer through caCertificates[].trustDomains instead of an alias (Istio 1.29's sample does), then the principal names only the workload it says.`));
            });
          });
        });
      }
    }
    return out;
  },
};
