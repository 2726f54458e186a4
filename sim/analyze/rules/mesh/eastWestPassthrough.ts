/**
 * M15: `PASSTHROUGH` on the east-west port routes only the SNI hosts of TLS VirtualServices; a sidecar's
 * cross-network SNI is `outbound_.<port>_._.<host>`, which only `AUTO_PASSTHROUGH` understands, so the gateway
 * has no filter chain for it (`filter_chain_not_found`) and the client sees a reset.
 */
import type { Finding, Rule } from '../../types.ts';
import { describe, finding } from './facts.ts';
import { eastWestServers } from './gatewayServers.ts';

export const eastWestPassthrough: Rule = {
  code: 'FL0119',
  severity: 'error',
  title: 'East-west gateway uses PASSTHROUGH: sidecars\' outbound_ SNI has no filter chain',
  refs: ['M15'],
  check(input) {
    const out: Finding[] = [];
    for (const c of input.clusters) {
      for (const s of eastWestServers(c)) {
        if (s.port !== 15443 || s.mode !== 'PASSTHROUGH') continue;
        out.push(finding(eastWestPassthrough, s.gateway, `spec.servers[${s.index}].tls.mode`,
          `${describe(s.gateway)} passes TLS through on 15443 with tls.mode PASSTHROUGH: that routes only the SNI hosts of TLS VirtualServices, but sidecars in other networks send SNI outbound_.<port>_._.<service FQDN>, which has no filter chain (gateway access log filter_chain_not_found; the gateway resets the handshake and the client gets a 503 "upstream connect error or disconnect/reset before headers … TLS_error:|…:Connection reset by peer"). Use tls.mode AUTO_PASSTHROUGH with hosts ["*.local"] (samples/multicluster/expose-services.yaml).`));
      }
    }
    return out;
  },
};
