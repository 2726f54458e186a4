/**
 * sim/kube — an emulated Kubernetes API per cluster: objects in wire shape, `kubectl apply`
 * (three-way, last-applied), strategic/merge/JSON patches, label selectors, watches, garbage
 * collection, validation as the API server does it from the CRD schemas (structural schema and the CEL
 * rules users meet, see docs/cel-rules.md), YAML with source positions, and the controllers that turn
 * Deployments into ReplicaSets, Pods, scheduling, pod IPs and Endpoints.
 *
 * Leaves out: server-side apply, EndpointSlices, grace periods, PVCs, IPv6, a REST front end
 * (the store keeps wire shape so one can be added). Each file marks its own `Simplified:` gaps.
 * References: kubernetes/kubernetes `staging/src/k8s.io/apimachinery` (strategicpatch, labels,
 * validation/field), `k8s.io/kubectl/pkg/cmd/apply`, `k8s.io/apiextensions-apiserver` (schema, CEL),
 * `pkg/controller/*`, cli-runtime `pkg/resource/mapper.go`.
 */
export { ClusterStore, type AdmissionHook, type KindRef, type WatchEvent, type PatchType, type PatchResult } from './store.ts';
export { applyManifest, applyAll, type ApplyResult, type ApplyOperation } from './apply.ts';
export { KindRegistry, BUILTIN_KINDS, type KindInfo } from './builtinKinds.ts';
export { parseSelector, labelSelectorMatches, type Selector } from './selector.ts';
export { parseYamlDocuments, formatLocation, splitFieldPath, joinFieldPath, type YamlDocument, type SourcePosition } from './yaml.ts';
export { createCrdRegistry, crdSetsFor, type CrdRegistry, type ClusterProducts, type CrdSetId } from './crds/registry.ts';
export { classifyKind, type KindClass } from './crds/classifyKind.ts';
export { createValidator } from './schema/validator.ts';
export { startControllers, type KubeControllers } from './controllers/install.ts';
export { restartWorkload } from './controllers/deployment.ts';
export { deepClone, deepEqual, getPath, gvkOf, type KubeObject, type KubeManifest } from './object.ts';
