/**
 * sim/spire/agent — the SPIRE agent of one node: agent.conf, node attestation, the 5 s sync with the
 * server, the SVID cache with jittered rotation, the k8s workload attestor, and the two endpoints on its
 * socket: Envoy SDS v3 and the SPIFFE Workload API (plus the unix-socket files clients dial).
 * Leaves out: JWT-SVIDs, the admin and broker APIs, SVIDStore, other node/workload attestors, the LRU
 * size bound, rate limits. Each file marks its own `Simplified:` gaps.
 * References: research/spire-spec.md §1.6, §4; `spire:pkg/agent/**`, `spire:cmd/spire-agent/cli/run/run.go`.
 */
export { SpireAgent, DEFAULT_SYNC_INTERVAL_MS, type SpireAgentOptions, type WorkloadSubscription, type AgentState } from './agent.ts';
export { AgentCache, type StaleEntry } from './cache.ts';
export {
  parseAgentConfig,
  agentConfigFromTree,
  DEFAULT_AGENT_SOCKET_PATH,
  DEFAULT_AGENT_CONFIG_PATH,
  DEFAULT_SDS_CONFIG,
  DEFAULT_SPIRE_VERSION,
  type AgentConfigOptions,
  type AgentConfig,
  type SdsConfig,
  type K8sWorkloadAttestorConfig,
  type PluginConfig,
  type ConfigLog,
  type AgentConfigResult,
} from './config.ts';
export { grpcError, rpcErrorString, GRPC_CODES, type AgentError, type AgentGrpcCode } from './grpcStatus.ts';
export { logrusLine, goQuoteList, rfc3339Seconds, type LogLevel, type LogFields } from './logrus.ts';
export { jitteredHalfLife, shouldRotateX509, shouldFallbackX509Default } from './rotation.ts';
export {
  resolveSdsResources,
  fetchSecrets,
  SdsStream,
  tlsCertificateSecret,
  spiffeCertValidationDisabled,
  supportsSpiffeValidator,
  SECRET_TYPE_URL,
  SPIFFE_VALIDATOR_NAME,
  SPIFFE_VALIDATOR_TYPE_URL,
  type DiscoveryRequest,
  type DiscoveryResponse,
  type EnvoyNode,
  type SdsSecret,
  type TlsCertificateSecret,
  type ValidationContextSecret,
  type SdsStep,
} from './sds.ts';
export { attestK8sWorkload, podSelectorValues, parseSelector, selectorString, type AttestOptions } from './workloadAttestor.ts';
export {
  x509SvidResponse,
  x509BundlesResponse,
  noIdentityIssued,
  dialWorkloadApi,
  UnixSocketFs,
  cleanPath,
  type WorkloadApiEndpoint,
  type X509SvidResponse,
  type X509BundlesResponse,
  type WorkloadX509Svid,
} from './workloadApi.ts';
export { buildWorkloadUpdate, entriesMatching, updateFingerprint, type CachedSvid, type X509Identity, type X509WorkloadUpdate } from './workloadUpdate.ts';
