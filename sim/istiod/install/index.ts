/**
 * sim/istiod/install — installing Istio from the user's own resources: an IstioOperator file through
 * `istioctl install` (istioOperator.ts), or Sail/OSSM `Istio` and `IstioCNI` CRs (sail.ts), both rendered
 * by one renderer (render.ts) into the objects the Istio Helm charts produce — the mesh ConfigMap, the
 * injector ConfigMap, istiod, gateways, istio-cni — which the istiod runtime and the injector then read.
 * Leaves out: CRDs (the cluster's CRD set has them), RBAC, webhook configurations, HPA/PDB, pruning of
 * objects a previous install left, revision tags, ambient (ztunnel).
 * References: istio:operator/pkg/render/manifest.go, operator/pkg/install/install.go,
 * manifests/profiles/*.yaml, manifests/charts/{base,istio-control/istio-discovery,gateways/istio-ingress,
 * istio-cni}; ossm (openshift-service-mesh/sail-operator release-3.2); research/istio-spec.md §2–§3,
 * research/ztwim-spec.md §9.
 */
export { parseIstioVersion, formatVersion, compareVersions, atLeast, resolveSailVersion, SAIL_VERSIONS, SAIL_DEFAULT_VERSION, OSSM_DEFAULT_ISTIO, DEFAULT_ISTIO_VERSION, type IstioVersion } from './versions.ts';
export { PROFILES, profileNames } from './profiles.ts';
export { mergeFrom, mergeOverwrite, applySetFlag, chartDefaults, unknownValuesFields, KNOWN_VALUES_FIELDS, type Values } from './values.ts';
export { parseIstioOperator, mergeIstioOperator, installInputFromIop, type IopFile, type IopErrorCode } from './istioOperator.ts';
export {
  renderInstall,
  renderCni,
  effectiveValues,
  meshConfigOf,
  meshNetworksText,
  injectorValues,
  injectorConfigText,
  applyOverlayPatch,
  BUILTIN_TEMPLATES,
  BUILTIN_TEMPLATE_VALUE,
  type InstallInput,
  type ComponentsInput,
  type GatewayComponent,
  type ComponentName,
  type RenderedComponent,
} from './render.ts';
export { applyInstallObject, type ApplyOutcome } from './apply.ts';
export { startSailOperator, computeSailValues, SAIL_API_VERSION, type SailDeps, type SailOperator } from './sail.ts';
export { toYamlText } from './yamlText.ts';
