/**
 * The agent's Envoy SDS v3 endpoint (`spire:pkg/agent/endpoints/sdsv3/handler.go`): resource-name
 * resolution, the secret shapes, and StreamSecrets' version/nonce protocol.
 *
 * Resolution (`buildResponse`) for requested names N (empty names dropped; none = "all" mode):
 * 1. own-TD validation context, a `switch`, first match wins: all mode or N ∋ own TD ID → named with the
 *    TD ID (one TD); else N ∋ `default_bundle_name` → that name (own TD only); else N ∋
 *    `default_all_bundles_name` → that name, all bundles (own + F). Only when the own bundle is held.
 * 2. for each TD in F: all mode or N ∋ its TD ID → named with the TD ID.
 * 3. for each identity in entry-ID order: all mode or N ∋ its SPIFFE ID → named with the ID; else the first
 *    identity and N ∋ `default_svid_name` → named `default`.
 * 4. names left over → InvalidArgument `workload is not authorized for the requested identities [...]`
 *    (Go `%q` of the sorted list: `["ALL" "default"]`).
 * Validation contexts: the SPIFFE validator (`custom_validator_config`, trust domains sorted by name for
 * the all-bundles secret) unless SPIFFE cert validation is disabled — by `sds` config or overridden by the
 * Envoy node metadata key `disable_spiffe_cert_validation` — or Envoy's build version is below 1.18; then
 * plain `trusted_ca`, and the all-bundles secret fails with Internal `unable to use "SPIFFE validator" on
 * Envoy below 1.17`.
 *
 * Secrets are proto-JSON shaped with Envoy's field names; `inline_bytes` holds the PEM text (a config
 * dump base64-encodes it).
 * Simplified: federated validation contexts come out in TD-name order (upstream iterates a Go map);
 * rate limiting and the agent's own-PID exemption are not modelled.
 */
import type { Rng } from '../../core/rng.ts';
import { err, ok, type Result } from '../../core/result.ts';
import { toHex } from '../../pki/index.ts';
import type { SpiffeBundle } from '../../spiffe/index.ts';
import type { SdsConfig } from './config.ts';
import { grpcError, rpcErrorString, type AgentError } from './grpcStatus.ts';
import { goQuoteList, type LogFields, type LogLevel } from './logrus.ts';
import type { X509Identity, X509WorkloadUpdate } from './workloadUpdate.ts';
import { encodePem } from '../../pki/index.ts';

export const SECRET_TYPE_URL = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret';
export const SPIFFE_VALIDATOR_NAME = 'envoy.tls.cert_validator.spiffe';
export const SPIFFE_VALIDATOR_TYPE_URL = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.SPIFFECertValidatorConfig';

export interface EnvoyNode {
  readonly id?: string;
  readonly cluster?: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** `user_agent_build_version.version`; absent = assumed to support the SPIFFE validator. */
  readonly userAgentBuildVersion?: { readonly major: number; readonly minor: number; readonly patch?: number };
}

export interface DiscoveryRequest {
  readonly versionInfo?: string;
  readonly node?: EnvoyNode;
  readonly resourceNames: readonly string[];
  readonly typeUrl?: string;
  readonly responseNonce?: string;
  readonly errorDetail?: { readonly message: string };
}

export interface DataSource {
  readonly inline_bytes: string;
}

export interface TlsCertificateSecret {
  readonly '@type': typeof SECRET_TYPE_URL;
  readonly name: string;
  readonly tls_certificate: { readonly certificate_chain: DataSource; readonly private_key: DataSource };
}

export interface SpiffeTrustDomain {
  readonly name: string;
  readonly trust_bundle: DataSource;
}

export interface ValidationContextSecret {
  readonly '@type': typeof SECRET_TYPE_URL;
  readonly name: string;
  readonly validation_context:
    | {
        readonly custom_validator_config: {
          readonly name: typeof SPIFFE_VALIDATOR_NAME;
          readonly typed_config: { readonly '@type': typeof SPIFFE_VALIDATOR_TYPE_URL; readonly trust_domains: readonly SpiffeTrustDomain[] };
        };
      }
    | { readonly trusted_ca: DataSource };
}

export type SdsSecret = TlsCertificateSecret | ValidationContextSecret;

export interface DiscoveryResponse {
  readonly version_info: string;
  readonly resources: readonly SdsSecret[];
  readonly type_url: string;
  /** 8 lowercase hex characters on a stream; empty for FetchSecrets. */
  readonly nonce: string;
}

const rootsPem = (b: SpiffeBundle): string => b.x509Authorities.map((c) => encodePem('CERTIFICATE', c.der)).join('');

export function tlsCertificateSecret(identity: X509Identity, name = identity.entry.spiffeId): TlsCertificateSecret {
  return {
    '@type': SECRET_TYPE_URL,
    name,
    tls_certificate: {
      certificate_chain: { inline_bytes: identity.svid.chain.map((c) => encodePem('CERTIFICATE', c.der)).join('') },
      private_key: { inline_bytes: identity.svid.keyPem },
    },
  };
}

const spiffeValidator = (name: string, bundles: readonly SpiffeBundle[]): ValidationContextSecret => ({
  '@type': SECRET_TYPE_URL,
  name,
  validation_context: {
    custom_validator_config: {
      name: SPIFFE_VALIDATOR_NAME,
      typed_config: { '@type': SPIFFE_VALIDATOR_TYPE_URL, trust_domains: bundles.map((b) => ({ name: b.trustDomain.name, trust_bundle: { inline_bytes: rootsPem(b) } })) },
    },
  },
});

interface ValidationContextBuilder {
  buildOne(resourceName: string, trustDomainName: string): Result<ValidationContextSecret, AgentError>;
  buildAll(resourceName: string): Result<ValidationContextSecret, AgentError>;
}

function bundlesOf(upd: X509WorkloadUpdate): Map<string, SpiffeBundle> {
  const all = new Map<string, SpiffeBundle>();
  if (upd.bundle) all.set(upd.bundle.trustDomain.name, upd.bundle);
  for (const [td, b] of upd.federatedBundles) all.set(td, b);
  return all;
}

function spiffeBuilder(upd: X509WorkloadUpdate): ValidationContextBuilder {
  const bundles = bundlesOf(upd);
  return {
    buildOne: (name, td) => {
      const b = bundles.get(td);
      return b ? ok(spiffeValidator(name, [b])) : err(grpcError('not-found', `no bundle found for trust domain: ${JSON.stringify(`spiffe://${td}`)}`));
    },
    buildAll: (name) => ok(spiffeValidator(name, [...bundles.values()].sort((a, b) => (a.trustDomain.name < b.trustDomain.name ? -1 : a.trustDomain.name > b.trustDomain.name ? 1 : 0)))),
  };
}

function rootCaBuilder(upd: X509WorkloadUpdate): ValidationContextBuilder {
  const bundles = bundlesOf(upd);
  return {
    buildOne: (name, td) => {
      const b = bundles.get(td);
      return b
        ? ok({ '@type': SECRET_TYPE_URL, name, validation_context: { trusted_ca: { inline_bytes: rootsPem(b) } } })
        : err(grpcError('internal', `no bundle found for trust domain: ${JSON.stringify(`spiffe://${td}`)}`));
    },
    buildAll: () => err(grpcError('internal', 'unable to use "SPIFFE validator" on Envoy below 1.17')),
  };
}

/** Go `strconv.ParseBool`. */
function parseGoBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v !== 'string') return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

/** `isSPIFFECertValidationDisabled`: the config, overridden by node metadata when it parses as a bool. */
export function spiffeCertValidationDisabled(config: SdsConfig, node: EnvoyNode | undefined): boolean {
  const override = parseGoBool(node?.metadata?.disable_spiffe_cert_validation);
  return override ?? config.disableSpiffeCertValidation;
}

/** `supportsSPIFFEAuthExtension`: Envoy ≥ 1.18, or no build version reported. */
export function supportsSpiffeValidator(node: EnvoyNode | undefined): boolean {
  const v = node?.userAgentBuildVersion;
  if (!v) return true;
  return (v.major === 1 && v.minor > 17) || v.major > 1;
}

/** The pure core of `buildResponse`: which secrets a request for `names` yields, or the gRPC error. */
export function resolveSdsResources(names: readonly string[], upd: X509WorkloadUpdate, config: SdsConfig, node?: EnvoyNode): Result<SdsSecret[], AgentError> {
  const want = new Set(names.filter((n) => n !== ''));
  const all = want.size === 0;
  const builder = !spiffeCertValidationDisabled(config, node) && supportsSpiffeValidator(node) ? spiffeBuilder(upd) : rootCaBuilder(upd);
  const out: SdsSecret[] = [];

  if (upd.bundle) {
    const own = upd.bundle.trustDomain;
    const ownId = own.idString();
    let built: Result<ValidationContextSecret, AgentError> | undefined;
    let name: string | undefined;
    if (all || want.has(ownId)) [built, name] = [builder.buildOne(ownId, own.name), ownId];
    else if (want.has(config.defaultBundleName)) [built, name] = [builder.buildOne(config.defaultBundleName, own.name), config.defaultBundleName];
    else if (want.has(config.defaultAllBundlesName)) [built, name] = [builder.buildAll(config.defaultAllBundlesName), config.defaultAllBundlesName];
    if (built) {
      if (!built.ok) return built;
      want.delete(name!);
      out.push(built.value);
    }
  }

  for (const [td, bundle] of upd.federatedBundles) {
    const id = bundle.trustDomain.idString();
    if (all || want.has(id)) {
      const built = builder.buildOne(id, td);
      if (!built.ok) return built;
      want.delete(id);
      out.push(built.value);
    }
  }

  upd.identities.forEach((identity, i) => {
    if (all || want.has(identity.entry.spiffeId)) {
      want.delete(identity.entry.spiffeId);
      out.push(tlsCertificateSecret(identity));
    } else if (i === 0 && want.has(config.defaultSvidName)) {
      want.delete(config.defaultSvidName);
      out.push(tlsCertificateSecret(identity, config.defaultSvidName));
    }
  });

  if (want.size > 0) return err(grpcError('invalid-argument', `workload is not authorized for the requested identities ${goQuoteList([...want].sort())}`, { names: [...want].sort() }));
  return ok(out);
}

/** FetchSecrets (unary): same resolution, empty `version_info` and nonce. */
export function fetchSecrets(req: DiscoveryRequest, upd: X509WorkloadUpdate, config: SdsConfig): Result<DiscoveryResponse, AgentError> {
  const r = resolveSdsResources(req.resourceNames, upd, config, req.node);
  return r.ok ? ok({ version_info: '', resources: r.value, type_url: req.typeUrl ?? SECRET_TYPE_URL, nonce: '' }) : r;
}

/** What one step of a stream did: a response sent, the stream terminated with an error, or nothing. */
export interface SdsStep {
  readonly response?: DiscoveryResponse;
  readonly error?: AgentError;
}

export interface SdsStreamOptions {
  readonly config: SdsConfig;
  readonly rng: Rng;
  readonly log?: (level: LogLevel, msg: string, fields?: LogFields) => void;
}

const changedNames = (a: readonly string[], b: readonly string[]): boolean => a.length !== b.length || b.some((n) => !a.includes(n));

/**
 * One StreamSecrets stream as a state machine (`StreamSecrets`): feed it the client's requests and the
 * workload's cache updates; each returns what the agent sent. The version counter starts at 0 and
 * increments on every update (the subscription delivers the current state first, so the first response
 * is normally `"1"`); each response gets a fresh 8-hex nonce from the Rng. After an error the stream is
 * closed and every later call returns that error.
 */
export class SdsStream {
  private versionCounter = 0;
  private versionInfo = '0';
  private lastNonce = '';
  private lastNode: EnvoyNode | undefined;
  private upd: X509WorkloadUpdate | undefined;
  private lastReq: DiscoveryRequest | undefined;
  private closedWith: AgentError | undefined;
  private readonly sent: DiscoveryResponse[] = [];

  constructor(private readonly opts: SdsStreamOptions) {}

  get closed(): AgentError | undefined {
    return this.closedWith;
  }

  get version(): string {
    return this.versionInfo;
  }

  /** Every response sent on this stream, in order. */
  get responses(): readonly DiscoveryResponse[] {
    return this.sent;
  }

  get lastResponse(): DiscoveryResponse | undefined {
    return this.sent[this.sent.length - 1];
  }

  request(req: DiscoveryRequest): SdsStep {
    if (this.closedWith) return { error: this.closedWith };
    const log = this.opts.log ?? (() => {});
    let effective = req;
    if (req.errorDetail) log('error', 'Envoy reported errors applying secrets', { resource_names: req.resourceNames, error: req.errorDetail.message });
    if (this.lastNonce !== '') {
      if (this.lastNonce !== (req.responseNonce ?? '')) {
        log('warning', 'Received unexpected nonce; ignoring request', { nonce: req.responseNonce ?? '', expect: this.lastNonce });
        return {};
      }
      if (!req.versionInfo || req.versionInfo !== this.versionInfo) log('error', 'Client rejected expected version and rolled back', { version_info: req.versionInfo ?? '', expect: this.versionInfo });
      if (!req.node && this.lastNode) effective = { ...req, node: this.lastNode };
    }
    const send = this.lastReq === undefined || changedNames(this.lastReq.resourceNames, effective.resourceNames);
    this.lastReq = effective;
    if (!send || !this.upd) return {};
    return this.respond();
  }

  update(upd: X509WorkloadUpdate): SdsStep {
    if (this.closedWith) return { error: this.closedWith };
    this.upd = upd;
    this.versionCounter++;
    this.versionInfo = String(this.versionCounter);
    if (!this.lastReq) return {};
    return this.respond();
  }

  private respond(): SdsStep {
    const req = this.lastReq!;
    const resolved = resolveSdsResources(req.resourceNames, this.upd!, this.opts.config, req.node);
    if (!resolved.ok) {
      this.opts.log?.('error', 'Error building stream secrets response', { error: rpcErrorString(resolved.error) });
      this.closedWith = resolved.error;
      return { error: resolved.error };
    }
    const response: DiscoveryResponse = { version_info: this.versionInfo, resources: resolved.value, type_url: req.typeUrl ?? SECRET_TYPE_URL, nonce: toHex(this.opts.rng.bytes(4)) };
    this.sent.push(response);
    this.lastNonce = response.nonce;
    if (req.node) this.lastNode = req.node;
    return { response };
  }
}
