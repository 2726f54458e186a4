/**
 * M02: a server's sidecar accepts a client certificate only if its SPIFFE ID is in one of the trust domains
 * istiod lists for inbound validation: `meshConfig.trustDomain` + `trustDomainAliases` +
 * `caCertificates[].trustDomains` (pilot/pkg/networking/plugin/authn/util.go TrustDomainsForValidation).
 * SPIRE federation alone is not enough: a peer cluster's domain missing from that list fails every call from
 * it in the handshake (`ssl.fail_verify_san` on the server's inbound listener).
 */
import type { Finding, Rule } from '../../types.ts';
import { acceptedTrustDomains, appServices, describe, finding, meshConfig, pilotEnv, trustDomainOf } from './facts.ts';
import { calls } from './multiCluster.ts';

export const peerTrustDomainNotAccepted: Rule = {
  code: 'FL0103',
  severity: 'error',
  title: 'Mesh config does not accept a peer cluster\'s trust domain (inbound handshake fails)',
  refs: ['M02'],
  check(input) {
    const out: Finding[] = [];
    for (const server of input.clusters) {
      const m = meshConfig(server);
      const accepted = acceptedTrustDomains(server);
      if (!m || !accepted || appServices(server).length === 0) continue;
      if (pilotEnv(server, 'PILOT_SKIP_VALIDATE_TRUST_DOMAIN') === 'true') continue;
      const own = trustDomainOf(server);
      for (const peer of input.clusters) {
        const td = trustDomainOf(peer);
        if (peer === server || !td || td === own || accepted.includes(td) || !calls(peer, server)) continue;
        const field = m.embedded ? m.path : `${m.path}.caCertificates`;
        out.push(finding(peerTrustDomainNotAccepted, m.object, field,
          `${describe(m.object)}: cluster ${server.name}'s inbound listeners accept only spiffe://${accepted.filter((d, i) => accepted.indexOf(d) === i).join('/, spiffe://')}/ peers (trustDomain + trustDomainAliases + caCertificates[].trustDomains), not ${td} of cluster ${peer.name}: its clients fail the server's SAN check in the handshake (the server sidecar's ssl.fail_verify_san grows; the client gets a 503 with a TLS error), although SPIRE federation delivers the bundle. Add ${td} to a caCertificates entry's trustDomains (as the Istio sample's istio.tmpl does) — trustDomainAliases also works but merges the identities for AuthorizationPolicy.`,
          { positionField: m.embedded ? m.path : (m.object.doc?.positionOf(`${m.path}.caCertificates`) ? `${m.path}.caCertificates` : `${m.path}.trustDomain`) }));
      }
    }
    return out;
  },
};
