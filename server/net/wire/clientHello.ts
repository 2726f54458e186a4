/**
 * A TLS ClientHello read from the first bytes of a TCP stream, without terminating TLS — what Envoy's
 * `tls_inspector` listener filter extracts for the east-west gateway's SNI routing
 * (envoy: source/extensions/filters/listener/tls_inspector/tls_inspector.cc). Pure: give it every byte
 * received so far; it answers "need more" until the handshake message is complete.
 *
 * Wire format (RFC 8446 §4.1.2, §5.1; RFC 6066 §3 server_name; RFC 7301 §3.1 ALPN): TLSPlaintext records
 * of type handshake(22) carry the Handshake message, which may be fragmented across several records and
 * those records across any number of TCP chunks. Errors are values; nothing here throws.
 */
import { err, ok, simError, type Result, type SimError } from '../../../sim/core/result.ts';

/** Envoy's tls_inspector default `max_client_hello_size` (64 KiB); larger hellos are refused. */
export const MAX_CLIENT_HELLO_BYTES = 64 * 1024;

const RECORD_HEADER = 5;
const CONTENT_HANDSHAKE = 22;
const HANDSHAKE_CLIENT_HELLO = 1;
/** RFC 8446 §5.1: a record's plaintext length may not exceed 2^14. */
const MAX_RECORD_PLAINTEXT = 1 << 14;
const EXT_SERVER_NAME = 0x0000;
const EXT_ALPN = 0x0010;
const EXT_SUPPORTED_VERSIONS = 0x002b;

export interface ClientHello {
  /** The record layer's version (0x0301 for TLS 1.3 hellos, by convention). */
  readonly recordVersion: number;
  /** `legacy_version` in the hello body (0x0303 for TLS 1.2 and 1.3). */
  readonly legacyVersion: number;
  /** The host_name of the server_name extension, when present. */
  readonly sni?: string;
  /** ALPN protocol names in the client's order; empty when the extension is absent. */
  readonly alpn: readonly string[];
  /** supported_versions (TLS 1.3 clients list 0x0304 there). */
  readonly supportedVersions: readonly number[];
  /** Extension types in the order sent. */
  readonly extensions: readonly number[];
  /** Bytes of the stream the hello occupies (all its records, headers included). */
  readonly bytes: number;
}

export type ClientHelloErrorCode = 'wire/not-tls' | 'wire/not-client-hello' | 'wire/malformed-client-hello' | 'wire/client-hello-too-large';
export type ClientHelloError = SimError<ClientHelloErrorCode>;

export type ClientHelloParse =
  | { readonly kind: 'need-more'; readonly have: number }
  | { readonly kind: 'hello'; readonly hello: ClientHello }
  | { readonly kind: 'error'; readonly error: ClientHelloError };

const fail = (code: ClientHelloErrorCode, message: string, detail?: Record<string, unknown>): ClientHelloParse => ({ kind: 'error', error: simError(code, message, detail) });

/**
 * Parses the ClientHello at the start of `data` (all bytes received so far). Fragmentation across
 * records is reassembled; bytes after the hello (early data) are ignored.
 */
export function parseClientHello(data: Uint8Array, maxBytes: number = MAX_CLIENT_HELLO_BYTES): ClientHelloParse {
  // Reassemble the handshake stream from consecutive handshake records.
  const fragments: Uint8Array[] = [];
  let handshakeBytes = 0;
  let offset = 0;
  let recordVersion = 0;
  let needed: number | undefined; // total handshake bytes of the hello, once its header is known
  for (let records = 0; records <= maxBytes / RECORD_HEADER; records++) {
    if (offset >= maxBytes) return fail('wire/client-hello-too-large', `client hello larger than ${maxBytes} bytes`, { maxBytes });
    if (data.length < offset + 1) return { kind: 'need-more', have: data.length };
    if (data[offset] !== CONTENT_HANDSHAKE) {
      return offset === 0
        ? fail('wire/not-tls', 'not a TLS handshake record', { firstByte: data[0] })
        : fail('wire/malformed-client-hello', 'client hello interrupted by a non-handshake record', { contentType: data[offset] });
    }
    if (data.length < offset + RECORD_HEADER) return { kind: 'need-more', have: data.length };
    const major = data[offset + 1]!;
    const version = (major << 8) | data[offset + 2]!;
    const length = (data[offset + 3]! << 8) | data[offset + 4]!;
    if (major !== 3) return fail('wire/not-tls', `unknown record version 0x${version.toString(16).padStart(4, '0')}`, { version });
    if (length === 0 || length > MAX_RECORD_PLAINTEXT) return fail('wire/malformed-client-hello', `bad record length ${length}`, { length });
    if (offset === 0) recordVersion = version;
    const end = offset + RECORD_HEADER + length;
    if (end > maxBytes) return fail('wire/client-hello-too-large', `client hello larger than ${maxBytes} bytes`, { maxBytes });
    if (data.length < end) return { kind: 'need-more', have: data.length };
    fragments.push(data.subarray(offset + RECORD_HEADER, end));
    handshakeBytes += length;
    offset = end;
    if (needed === undefined && handshakeBytes >= 4) {
      const hs = concat(fragments, 4);
      if (hs[0] !== HANDSHAKE_CLIENT_HELLO) return fail('wire/not-client-hello', `first handshake message is type ${hs[0]}, not client_hello`, { type: hs[0] });
      needed = 4 + ((hs[1]! << 16) | (hs[2]! << 8) | hs[3]!);
      if (needed + RECORD_HEADER > maxBytes) return fail('wire/client-hello-too-large', `client hello larger than ${maxBytes} bytes`, { maxBytes, length: needed });
    }
    if (needed !== undefined && handshakeBytes >= needed) {
      const body = concat(fragments, needed).subarray(4);
      const parsed = parseBody(body);
      if (!parsed.ok) return { kind: 'error', error: parsed.error };
      return { kind: 'hello', hello: { recordVersion, ...parsed.value, bytes: offset } };
    }
  }
  return fail('wire/malformed-client-hello', 'too many records');
}

function concat(parts: readonly Uint8Array[], upTo: number): Uint8Array {
  const out = new Uint8Array(upTo);
  let at = 0;
  for (const p of parts) {
    if (at >= upTo) break;
    const n = Math.min(p.length, upTo - at);
    out.set(p.subarray(0, n), at);
    at += n;
  }
  return out;
}

/** A bounds-checked reader over the hello body. */
class Reader {
  at = 0;
  constructor(private readonly b: Uint8Array) {}
  get left(): number {
    return this.b.length - this.at;
  }
  u8(): number | undefined {
    return this.left >= 1 ? this.b[this.at++] : undefined;
  }
  u16(): number | undefined {
    if (this.left < 2) return undefined;
    const v = (this.b[this.at]! << 8) | this.b[this.at + 1]!;
    this.at += 2;
    return v;
  }
  bytes(n: number | undefined): Uint8Array | undefined {
    if (n === undefined || this.left < n) return undefined;
    const v = this.b.subarray(this.at, this.at + n);
    this.at += n;
    return v;
  }
}

type Body = Omit<ClientHello, 'recordVersion' | 'bytes'>;

function parseBody(body: Uint8Array): Result<Body, ClientHelloError> {
  const bad = (what: string): Result<Body, ClientHelloError> => err(simError('wire/malformed-client-hello', `malformed client hello: ${what}`));
  const r = new Reader(body);
  const legacyVersion = r.u16();
  if (legacyVersion === undefined || !r.bytes(32)) return bad('version/random');
  const sessionIdLength = r.u8();
  if (sessionIdLength === undefined || sessionIdLength > 32 || !r.bytes(sessionIdLength)) return bad('session id');
  const suitesLength = r.u16();
  if (suitesLength === undefined || suitesLength < 2 || suitesLength % 2 !== 0 || !r.bytes(suitesLength)) return bad('cipher suites');
  const compressionLength = r.u8();
  if (compressionLength === undefined || compressionLength < 1 || !r.bytes(compressionLength)) return bad('compression methods');
  const out = { legacyVersion, alpn: [] as string[], supportedVersions: [] as number[], extensions: [] as number[] } as { -readonly [K in keyof Body]: Body[K] } & { alpn: string[]; supportedVersions: number[]; extensions: number[] };
  if (r.left === 0) return ok(out); // SSLv3-style hello without extensions
  const extensionsLength = r.u16();
  const exts = r.bytes(extensionsLength);
  if (!exts || r.left !== 0) return bad('extensions length');
  const e = new Reader(exts);
  while (e.left > 0) {
    const type = e.u16();
    const data = e.bytes(e.u16());
    if (type === undefined || !data) return bad('extension');
    if (out.extensions.includes(type)) return bad(`duplicate extension ${type}`);
    out.extensions.push(type);
    if (type === EXT_SERVER_NAME) {
      const sni = serverName(data);
      if (sni === null) return bad('server_name');
      if (sni !== undefined) out.sni = sni;
    } else if (type === EXT_ALPN) {
      const protos = alpnList(data);
      if (!protos) return bad('application_layer_protocol_negotiation');
      out.alpn = protos;
    } else if (type === EXT_SUPPORTED_VERSIONS) {
      const d = new Reader(data);
      const list = d.bytes(d.u8());
      if (!list || list.length % 2 !== 0 || d.left !== 0) return bad('supported_versions');
      for (let i = 0; i < list.length; i += 2) out.supportedVersions.push((list[i]! << 8) | list[i + 1]!);
    }
  }
  return ok(out);
}

/** RFC 6066 §3: ServerNameList; the first host_name(0) entry. `null` when malformed. */
function serverName(data: Uint8Array): string | undefined | null {
  const r = new Reader(data);
  const list = r.bytes(r.u16());
  if (!list || r.left !== 0) return null;
  const l = new Reader(list);
  let name: string | undefined;
  while (l.left > 0) {
    const type = l.u8();
    const value = l.bytes(l.u16());
    if (type === undefined || !value) return null;
    if (type === 0 && name === undefined) {
      if (value.length === 0) return null;
      name = new TextDecoder().decode(value);
    }
  }
  return name;
}

/** RFC 7301 §3.1: ProtocolNameList, each name 1..255 bytes. */
function alpnList(data: Uint8Array): string[] | undefined {
  const r = new Reader(data);
  const list = r.bytes(r.u16());
  if (!list || r.left !== 0 || list.length === 0) return undefined;
  const l = new Reader(list);
  const out: string[] = [];
  while (l.left > 0) {
    const n = l.u8();
    const name = n ? l.bytes(n) : undefined;
    if (!name) return undefined;
    out.push(new TextDecoder().decode(name));
  }
  return out;
}
