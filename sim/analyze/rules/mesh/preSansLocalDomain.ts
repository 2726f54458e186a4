/**
 * M02 (before 1.29): istiod computes the SANs of every endpoint — remote clusters' included — from its own
 * `meshConfig.trustDomain` (+ aliases); only 1.29 reads each remote cluster's mesh config (istio#58455,
 * research/istio-spec.md §0). A client cluster on Istio < 1.29 calling a service that also runs in a
 * cluster of another trust domain expects spiffe://<local td>/… from it and fails the SAN check, unless
 * `trustDomainAliases` names the remote domain or a DestinationRule lists the remote SAN.
 */
import type { Finding, Rule } from '../../types.ts';
import { appServices, finding, fqdn, istioVersionOf, meshConfig, namespaceOf, obj, ofKind, serviceHost, specOf, str, strings, trustDomainOf, versionAtLeast } from './facts.ts';
import { discovers } from './multiCluster.ts';
import { formatVersion } from '../../../istiod/install/versions.ts';

export const preSansLocalDomain: Rule = {
  code: 'FL0104',
  severity: 'error',
  title: 'Istio < 1.29 expects the local trust domain in remote endpoints\' SANs (no alias, no DestinationRule SAN)',
  refs: ['M02'],
  check(input) {
    const out: Finding[] = [];
    for (const client of input.clusters) {
      const v = istioVersionOf(client);
      const m = meshConfig(client);
      const own = trustDomainOf(client);
      if (versionAtLeast(v, '1.29') !== false || !m || !own) continue;
      const aliases = strings(m.mesh.trustDomainAliases);
      const drSans = (host: string): string[] =>
        ofKind(client, 'DestinationRule')
          .filter((d) => fqdn(str(specOf(d).host) ?? '', namespaceOf(d) ?? 'default') === host)
          .flatMap((d) => strings(obj(obj(obj(specOf(d).trafficPolicy).tls)).subjectAltNames));
      const localHosts = new Set(appServices(client).map(serviceHost));
      for (const remote of input.clusters) {
        const td = trustDomainOf(remote);
        if (remote === client || !td || td === own || aliases.includes(td) || !discovers(client, remote)) continue;
        const shared = appServices(remote).map(serviceHost).filter((h) => localHosts.has(h) && !drSans(h).some((s) => s.startsWith(`spiffe://${td}/`)));
        if (shared.length === 0) continue;
        const field = m.embedded ? m.path : `${m.path}.trustDomainAliases`;
        out.push(finding(preSansLocalDomain, m.object, field,
          `Istio ${formatVersion(v!)} in cluster ${client.name} builds the expected SANs of every endpoint from its own trust domain ${own}, including ${shared.join(', ')} in cluster ${remote.name}, whose workloads present spiffe://${td}/… certificates: the client rejects them (CERTIFICATE_VERIFY_FAILED; with a healthy local endpoint, retries hide it). Add ${td} to meshConfig.trustDomainAliases, or a DestinationRule whose tls.subjectAltNames lists the remote identities (per-cluster SANs start with Istio 1.29).`,
          { positionField: m.embedded ? m.path : `${m.path}.trustDomain` }));
      }
    }
    return out;
  },
};
