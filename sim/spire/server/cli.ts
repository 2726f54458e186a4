/**
 * The `spire-server` command line against a server model (`spire:cmd/spire-server/cli/*`): `bundle
 * show|list|set|delete`, `entry show|create`, `federation list|show|refresh`, `healthcheck`. Output is
 * byte-for-byte upstream's (research/spire-spec.md §3): PEM blocks, the 4-space SPIFFE document, the
 * 40-star bundle headers, `Found N entries` with 24-column labels, `-output json` compact with sorted keys
 * and int64 fields as strings; errors `Error: <message>` on stderr with exit 1; gRPC failures read
 * `rpc error: code = NotFound desc = …`. `-socketPath` must name the server's socket, else the dial error
 * a real client prints.
 *
 * Structurally a `Program` (sim/cli/shell/program.ts): sim/spire may not import sim/cli, so the io
 * type is restated here with only what the CLI reads.
 * Simplified: Go's flag package help text is not reproduced (an unknown flag prints the one-line
 * error); `entry create -data`, `entry update/delete/count`, `agent`, `localauthority` and `x509`/`jwt`
 * subcommands are not modelled; `-output json` omits `public_key` of JWT keys learned through
 * federation (stored as JWKs).
 */
import { encodePem, toBase64 } from '../../pki/index.ts';
import {
  formatBundleShowSpiffe,
  parseSpiffeBundle,
  parseSpiffeId,
  parseX509Bundle,
  SpiffeBundle,
  trustDomainFromString,
} from '../../spiffe/index.ts';
import type { Result } from '../../core/result.ts';
import type { ApiError, EntryInput, FederationRelationship, RegistrationEntry, Selector, SpireServerApi } from '../api.ts';
import { DEFAULT_SOCKET_PATH } from './config.ts';
import type { BundleRecord } from './datastore.ts';

export interface SpireCliIo {
  readonly stdin: string;
  readonly cwd: string;
  readonly fs: { read(path: string): string | undefined };
}
export interface SpireCliResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}
export type SpireCliProgram = (argv: readonly string[], io: SpireCliIo) => SpireCliResult | Promise<SpireCliResult>;

/** What the CLI needs beyond the API contract (both optional: a plain `SpireServerApi` works). */
export interface SpireServerCliTarget extends SpireServerApi {
  bundleRecord?(trustDomain: string): BundleRecord | undefined;
  refreshBundleAsync?(trustDomain: string): Promise<Result<void, ApiError>>;
}

export interface SpireServerCliOptions {
  /** The server's admin socket (`socket_path`); default `/tmp/spire-server/private/api.sock`. */
  readonly socketPath?: string;
}

class CliError {
  constructor(
    readonly message: string,
    readonly stdout = '',
    readonly stderrPrefix = '',
  ) {}
}

const GRPC_NAMES: Record<string, string> = {
  'spire/invalid-argument': 'InvalidArgument',
  'spire/not-found': 'NotFound',
  'spire/already-exists': 'AlreadyExists',
  'spire/failed-precondition': 'FailedPrecondition',
  'spire/internal': 'Internal',
  'spire/unavailable': 'Unavailable',
  'spire/permission-denied': 'PermissionDenied',
};
const rpcError = (e: ApiError): string => `rpc error: code = ${GRPC_NAMES[e.code] ?? 'Unknown'} desc = ${e.message}`;

// ---------------------------------------------------------------------------------------------
// Go flag parsing (the subset SPIRE's commands use)

type FlagSpec = Record<string, 'string' | 'bool' | 'int' | 'list'>;
interface Flags {
  readonly str: Record<string, string>;
  readonly bool: Record<string, boolean>;
  readonly list: Record<string, string[]>;
  readonly set: Set<string>;
  readonly args: string[];
}

function parseFlags(argv: readonly string[], spec: FlagSpec): Flags {
  const f: Flags = { str: {}, bool: {}, list: {}, set: new Set(), args: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      f.args.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      f.args.push(...argv.slice(i));
      break;
    }
    const body = a.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const kind = spec[name];
    if (!kind) throw new CliError(`flag provided but not defined: -${name}`);
    f.set.add(name);
    if (kind === 'bool') {
      const v = eq >= 0 ? body.slice(eq + 1) : 'true';
      if (!['true', 'false', '1', '0', 't', 'f', 'TRUE', 'FALSE', 'True', 'False'].includes(v)) throw new CliError(`invalid boolean value "${v}" for -${name}: parse error`);
      f.bool[name] = ['true', '1', 't', 'TRUE', 'True'].includes(v);
      continue;
    }
    let v: string;
    if (eq >= 0) v = body.slice(eq + 1);
    else {
      if (i + 1 >= argv.length) throw new CliError(`flag needs an argument: -${name}`);
      v = argv[++i]!;
    }
    if (kind === 'int' && !/^[-+]?\d+$/.test(v)) throw new CliError(`invalid value "${v}" for flag -${name}: parse error`);
    if (kind === 'list') (f.list[name] ??= []).push(v);
    else f.str[name] = v;
  }
  return f;
}

// ---------------------------------------------------------------------------------------------
// Formatting

/** Go encoding/json of a map: keys sorted, `<>&` escaped. */
function goJson(v: unknown): string {
  const sort = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sort);
    if (x && typeof x === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(x).sort()) if ((x as Record<string, unknown>)[k] !== null && (x as Record<string, unknown>)[k] !== undefined) out[k] = sort((x as Record<string, unknown>)[k]);
      return out;
    }
    return x;
  };
  return JSON.stringify(sort(v))
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const HEADER_RULE = '*'.repeat(40);

function bundlePem(b: SpiffeBundle): string {
  return b.x509Authorities.map((c) => encodePem('CERTIFICATE', c.der)).join('');
}

function printBundle(b: SpiffeBundle, format: string, header: boolean): string {
  let out = header ? `${HEADER_RULE}\n* ${b.trustDomain.name}\n${HEADER_RULE}\n` : '';
  if (format === 'pem') out += bundlePem(b);
  else {
    const doc = formatBundleShowSpiffe(b);
    if (!doc.ok) throw new CliError(doc.error.message);
    out += doc.value;
  }
  return out;
}

/** `api.BundleToProto` as protojson → Go JSON (int64 as strings). */
function bundleProto(b: SpiffeBundle, record: BundleRecord | undefined): Record<string, unknown> {
  const keys = record?.jwtSigningKeys ?? [];
  return {
    trust_domain: b.trustDomain.name,
    x509_authorities: b.x509Authorities.map((c) => ({ asn1: toBase64(c.der), tainted: false })),
    jwt_authorities: [...b.jwtAuthorities.keys()].map((kid) => {
      const k = keys.find((x) => x.kid === kid);
      return { expires_at: String(Math.floor((k?.notAfter ?? 0) / 1000)), key_id: kid, public_key: k?.spki ? toBase64(k.spki) : '', tainted: k?.tainted ?? false };
    }),
    wit_authorities: [],
    refresh_hint: String(Math.trunc((b.refreshHint ?? 0) / 1000)),
    sequence_number: String(b.sequenceNumber ?? 0),
  };
}

const idProto = (id: string): { path: string; trust_domain: string } => {
  const p = parseSpiffeId(id);
  return p.ok ? { path: p.value.path, trust_domain: p.value.trustDomain.name } : { path: '', trust_domain: '' };
};

function entryProto(e: RegistrationEntry): Record<string, unknown> {
  return {
    admin: e.admin,
    created_at: String(e.createdAt),
    dns_names: e.dnsNames,
    downstream: e.downstream,
    expires_at: '0',
    federates_with: e.federatesWith,
    hint: e.hint,
    id: e.id,
    jwt_svid_ttl: e.jwtSvidTtl,
    parent_id: idProto(e.parentId),
    revision_number: String(e.revisionNumber),
    selectors: e.selectors.map((s) => ({ type: s.type, value: s.value })),
    spiffe_id: idProto(e.spiffeId),
    store_svid: e.storeSvid,
    x509_svid_ttl: e.x509SvidTtl,
  };
}

const LABEL = (l: string): string => l.padEnd(24);

/** `cmd/spire-server/cli/entry/util.go` printEntry. */
export function formatEntry(e: Pick<RegistrationEntry, 'id' | 'spiffeId' | 'parentId' | 'revisionNumber' | 'downstream' | 'x509SvidTtl' | 'jwtSvidTtl' | 'selectors' | 'federatesWith' | 'dnsNames' | 'admin' | 'storeSvid' | 'hint'>): string {
  const lines = [
    `${LABEL('Entry ID')}: ${e.id === '' ? '(none)' : e.id}`,
    `${LABEL('SPIFFE ID')}: ${e.spiffeId}`,
    `${LABEL('Parent ID')}: ${e.parentId}`,
    `${LABEL('Revision')}: ${e.revisionNumber}`,
  ];
  if (e.downstream) lines.push(`${LABEL('Downstream')}: true`);
  lines.push(`${LABEL('X509-SVID TTL')}: ${e.x509SvidTtl === 0 ? 'default' : e.x509SvidTtl}`);
  lines.push(`${LABEL('JWT-SVID TTL')}: ${e.jwtSvidTtl === 0 ? 'default' : e.jwtSvidTtl}`);
  for (const s of e.selectors) lines.push(`${LABEL('Selector')}: ${s.type}:${s.value}`);
  for (const td of e.federatesWith) lines.push(`${LABEL('FederatesWith')}: ${td}`);
  for (const d of e.dnsNames) lines.push(`${LABEL('DNS name')}: ${d}`);
  if (e.admin) lines.push(`${LABEL('Admin')}: true`);
  if (e.storeSvid) lines.push(`${LABEL('StoreSvid')}: true`);
  if (e.hint !== '') lines.push(`${LABEL('Hint')}: ${e.hint}`);
  return `${lines.join('\n')}\n\n`;
}

const cmp = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);
const selCmp = (a: Selector, b: Selector): number => cmp(a.type, b.type) || cmp(a.value, b.value);

/** `spire:pkg/common/util/sort.go` SortTypesEntries (selectors sorted within each entry too). */
function sortEntries(entries: readonly RegistrationEntry[]): RegistrationEntry[] {
  const withSorted = entries.map((e) => ({ ...e, selectors: [...e.selectors].sort(selCmp) }));
  return withSorted.sort((a, b) => {
    const sa = idProto(a.spiffeId);
    const sb = idProto(b.spiffeId);
    const pa = idProto(a.parentId);
    const pb = idProto(b.parentId);
    const c = cmp(sa.trust_domain, sb.trust_domain) || cmp(sa.path, sb.path) || cmp(pa.trust_domain, pb.trust_domain) || cmp(pa.path, pb.path) || cmp(a.x509SvidTtl, b.x509SvidTtl) || cmp(a.jwtSvidTtl, b.jwtSvidTtl);
    if (c !== 0) return c;
    for (let i = 0; i < Math.min(a.selectors.length, b.selectors.length); i++) {
      const s = selCmp(a.selectors[i]!, b.selectors[i]!);
      if (s !== 0) return s;
    }
    return a.selectors.length - b.selectors.length;
  });
}

function formatRelationship(r: FederationRelationship): string {
  let out = `Trust domain              : ${r.trustDomain}\nBundle endpoint URL       : ${r.bundleEndpointUrl}\n`;
  if (r.profile.type === 'https_web') out += 'Bundle endpoint profile   : https_web\n';
  else out += `Bundle endpoint profile   : https_spiffe\nEndpoint SPIFFE ID        : ${r.profile.endpointSpiffeId}\n`;
  return out;
}

function relationshipProto(r: FederationRelationship): Record<string, unknown> {
  return {
    bundle_endpoint_url: r.bundleEndpointUrl,
    trust_domain: r.trustDomain,
    ...(r.profile.type === 'https_web' ? { https_web: {} } : { https_spiffe: { endpoint_spiffe_id: r.profile.endpointSpiffeId } }),
  };
}

function parseSelector(s: string): Selector {
  const i = s.indexOf(':');
  if (i < 0) throw new CliError(`selector "${s}" must be formatted as type:value`);
  return { type: s.slice(0, i), value: s.slice(i + 1) };
}

function resolvePath(cwd: string, path: string): string {
  const parts = (path.startsWith('/') ? path : `${cwd}/${path}`).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') out.pop();
    else out.push(p);
  }
  return `/${out.join('/')}`;
}

// ---------------------------------------------------------------------------------------------

const COMMON: FlagSpec = { socketPath: 'string', output: 'string' };

/** The `spire-server` program for one server. */
export function makeSpireServerCli(server: SpireServerCliTarget, opts: SpireServerCliOptions = {}): SpireCliProgram {
  const socket = opts.socketPath ?? DEFAULT_SOCKET_PATH;

  /** Dials the admin socket: a wrong path or a stopped server fails as gRPC does. */
  const dial = (f: Flags): void => {
    const path = f.str.socketPath ?? DEFAULT_SOCKET_PATH;
    if (path !== socket)
      throw new CliError(`rpc error: code = Unavailable desc = connection error: desc = "transport: error while dialing: dial unix ${path}: connect: no such file or directory"`);
    if (!server.isServing())
      throw new CliError(`rpc error: code = Unavailable desc = connection error: desc = "transport: error while dialing: dial unix ${path}: connect: connection refused"`);
  };
  const output = (f: Flags): 'pretty' | 'json' => {
    const o = f.str.output ?? 'pretty';
    if (o !== 'pretty' && o !== 'json') throw new CliError(`invalid output format "${o}"`);
    return o;
  };
  const bundleFormat = (f: Flags): 'pem' | 'spiffe' => {
    const v = (f.str.format ?? 'pem').toLowerCase();
    if (v !== 'pem' && v !== 'spiffe') throw new CliError(`invalid format: "${f.str.format}"`);
    return v;
  };
  const unwrapApi = <T>(r: Result<T, ApiError>, wrap = ''): T => {
    if (r.ok) return r.value;
    throw new CliError(`${wrap}${rpcError(r.error)}`);
  };

  const commands: Record<string, (argv: readonly string[], io: SpireCliIo) => string | Promise<string>> = {
    'bundle show': (argv) => {
      const f = parseFlags(argv, { ...COMMON, format: 'string' });
      const out = output(f);
      const format = bundleFormat(f);
      dial(f);
      const b = server.getBundle();
      if (out === 'json') return `${goJson(bundleProto(b, server.bundleRecord?.(b.trustDomain.name)))}\n`;
      return printBundle(b, format, false);
    },
    'bundle list': (argv) => {
      const f = parseFlags(argv, { ...COMMON, format: 'string', id: 'string' });
      const out = output(f);
      const format = bundleFormat(f);
      dial(f);
      if (f.str.id) {
        const b = unwrapApi(server.getFederatedBundle(f.str.id));
        if (out === 'json') return `${goJson(bundleProto(b, server.bundleRecord?.(b.trustDomain.name)))}\n`;
        return printBundle(b, format, false);
      }
      const all = server.listFederatedBundles();
      if (out === 'json') return `${goJson({ bundles: all.map((b) => bundleProto(b, server.bundleRecord?.(b.trustDomain.name))), next_page_token: '' })}\n`;
      return all.map((b) => printBundle(b, format, true)).join('\n');
    },
    'bundle set': (argv, io) => {
      const f = parseFlags(argv, { ...COMMON, format: 'string', id: 'string', path: 'string' });
      const out = output(f);
      if (!f.str.id) throw new CliError('id flag is required');
      const format = bundleFormat(f);
      let data = io.stdin;
      if (f.str.path) {
        const read = io.fs.read(resolvePath(io.cwd, f.str.path));
        if (read === undefined) throw new CliError(`unable to load bundle data: open ${f.str.path}: no such file or directory`);
        data = read;
      }
      const td = trustDomainFromString(f.str.id);
      if (!td.ok) throw new CliError(td.error.message);
      let bundle: SpiffeBundle;
      if (format === 'pem') {
        const x = parseX509Bundle(td.value, data);
        if (!x.ok) throw new CliError(`unable to parse bundle data: ${x.error.message}`);
        bundle = SpiffeBundle.of(td.value, { x509Authorities: x.value.x509Authorities, refreshHint: 0, sequenceNumber: 0 });
      } else {
        const s = parseSpiffeBundle(td.value, data);
        if (!s.ok) throw new CliError(`unable to parse to spiffe bundle: ${s.error.message}`);
        bundle = s.value;
      }
      dial(f);
      const [r] = server.batchSetFederatedBundle([bundle]);
      if (out === 'json')
        return `${goJson({ results: [r!.ok ? { bundle: bundleProto(r!.value, undefined), status: { code: 0, message: 'OK' } } : { status: { code: grpcNumber(r!.error.code), message: r!.error.message } }] })}\n`;
      if (!r!.ok) throw new CliError(`failed to set federated bundle: ${r!.error.message}`);
      return 'bundle set.\n';
    },
    'bundle delete': (argv) => {
      const f = parseFlags(argv, { ...COMMON, id: 'string', mode: 'string' });
      output(f);
      if (!f.str.id) throw new CliError('id is required');
      const mode = f.str.mode ?? 'restrict';
      if (mode !== 'restrict' && mode !== 'delete' && mode !== 'dissociate') throw new CliError(`unsupported mode "${mode}"`);
      dial(f);
      const [r] = server.batchDeleteFederatedBundle([f.str.id], mode);
      if (!r!.ok) throw new CliError(`failed to delete federated bundle "${f.str.id}": ${r!.error.message}`);
      return 'bundle deleted.\n';
    },
    'entry show': (argv) => {
      const f = parseFlags(argv, {
        ...COMMON,
        entryID: 'string',
        parentID: 'string',
        spiffeID: 'string',
        selector: 'list',
        federatesWith: 'list',
        matchSelectorsOn: 'string',
        matchFederatesWithOn: 'string',
        hint: 'string',
        downstream: 'bool',
      });
      const out = output(f);
      const entryId = f.str.entryID ?? '';
      if (entryId !== '' && (f.str.parentID || f.str.spiffeID || (f.list.selector?.length ?? 0) > 0)) throw new CliError("the -entryID flag can't be combined with others");
      let entries: RegistrationEntry[];
      if (entryId !== '') {
        dial(f);
        entries = [unwrapApi(server.getEntry(entryId), `error fetching entry ID ${entryId}: `)];
      } else {
        if (f.str.parentID) {
          const p = parseSpiffeId(f.str.parentID);
          if (!p.ok) throw new CliError(`error parsing parent ID ${JSON.stringify(f.str.parentID)}: ${p.error.message}`);
        }
        if (f.str.spiffeID) {
          const s = parseSpiffeId(f.str.spiffeID);
          if (!s.ok) throw new CliError(`error parsing SPIFFE ID ${JSON.stringify(f.str.spiffeID)}: ${s.error.message}`);
        }
        let selectors: Selector[] = [];
        try {
          selectors = (f.list.selector ?? []).map(parseSelector);
        } catch (e) {
          if (e instanceof CliError) throw new CliError(`error parsing selectors: ${e.message}`);
          throw e;
        }
        const matchSel = f.str.matchSelectorsOn ?? 'superset';
        if (!['exact', 'any', 'superset', 'subset'].includes(matchSel)) throw new CliError(`match behavior "${matchSel}" unknown`);
        const matchFed = f.str.matchFederatesWithOn ?? 'superset';
        if (!['exact', 'any', 'superset', 'subset'].includes(matchFed)) throw new CliError(`match behavior "${matchFed}" unknown`);
        dial(f);
        const federates = (f.list.federatesWith ?? []).map((t) => {
          const td = trustDomainFromString(t);
          return td.ok ? td.value.name : t;
        });
        entries = server.listEntries({ ...(f.str.spiffeID ? { spiffeId: f.str.spiffeID } : {}), ...(f.str.parentID ? { parentId: f.str.parentID } : {}) }).filter((e) => {
          if (selectors.length > 0 && !setMatch(e.selectors.map((s) => `${s.type}:${s.value}`), selectors.map((s) => `${s.type}:${s.value}`), matchSel)) return false;
          if (federates.length > 0 && !setMatch(e.federatesWith, federates, matchFed)) return false;
          if (f.str.hint !== undefined && f.str.hint !== '' && e.hint !== f.str.hint) return false;
          if (f.bool.downstream && !e.downstream) return false;
          return true;
        });
      }
      const sorted = sortEntries(entries);
      if (out === 'json') return `${goJson({ entries: sorted.map(entryProto), next_page_token: '' })}\n`;
      return `Found ${sorted.length} ${sorted.length === 1 ? 'entry' : 'entries'}\n${sorted.map(formatEntry).join('')}`;
    },
    'entry create': (argv) => {
      const f = parseFlags(argv, {
        ...COMMON,
        spiffeID: 'string',
        parentID: 'string',
        selector: 'list',
        federatesWith: 'list',
        dns: 'list',
        node: 'bool',
        admin: 'bool',
        downstream: 'bool',
        storeSVID: 'bool',
        x509SVIDTTL: 'int',
        jwtSVIDTTL: 'int',
        entryExpiry: 'int',
        hint: 'string',
        entryID: 'string',
      });
      const out = output(f);
      const selectorsRaw = f.list.selector ?? [];
      const federatesWith = f.list.federatesWith ?? [];
      const x509 = Number(f.str.x509SVIDTTL ?? 0);
      const jwt = Number(f.str.jwtSVIDTTL ?? 0);
      if (selectorsRaw.length === 0) throw new CliError('at least one selector is required');
      if (f.bool.node && federatesWith.length > 0) throw new CliError('node entries can not federate');
      if (!f.bool.node && !f.str.parentID) throw new CliError('a parent ID is required if the node flag is not set');
      if (!f.str.spiffeID) throw new CliError('a SPIFFE ID is required');
      if (x509 < 0) throw new CliError('a positive x509-SVID TTL is required');
      if (jwt < 0) throw new CliError('a positive JWT-SVID TTL is required');
      const sid = parseSpiffeId(f.str.spiffeID);
      if (!sid.ok) throw new CliError(sid.error.message);
      let parentId: string;
      if (f.bool.node) parentId = `spiffe://${sid.value.trustDomain.name}/spire/server`;
      else {
        const p = parseSpiffeId(f.str.parentID!);
        if (!p.ok) throw new CliError(p.error.message);
        parentId = p.value.toString();
      }
      const input: EntryInput = {
        ...(f.str.entryID ? { id: f.str.entryID } : {}),
        spiffeId: sid.value.toString(),
        parentId,
        selectors: selectorsRaw.map(parseSelector),
        x509SvidTtl: x509,
        jwtSvidTtl: jwt,
        federatesWith,
        dnsNames: f.list.dns ?? [],
        hint: f.str.hint ?? '',
        admin: f.bool.admin ?? false,
        downstream: f.bool.downstream ?? false,
        storeSvid: f.bool.storeSVID ?? false,
      };
      dial(f);
      const [r] = server.batchCreateEntry([input]);
      if (out === 'json')
        return `${goJson({ results: [r!.ok ? { entry: entryProto(r!.value), status: { code: 0, message: 'OK' } } : { entry: entryProto({ ...input, id: input.id ?? '', revisionNumber: 0, createdAt: 0 }), status: { code: grpcNumber(r!.error.code), message: r!.error.message } }] })}\n`;
      if (r!.ok) return formatEntry(r!.value);
      const asRequested = { ...input, id: input.id ?? '', revisionNumber: 0 };
      throw new CliError(
        'failed to create one or more entries',
        '',
        `Failed to create the following entry (code: ${GRPC_NAMES[r!.error.code] ?? 'Unknown'}, msg: ${JSON.stringify(r!.error.message)}):\n${formatEntry(asRequested)}`,
      );
    },
    'federation list': (argv) => {
      const f = parseFlags(argv, COMMON);
      const out = output(f);
      dial(f);
      const rels = server.listFederationRelationships();
      if (out === 'json') return `${goJson({ federation_relationships: rels.map(relationshipProto), next_page_token: '' })}\n`;
      return `Found ${rels.length} ${rels.length === 1 ? 'federation relationship' : 'federation relationships'}\n${rels.map((r) => `\n${formatRelationship(r)}`).join('')}`;
    },
    'federation show': (argv) => {
      const f = parseFlags(argv, { ...COMMON, trustDomain: 'string' });
      const out = output(f);
      if (!f.str.trustDomain) throw new CliError('a trust domain name is required');
      dial(f);
      const td = trustDomainFromString(f.str.trustDomain);
      const rel = td.ok ? server.listFederationRelationships().find((r) => r.trustDomain === td.value.name) : undefined;
      if (!td.ok) throw new CliError(`error showing federation relationship: rpc error: code = InvalidArgument desc = failed to parse trust domain: ${td.error.message}`);
      if (!rel) throw new CliError('error showing federation relationship: rpc error: code = NotFound desc = federation relationship does not exist');
      if (out === 'json') return `${goJson(relationshipProto(rel))}\n`;
      return `Found a federation relationship with trust domain ${f.str.trustDomain}:\n\n${formatRelationship(rel)}`;
    },
    'federation refresh': async (argv) => {
      const f = parseFlags(argv, { ...COMMON, id: 'string' });
      output(f);
      if (!f.str.id) throw new CliError('id is required');
      dial(f);
      const r = server.refreshBundleAsync ? await server.refreshBundleAsync(f.str.id) : server.refreshBundle(f.str.id);
      if (!r.ok) {
        if (r.error.code === 'spire/not-found') throw new CliError(`there is no federation relationship with trust domain ${JSON.stringify(f.str.id)}`);
        throw new CliError(`failed to refresh bundle: ${rpcError(r.error)}`);
      }
      return 'Bundle refreshed\n';
    },
    healthcheck: (argv) => {
      const f = parseFlags(argv, { socketPath: 'string', shallow: 'bool', verbose: 'bool' });
      let healthy = true;
      let reason = '';
      try {
        dial(f);
      } catch (e) {
        if (!(e instanceof CliError)) throw e;
        healthy = false;
        reason = e.message;
      }
      const verbose = f.bool.verbose ? 'Checking server health...\n' : '';
      if (!healthy) throw new CliError('server is unhealthy: unable to determine health', verbose, f.bool.verbose ? `Failed to check health: ${reason}\n` : '');
      return `${verbose}Server is healthy.\n`;
    },
  };

  return async (argv, io) => {
    const args = argv[0] === 'spire-server' || argv[0]?.endsWith('/spire-server') ? argv.slice(1) : argv;
    const two = `${args[0] ?? ''} ${args[1] ?? ''}`;
    const [name, rest] = commands[two] ? [two, args.slice(2)] : commands[args[0] ?? ''] ? [args[0]!, args.slice(1)] : [undefined, []];
    if (!name) {
      const known = [...new Set(Object.keys(commands).map((k) => k.split(' ')[0]!))].sort();
      return { stdout: '', stderr: `Usage: spire-server [--version] [--help] <command> [<args>]\n\nAvailable commands are:\n${known.map((k) => `    ${k}`).join('\n')}\n`, exitCode: 127 };
    }
    try {
      return { stdout: await commands[name]!(rest, io), stderr: '', exitCode: 0 };
    } catch (e) {
      if (e instanceof CliError) return { stdout: e.stdout, stderr: `${e.stderrPrefix}Error: ${e.message}\n`, exitCode: 1 };
      throw e;
    }
  };
}

function grpcNumber(code: string): number {
  return { 'spire/invalid-argument': 3, 'spire/not-found': 5, 'spire/already-exists': 6, 'spire/permission-denied': 7, 'spire/failed-precondition': 9, 'spire/internal': 13, 'spire/unavailable': 14 }[code] ?? 2;
}

/** Entry API selector / federates-with match modes. */
function setMatch(have: readonly string[], want: readonly string[], mode: string): boolean {
  const h = new Set(have);
  const w = new Set(want);
  switch (mode) {
    case 'exact':
      return h.size === w.size && [...w].every((x) => h.has(x));
    case 'any':
      return [...w].some((x) => h.has(x));
    case 'subset':
      return [...h].every((x) => w.has(x));
    default:
      return [...w].every((x) => h.has(x));
  }
}
