/**
 * sim/spire/oidc — SPIRE's OIDC discovery provider (`oidc-discovery-provider`, the ZTWIM
 * SpireOIDCDiscoveryProvider's operand): its config file (HCL/JSON, upstream's validation errors), the
 * Workload API key source (FetchJWTBundles every `poll_interval`, the warning it logs when the socket is
 * wrong), the domain allowlist, the `/.well-known/openid-configuration` and `/keys` answers, the health
 * checks behind the pod's probes, and its logrus lines.
 * Leaves out: the `server_api` and `file` sources' fetching, ACME, TLS certificate reloads, request
 * logging output, Windows named pipes. Each file marks its own `Simplified:` gaps.
 * References: `spire:support/oidc-discovery-provider/{config.go,main.go,main_posix.go,workload_api.go,
 * handler.go,domain_policy.go,healthchecks_handler.go}` at v1.13.3 (ZTWIM 1.0's image) and main
 * (`ef8527ec`, 1.14+: CORS header, 501 on an empty key set); `spire:pkg/common/log/options.go`;
 * `spire:pkg/common/diskcertmanager/cert_manager.go`; `spire:pkg/agent/endpoints/workload/handler.go`
 * (FetchJWTBundles); research/ztwim-spec.md §5.5.
 */
export { parseOidcProviderConfig, oidcConfigLoadError, DEFAULT_OIDC_CONFIG_PATH, DEFAULT_POLL_INTERVAL_MS, type OidcProviderConfig, type OidcProviderConfigResult, type OidcConfigError } from './config.ts';
export { domainAllowlist, type DomainPolicy } from './domainPolicy.ts';
export { serveOidc, httpError, joseAlg, type OidcResponse, type OidcRequest, type OidcHandlerConfig } from './handler.ts';
export { makeOidcLogger, rfc3339Nano, type OidcLogger } from './oidcLog.ts';
export { OidcDiscoveryProvider, DEFAULT_OIDC_SPIRE_VERSION, type OidcDiscoveryProviderOptions, type OidcProviderState, type ServeOptions } from './oidcDiscoveryProvider.ts';
export { WorkloadApiJwksSource, type KeySet, type KeySetEntry, type WorkloadApiSourceOptions } from './workloadApiSource.ts';
