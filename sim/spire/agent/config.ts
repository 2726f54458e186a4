/**
 * agent.conf (HCL or its JSON form) → the agent's typed configuration, with SPIRE's defaults, its
 * validation order and messages, and the log lines it prints while loading
 * (`spire:cmd/spire-agent/cli/run/run.go`: `agentConfig`, `sdsConfig`, `defaultConfig`, `validate`,
 * `NewAgentConfig`, `checkForUnknownConfig`; `spire:cmd/spire-agent/cli/common/defaults_posix.go`).
 *
 * - Defaults are merged field by field the way `mergo.Merge(c, defaultConfig())` does: an empty string
 *   or zero in the file takes the default, so `sds { default_all_bundles_name = "ROOTCA" }` keeps
 *   `default_bundle_name = "ROOTCA"` and triggers the same-value warning.
 * - Unknown keys are reported per section (`top-level`, `agent`, `health check`) as one error log line
 *   each, and the agent refuses to start with `unknown configuration detected`. The `sds` block has no
 *   unknown-key check upstream (its struct has no `UnusedKeyPositions`), but an SDS key written directly
 *   under `agent {}` is an unknown `agent` key.
 * - Plugins: NodeAttestor `k8s_psat` (`cluster`), WorkloadAttestor `k8s` (`disable_container_selectors`,
 *   `enable_namespace_labels`, …), KeyManager; others are kept by name.
 * Key sets follow `spireVersion` only for `retry_bootstrap` (known up to 1.13): keys added after 1.11 are
 * accepted on every version.
 * Simplified: type errors carry no line/column (the decoded tree has no positions); `-expandEnv`, flags,
 * join tokens, admin/broker sockets and telemetry are not modelled.
 */
import { parseDuration } from '../../core/duration.ts';
import { err, ok, simError, type Result, type SimError } from '../../core/result.ts';
import { parseConfiguredTrustDomain } from '../../spiffe/index.ts';
import { decodeHclInt, HclDecodeError, hclLabelled, hclMergeBlocks, isHclMap, parseConfigText, type HclMap, type HclValue } from '../hcl.ts';
import type { LogFields, LogLevel } from './logrus.ts';

/** `spire:cmd/spire-agent/cli/common/defaults_posix.go` DefaultSocketPath. */
export const DEFAULT_AGENT_SOCKET_PATH = '/tmp/spire-agent/public/api.sock';
/** `spire:cmd/spire-agent/cli/run/run.go` defaultConfigPath (relative to the working directory). */
export const DEFAULT_AGENT_CONFIG_PATH = 'conf/agent/agent.conf';

export interface SdsConfig {
  readonly defaultSvidName: string;
  readonly defaultBundleName: string;
  readonly defaultAllBundlesName: string;
  readonly disableSpiffeCertValidation: boolean;
}

/** `spire:cmd/spire-agent/cli/run/run.go` defaultDefaultSVIDName … defaultDisableSPIFFECertValidation. */
export const DEFAULT_SDS_CONFIG: SdsConfig = {
  defaultSvidName: 'default',
  defaultBundleName: 'ROOTCA',
  defaultAllBundlesName: 'ALL',
  disableSpiffeCertValidation: false,
};

export interface K8sWorkloadAttestorConfig {
  readonly disableContainerSelectors: boolean;
  readonly enableNamespaceLabels: boolean;
  readonly skipKubeletVerification: boolean;
  readonly useNewContainerLocator: boolean;
}

export interface PluginConfig {
  readonly type: string;
  readonly name: string;
  readonly data: HclMap;
}

export interface AgentConfig {
  readonly trustDomain: string;
  readonly serverAddress: string;
  readonly serverPort: number;
  readonly socketPath: string;
  readonly dataDir: string;
  readonly logLevel: string;
  readonly sds: SdsConfig;
  readonly disableSdsApi: boolean;
  readonly disableWorkloadApi: boolean;
  readonly insecureBootstrap: boolean;
  readonly trustBundlePath: string;
  readonly trustBundleUrl: string;
  readonly allowUnauthenticatedVerifiers: boolean;
  /** `workload_x509_svid_key_type`: `ec-p256` (default) or `rsa-2048`. */
  readonly workloadKeyType: 'ec-p256' | 'rsa-2048';
  /** Milliseconds; 0 = not set. */
  readonly availabilityTarget: number;
  /** The k8s_psat NodeAttestor's `cluster`, when that attestor is configured. */
  readonly k8sPsatCluster?: string;
  /** The k8s WorkloadAttestor, when configured. */
  readonly k8sWorkloadAttestor?: K8sWorkloadAttestorConfig;
  readonly plugins: readonly PluginConfig[];
}

/** A line the agent logs while loading its config (the caller formats it with `logrusLine`). */
export interface ConfigLog {
  readonly level: LogLevel;
  readonly msg: string;
  readonly fields?: LogFields;
}

export type AgentConfigError = SimError<'spire/agent-config'>;

export interface LoadedAgentConfig {
  readonly config: AgentConfig;
  readonly logs: readonly ConfigLog[];
}

/** The result of loading: the config, or the error the agent prints on stderr (exit 1) with the lines it logged first. */
export type AgentConfigResult = Result<LoadedAgentConfig, AgentConfigError & { readonly detail: { readonly logs: readonly ConfigLog[] } }>;

// spire:cmd/spire-agent/cli/run/run.go agentConfig (hcl tags)
const AGENT_KEYS = new Set([
  'data_dir', 'admin_socket_path', 'insecure_bootstrap', 'rebootstrap_mode', 'rebootstrap_delay', 'join_token', 'join_token_file',
  'log_file', 'log_format', 'log_level', 'log_selectors', 'log_source_location', 'sds', 'server_address', 'server_port', 'socket_path',
  'disable_workload_api', 'disable_sds_api', 'workload_x509_svid_key_type', 'trust_bundle_format', 'trust_bundle_path',
  'trust_bundle_spiffe_workload_api', 'trust_bundle_unix_socket', 'trust_bundle_url', 'trust_domain', 'allow_unauthenticated_verifiers',
  'allowed_foreign_jwt_claims', 'availability_target', 'x509_svid_cache_max_size', 'jwt_svid_cache_max_size', 'authorized_delegates',
  'profiling_enabled', 'profiling_port', 'profiling_freq', 'profiling_names', 'experimental',
]);
// `retry_bootstrap` existed up to 1.13 (spire:cmd/spire-agent/cli/run/run.go@v1.13.0) and is unknown from 1.14.
const AGENT_KEYS_BEFORE_1_14 = new Set([...AGENT_KEYS, 'retry_bootstrap']);
/** The SPIRE version the hardened chart 0.24.0 ships (appVersion 1.11.0). */
export const DEFAULT_SPIRE_VERSION = '1.11.0';

export interface AgentConfigOptions {
  /** Which SPIRE release reads the file (key sets differ); default 1.11.0. */
  readonly spireVersion?: string;
}

function versionBefore(version: string, major: number, minor: number): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  if (!m) return false;
  const [maj, min] = [Number(m[1]), Number(m[2])];
  return maj < major || (maj === major && min < minor);
}
const TOP_KEYS = new Set(['agent', 'plugins', 'telemetry', 'health_checks']);
// spire:pkg/common/health/config.go
const HEALTH_KEYS = new Set(['listener_enabled', 'bind_address', 'bind_port', 'live_path', 'ready_path']);

function str(map: HclMap | undefined, key: string, section: string): string {
  const v = map?.[key];
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v); // hcl:decoder.go decodeString accepts NUMBER/BOOL tokens
  throw new HclDecodeError(`${section}.${key}: unknown type for string`);
}

function int(map: HclMap | undefined, key: string, section: string): number {
  return decodeHclInt(map?.[key], `${section}.${key}`);
}

function bool(map: HclMap | undefined, key: string, section: string): boolean {
  const v = map?.[key];
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  throw new HclDecodeError(`${section}.${key}: unknown type *ast.LiteralType`);
}

/** `plugins { Type "name" { plugin_data { … } } }` in either spelling → one entry per plugin, in order. */
function readPlugins(v: HclValue | undefined): PluginConfig[] {
  const out: PluginConfig[] = [];
  for (const [type, body] of pluginTypes(v)) {
    for (const [name, plugin] of hclLabelled(body)) out.push({ type, name, data: hclMergeBlocks(plugin.plugin_data) ?? {} });
  }
  return out;
}

function pluginTypes(v: HclValue | undefined): Array<[string, HclValue]> {
  const out: Array<[string, HclValue]> = [];
  for (const block of hclBlocksOf(v)) for (const [type, body] of Object.entries(block)) out.push([type, body]);
  return out;
}

const hclBlocksOf = (v: HclValue | undefined): HclMap[] => (v === undefined ? [] : isHclMap(v) ? [v] : Array.isArray(v) ? (v as HclValue[]).filter(isHclMap) : []);

const unknownKeys = (map: HclMap | undefined, known: ReadonlySet<string>): string[] => Object.keys(map ?? {}).filter((k) => !known.has(k)).sort();

/** Decodes a parsed agent.conf tree (see `parseAgentConfig` for text). */
export function agentConfigFromTree(tree: HclMap, opts: AgentConfigOptions = {}): AgentConfigResult {
  const logs: ConfigLog[] = [];
  const fail = (message: string): AgentConfigResult => err({ ...simError('spire/agent-config', message), detail: { logs } });
  try {
    const agentBlock = hclMergeBlocks(tree.agent);
    // validateConfig: plugins first, then agentConfig.validate (spire:cmd/spire-agent/cli/run/run.go)
    if (tree.plugins === undefined || tree.plugins === null) return fail('plugins section must be configured');
    const A = 'agent';
    const serverAddress = str(agentBlock, 'server_address', A);
    const serverPort = int(agentBlock, 'server_port', A);
    const trustDomain = str(agentBlock, 'trust_domain', A);
    const insecureBootstrap = bool(agentBlock, 'insecure_bootstrap', A);
    const trustBundlePath = str(agentBlock, 'trust_bundle_path', A);
    const trustBundleUrl = str(agentBlock, 'trust_bundle_url', A);
    const trustBundleWorkloadApi = str(agentBlock, 'trust_bundle_spiffe_workload_api', A);
    const trustBundleFormat = str(agentBlock, 'trust_bundle_format', A) || 'pem';
    if (agentBlock === undefined) return fail('agent section must be configured');
    if (serverAddress === '') return fail('server_address must be configured');
    if (serverPort === 0) return fail('server_port must be configured');
    if (trustDomain === '') return fail('trust_domain must be configured');
    if (insecureBootstrap) {
      if (trustBundleUrl !== '' && trustBundlePath !== '') return fail('only one of insecure_bootstrap, trust_bundle_url, or trust_bundle_path can be specified, not the three options');
      if (trustBundleUrl !== '') return fail('only one of insecure_bootstrap or trust_bundle_url can be specified, not both');
      if (trustBundlePath !== '') return fail('only one of insecure_bootstrap or trust_bundle_path can be specified, not both');
    } else if (trustBundlePath === '' && trustBundleUrl === '' && trustBundleWorkloadApi === '') {
      return fail('trust_bundle_path, trust_bundle_url, or trust_bundle_spiffe_workload_api must be configured unless insecure_bootstrap is set');
    }
    if (trustBundleUrl !== '' && trustBundlePath !== '') return fail('only one of trust_bundle_url or trust_bundle_path can be specified, not both');
    if (trustBundleFormat !== 'pem' && trustBundleFormat !== 'spiffe') return fail('invalid value for trust_bundle_format, expected "pem" or "spiffe"');

    const td = parseConfiguredTrustDomain(trustDomain);
    if (!td.ok) return fail(td.error.message);
    if (td.value.warning) logs.push({ level: 'warning', msg: td.value.warning, fields: { trust_domain: trustDomain } });

    const sdsBlock = hclMergeBlocks(agentBlock.sds);
    const S = 'agent.sds';
    const sds: SdsConfig = {
      defaultSvidName: str(sdsBlock, 'default_svid_name', S) || DEFAULT_SDS_CONFIG.defaultSvidName,
      defaultBundleName: str(sdsBlock, 'default_bundle_name', S) || DEFAULT_SDS_CONFIG.defaultBundleName,
      defaultAllBundlesName: str(sdsBlock, 'default_all_bundles_name', S) || DEFAULT_SDS_CONFIG.defaultAllBundlesName,
      disableSpiffeCertValidation: bool(sdsBlock, 'disable_spiffe_cert_validation', S),
    };
    if (sds.defaultAllBundlesName === sds.defaultBundleName) {
      logs.push({
        level: 'warning',
        msg: 'The "default_bundle_name" and "default_all_bundles_name" configurables have the same value. "default_all_bundles_name" will be ignored. Please configure distinct values or use the defaults. This will be a configuration error in a future release.',
      });
    }

    const keyTypeText = str(agentBlock, 'workload_x509_svid_key_type', A);
    let workloadKeyType: AgentConfig['workloadKeyType'] = 'ec-p256';
    if (keyTypeText !== '') {
      // spire:pkg/agent/workloadkey/keytype.go KeyTypeFromString
      if (keyTypeText === 'rsa-2048' || keyTypeText === 'ec-p256') workloadKeyType = keyTypeText;
      else return fail(`unknown workload key type: ${JSON.stringify(keyTypeText)}`);
    }

    // checkForUnknownConfig (after the logger exists; one error line per section, then the error)
    const sections: Array<[string, string[]]> = [
      ['top-level', unknownKeys(tree, TOP_KEYS)],
      ['agent', unknownKeys(agentBlock, versionBefore(opts.spireVersion ?? DEFAULT_SPIRE_VERSION, 1, 14) ? AGENT_KEYS_BEFORE_1_14 : AGENT_KEYS)],
      ['health check', unknownKeys(hclMergeBlocks(tree.health_checks), HEALTH_KEYS)],
    ];
    let unknown = false;
    for (const [section, keys] of sections) {
      if (keys.length === 0) continue;
      logs.push({ level: 'error', msg: 'Unknown configuration detected', fields: { section, keys: keys.join(',') } });
      unknown = true;
    }
    if (unknown) return fail('unknown configuration detected');

    let availabilityTarget = 0;
    const at = str(agentBlock, 'availability_target', A);
    if (at !== '') {
      const d = parseDuration(at);
      if (!d.ok) return fail(`unable to parse availability_target: ${d.error.message}`);
      if (d.value < 24 * 3_600_000) return fail('availability_target must be at least 24h0m0s');
      availabilityTarget = d.value;
    }

    const plugins = readPlugins(tree.plugins);
    const psat = plugins.find((p) => p.type === 'NodeAttestor' && p.name === 'k8s_psat');
    const k8s = plugins.find((p) => p.type === 'WorkloadAttestor' && p.name === 'k8s');
    const P = 'plugin_data';
    const config: AgentConfig = {
      trustDomain: td.value.trustDomain.name,
      serverAddress,
      serverPort,
      socketPath: str(agentBlock, 'socket_path', A) || DEFAULT_AGENT_SOCKET_PATH,
      dataDir: str(agentBlock, 'data_dir', A) || '.',
      logLevel: str(agentBlock, 'log_level', A) || 'INFO',
      sds,
      disableSdsApi: bool(agentBlock, 'disable_sds_api', A),
      disableWorkloadApi: bool(agentBlock, 'disable_workload_api', A),
      insecureBootstrap,
      trustBundlePath,
      trustBundleUrl,
      allowUnauthenticatedVerifiers: bool(agentBlock, 'allow_unauthenticated_verifiers', A),
      workloadKeyType,
      availabilityTarget,
      ...(psat ? { k8sPsatCluster: str(psat.data, 'cluster', P) } : {}),
      ...(k8s
        ? {
            k8sWorkloadAttestor: {
              disableContainerSelectors: bool(k8s.data, 'disable_container_selectors', P),
              enableNamespaceLabels: bool(k8s.data, 'enable_namespace_labels', P),
              skipKubeletVerification: bool(k8s.data, 'skip_kubelet_verification', P),
              useNewContainerLocator: k8s.data.use_new_container_locator === undefined ? true : bool(k8s.data, 'use_new_container_locator', P),
            },
          }
        : {}),
      plugins,
    };
    return ok({ config, logs });
  } catch (e) {
    if (e instanceof HclDecodeError) return fail(e.message);
    throw e;
  }
}

/**
 * Loads agent.conf text (HCL, or JSON when it starts with `{`) as `spire-agent run -config <path>` does.
 * A syntax error reads `unable to decode configuration at "<path>": At <line>:<col>: …`.
 */
export function parseAgentConfig(text: string, path = DEFAULT_AGENT_CONFIG_PATH, opts: AgentConfigOptions = {}): AgentConfigResult {
  const tree = parseConfigText(text, path);
  if (!tree.ok) return err({ ...simError('spire/agent-config', `unable to decode configuration at ${JSON.stringify(path)}: ${tree.error.message}`, undefined, tree.error), detail: { logs: [] } });
  return agentConfigFromTree(tree.value, opts);
}
