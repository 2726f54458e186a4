/**
 * M10 / G09: with native sidecars (Istio ≥ 1.27, ENABLE_NATIVE_SIDECARS `auto` and every kubelet ≥ 1.33; always
 * with `true`) istio-proxy is an init container (`restartPolicy: Always`). A custom template patching
 * `spec.containers[name=istio-proxy]` then adds a second, image-less `istio-proxy` container and the API server
 * rejects the pod (`Duplicate value: "istio-proxy"`, `image: Required value`), and vice versa
 * (istio: pkg/kube/inject/webhook.go DetectNativeSidecar; research/istio-spec.md §0, §8.2).
 * Gateways are never native sidecars, so the `spire-gateway` template rightly patches `containers`.
 */
import type { ClusterInput, Finding, Rule } from '../../types.ts';
import { arr, describe, finding, injectionTemplateDefs, injectionTemplates, installValues, isGatewayWorkload, istioVersionOf, kubeMinor, obj, pilotEnv, str, versionAtLeast, workloads, type Obj } from './facts.ts';
import { formatVersion } from '../../../istiod/install/versions.ts';

/** Native sidecars by default for pods of this cluster; undefined when the versions are not known. */
function nativeByDefault(c: ClusterInput): boolean | undefined {
  const v = istioVersionOf(c);
  const env = pilotEnv(c, 'ENABLE_NATIVE_SIDECARS');
  const compat = str(obj(installValues(c)?.values).compatibilityVersion);
  if (env === 'true') return true;
  if (env === 'false') return false;
  const at127 = versionAtLeast(v, '1.27');
  if (at127 === undefined) return undefined;
  if (!at127) return false;
  if (compat && /^1\.(2[0-6])$/.test(compat)) return false; // profile-compatibility-version-1.2{5,6} set it "false"
  const k = kubeMinor(c);
  return k === undefined ? undefined : k >= 33;
}

const patchesProxyIn = (body: Obj, list: 'containers' | 'initContainers'): boolean => arr(obj(body.spec)[list]).some((x) => str(obj(x).name) === 'istio-proxy');

export const spireTemplateNativeSidecar: Rule = {
  code: 'FL0114',
  severity: 'error',
  title: 'Custom injection template patches istio-proxy in the wrong list for native sidecars (Duplicate value "istio-proxy")',
  refs: ['M10', 'G09'],
  check(input) {
    const out: Finding[] = [];
    for (const c of input.clusters) {
      const native = nativeByDefault(c);
      if (native === undefined) continue;
      const wls = workloads(c);
      for (const t of injectionTemplateDefs(c)) {
        const users = wls.filter((w) => (injectionTemplates(w) ?? []).includes(t.name));
        const sidecarUsers = users.filter((w) => !isGatewayWorkload(w) && w.annotations['sidecar.istio.io/nativeSidecar'] !== String(!native));
        if (users.length > 0 ? sidecarUsers.length === 0 : /gateway/.test(t.name)) continue;
        const wrong = native ? 'containers' : 'initContainers';
        if (!patchesProxyIn(t.body, wrong)) continue;
        const right = native ? 'initContainers' : 'containers';
        const v = istioVersionOf(c);
        const who = sidecarUsers.length ? ` (${sidecarUsers.map((w) => describe(w.object)).join(', ')})` : '';
        const why = native
          ? `Istio ${v ? formatVersion(v) : ''} with kubelet 1.${kubeMinor(c) ?? '?'} injects istio-proxy as a native sidecar (an init container)`
          : 'istio-proxy is injected as a regular container here (no native sidecars)';
        out.push(finding(spireTemplateNativeSidecar, t.object, t.field,
          `injection template "${t.name}" patches spec.${wrong}[name=istio-proxy], but ${why}: the patch adds a second, image-less istio-proxy and the API server rejects every pod using it${who} — the ReplicaSet's FailedCreate event reads Duplicate value: "istio-proxy" (and image: Required value), not "duplicate container" as some guides say (G09). Patch spec.${right} instead, as Istio 1.29's spire-trust-domain-federation sample does.`));
      }
    }
    return out;
  },
};
