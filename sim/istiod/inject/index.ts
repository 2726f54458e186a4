/**
 * sim/istiod/inject — the Istio sidecar injector (the mutating webhook istiod serves on Pod CREATE) as
 * a pure function, held to upstream's golden files (pkg/kube/inject/testdata/inject/sidecar-spire.yaml,
 * gateway-spire.yaml at master 86c9f01).
 * Models: template selection (`inject.istio.io/templates`), the `sidecar` and `gateway` templates with
 * their 1.24–master differences, plain-YAML custom templates (the SPIRE ones), strategic-merge overlay in
 * order, native sidecars (ENABLE_NATIVE_SIDECARS, kubelet ≥ 1.33), user volumes, user-declared istio-proxy
 * overrides, Prometheus merge, network label, status annotation, container order; and whether a pod is
 * injected at all (webhook selectors + injectRequired).
 * Leaves out: Go-template custom templates, the grpc/waypoint/kube-gateway templates, app probe rewriting,
 * re-injection, OpenShift UID ranges (list in injector.ts).
 * References: istio pkg/kube/inject/{inject.go,webhook.go,template.go,app_probe.go},
 * manifests/charts/istio-control/istio-discovery/files/{injection-template.yaml,gateway-injection-template.yaml};
 * research/istio-spec.md §1.5–1.8.
 */
export { injectPod, deployMetaFromPod, type InjectContext, type InjectError, type InjectErrorCode } from './injector.ts';
export { admitPod, type AdmissionDenied, type AdmissionOutcome } from './admission.ts';
export { injectionWanted, injectRequired, matchingWebhook, webhookSelects } from './injectionWanted.ts';
export { detectNativeSidecar, type NodeVersion } from './nativeSidecar.ts';
export { userVolumeEntries } from './userVolume.ts';
export { templateFeatures, versionAtLeast, CHART_DEFAULT_VALUES, DEFAULT_MESH_CONFIG, type InjectionConfig, type NativeSidecarMode, type TemplateFeatures } from './values.ts';
export type { OwnerMeta, PodLike, PodMeta } from './templateData.ts';
