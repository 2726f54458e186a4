/**
 * M01: pilot-agent uses SPIRE only if a socket answers at ./var/run/secrets/workload-spiffe-uds/socket when it
 * starts (istio: pkg/istio-agent/agent.go). A sidecar-injected workload in a SPIRE-federated mesh without the
 * SPIFFE CSI volume (no `spire` template, no CSI `userVolume`) silently gets an istiod-CA certificate
 * (issuer O=<trustDomain>), which peers validating against SPIRE's bundles reject.
 */
import type { Finding, Rule } from '../../types.ts';
import { annotationField, describe, finding, injectionTemplates, isGatewayWorkload, mountsSpiffeCsi, runsSpire, spireTemplateNames, userVolumeMountsCsi, workloads } from './facts.ts';

export const noSpireSocket: Rule = {
  code: 'FL0102',
  severity: 'error',
  title: 'Injected workload without the SPIRE socket in a SPIRE mesh: pilot-agent falls back to istiod\'s CA',
  refs: ['M01'],
  check(input) {
    const out: Finding[] = [];
    const spireTemplates = spireTemplateNames(input.clusters);
    if (spireTemplates.size === 0) return out;
    for (const c of input.clusters) {
      if (!runsSpire(c)) continue;
      for (const w of workloads(c)) {
        const templates = injectionTemplates(w);
        // Only workloads that choose their templates explicitly: the default injection is not a decision we can judge.
        if (!templates || !templates.includes('sidecar') || isGatewayWorkload(w)) continue;
        if (templates.some((t) => spireTemplates.has(t)) || userVolumeMountsCsi(w) || mountsSpiffeCsi(w.podSpec)) continue;
        out.push(finding(noSpireSocket, w.object, annotationField(w, 'inject.istio.io/templates'),
          `${describe(w.object)} is injected with "${templates.join(',')}" only: the pod gets no SPIFFE CSI volume at /var/run/secrets/workload-spiffe-uds, so pilot-agent finds no SPIRE socket at start-up, serves a certificate from istiod's CA (issuer O=<mesh trustDomain>, not SPIRE) and peers that validate against SPIRE's bundles reject it (CERTIFICATE_VERIFY_FAILED). Add the SPIRE template: inject.istio.io/templates: "${[...templates, [...spireTemplates].find((t) => !/gateway/.test(t)) ?? 'spire'].join(',')}". (CREDENTIAL_SOCKET_EXISTS changes nothing, G01.)`));
      }
    }
    return out;
  },
};
