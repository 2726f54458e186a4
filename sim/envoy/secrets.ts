/**
 * The SDS secrets one Envoy holds: `default` (its certificate chain and key) and `ROOTCA` (what it
 * validates peers with), from whichever SDS server pilot-agent chose at start-up — the SPIRE agent
 * through the workload socket, or pilot-agent's own server backed by istiod's CA
 * (istio: pkg/model/authentication.go SDSDefaultResourceName/SDSRootResourceName).
 * ROOTCA is either a SPIFFE cert validator with one bundle per trust domain (SPIRE with
 * `default_all_bundles_name = "ROOTCA"`) or a flat `trusted_ca` (istiod, or SPIRE's single bundle).
 * `configDump` renders them as Envoy's admin `/config_dump` SecretsConfigDump (snake_case, bytes base64,
 * private keys redacted: envoy source/server/admin/config_dump_handler.cc redacts `private_key`).
 */
import { encodePem, toBase64, type Certificate } from '../pki/index.ts';

export interface CertificateSecret {
  readonly chain: readonly Certificate[];
  /** The private key (PKCS#8 PEM) Envoy holds for the chain; the admin dump redacts it. */
  readonly keyPem?: string;
  readonly lastUpdated: number;
  readonly version: string;
}

export type RootCaSecret =
  | { readonly kind: 'spiffe'; readonly trustDomains: ReadonlyMap<string, readonly Certificate[]>; readonly lastUpdated: number; readonly version: string }
  | { readonly kind: 'trusted-ca'; readonly roots: readonly Certificate[]; readonly lastUpdated: number; readonly version: string };

export interface ProxySecrets {
  readonly default?: CertificateSecret;
  readonly rootCa?: RootCaSecret;
  /** Names Envoy asked for that have not arrived (warming). */
  readonly warming: readonly string[];
  /** Who serves them: `spire` (the agent's socket), `istiod` (pilot-agent's SDS with istiod's CA) or `none`. */
  readonly provider: 'spire' | 'istiod' | 'none';
}

const SECRET = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret';
const SPIFFE_VALIDATOR = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.SPIFFECertValidatorConfig';
const REDACTED = toBase64(new TextEncoder().encode('[redacted]'));

const pemB64 = (certs: readonly Certificate[]): string => toBase64(new TextEncoder().encode(certs.map((c) => encodePem('CERTIFICATE', c.der)).join('')));
const timestamp = (ms: number): string => new Date(ms).toISOString();

/** The trust domains ROOTCA can validate, with their roots. */
export function rootsByTrustDomain(root: RootCaSecret | undefined): ReadonlyMap<string, readonly Certificate[]> {
  if (!root) return new Map();
  return root.kind === 'spiffe' ? root.trustDomains : new Map([['*', root.roots]]);
}

/** Envoy admin's SecretsConfigDump for these secrets. */
export function secretsDump(s: ProxySecrets): Record<string, unknown> {
  const active: Record<string, unknown>[] = [];
  if (s.default)
    active.push({
      name: 'default',
      version_info: s.default.version,
      last_updated: timestamp(s.default.lastUpdated),
      secret: { '@type': SECRET, name: 'default', tls_certificate: { certificate_chain: { inline_bytes: pemB64(s.default.chain) }, private_key: { inline_bytes: REDACTED } } },
    });
  if (s.rootCa) {
    const r = s.rootCa;
    const validation =
      r.kind === 'spiffe'
        ? {
            trusted_ca: {},
            custom_validator_config: {
              name: 'envoy.tls.cert_validator.spiffe',
              typed_config: { '@type': SPIFFE_VALIDATOR, trust_domains: [...r.trustDomains].map(([name, roots]) => ({ name, trust_bundle: { inline_bytes: pemB64(roots) } })) },
            },
          }
        : { trusted_ca: { inline_bytes: pemB64(r.roots) } };
    active.push({ name: 'ROOTCA', version_info: r.version, last_updated: timestamp(r.lastUpdated), secret: { '@type': SECRET, name: 'ROOTCA', validation_context: validation } });
  }
  const warming = s.warming.map((name) => ({ name, version_info: 'uninitialized', last_updated: '', secret: { '@type': SECRET, name } }));
  return {
    '@type': 'type.googleapis.com/envoy.admin.v3.SecretsConfigDump',
    ...(active.length ? { dynamic_active_secrets: active } : {}),
    ...(warming.length ? { dynamic_warming_secrets: warming } : {}),
  };
}
