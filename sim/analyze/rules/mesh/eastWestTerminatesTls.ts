/**
 * M05: an east-west gateway server that terminates TLS (`SIMPLE`, `MUTUAL`, `ISTIO_MUTUAL`) makes the gateway
 * the client's TLS peer: the client's SAN check sees the gateway's certificate, not the workload's, and the
 * server sees the gateway's identity, not the caller's. Cross-network traffic needs `AUTO_PASSTHROUGH`
 * (istio samples/multicluster/expose-services.yaml; research/istio-spec.md §3).
 */
import type { Finding, Rule } from '../../types.ts';
import { describe, finding } from './facts.ts';
import { eastWestServers } from './gatewayServers.ts';

const TERMINATING = new Set(['SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL', 'OPTIONAL_MUTUAL']);

export const eastWestTerminatesTls: Rule = {
  code: 'FL0108',
  severity: 'error',
  title: 'East-west gateway server terminates TLS instead of AUTO_PASSTHROUGH',
  refs: ['M05'],
  check(input) {
    const out: Finding[] = [];
    for (const c of input.clusters) {
      for (const s of eastWestServers(c)) {
        if (!s.mode || !TERMINATING.has(s.mode)) continue;
        out.push(finding(eastWestTerminatesTls, s.gateway, `spec.servers[${s.index}].tls.mode`,
          `${describe(s.gateway)} terminates TLS on ${s.port} (tls.mode ${s.mode}): a sidecar calling across networks opens mTLS to the workload, but now the gateway answers with its own certificate, the client's SAN check fails (CERTIFICATE_VERIFY_FAILED) and end-to-end identity is lost. Use tls.mode AUTO_PASSTHROUGH with hosts ["*.local"], as samples/multicluster/expose-services.yaml does, and drop the routes that send the traffic on.`));
      }
    }
    return out;
  },
};
