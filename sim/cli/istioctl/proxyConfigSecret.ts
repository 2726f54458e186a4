/**
 * `istioctl proxy-config secret POD` from Envoy's config dump (`/config_dump`, its SecretsConfigDump):
 * the summary table (istio:istioctl/pkg/writer/compare/sds/{util.go,writer.go}, printSecretItemsTabular
 * via configdump.go PrintSecretSummary) and `-o json|yaml` (PrintSecretDump).
 *
 * Rules of the table, as upstream builds it:
 * - warming secrets first (STATUS `WARMING`), then active ones (`ACTIVE`; `UNINITIALIZED` when the
 *   secret's version_info is `uninitialized`);
 * - a secret's data is its `tls_certificate.certificate_chain`, else `validation_context.trusted_ca`;
 *   without either, a SPIFFE cert validator's `trust_domains` give one row each (TRUST DOMAIN = its
 *   name); only the first PEM block is read;
 * - TYPE `CA` when the certificate is a CA, else `Cert Chain`; SERIAL NUMBER `%032x`; NOT AFTER/BEFORE
 *   RFC 3339; VALID CERT: now strictly between NotBefore and NotAfter; a row without data is
 *   `false` with empty cells;
 * - TRUST DOMAIN (the validator's, else the leaf's SPIFFE URI host) is a column only when every row
 *   has one;
 * - Go tabwriter (minwidth 0, tabwidth 5, padding 5, spaces): the last cell is not padded.
 * Simplified: `-o json` re-indents the dump with 4 spaces and protojson's lowerCamelCase names but keeps
 * the dump's key order (protojson orders by proto field number).
 */
import { err, ok, simError, type Result, type SimError } from '../../core/result.ts';
import { decodePem, fromBase64, parseCertificate } from '../../pki/index.ts';
import { tabwrite } from '../kubectl/tabWriter.ts';

const SECRETS_DUMP = 'type.googleapis.com/envoy.admin.v3.SecretsConfigDump';
const SPIFFE_VALIDATOR = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.SPIFFECertValidatorConfig';

type Obj = Readonly<Record<string, unknown>>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
/** Proto bytes in JSON are base64; the dump's field names may be snake_case (Envoy) or lowerCamelCase (protojson). */
const field = (o: Obj, snake: string): unknown => o[snake] ?? o[camel(snake)];
const camel = (snake: string): string => snake.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
const inlineText = (source: unknown): string => {
  const b64 = field(obj(source), 'inline_bytes');
  if (typeof b64 !== 'string' || b64 === '') return '';
  try {
    return new TextDecoder().decode(fromBase64(b64));
  } catch {
    return '';
  }
};

interface SecretRow {
  readonly name: string;
  readonly state: string;
  readonly type: string;
  readonly valid: boolean;
  readonly serial: string;
  readonly notAfter: string;
  readonly notBefore: string;
  readonly trustDomain: string;
}

const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function row(name: string, state: string, pemText: string, trustDomain: string, now: number): SecretRow {
  const empty: SecretRow = { name, state, type: '', valid: false, serial: '', notAfter: '', notBefore: '', trustDomain };
  if (pemText === '') return empty;
  const blocks = decodePem(pemText);
  const first = blocks.ok ? blocks.value[0] : undefined;
  const cert = first ? parseCertificate(first.der) : undefined;
  // util.go Build: a certificate that does not parse leaves the row empty and invalid.
  if (!cert?.ok) return empty;
  const c = cert.value;
  const spiffeHost = c.uris.filter((u) => u.startsWith('spiffe://')).map((u) => u.slice('spiffe://'.length).split('/')[0]!).at(-1) ?? '';
  return {
    name,
    state,
    type: c.basicConstraints?.ca ? 'CA' : 'Cert Chain',
    valid: now > c.notBefore && now < c.notAfter,
    serial: c.serial.toString(16).padStart(32, '0'),
    notAfter: rfc3339(c.notAfter),
    notBefore: rfc3339(c.notBefore),
    trustDomain: trustDomain || spiffeHost,
  };
}

function rowsOf(dynamic: Obj, state: string, now: number): SecretRow[] {
  const name = String(dynamic.name ?? '');
  const st = state === 'ACTIVE' && field(dynamic, 'version_info') === 'uninitialized' ? 'UNINITIALIZED' : state;
  const secret = obj(dynamic.secret);
  const chain = inlineText(field(obj(field(secret, 'tls_certificate')), 'certificate_chain'));
  const vc = obj(field(secret, 'validation_context'));
  const trusted = inlineText(field(vc, 'trusted_ca'));
  if (chain !== '' || trusted !== '') return [row(name, st, chain || trusted, '', now)];
  const validator = obj(field(vc, 'custom_validator_config'));
  const typed = obj(field(validator, 'typed_config'));
  if (typed['@type'] === SPIFFE_VALIDATOR)
    return list(field(typed, 'trust_domains')).map((td) => row(name, st, inlineText(field(obj(td), 'trust_bundle')), String(obj(td).name ?? ''), now));
  return [row(name, st, '', '', now)];
}

/** The SecretsConfigDump of a `/config_dump` answer (an error when the proxy has none). */
export function secretsConfigDump(configDump: unknown): Result<Obj, SimError<'istioctl/no-secrets'>> {
  const dump = list(obj(configDump).configs).map(obj).find((c) => c['@type'] === SECRETS_DUMP);
  return dump ? ok(dump) : err(simError('istioctl/no-secrets', 'sidecar doesn\'t support secrets: config dump has no configuration type type.googleapis.com/envoy.admin.v3.SecretsConfigDump'));
}

/** The `proxy-config secret` table at `now` (ms). */
export function secretSummary(secrets: Obj, now: number): string {
  const warming = list(field(secrets, 'dynamic_warming_secrets')).map(obj);
  const active = list(field(secrets, 'dynamic_active_secrets')).map(obj);
  if (warming.length === 0 && active.length === 0) return 'No active or warming secrets found.\n';
  const rows = [...warming.flatMap((s) => rowsOf(s, 'WARMING', now)), ...active.flatMap((s) => rowsOf(s, 'ACTIVE', now))];
  const withTd = rows.every((r) => r.trustDomain !== '');
  const header = ['RESOURCE NAME', 'TYPE', 'STATUS', 'VALID CERT', 'SERIAL NUMBER', 'NOT AFTER', 'NOT BEFORE', ...(withTd ? ['TRUST DOMAIN'] : [])];
  const lines = [header, ...rows.map((r) => [r.name, r.type, r.state, String(r.valid), r.serial, r.notAfter, r.notBefore, ...(withTd ? [r.trustDomain] : [])])];
  return tabwrite(lines.map((l) => l.join('\t')).join('\n'), 0, 5);
}

const camelKeys = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(camelKeys) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k.startsWith('@') ? k : camel(k), camelKeys(x)])) : v;

/** `-o json`: the SecretsConfigDump itself (PrintSecretDump: 4-space indent, then a newline). */
export function secretDumpJson(secrets: Obj): string {
  return `${JSON.stringify(camelKeys(secrets), null, 4)}\n`;
}
