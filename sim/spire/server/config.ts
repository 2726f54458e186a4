/**
 * server.conf → a typed server configuration with SPIRE's defaults, errors and warnings
 * (`spire:cmd/spire-server/cli/run/run.go`: `Config`, `serverConfig`, `defaultConfig`, `validateConfig`,
 * `NewServerConfig`, `setBundleEndpointConfigProfile`, `parseBundleEndpointProfile`,
 * `checkForUnknownConfig`). Checks run in upstream's order, so the first error is the one SPIRE prints.
 * Accepts HCL or JSON (the Helm chart renders JSON).
 *
 * Simplified: hcl v1 type errors (a list where a string belongs) get a short message of ours; ACME and
 * `serving_cert_file` are parsed, not run; telemetry, experimental and rate-limit settings are accepted
 * and ignored; `-expandEnv` is not modelled.
 */
import { formatDuration, HOUR, MINUTE } from '../../core/duration.ts';
import { parseDuration } from '../../core/duration.ts';
import { err, ok, simError, type Result, type SimError } from '../../core/result.ts';
import { parseKeyType, type KeyType, type NameSpec } from '../../pki/index.ts';
import { parseConfiguredTrustDomain, parseSpiffeId, trustDomainFromString, type TrustDomain } from '../../spiffe/index.ts';
import type { FederationRelationship } from '../api.ts';
import { hclBlocks, hclLabelled, hclMergeBlocks, isHclMap, parseConfigText, type HclMap, type HclValue } from '../hcl.ts';

export const DEFAULT_SOCKET_PATH = '/tmp/spire-server/private/api.sock';
/** `credtemplate.DefaultX509CATTL`, `DefaultX509SVIDTTL`, `DefaultJWTSVIDTTL`. */
export const DEFAULT_CA_TTL = 24 * HOUR;
export const DEFAULT_X509_SVID_TTL = HOUR;
export const DEFAULT_JWT_SVID_TTL = 5 * MINUTE;
export const DEFAULT_BUNDLE_ENDPOINT_REFRESH_HINT = 5 * MINUTE;
/** `manager.go` activation threshold cap (also the maximum SVID TTL). */
const MAX_SVID_TTL = 7 * 24 * HOUR;

export interface PluginConfig {
  readonly type: string;
  readonly name: string;
  readonly enabled: boolean;
  /** The decoded `plugin_data` block (empty when absent). */
  readonly data: HclMap;
}

export interface K8sPsatCluster {
  readonly serviceAccountAllowList: readonly string[];
  readonly audience: readonly string[];
  readonly allowedNodeLabelKeys: readonly string[];
  readonly allowedPodLabelKeys: readonly string[];
}

export interface BundleEndpointConfig {
  readonly address: string;
  readonly port: number;
  /** Milliseconds; the hint the endpoint advertises. */
  readonly refreshHint: number;
  readonly profile: 'https_spiffe' | 'https_web';
  readonly servingCertFile?: { readonly certFilePath: string; readonly keyFilePath: string };
}

export interface ServerConfig {
  readonly trustDomain: TrustDomain;
  readonly bindAddress: string;
  readonly bindPort: number;
  readonly socketPath: string;
  readonly dataDir: string;
  readonly logLevel: string;
  readonly jwtIssuer: string;
  /** Milliseconds. */
  readonly caTtl: number;
  readonly defaultX509SvidTtl: number;
  readonly defaultJwtSvidTtl: number;
  /** 0 = default_x509_svid_ttl. */
  readonly agentTtl: number;
  readonly caKeyType: KeyType;
  readonly jwtKeyType: KeyType;
  readonly caSubject: NameSpec;
  readonly bundleEndpoint?: BundleEndpointConfig;
  /** Static `federates_with` relationships, in file order. */
  readonly federatesWith: readonly FederationRelationship[];
  readonly plugins: readonly PluginConfig[];
  /** NodeAttestor "k8s_psat" clusters by name (empty when the plugin is not configured). */
  readonly k8sPsatClusters: Readonly<Record<string, K8sPsatCluster>>;
  /** UpstreamAuthority "disk" file paths, when configured. */
  readonly upstreamAuthorityDisk?: { readonly certFilePath: string; readonly keyFilePath: string; readonly bundleFilePath: string };
}

export interface ParsedServerConfig {
  readonly config: ServerConfig;
  /** Warning-level log messages SPIRE prints while loading (never fatal). */
  readonly warnings: readonly string[];
}

export type ConfigError = SimError<'spire/config-invalid' | 'spire/config-parse'>;
const fail = (message: string, detail?: Record<string, unknown>): { ok: false; error: ConfigError } => err(simError('spire/config-invalid', message, detail));

// Known keys per section (the `hcl:"…"` tags of run.go's structs), for `checkForUnknownConfig`.
const TOP_KEYS = ['server', 'plugins', 'telemetry', 'health_checks'];
const SERVER_KEYS = [
  'admin_ids', 'agent_ttl', 'audit_log_enabled', 'bind_address', 'bind_port', 'ca_key_type', 'ca_subject', 'ca_ttl', 'data_dir',
  'default_x509_svid_ttl', 'default_jwt_svid_ttl', 'experimental', 'federation', 'disable_jwt_svids', 'jwt_issuer', 'jwt_key_type',
  'log_file', 'log_level', 'log_format', 'log_source_location', 'prune_attested_nodes_expired_for', 'prune_attested_nodes_batch_size',
  'prune_tofu_nodes', 'proxy_protocol_trusted_cidrs', 'ratelimit', 'socket_path', 'trust_domain', 'max_attested_node_info_staleness',
  'profiling_enabled', 'profiling_port', 'profiling_freq', 'profiling_names',
];
const CA_SUBJECT_KEYS = ['country', 'organization', 'common_name'];
const RATELIMIT_KEYS = ['attestation', 'signing'];
const BUNDLE_ENDPOINT_KEYS = ['address', 'port', 'refresh_hint', 'acme', 'profile'];
const ACME_KEYS = ['directory_url', 'domain_name', 'email', 'tos_accepted'];
const HEALTH_KEYS = ['listener_enabled', 'bind_address', 'bind_port', 'live_path', 'ready_path'];

/** hcl v1's weak decoding into a Go string field: strings, and numbers/bools printed. */
function str(v: HclValue | undefined, name: string): Result<string, ConfigError> {
  if (v === undefined || v === null) return ok('');
  if (typeof v === 'string') return ok(v);
  if (typeof v === 'number' || typeof v === 'boolean') return ok(String(v));
  return fail(`unable to decode configuration: ${name}: unknown type for string`);
}
function int(v: HclValue | undefined, name: string): Result<number, ConfigError> {
  if (v === undefined || v === null) return ok(0);
  if (typeof v === 'number') return ok(Math.trunc(v));
  if (typeof v === 'string' && /^[-+]?\d+$/.test(v.trim())) return ok(Number(v));
  if (typeof v === 'string') return fail(`unable to decode configuration: ${name}: cannot parse '${v}' as int`);
  return fail(`unable to decode configuration: ${name}: unknown type for int`);
}
function bool(v: HclValue | undefined): boolean {
  return v === true || v === 'true';
}
function strList(v: HclValue | undefined): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return (v as HclValue[]).flatMap((x) => (typeof x === 'string' || typeof x === 'number' ? [String(x)] : []));
  return typeof v === 'string' ? [v] : [];
}

function unknownKeys(block: HclMap | undefined, known: readonly string[]): string[] {
  if (!block) return [];
  return Object.keys(block)
    .filter((k) => !known.includes(k))
    .sort();
}

/** Go's `Duration.String()` trimmed as run.go's `printDuration` does (`4h`, `7d` → `168h`). */
function printDuration(ms: number): string {
  let s = formatDuration(Math.trunc(ms / 1000) * 1000);
  if (s.endsWith('m0s')) s = s.slice(0, -2);
  if (s.endsWith('h0m')) s = s.slice(0, -2);
  return s;
}

/** `run.go` TTL sanity warnings (`hasCompatibleTTL`, `manager.MaxSVIDTTLForCATTL`). */
function ttlWarning(name: string, ttl: number, caTtl: number): string | undefined {
  const maxFor = (ca: number) => Math.min(ca / 6, MAX_SVID_TTL);
  if (ttl <= maxFor(caTtl)) return undefined;
  if (ttl < MAX_SVID_TTL)
    return (
      `${name} is too high for the configured ca_ttl value. SVIDs with shorter lifetimes may be issued. Please set ${name} to ` +
      `${printDuration(maxFor(caTtl))} or less, or the ca_ttl to ${printDuration(ttl * 6)} or more, to guarantee the full ${name} lifetime when CA rotations are scheduled.`
    );
  if (caTtl < MAX_SVID_TTL * 6)
    return (
      `${name} is too high and the ca_ttl is too low. SVIDs with shorter lifetimes may be issued. Please set ${name} to ` +
      `${printDuration(MAX_SVID_TTL)} or less, and the ca_ttl to ${printDuration(MAX_SVID_TTL * 6)} or more, to guarantee the full ${name} lifetime when CA rotations are scheduled.`
    );
  return `${name} is too high. SVIDs with shorter lifetimes may be issued. Please set ${name} to ${printDuration(maxFor(caTtl))} or less to guarantee the full ${name} lifetime when CA rotations are scheduled.`;
}

/** Parses server.conf text (HCL or JSON). `file` names it in errors (`unable to decode configuration at "<file>": …`). */
export function parseServerConfig(text: string, file = '/run/spire/config/server.conf'): Result<ParsedServerConfig, ConfigError> {
  const decoded = parseConfigText(text, file);
  if (!decoded.ok) return err(simError('spire/config-parse', `unable to decode configuration at ${JSON.stringify(file)}: ${decoded.error.message}`, decoded.error.detail as Record<string, unknown>, decoded.error));
  return serverConfigFromValue(decoded.value);
}

/** The same from an already decoded document (see `hcl.ts`). */
export function serverConfigFromValue(doc: HclMap): Result<ParsedServerConfig, ConfigError> {
  const warnings: string[] = [];
  const server = hclMergeBlocks(doc.server);
  const federation = server ? hclMergeBlocks(server.federation) : undefined;
  const endpoint = federation ? hclMergeBlocks(federation.bundle_endpoint) : undefined;
  const federatesWith = federation ? hclLabelled(federation.federates_with) : [];

  // validateConfig
  if (!server) return fail('server section must be configured');
  const bindAddress = str(server.bind_address ?? '0.0.0.0', 'bind_address');
  if (!bindAddress.ok) return bindAddress;
  const bindPort = int(server.bind_port ?? 8081, 'bind_port');
  if (!bindPort.ok) return bindPort;
  if (bindAddress.value === '' || bindPort.value === 0) return fail('bind_address and bind_port must be configured');
  const tdText = str(server.trust_domain, 'trust_domain');
  if (!tdText.ok) return tdText;
  if (tdText.value === '') return fail('trust_domain must be configured');
  const dataDir = str(server.data_dir, 'data_dir');
  if (!dataDir.ok) return dataDir;
  if (dataDir.value === '') return fail('data_dir must be configured');
  if (doc.plugins === undefined) return fail('plugins section must be configured');
  const acme = endpoint ? hclMergeBlocks(endpoint.acme) : undefined;
  if (acme) {
    if (!acme.domain_name) return fail('federation.bundle_endpoint.acme.domain_name must be configured');
    if (!acme.email) return fail('federation.bundle_endpoint.acme.email must be configured');
  }
  for (const [td, body] of federatesWith) {
    const url = str(body.bundle_endpoint_url, 'bundle_endpoint_url');
    if (!url.ok) return url;
    if (url.value === '') return fail(`federation.federates_with["${td}"].bundle_endpoint_url must be configured`);
    if (!url.value.toLowerCase().startsWith('https://'))
      return fail(`federation.federates_with["${td}"].bundle_endpoint_url must use the HTTPS protocol; URL found: ${JSON.stringify(url.value)}`, { trustDomain: td });
  }

  // NewServerConfig
  const td = parseConfiguredTrustDomain(tdText.value);
  if (!td.ok) return fail(td.error.message);
  if (td.value.warning) warnings.push(td.value.warning);

  let bundleEndpoint: BundleEndpointConfig | undefined;
  if (endpoint) {
    let refreshHint = DEFAULT_BUNDLE_ENDPOINT_REFRESH_HINT;
    const hintText = str(endpoint.refresh_hint, 'refresh_hint');
    if (!hintText.ok) return hintText;
    if (hintText.value !== '') {
      const d = parseDuration(hintText.value);
      if (!d.ok) return fail(`could not parse refresh_hint ${JSON.stringify(hintText.value)}: ${d.error.message}`);
      if (d.value >= 24 * HOUR)
        warnings.push("Bundle endpoint refresh hint set to a high value. To cover the case of unscheduled trust bundle updates, it's recommended to have a smaller value, e.g. 5m");
      if (d.value < MINUTE) warnings.push('Bundle endpoint refresh hint set too low. SPIRE will not refresh more often than 1 minute');
      refreshHint = d.value;
    }
    const address = str(endpoint.address, 'address');
    if (!address.ok) return address;
    const port = int(endpoint.port, 'port');
    if (!port.ok) return port;
    const profile = endpointProfile(endpoint, warnings);
    if (!profile.ok) return profile;
    bundleEndpoint = { address: address.value, port: port.value, refreshHint, ...profile.value };
  }

  const statics: FederationRelationship[] = [];
  for (const [name, body] of federatesWith) {
    const ftd = trustDomainFromString(name);
    if (!ftd.ok) return fail(ftd.error.message, { trustDomain: name }); // returned unwrapped by run.go
    if (body.bundle_endpoint_profile === undefined) return fail(`federation configuration for trust domain ${JSON.stringify(name)}: missing bundle endpoint configuration`);
    const profile = relationshipProfile(body.bundle_endpoint_profile);
    if (!profile.ok) return fail(`error parsing federation relationship for trust domain ${JSON.stringify(name)}: ${profile.error}`, { trustDomain: name });
    statics.push({ trustDomain: ftd.value.name, bundleEndpointUrl: String(body.bundle_endpoint_url), profile: profile.value });
  }

  const durations: Record<string, number> = {};
  const durationKeys: Array<[string, string, number]> = [
    ['agent_ttl', 'agent ttl', 0],
    ['default_x509_svid_ttl', 'default X509 SVID ttl', DEFAULT_X509_SVID_TTL],
    ['default_jwt_svid_ttl', 'default JWT SVID ttl', DEFAULT_JWT_SVID_TTL],
    ['ca_ttl', 'default CA ttl', DEFAULT_CA_TTL],
  ];
  for (const [key, label, dflt] of durationKeys) {
    const text = str(server[key], key);
    if (!text.ok) return text;
    if (text.value === '') {
      durations[key] = dflt;
      continue;
    }
    const d = parseDuration(text.value);
    if (!d.ok) return fail(`could not parse ${label} ${JSON.stringify(text.value)}: ${d.error.message}`);
    durations[key] = d.value;
  }
  const caTtl = durations.ca_ttl!;
  for (const name of ['default_x509_svid_ttl', 'default_jwt_svid_ttl', ...(durations.agent_ttl ? ['agent_ttl'] : [])]) {
    const w = ttlWarning(name, durations[name]!, caTtl);
    if (w) warnings.push(w);
  }

  let caKeyType: KeyType = 'ec-p256';
  let jwtKeyType: KeyType = 'ec-p256';
  const caKeyText = str(server.ca_key_type, 'ca_key_type');
  if (!caKeyText.ok) return caKeyText;
  if (caKeyText.value !== '') {
    const k = parseKeyType(caKeyText.value);
    if (!k.ok) return fail(`error parsing ca_key_type: ${k.error.message}`);
    caKeyType = jwtKeyType = k.value;
  }
  const jwtKeyText = str(server.jwt_key_type, 'jwt_key_type');
  if (!jwtKeyText.ok) return jwtKeyText;
  if (jwtKeyText.value !== '') {
    const k = parseKeyType(jwtKeyText.value);
    if (!k.ok) return fail(`error parsing jwt_key_type: ${k.error.message}`);
    jwtKeyType = k.value;
  }

  let caSubject: NameSpec = { country: ['US'], organization: ['SPIFFE'] };
  const subjectBlock = server.ca_subject === undefined ? undefined : (hclMergeBlocks(server.ca_subject) ?? {});
  if (subjectBlock) {
    const country = strList(subjectBlock.country);
    const organization = strList(subjectBlock.organization);
    const commonName = typeof subjectBlock.common_name === 'string' ? subjectBlock.common_name : '';
    if (country.length === 0 && organization.length === 0 && commonName === '') warnings.push('ca_subject configurable is set but empty; the default will be used');
    else caSubject = { ...(country.length ? { country } : {}), ...(organization.length ? { organization } : {}), ...(commonName ? { commonName } : {}) };
  }

  const plugins = pluginConfigs(doc.plugins);
  if (!plugins.ok) return plugins;

  // checkForUnknownConfig (sections upstream checks; federates_with, telemetry and experimental are not checked)
  const sections: Array<[string, string[]]> = [
    ['top-level', unknownKeys(doc, TOP_KEYS)],
    ['server', unknownKeys(server, SERVER_KEYS)],
    ['ca_subject', unknownKeys(subjectBlock, CA_SUBJECT_KEYS)],
    ['ratelimit', unknownKeys(hclMergeBlocks(server.ratelimit), RATELIMIT_KEYS)],
    ['bundle endpoint', unknownKeys(endpoint, BUNDLE_ENDPOINT_KEYS)],
    ['bundle endpoint ACME', unknownKeys(acme, ACME_KEYS)],
    ['health check', unknownKeys(hclMergeBlocks(doc.health_checks), HEALTH_KEYS)],
  ];
  const unknown = sections.filter(([, keys]) => keys.length > 0).map(([section, keys]) => ({ section, keys: keys.join(',') }));
  if (unknown.length > 0) return fail('unknown configuration detected', { unknown });

  const str0 = (v: HclValue | undefined, d: string) => (typeof v === 'string' && v !== '' ? v : d);
  const psat = plugins.value.find((p) => p.type === 'NodeAttestor' && p.name === 'k8s_psat');
  const ua = plugins.value.find((p) => p.type === 'UpstreamAuthority' && p.name === 'disk');
  const config: ServerConfig = {
    trustDomain: td.value.trustDomain,
    bindAddress: bindAddress.value,
    bindPort: bindPort.value,
    socketPath: str0(server.socket_path, DEFAULT_SOCKET_PATH),
    dataDir: dataDir.value,
    logLevel: str0(server.log_level, 'INFO'),
    jwtIssuer: str0(server.jwt_issuer, ''),
    caTtl,
    defaultX509SvidTtl: durations.default_x509_svid_ttl!,
    defaultJwtSvidTtl: durations.default_jwt_svid_ttl!,
    agentTtl: durations.agent_ttl!,
    caKeyType,
    jwtKeyType,
    caSubject,
    ...(bundleEndpoint ? { bundleEndpoint } : {}),
    federatesWith: statics,
    plugins: plugins.value,
    k8sPsatClusters: psat ? k8sPsatClusters(psat.data) : {},
    ...(ua
      ? { upstreamAuthorityDisk: { certFilePath: str0(ua.data.cert_file_path, ''), keyFilePath: str0(ua.data.key_file_path, ''), bundleFilePath: str0(ua.data.bundle_file_path, '') } }
      : {}),
  };
  return ok({ config, warnings });
}

/** `setBundleEndpointConfigProfile` + `parseBundleEndpointProfileASTNode`. */
function endpointProfile(endpoint: HclMap, warnings: string[]): Result<Pick<BundleEndpointConfig, 'profile' | 'servingCertFile'>, ConfigError> {
  const acme = endpoint.acme !== undefined;
  if (acme && endpoint.profile !== undefined) return fail("either bundle endpoint 'acme' or 'profile' can be set, but not both");
  if (acme) {
    warnings.push('ACME configuration within the bundle_endpoint is deprecated. Please use ACME configuration as part of the https_web profile instead.');
    return ok({ profile: 'https_web' });
  }
  if (endpoint.profile === undefined) {
    warnings.push('Bundle endpoint is configured but has no profile set, using https_spiffe as default; please configure a profile explicitly. This will be fatal in a future release.');
    return ok({ profile: 'https_spiffe' });
  }
  const profiles = profileItems(endpoint.profile);
  if (!profiles.ok) return fail(profiles.error);
  const [name, body] = profiles.value;
  if (name === 'https_web') {
    if (body.acme !== undefined) return ok({ profile: 'https_web' });
    const scf = hclMergeBlocks(body.serving_cert_file);
    if (scf) {
      const interval = typeof scf.file_sync_interval === 'string' ? scf.file_sync_interval : '';
      const d = parseDuration(interval);
      if (!d.ok) return fail(d.error.message);
      return ok({ profile: 'https_web', servingCertFile: { certFilePath: String(scf.cert_file_path ?? ''), keyFilePath: String(scf.key_file_path ?? '') } });
    }
    return fail("malformed https_web profile configuration: 'acme' or 'serving_cert_file' is required");
  }
  if (name === 'https_spiffe') return ok({ profile: 'https_spiffe' });
  return fail(`unknown bundle endpoint profile configured; current supported profiles are "https_spiffe" and 'https_web"`);
}

/** The single labelled profile block of an `ast.Node` field, or upstream's error text. */
function profileItems(v: HclValue): Result<[string, HclMap], string> {
  if (!Array.isArray(v) && !isHclMap(v)) return err('malformed configuration');
  const items = hclLabelled(v);
  if (items.length !== 1) return err('exactly one bundle endpoint profile is expected');
  return ok(items[0]!);
}

/** `parseBundleEndpointProfile` for a `federates_with` block; errors are unwrapped (the caller wraps). */
function relationshipProfile(v: HclValue): Result<FederationRelationship['profile'], string> {
  const item = profileItems(v);
  if (!item.ok) return item;
  const [name, body] = item.value;
  if (name === 'https_web') return ok({ type: 'https_web' });
  if (name === 'https_spiffe') {
    const raw = typeof body.endpoint_spiffe_id === 'string' ? body.endpoint_spiffe_id : '';
    const id = parseSpiffeId(raw);
    if (!id.ok) return err(`could not get endpoint SPIFFE ID: ${id.error.message}`);
    return ok({ type: 'https_spiffe', endpointSpiffeId: id.value.toString() });
  }
  return err(`no bundle endpoint profile defined; current supported profiles are "https_spiffe" and 'https_web"`);
}

/** `catalog.PluginConfigsFromHCLNode`: `plugins { Type "name" { plugin_data {…} enabled = … } }`, in file order. */
function pluginConfigs(v: HclValue | undefined): Result<PluginConfig[], ConfigError> {
  const out: PluginConfig[] = [];
  for (const block of hclBlocks(v)) {
    for (const [type, named] of Object.entries(block)) {
      for (const [name, body] of hclLabelled(named)) {
        if (out.some((p) => p.type === type && p.name === name)) return fail(`plugin ${JSON.stringify(type)}/${JSON.stringify(name)} declared more than once`);
        if (body.plugin_data !== undefined && body.plugin_data_file !== undefined) return fail(`failed to create plugin config for ${JSON.stringify(type)}/${JSON.stringify(name)}: only one of [plugin_data, plugin_data_file] can be used`);
        out.push({ type, name, enabled: body.enabled === undefined || bool(body.enabled), data: hclMergeBlocks(body.plugin_data) ?? {} });
      }
    }
  }
  return ok(out);
}

/** k8s_psat server plugin_data: `clusters = { "<name>" = { service_account_allow_list = [...] … } }`. */
function k8sPsatClusters(data: HclMap): Record<string, K8sPsatCluster> {
  const out: Record<string, K8sPsatCluster> = {};
  for (const [name, body] of hclLabelled(data.clusters)) {
    out[name] = {
      serviceAccountAllowList: strList(body.service_account_allow_list),
      audience: body.audience === undefined ? ['spire-server'] : strList(body.audience),
      allowedNodeLabelKeys: strList(body.allowed_node_label_keys),
      allowedPodLabelKeys: strList(body.allowed_pod_label_keys),
    };
  }
  return out;
}
