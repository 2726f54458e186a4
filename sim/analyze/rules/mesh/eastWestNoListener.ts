/**
 * M06: an east-west gateway gets a listener on 15443 only from a Gateway selecting it (expose-services.yaml's
 * AUTO_PASSTHROUGH `*.local`). Without one, remote sidecars are sent to `<gateway>:15443` and the connect is
 * refused (Envoy body ending in `delayed connect error: 111`).
 */
import type { Finding, Rule } from '../../types.ts';
import { describe, eastWestGateways, finding } from './facts.ts';
import { eastWestServers } from './gatewayServers.ts';

export const eastWestNoListener: Rule = {
  code: 'FL0109',
  severity: 'error',
  title: 'East-west gateway without a Gateway on 15443 (no listener: connection refused)',
  refs: ['M06'],
  check(input) {
    const out: Finding[] = [];
    for (const c of input.clusters) {
      const gws = eastWestGateways(c).filter((g) => g.how !== 'gateway-api');
      if (gws.length === 0) continue;
      if (eastWestServers(c).some((s) => s.port === 15443)) continue;
      // A network-labelled Gateway API gateway carries its own listeners (see FL0110).
      if (eastWestGateways(c).some((g) => g.how === 'gateway-api')) continue;
      const g = gws.find((x) => x.how === 'service') ?? gws[0]!;
      const field = g.how === 'istio-operator' ? 'spec.components.ingressGateways' : 'metadata.name';
      out.push(finding(eastWestNoListener, g.object, field,
        `${describe(g.object)} is an east-west gateway, but no Gateway in cluster ${c.name} selects it with a server on port 15443: it has no listener there, so sidecars in other networks that istiod sends to <gateway address>:15443 get "Connection refused" (Envoy: delayed connect error: 111). Apply samples/multicluster/expose-services.yaml (Gateway cross-network-gateway, selector istio: eastwestgateway, port 15443, tls.mode AUTO_PASSTHROUGH, hosts ["*.local"]) in istio-system.`));
    }
    return out;
  },
};
