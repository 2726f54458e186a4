/**
 * The little HTTP/1.1 the wire needs (RFC 9112), incremental and pure: a request reader for the server
 * side, a response reader for the client side, and encoders. Hand-written rather than node:http because
 * the ClientRequest/ServerResponse machinery cost a measurable share of handshake throughput in
 * bench/wire.bench.ts, and the lab only ever sends one bodiless request per connection.
 * Bounded: heads over `MAX_HEAD` bytes and bodies over `MAX_BODY` are errors. Errors are values.
 */

export const MAX_HEAD = 64 * 1024;
export const MAX_BODY = 1 << 20;

export interface Http1Request {
  readonly method: string;
  readonly path: string;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  readonly keepAlive: boolean;
}

export interface Http1Response {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export type ReadStep<T> = { readonly kind: 'need-more' } | { readonly kind: 'done'; readonly value: T; readonly rest: Buffer } | { readonly kind: 'error'; readonly message: string };

const CRLF2 = Buffer.from('\r\n\r\n');

interface Head {
  readonly start: string;
  readonly headers: Record<string, string>;
  readonly bodyAt: number;
}

function readHead(buf: Buffer): ReadStep<Head> {
  const end = buf.indexOf(CRLF2);
  if (end < 0) return buf.length > MAX_HEAD ? { kind: 'error', message: 'header too large' } : { kind: 'need-more' };
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) return { kind: 'error', message: `malformed header line ${JSON.stringify(line)}` };
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return { kind: 'done', value: { start: lines[0] ?? '', headers, bodyAt: end + 4 }, rest: Buffer.alloc(0) };
}

function contentLength(h: Record<string, string>): number | undefined | 'bad' {
  const v = h['content-length'];
  if (v === undefined) return undefined;
  return /^\d+$/.test(v) && Number(v) <= MAX_BODY ? Number(v) : 'bad';
}

/** One request from the start of `buf` (bodies by content-length only; chunked request bodies are refused). */
export function readRequest(buf: Buffer): ReadStep<Http1Request> {
  const head = readHead(buf);
  if (head.kind !== 'done') return head;
  const m = /^([A-Z]+) (\S+) HTTP\/1\.([01])$/.exec(head.value.start);
  if (!m) return { kind: 'error', message: `malformed request line ${JSON.stringify(head.value.start)}` };
  const h = head.value.headers;
  if (h['transfer-encoding']) return { kind: 'error', message: 'chunked request bodies are not supported' };
  const len = contentLength(h);
  if (len === 'bad') return { kind: 'error', message: 'bad content-length' };
  const end = head.value.bodyAt + (len ?? 0);
  if (buf.length < end) return { kind: 'need-more' };
  const connection = (h['connection'] ?? '').toLowerCase();
  const keepAlive = m[3] === '1' ? !connection.includes('close') : connection.includes('keep-alive');
  return { kind: 'done', value: { method: m[1]!, path: m[2]!, headers: h, body: buf.subarray(head.value.bodyAt, end), keepAlive }, rest: buf.subarray(end) };
}

/**
 * The response at the start of `buf`. `ended`: the peer has closed, so a body without length ends here.
 * Handles content-length, chunked, and read-until-close bodies.
 */
export function readResponse(buf: Buffer, ended: boolean): ReadStep<Http1Response> {
  const head = readHead(buf);
  if (head.kind === 'need-more' && ended) return { kind: 'error', message: buf.length === 0 ? 'empty reply' : 'truncated response header' };
  if (head.kind !== 'done') return head;
  const m = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(head.value.start);
  if (!m) return { kind: 'error', message: `malformed status line ${JSON.stringify(head.value.start)}` };
  const h = head.value.headers;
  const done = (body: Buffer, rest: Buffer): ReadStep<Http1Response> => ({ kind: 'done', value: { status: Number(m[1]), headers: h, body: body.toString('utf8') }, rest });
  const at = head.value.bodyAt;
  if ((h['transfer-encoding'] ?? '').toLowerCase().includes('chunked')) {
    const parts: Buffer[] = [];
    let size = 0;
    for (let p = at, chunks = 0; chunks < 100_000; chunks++) {
      const eol = buf.indexOf('\r\n', p);
      if (eol < 0) return ended ? { kind: 'error', message: 'truncated chunked body' } : { kind: 'need-more' };
      const n = parseInt(buf.subarray(p, eol).toString('latin1').split(';')[0]!, 16);
      if (!Number.isFinite(n) || n < 0 || (size += n) > MAX_BODY) return { kind: 'error', message: 'bad chunk size' };
      if (n === 0) {
        const trailerEnd = buf.indexOf(CRLF2, eol); // "0\r\n" then trailers, then an empty line
        if (trailerEnd < 0) return ended ? { kind: 'error', message: 'truncated chunked body' } : { kind: 'need-more' };
        return done(Buffer.concat(parts), buf.subarray(trailerEnd + 4));
      }
      if (buf.length < eol + 2 + n + 2) return ended ? { kind: 'error', message: 'truncated chunked body' } : { kind: 'need-more' };
      parts.push(buf.subarray(eol + 2, eol + 2 + n));
      p = eol + 2 + n + 2;
    }
    return { kind: 'error', message: 'too many chunks' };
  }
  const len = contentLength(h);
  if (len === 'bad') return { kind: 'error', message: 'bad content-length' };
  const status = Number(m[1]);
  if (len === undefined && status !== 204 && status !== 304) {
    if (buf.length - at > MAX_BODY) return { kind: 'error', message: 'response body too large' };
    return ended ? done(buf.subarray(at), Buffer.alloc(0)) : { kind: 'need-more' };
  }
  const end = at + (len ?? 0);
  if (buf.length < end) return ended ? { kind: 'error', message: 'truncated response body' } : { kind: 'need-more' };
  return done(buf.subarray(at, end), buf.subarray(end));
}

const REASONS: Readonly<Record<number, string>> = { 200: 'OK', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error', 503: 'Service Unavailable' };

export function encodeResponse(r: { status: number; headers?: Readonly<Record<string, string>>; body: string }, close: boolean): Buffer {
  const body = Buffer.from(r.body, 'utf8');
  const headers = { ...r.headers, 'content-length': String(body.length), ...(close ? { connection: 'close' } : {}) };
  const head = `HTTP/1.1 ${r.status} ${REASONS[r.status] ?? 'Unknown'}\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

/** A request without a body (GET, HEAD, DELETE… as the lab's clients send them). */
export function encodeRequest(method: string, path: string, headers: Readonly<Record<string, string>>): Buffer {
  return Buffer.from(`${method} ${path} HTTP/1.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`, 'latin1');
}
