/**
 * FL0013 — in a mesh whose workloads take SPIRE identities (other workloads use a `spire` injection
 * template), an injected workload has neither the template nor a csi.spiffe.io volume: it gets no
 * Workload API socket, so pilot-agent serves istiod-CA certificates and peers validating against SPIRE's
 * bundles reject it (S13). Workloads that name their templates explicitly are FL0102's (M01).
 */
import type { Rule } from '../../types.ts';
import { finding, nameOf, perCluster, workloads } from '../util.ts';
import { mountsCsi, spireMeshWorkloads } from './spireMesh.ts';

export const podWithoutCsi: Rule = {
  code: 'FL0013',
  severity: 'error',
  title: 'Injected workload without the SPIRE template or CSI volume in a SPIRE mesh',
  refs: ['S13', 'M01'],
  check: perCluster((c) => {
    const spire = spireMeshWorkloads(c);
    if (spire.length === 0) return [];
    return workloads(c)
      .filter((w) => w.labels['security.istio.io/tlsMode'] === 'istio' && w.annotations['inject.istio.io/templates'] === undefined && !mountsCsi(w) && !/^(istio-|kube-|spire|zero-trust)/.test(w.namespace))
      .map((w) => finding(podWithoutCsi, w.object, `${w.specPath.replace(/\.spec$/, '')}.metadata.annotations`, `${w.object.object.kind} ${w.namespace}/${nameOf(w.object)} is injected with the default template only (no inject.istio.io/templates with "spire", no csi.spiffe.io volume), while ${spire.map((s) => `${s.namespace}/${nameOf(s.object)}`).join(', ')} use SPIRE: its pod has no Workload API socket at /var/run/secrets/workload-spiffe-uds/socket, so pilot-agent serves a certificate from istiod's CA and peers that validate against SPIRE's bundles reject it. Add the annotation inject.istio.io/templates: "sidecar,spire"`));
  }),
};
