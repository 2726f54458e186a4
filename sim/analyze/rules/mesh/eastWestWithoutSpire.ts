/**
 * M12: the east-west gateway injected with the plain `gateway` template has no SPIFFE CSI volume, so its
 * pilot-agent gets the gateway's identity from istiod's CA. AUTO_PASSTHROUGH never terminates TLS, so traffic
 * is unaffected — but the gateway's identity is not SPIRE's (seed 004 patches it to `gateway,spire-gateway`).
 */
import type { Finding, Rule } from '../../types.ts';
import { annotationField, describe, finding, injectionTemplates, isGatewayWorkload, mountsSpiffeCsi, runsSpire, spireTemplateNames, userVolumeMountsCsi, workloads } from './facts.ts';

export const eastWestWithoutSpire: Rule = {
  code: 'FL0116',
  severity: 'warning',
  title: 'East-west gateway without the spire-gateway template: identity from istiod\'s CA',
  refs: ['M12'],
  check(input) {
    const out: Finding[] = [];
    const spire = spireTemplateNames(input.clusters);
    if (spire.size === 0) return out;
    const gatewaySpire = [...spire].find((t) => /gateway/.test(t)) ?? 'spire-gateway';
    for (const c of input.clusters) {
      if (!runsSpire(c)) continue;
      for (const w of workloads(c)) {
        if (!isGatewayWorkload(w)) continue;
        const templates = injectionTemplates(w) ?? ['gateway'];
        if (templates.some((t) => spire.has(t)) || userVolumeMountsCsi(w) || mountsSpiffeCsi(w.podSpec)) continue;
        out.push(finding(eastWestWithoutSpire, w.object, annotationField(w, 'inject.istio.io/templates'),
          `${describe(w.object)} is injected with "${templates.join(',')}" only: no SPIFFE CSI volume, so the gateway's pilot-agent gets its certificate from istiod's CA, not SPIRE (istioctl pc secret shows 7 columns and no trust domain). AUTO_PASSTHROUGH traffic is unaffected, but anything the gateway terminates uses a non-SPIRE identity. Inject it with "${[...templates, gatewaySpire].join(',')}" (a gateway template that mounts the SPIFFE CSI volume at /var/run/secrets/workload-spiffe-uds on its containers, like the spire-gateway template of Istio's spire-trust-domain-federation sample).`));
      }
    }
    return out;
  },
};
