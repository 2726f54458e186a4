/**
 * M06 (Gateway API form, seed 000 step 11): from Istio 1.25 istiod accepts Gateway API `TLS`/`TCP` listeners
 * only with `PILOT_ENABLE_ALPHA_GATEWAY_API=true` (istio: pilot/pkg/config/kube/gateway/conversion.go
 * `listenerProtocolToIstio`, commit 862ef25ae9e); otherwise the listener is not Accepted, the deployed gateway
 * has no 15443 listener and remote sidecars get "Connection refused".
 */
import type { Finding, Rule } from '../../types.ts';
import { arr, describe, finding, GATEWAY_API_GROUP, istioVersionOf, obj, ofKind, pilotEnv, specOf, str, versionAtLeast } from './facts.ts';
import { formatVersion } from '../../../istiod/install/versions.ts';

export const gatewayApiTlsAlpha: Rule = {
  code: 'FL0110',
  severity: 'error',
  title: 'Gateway API TLS/TCP listener without PILOT_ENABLE_ALPHA_GATEWAY_API on Istio ≥ 1.25',
  refs: ['M06'],
  check(input) {
    const out: Finding[] = [];
    for (const c of input.clusters) {
      const v = istioVersionOf(c);
      if (!versionAtLeast(v, '1.25') || pilotEnv(c, 'PILOT_ENABLE_ALPHA_GATEWAY_API') === 'true') continue;
      for (const g of ofKind(c, 'Gateway', GATEWAY_API_GROUP)) {
        const cls = str(specOf(g).gatewayClassName) ?? '';
        if (cls === 'istio-remote' || !cls.startsWith('istio')) continue;
        arr(specOf(g).listeners).forEach((l, i) => {
          const p = str(obj(l).protocol);
          if (p !== 'TLS' && p !== 'TCP') return;
          out.push(finding(gatewayApiTlsAlpha, g, `spec.listeners[${i}].protocol`,
            `${describe(g)} listener ${str(obj(l).name) ?? i} uses protocol ${p}; istiod ${formatVersion(v!)} accepts TLS/TCP listeners only when PILOT_ENABLE_ALPHA_GATEWAY_API=true (protocol "${p}" is supported, but only when PILOT_ENABLE_ALPHA_GATEWAY_API=true is configured), so the deployed gateway gets no listener on ${String(obj(l).port)} and remote sidecars are refused. Install istiod with values.pilot.env.PILOT_ENABLE_ALPHA_GATEWAY_API=true, or use the IstioOperator east-west gateway with samples/multicluster/expose-services.yaml.`));
        });
      }
    }
    return out;
  },
};
