/**
 * sim/spire/controllerManager — spire-controller-manager: the ControllerManagerConfig file, Go
 * text/template rendering of ClusterSPIFFEID templates, the entry reconciler (ClusterSPIFFEID with
 * className, fallback, masking and status stats; ClusterStaticEntry), the federation-relationship
 * reconciler (ClusterFederatedTrustDomain) and the validating webhook.
 *
 * Leaves out: leader election, metrics/health endpoints, the webhook's serving certificate (minted from
 * SPIRE upstream), the static-manifest mode, the entry render cache; see each file's `Simplified:`.
 * References: github.com/spiffe/spire-controller-manager @ 430567cc (cmd/main.go, api/v1alpha1/*,
 * pkg/spireentry/*, pkg/spirefederationrelationship/*, pkg/spireapi/*, pkg/reconciler/*,
 * internal/controller/*); Go text/template; research/spire-spec.md §6, ztwim-spec.md §5.3,
 * helm-spire-spec.md §1.4.
 */
export {
  parseControllerManagerConfig,
  resolveControllerManagerConfig,
  isNamespaceIgnored,
  reconcilesClass,
  DEFAULT_IGNORE_NAMESPACES,
  DEFAULT_GC_INTERVAL_MS,
  DEFAULT_PARENT_ID_TEMPLATE,
  type ControllerManagerConfig,
  type ControllerManagerConfigInput,
  type ReconcileConfig,
  type ResolveOptions,
  type ConfigError,
} from './config.ts';
export { GoTemplate, type TemplateError } from './template.ts';
export { templateData, type GoValue, type TemplateDataInput } from './goValue.ts';
export {
  parseClusterSpiffeIdSpec,
  renderPodEntry,
  parseEntrySelector,
  zeroStats,
  type ClusterSpiffeIdSpec,
  type ClusterSpiffeIdStats,
  type ParsedClusterSpiffeIdSpec,
  type SpecError,
  type RenderError,
} from './clusterSpiffeId.ts';
export { renderStaticEntry, type ClusterStaticEntrySpec, type ClusterStaticEntryStatus } from './staticEntry.ts';
export { EntryReconciler, entryKey, UNSUPPORTED_FIELDS_PROBE_PATH, type EntryPassReport, type EntryReconcilerDeps } from './reconciler.ts';
export {
  reconcileFederation,
  parseClusterFederatedTrustDomainSpec,
  validateBundleEndpointUrl,
  relationshipsEqual,
  type ClusterFederatedTrustDomainSpec,
  type FederationPassReport,
  type CftdSpecError,
} from './federation.ts';
export { controllerManagerWebhook } from './webhook.ts';
export { startControllerManager, type ControllerManager, type ControllerManagerDeps, type ControllerManagerOptions } from './controllerManager.ts';
export { CLUSTER_SPIFFE_ID, CLUSTER_STATIC_ENTRY, CLUSTER_FEDERATED_TRUST_DOMAIN } from './resources.ts';
