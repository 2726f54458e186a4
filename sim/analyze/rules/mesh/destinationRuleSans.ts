/**
 * M07 / G06: a DestinationRule's `tls.subjectAltNames` replaces the SANs istiod would compute, so a service
 * that also runs in another trust domain fails the client's SAN check on those endpoints. Istio's default
 * retry policy (2 attempts, previous_hosts) moves to a healthy local endpoint, so with one the failure is
 * hidden — it does not fail "about half the requests" (research/istio-spec.md §8.7).
 */
import type { ClusterInput, Finding, Rule } from '../../types.ts';
import { appServices, arr, describe, finding, fqdn, namespaceOf, obj, ofKind, serviceHost, specOf, str, strings, trustDomainOf } from './facts.ts';

/** Clusters that run a Service named `host`, with their trust domains. */
function servingDomains(input: readonly ClusterInput[], host: string): { cluster: string; td: string }[] {
  const out: { cluster: string; td: string }[] = [];
  for (const c of input) {
    const td = trustDomainOf(c);
    if (td && appServices(c).some((s) => serviceHost(s) === host)) out.push({ cluster: c.name, td });
  }
  return out;
}

export const destinationRuleSans: Rule = {
  code: 'FL0111',
  severity: 'error',
  title: 'DestinationRule subjectAltNames miss the identity of a trust domain that serves the host',
  refs: ['M07', 'G06'],
  check(input) {
    const out: Finding[] = [];
    for (const c of input.clusters) {
      for (const dr of ofKind(c, 'DestinationRule')) {
        const spec = specOf(dr);
        const host = fqdn(str(spec.host) ?? '', namespaceOf(dr) ?? 'default');
        const tlsAt: { field: string; tls: Record<string, unknown> }[] = [
          { field: 'spec.trafficPolicy.tls', tls: obj(obj(spec.trafficPolicy).tls) },
          ...arr(obj(spec.trafficPolicy).portLevelSettings).map((p, i) => ({ field: `spec.trafficPolicy.portLevelSettings[${i}].tls`, tls: obj(obj(p).tls) })),
        ];
        const serving = servingDomains(input.clusters, host);
        for (const { field, tls } of tlsAt) {
          const sans = strings(tls.subjectAltNames);
          if (sans.length === 0) continue;
          for (const s of serving) {
            if (sans.some((san) => san.startsWith(`spiffe://${s.td}/`))) continue;
            const where = s.cluster === c.name ? 'this cluster' : `cluster ${s.cluster}`;
            out.push(finding(destinationRuleSans, dr, `${field}.subjectAltNames`,
              `${describe(dr)} lists subjectAltNames that replace Istio's own SANs for ${host}, but none is in trust domain ${s.td}, which serves it in ${where}: the client sidecar fails the SAN check on those endpoints (CERTIFICATE_VERIFY_FAILED). Istio's default retries move to a healthy endpoint elsewhere, so this usually shows as those endpoints never answering rather than as errors (G06). Add spiffe://${s.td}/ns/<namespace>/sa/<service account> of the ${host.split('.')[0] ?? host} workloads there, or drop subjectAltNames (Istio 1.29+ computes per-cluster SANs).`));
          }
        }
      }
    }
    return out;
  },
};
