/**
 * M13: PeerAuthentication STRICT leaves only the mTLS filter chain on the inbound listener
 * (pilot/pkg/security/authn/policy_applier.go); a client without a sidecar sends plaintext and the server's
 * sidecar resets the connection. Statically: a STRICT policy and workloads in the same cluster that get no
 * sidecar (namespace not injected, or `sidecar.istio.io/inject: "false"`).
 */
import type { Finding, Rule } from '../../types.ts';
import { describe, finding, injected, meshConfig, namespaceOf, obj, ofKind, specOf, str, SYSTEM_NAMESPACE, workloads } from './facts.ts';

export const strictWithoutSidecarClient: Rule = {
  code: 'FL0117',
  severity: 'warning',
  title: 'PeerAuthentication STRICT while workloads outside the mesh run in the cluster',
  refs: ['M13'],
  check(input) {
    const out: Finding[] = [];
    for (const c of input.clusters) {
      const root = str(meshConfig(c)?.mesh.rootNamespace) ?? 'istio-system';
      const outside = workloads(c).filter((w) => !SYSTEM_NAMESPACE.test(w.namespace) && injected(c, w) === false);
      if (outside.length === 0) continue;
      for (const pa of ofKind(c, 'PeerAuthentication')) {
        if (str(obj(specOf(pa).mtls).mode) !== 'STRICT') continue;
        const ns = namespaceOf(pa) ?? 'default';
        const scope = ns === root && !specOf(pa).selector ? 'every workload of the mesh' : specOf(pa).selector ? `the selected workloads in ${ns}` : `every workload in namespace ${ns}`;
        const clients = outside.filter((w) => w.namespace !== ns || ns === root);
        if (clients.length === 0) continue;
        out.push(finding(strictWithoutSidecarClient, pa, 'spec.mtls.mode',
          `${describe(pa)} requires mutual TLS for ${scope}, but ${clients.map((w) => `${describe(w.object)} (namespace ${w.namespace})`).join(', ')} run${clients.length === 1 ? 's' : ''} without a sidecar: their plaintext requests reach only the mTLS filter chain and the server's sidecar resets them (curl: "Recv failure: Connection reset by peer"). Inject those clients (label their namespace istio-injection=enabled), or use PERMISSIVE while clients outside the mesh remain.`));
      }
    }
    return out;
  },
};
