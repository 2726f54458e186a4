/**
 * sim/spire/server — the SPIRE server model: server.conf parsing with SPIRE's defaults, errors and
 * warnings; the CA manager (slots, preparation at half-life, activation at 5/6, pruning, sequence
 * numbers); the datastore (entries, bundles, federation relationships); the federation bundle manager
 * (static + dynamic relationships, https_spiffe/https_web, refresh-hint scheduling); the bundle
 * endpoint; the server (the API of ../api.ts); and the `spire-server` CLI.
 *
 * Leaves out: a journal (restarts start fresh), JWT-SVID minting, tainting/revocation, ACME, the
 * agent/localauthority CLI commands, API caller authorization.
 * References: research/spire-spec.md §1–§3 (spire `cmd/spire-server/cli/run/run.go`,
 * `pkg/server/ca/{manager,rotator}`, `pkg/server/bundle/client`, `pkg/server/endpoints/bundle`,
 * `pkg/server/api/*`, `pkg/server/datastore/sqlstore/sqlstore.go`, `cmd/spire-server/cli/*`).
 */
export { parseServerConfig, serverConfigFromValue, DEFAULT_SOCKET_PATH, type ServerConfig, type ParsedServerConfig, type PluginConfig, type K8sPsatCluster, type BundleEndpointConfig, type ConfigError } from './config.ts';
export { CaManager, preparationThreshold, activationThreshold, type X509Authority, type JwtAuthority, type UpstreamAuthority } from './ca.ts';
export { Datastore, bundleFromRecord, recordFromBundle, uuidV4, type BundleRecord, type JwtSigningKey, type DeleteMode } from './datastore.ts';
export { BundleManager, calculateRefreshHint, nextUpdateDelay } from './federation.ts';
export { serveBundleEndpoint, makeBundleEndpoint, type BundleEndpointSource } from './bundleEndpoint.ts';
export { SvidRotator, type ServerSvid } from './svidRotator.ts';
export { SpireServer, type SpireServerOptions, type ServerPersistentState } from './server.ts';
export { makeSpireServerCli, formatEntry, type SpireServerCliTarget, type SpireServerCliOptions, type SpireCliIo, type SpireCliProgram } from './cli.ts';
export { logrusLine, rfc3339, type LogLevel } from './logrus.ts';
