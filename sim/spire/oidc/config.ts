/**
 * The OIDC discovery provider's configuration file (`spire:support/oidc-discovery-provider/config.go`
 * `ParseConfig`, `main_posix.go` `validateOS`), HCL or JSON (hcl v1 decodes both; the ZTWIM operator
 * writes JSON). Checks run in upstream's order and fail with its exact text; decode errors are prefixed
 * `unable to decode configuration: `. Unknown keys are ignored (hcl v1 into a struct).
 * Simplified: `net.ResolveTCPAddr` only checks for a port; `url.Parse` failures of `jwt_issuer` /
 * `jwks_uri` are reduced to "no scheme / no host"; the Windows named-pipe options are accepted and unused.
 */
import { parseDuration } from '../../core/duration.ts';
import { err, ok, simError, type Result, type SimError } from '../../core/result.ts';
import { decodeHclInt, HclDecodeError, hclMergeBlocks, parseConfigText, type HclMap, type HclValue } from '../hcl.ts';

// config.go constants
export const DEFAULT_POLL_INTERVAL_MS = 10_000;
const DEFAULT_FILE_SYNC_INTERVAL_MS = 60_000;
const DEFAULT_CACHE_DIR = './.acme-cache';
const DEFAULT_HEALTH_PORT = 8008;
const DEFAULT_ADDR = ':443';
/** main.go `-config` default. */
export const DEFAULT_OIDC_CONFIG_PATH = 'oidc-discovery-provider.conf';

export interface OidcProviderConfig {
  readonly logFormat: string;
  readonly logLevel: string;
  readonly logPath: string;
  readonly logRequests: boolean;
  /** Deduplicated, in order. */
  readonly domains: readonly string[];
  readonly setKeyUse: boolean;
  readonly allowInsecureScheme: boolean;
  readonly insecureAddr: string;
  readonly listenSocketPath: string;
  readonly acme?: { readonly directoryUrl: string; readonly email: string; readonly tosAccepted: boolean; readonly cacheDir: string };
  readonly servingCertFile?: { readonly certFilePath: string; readonly keyFilePath: string; readonly addr: string; readonly fileSyncIntervalMs: number };
  readonly serverApi?: { readonly address: string; readonly pollIntervalMs: number };
  readonly workloadApi?: { readonly socketPath: string; readonly trustDomain: string; readonly pollIntervalMs: number };
  readonly file?: { readonly path: string; readonly pollIntervalMs: number };
  readonly healthChecks?: { readonly bindPort: number; readonly livePath: string; readonly readyPath: string };
  readonly jwtIssuer: string;
  readonly jwksUri: string;
  readonly serverPathPrefix: string;
}

export interface OidcProviderConfigResult {
  readonly config: OidcProviderConfig;
  /** What ParseConfig prints to stdout with fmt.Printf (no newline). */
  readonly stdout: string;
}

export type OidcConfigError = SimError<'spire/oidc-config'>;

// hcl:decoder.go decodeString / decodeBool / decodeInt / decodeSlice on decoded values.
function str(m: HclMap | undefined, key: string): string {
  const v = m?.[key];
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new HclDecodeError(`${key}: unknown type for string *ast.ObjectType`);
}
function optStr(m: HclMap | undefined, key: string): string | undefined {
  return m?.[key] === undefined || m[key] === null ? undefined : str(m, key);
}
function bool(m: HclMap | undefined, key: string): boolean {
  const v = m?.[key];
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(v)) return /^(1|t|T|TRUE|true|True)$/.test(v);
  throw new HclDecodeError(`${key}: unknown type *ast.LiteralType`);
}
// The operator writes bind_port as "8008": decodeInt parses strings.
function int(m: HclMap | undefined, key: string): number {
  return decodeHclInt(m?.[key], key);
}
function strList(m: HclMap, key: string): string[] {
  const v: HclValue | undefined = m[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new HclDecodeError('unknown slice type: *ast.LiteralType');
  return (v as HclValue[]).map((x, i) => {
    if (typeof x === 'string') return x;
    if (typeof x === 'number' || typeof x === 'boolean') return String(x);
    throw new HclDecodeError(`${key}[${i}]: unknown type for string *ast.ObjectType`);
  });
}
/** A `*Struct` field: present (even empty) or absent. */
const block = (m: HclMap, key: string): HclMap | undefined => (m[key] === undefined || m[key] === null ? undefined : (hclMergeBlocks(m[key]) ?? {}));

/** config.go parseDurationField: empty, zero or negative → the default. */
function duration(raw: string, dflt: number): Result<number, string> {
  if (raw === '') return ok(dflt);
  const d = parseDuration(raw);
  if (!d.ok) return err(d.error.message);
  return ok(d.value <= 0 ? dflt : d.value);
}

const dedupe = (items: readonly string[]): string[] => [...new Set(items)];

/** `url.Parse` reduced to scheme and host (Simplified above). */
function urlParts(u: string): { scheme: string; host: string } {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$/.exec(u);
  if (!m) return { scheme: '', host: '' };
  const rest = m[2]!;
  const host = rest.startsWith('//') ? (/^\/\/(?:[^@/?#]*@)?([^/?#]*)/.exec(rest)?.[1] ?? '') : '';
  return { scheme: m[1]!, host };
}

interface RawFields {
  readonly acmeDir: string;
  readonly acmeEmail: string;
  readonly acmeTos: boolean;
  readonly acmeCache: string | undefined;
  readonly certFile: string;
  readonly keyFile: string;
  readonly addr: string;
  readonly sync: string;
  readonly serverAddress: string;
  readonly serverPoll: string;
  readonly socketPath: string;
  readonly trustDomain: string;
  readonly wlPoll: string;
  readonly filePath: string;
  readonly filePoll: string;
  readonly bindPort: number;
  readonly livePath: string;
  readonly readyPath: string;
}

/** `ParseConfig(hclConfig)`; `path` only labels hcl syntax errors' detail. */
export function parseOidcProviderConfig(text: string, path?: string): Result<OidcProviderConfigResult, OidcConfigError> {
  const fail = (message: string): Result<OidcProviderConfigResult, OidcConfigError> => err(simError('spire/oidc-config', message, path !== undefined ? { file: path } : undefined));
  const tree = parseConfigText(text, path);
  if (!tree.ok) return err(simError('spire/oidc-config', `unable to decode configuration: ${tree.error.message}`, tree.error.detail as Record<string, unknown>));
  const t = tree.value;
  let c: Omit<OidcProviderConfig, 'acme' | 'servingCertFile' | 'serverApi' | 'workloadApi' | 'file' | 'healthChecks'>;
  let acmeB: HclMap | undefined, certB: HclMap | undefined, serverB: HclMap | undefined, wlB: HclMap | undefined, fileB: HclMap | undefined, healthB: HclMap | undefined;
  let r: RawFields;
  try {
    c = {
      logFormat: str(t, 'log_format'),
      logLevel: str(t, 'log_level'),
      logPath: str(t, 'log_path'),
      logRequests: bool(t, 'log_requests'),
      domains: strList(t, 'domains'),
      setKeyUse: bool(t, 'set_key_use'),
      allowInsecureScheme: bool(t, 'allow_insecure_scheme'),
      insecureAddr: str(t, 'insecure_addr'),
      listenSocketPath: str(t, 'listen_socket_path'),
      jwtIssuer: str(t, 'jwt_issuer'),
      jwksUri: str(t, 'jwks_uri'),
      serverPathPrefix: str(t, 'server_path_prefix'),
    };
    acmeB = block(t, 'acme');
    certB = block(t, 'serving_cert_file');
    serverB = block(t, 'server_api');
    wlB = block(t, 'workload_api');
    fileB = block(t, 'file');
    healthB = block(t, 'health_checks');
    r = {
      acmeDir: str(acmeB, 'directory_url'),
      acmeEmail: str(acmeB, 'email'),
      acmeTos: bool(acmeB, 'tos_accepted'),
      acmeCache: optStr(acmeB, 'cache_dir'),
      certFile: str(certB, 'cert_file_path'),
      keyFile: str(certB, 'key_file_path'),
      addr: str(certB, 'addr'),
      sync: str(certB, 'file_sync_interval'),
      serverAddress: str(serverB, 'address'),
      serverPoll: str(serverB, 'poll_interval'),
      socketPath: str(wlB, 'socket_path'),
      trustDomain: str(wlB, 'trust_domain'),
      wlPoll: str(wlB, 'poll_interval'),
      filePath: str(fileB, 'path'),
      filePoll: str(fileB, 'poll_interval'),
      bindPort: int(healthB, 'bind_port'),
      livePath: str(healthB, 'live_path'),
      readyPath: str(healthB, 'ready_path'),
    };
  } catch (e) {
    if (e instanceof HclDecodeError) return fail(`unable to decode configuration: ${e.message}`);
    throw e;
  }
  const out: { -readonly [K in keyof OidcProviderConfig]: OidcProviderConfig[K] } = { ...c, logLevel: c.logLevel || 'info' };
  if (out.domains.length === 0) return fail('at least one domain must be configured');
  out.domains = dedupe(out.domains);
  if (acmeB) {
    out.acme = { directoryUrl: r.acmeDir, email: r.acmeEmail, tosAccepted: r.acmeTos, cacheDir: r.acmeCache ?? DEFAULT_CACHE_DIR };
    if (out.insecureAddr !== '') return fail('insecure_addr and the acme section are mutually exclusive');
    if (!r.acmeTos) return fail('tos_accepted must be set to true in the acme configuration section');
    if (r.acmeEmail === '') return fail('email must be configured in the acme configuration section');
  }
  if (certB) {
    if (r.certFile === '') return fail('cert_file_path must be configured in the serving_cert_file configuration section');
    if (r.keyFile === '') return fail('key_file_path must be configured in the serving_cert_file configuration section');
    const addr = r.addr || DEFAULT_ADDR;
    // net.ResolveTCPAddr → net.SplitHostPort
    if (!/:[^:\]]*$/.test(addr)) return fail(`invalid addr in the serving_cert_file configuration section: address ${addr}: missing port in address`);
    const sync = duration(r.sync, DEFAULT_FILE_SYNC_INTERVAL_MS);
    if (!sync.ok) return fail(`invalid file_sync_interval in the serving_cert_file configuration section: ${sync.error}`);
    out.servingCertFile = { certFilePath: r.certFile, keyFilePath: r.keyFile, addr, fileSyncIntervalMs: sync.value };
  }
  let methods = 0;
  if (serverB) {
    const poll = duration(r.serverPoll, DEFAULT_POLL_INTERVAL_MS);
    if (!poll.ok) return fail(`invalid poll_interval in the server_api configuration section: ${poll.error}`);
    out.serverApi = { address: r.serverAddress, pollIntervalMs: poll.value };
    methods++;
  }
  if (wlB) {
    if (r.trustDomain === '') return fail('trust_domain must be configured in the workload_api configuration section');
    const poll = duration(r.wlPoll, DEFAULT_POLL_INTERVAL_MS);
    if (!poll.ok) return fail(`invalid poll_interval in the workload_api configuration section: ${poll.error}`);
    out.workloadApi = { socketPath: r.socketPath, trustDomain: r.trustDomain, pollIntervalMs: poll.value };
    methods++;
  }
  if (fileB) {
    const poll = duration(r.filePoll, DEFAULT_POLL_INTERVAL_MS);
    if (!poll.ok) return fail(`invalid poll_interval in the file configuration section: ${poll.error}`);
    out.file = { path: r.filePath, pollIntervalMs: poll.value };
    methods++;
  }
  if (healthB) out.healthChecks = { bindPort: r.bindPort <= 0 ? DEFAULT_HEALTH_PORT : r.bindPort, livePath: r.livePath || '/live', readyPath: r.readyPath || '/ready' };
  const os = validatePosix(out);
  if (os) return fail(os);
  if (methods === 0) return fail('exactly one of the server_api, workload_api, or file sections must be configured');
  if (methods > 1) return fail('the server_api, workload_api, and file sections are mutually exclusive');
  if (out.jwtIssuer !== '') {
    const u = urlParts(out.jwtIssuer);
    if (u.scheme === '') return fail('the jwt_issuer url must contain a scheme');
    if (u.host === '') return fail('the jwt_issuer url must contain a host');
  }
  if (out.jwksUri !== '') {
    const u = urlParts(out.jwksUri);
    if (u.scheme === '' || u.host === '') return fail('the jwks_uri setting could not be parsed: %!w(<nil>)');
  }
  const stdout = out.jwksUri === '' && out.jwtIssuer !== '' ? 'Warning: The jwt_issuer configuration will also affect the jwks_uri behavior when jwks_url is not set. This behaviour will be changed in 1.13.0.' : '';
  return ok({ config: out, stdout });
}

/** main_posix.go validateOS. */
function validatePosix(c: OidcProviderConfig): string | undefined {
  const acme = c.acme !== undefined, cert = c.servingCertFile !== undefined, sock = c.listenSocketPath !== '', insecure = c.insecureAddr !== '';
  if (!acme && !sock && !cert && !insecure) return 'either acme, serving_cert_file, insecure_addr or listen_socket_path must be configured';
  if (acme && cert) return 'acme and serving_cert_file are mutually exclusive';
  if (acme && sock) return 'listen_socket_path and the acme section are mutually exclusive';
  if (cert && insecure) return 'serving_cert_file and insecure_addr are mutually exclusive';
  if (cert && sock) return 'serving_cert_file and listen_socket_path are mutually exclusive';
  if (acme && insecure) return 'acme and insecure_addr are mutually exclusive';
  if (insecure && sock) return 'insecure_addr and listen_socket_path are mutually exclusive';
  if (c.serverApi) {
    if (c.serverApi.address === '') return 'address must be configured in the server_api configuration section';
    if (!c.serverApi.address.startsWith('unix:')) return 'address must use the unix name system in the server_api configuration section';
  }
  if (c.workloadApi && c.workloadApi.socketPath === '') return 'socket_path must be configured in the workload_api configuration section';
  return undefined;
}

/** `LoadConfig` when the file cannot be read (what the process prints before exiting 1). */
export const oidcConfigLoadError = (path: string): OidcConfigError => simError('spire/oidc-config', `unable to load configuration: open ${path}: no such file or directory`, { file: path });
