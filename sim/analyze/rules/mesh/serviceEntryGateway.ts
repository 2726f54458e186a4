/**
 * M09 (and F06 / seed 003 §3): a ServiceEntry that reaches a remote service through the remote east-west
 * gateway (an endpoint port 15443) must make the client originate Istio mTLS with the SNI the gateway routes:
 * - MESH_EXTERNAL (the default) without a tlsMode-labelled endpoint or an ISTIO_MUTUAL DestinationRule gets no
 *   auto-mTLS: plaintext reaches the AUTO_PASSTHROUGH listener, `filter_chain_not_found`, the client sees a reset;
 * - the SNI is `outbound_.<entry port>_._.<host>`: the port must be one the remote service really has, or the
 *   gateway has no filter chain for it (research/istio-spec.md §4.5, §8.9).
 * The first answers guide claim G17 (seed 003 §3: a MESH_EXTERNAL entry to 15443 "carries the caller's identity").
 */
import type { ClusterInput, Finding, Rule } from '../../types.ts';
import { appServices, arr, describe, finding, fqdn, namespaceOf, obj, ofKind, serviceHost, specOf, str, strings } from './facts.ts';

function istioMutualDr(c: ClusterInput, host: string): boolean {
  return ofKind(c, 'DestinationRule').some((d) => fqdn(str(specOf(d).host) ?? '', namespaceOf(d) ?? 'default') === host && str(obj(obj(specOf(d).trafficPolicy).tls).mode) === 'ISTIO_MUTUAL');
}

export const serviceEntryGateway: Rule = {
  code: 'FL0113',
  severity: 'error',
  title: 'ServiceEntry to a remote east-west gateway: no mTLS origination, or a port the remote service does not have',
  refs: ['M09', 'F06', 'G17'],
  check(input) {
    const out: Finding[] = [];
    for (const c of input.clusters) {
      for (const se of ofKind(c, 'ServiceEntry')) {
        const spec = specOf(se);
        const endpoints = arr(spec.endpoints).map(obj);
        const viaGateway = endpoints.filter((e) => Object.values(obj(e.ports)).some((p) => Number(p) === 15443));
        if (viaGateway.length === 0) continue;
        const hosts = strings(spec.hosts).map((h) => fqdn(h, namespaceOf(se) ?? 'default'));
        const location = str(spec.location) ?? 'MESH_EXTERNAL';
        const mtlsEndpoint = viaGateway.every((e) => str(obj(e.labels)['security.istio.io/tlsMode']) === 'istio' || e.serviceAccount !== undefined);
        if (!mtlsEndpoint && !hosts.some((h) => istioMutualDr(c, h))) {
          const field = location === 'MESH_EXTERNAL' ? 'spec.location' : `spec.endpoints[${endpoints.indexOf(viaGateway[0]!)}].labels`;
          out.push(finding(serviceEntryGateway, se, field,
            `${describe(se)} sends ${hosts.join(', ')} to a gateway's port 15443, but ${location === 'MESH_EXTERNAL' ? 'it is MESH_EXTERNAL and ' : ''}its endpoint has no security.istio.io/tlsMode: istio label and no DestinationRule sets tls.mode ISTIO_MUTUAL: the sidecar sends plaintext, the AUTO_PASSTHROUGH gateway finds no filter chain (filter_chain_not_found) and the client gets a reset (503). Use location: MESH_INTERNAL with the endpoint labelled security.istio.io/tlsMode: istio and the remote identity in subjectAltNames (or add an ISTIO_MUTUAL DestinationRule).`,
            { positionField: location === 'MESH_EXTERNAL' && spec.location === undefined ? 'spec' : field, refs: ['M09', 'F06', 'G17'] }));
        }
        // The SNI names the entry's port; the remote gateway only has chains for the remote service's ports.
        for (const other of input.clusters) {
          if (other === c) continue;
          for (const svc of appServices(other).filter((s) => hosts.includes(serviceHost(s)))) {
            const remotePorts = arr(specOf(svc).ports).map((p) => Number(obj(p).port));
            arr(spec.ports).forEach((p, i) => {
              const n = Number(obj(p).number);
              if (remotePorts.includes(n)) return;
              out.push(finding(serviceEntryGateway, se, `spec.ports[${i}].number`,
                `${describe(se)} declares port ${n} for ${serviceHost(svc)}, so the client's SNI is outbound_.${n}_._.${serviceHost(svc)}; in cluster ${other.name} that service has port${remotePorts.length === 1 ? '' : 's'} ${remotePorts.join(', ')}, so the east-west gateway has no filter chain for the SNI (its access log: filter_chain_not_found) and resets the handshake: the client gets a 503 "upstream connect error or disconnect/reset before headers … TLS_error:|…:Connection reset by peer". Use the remote service's port (${remotePorts[0] ?? '?'}) and call that port.`, { refs: ['M09', 'F06'] }));
            });
          }
        }
      }
    }
    return out;
  },
};
