/**
 * One proxy's inbound listener as a real TLS 1.3 server on 127.0.0.1 (Envoy's inbound filter chain with
 * its SDS `default` certificate and ROOTCA validation context): it asks for the client's certificate,
 * lets OpenSSL judge it against `ca` but never rejects on that judgment (`rejectUnauthorized: false`) —
 * the lab's SPIFFE validator decides, through `admit` — and serves HTTP/1.1 from a handler.
 *
 * HTTP/1.1 is the small reader/writer in http1.ts (keep-alive requests served in order), not node:https.
 * Per connection it records OpenSSL's verdict (`authorized`, `authorizationError`), the chain the client
 * presented (DER, leaf first), and the negotiated ALPN, cipher and protocol.
 *
 * What Node cannot do here: a connection the lab rejects is destroyed after the handshake (TLS 1.3 has
 * finished on the client's side by then), not failed with a TLS alert as Envoy/BoringSSL fails it, because
 * Node exposes no way to send an alert of our choosing. Clients see ECONNRESET/EOF, not
 * `alert certificate unknown`.
 */
import type { Socket } from 'node:net';
import { createServer, type SecureContextOptions, type Server, type TLSSocket } from 'node:tls';
import { encodeResponse, readRequest } from './http1.ts';
import { peerChainDer, type TlsIdentityPem } from './peerChain.ts';
import { listenLoopback } from './listen.ts';

/** ALPN the inbound listener offers (Istio's client sends `istio-http/1.1` on mTLS to sidecars). */
export const INBOUND_ALPN = ['istio-http/1.1', 'http/1.1'] as const;

export interface WireRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The connection's facts (OpenSSL's verdict, peer chain…): the handler may answer by identity. */
  readonly connection: InboundConnectionFacts;
}

export interface WireResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface InboundConnectionFacts {
  readonly id: number;
  readonly remotePort: number;
  /** OpenSSL's verdict on the client's chain against `ca`, at wall time. */
  readonly authorized: boolean;
  readonly authorizationError?: string;
  /** The chain the client presented, leaf first (empty when it sent none). */
  readonly peerChainDer: readonly Uint8Array[];
  readonly servername?: string;
  readonly alpn: string | false;
  readonly cipher: string;
  readonly protocol: string | null;
  /** The lab's decision through `admit` (true when no `admit` was given). */
  readonly admitted: boolean;
}

export interface FailedHandshake {
  readonly remotePort: number;
  readonly code?: string;
  readonly message: string;
}

export interface MtlsServerOptions {
  readonly identity: TlsIdentityPem;
  /** The answer to one request; `undefined` closes the connection without one (an upstream reset). */
  readonly handler: (req: WireRequest) => WireResponse | undefined | Promise<WireResponse | undefined>;
  /** The lab's verdict on a connection; false destroys it before any request is read. */
  readonly admit?: (facts: Omit<InboundConnectionFacts, 'admitted'>) => boolean;
  readonly onConnection?: (facts: InboundConnectionFacts) => void;
  readonly onHandshakeError?: (f: FailedHandshake) => void;
  readonly timeoutMs?: number;
  /** Caps the facts kept in `connections` (oldest dropped). */
  readonly keepFacts?: number;
}

export interface MtlsServer {
  readonly port: number;
  /** Facts of recent connections, oldest first. */
  readonly connections: readonly InboundConnectionFacts[];
  /** Swaps certificate, key and CA for new connections (SDS rotation); open ones keep theirs. */
  setIdentity(identity: TlsIdentityPem): void;
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 5_000;

export function secureContextOptions(identity: TlsIdentityPem): SecureContextOptions {
  // `ca: []` is deliberate when the caller has no roots: an empty list keeps Node's default roots out.
  return { cert: identity.certChainPem, key: identity.keyPem, ca: [...identity.caPem], minVersion: 'TLSv1.3' };
}

export function startMtlsServer(opts: MtlsServerOptions): Promise<MtlsServer> {
  const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const keep = opts.keepFacts ?? 1_000;
  const facts: InboundConnectionFacts[] = [];
  const live = new Set<TLSSocket>();
  let nextId = 1;
  let identity = opts.identity;

  const server: Server = createServer({ ...secureContextOptions(identity), requestCert: true, rejectUnauthorized: false, ALPNProtocols: [...INBOUND_ALPN], handshakeTimeout: timeout }, (socket: TLSSocket) => {
    live.add(socket);
    socket.once('close', () => live.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setTimeout(timeout, () => socket.destroy());
    const servername = (socket as TLSSocket & { servername?: string | false }).servername;
    // One object per connection: the lab's verdict is written into it once `admit` has judged it.
    const conn: { -readonly [K in keyof InboundConnectionFacts]: InboundConnectionFacts[K] } = {
      id: nextId++,
      remotePort: socket.remotePort ?? 0,
      authorized: socket.authorized,
      peerChainDer: peerChainDer(socket),
      alpn: socket.alpnProtocol ?? false,
      cipher: socket.getCipher().name,
      protocol: socket.getProtocol(),
      admitted: true,
    };
    if (socket.authorizationError) conn.authorizationError = String(socket.authorizationError);
    if (servername) conn.servername = servername;
    const admitted = opts.admit ? opts.admit(conn) : true;
    conn.admitted = admitted;
    facts.push(conn);
    if (facts.length > keep) facts.shift();
    opts.onConnection?.(conn);
    if (!admitted) {
      socket.destroy();
      return;
    }
    serveHttp(socket, conn, opts.handler);
  });
  // TCP connections still in their handshake, so close() can end them too (handshakeTimeout bounds them).
  const raw = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    raw.add(s);
    s.once('close', () => raw.delete(s));
  });
  server.on('tlsClientError', (e: NodeJS.ErrnoException, socket: TLSSocket) => {
    opts.onHandshakeError?.({ remotePort: socket.remotePort ?? 0, ...(e.code ? { code: e.code } : {}), message: e.message });
  });

  return listenLoopback(server).then((port) => ({
    port,
    get connections() {
      return facts;
    },
    setIdentity(next) {
      identity = next;
      server.setSecureContext(secureContextOptions(identity));
    },
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        for (const s of live) s.destroy();
        for (const s of raw) s.destroy();
      }),
  }));
}

/** HTTP/1.1 on one admitted connection: requests in order, one at a time, until close or `connection: close`. */
function serveHttp(socket: TLSSocket, conn: InboundConnectionFacts, handler: MtlsServerOptions['handler']): void {
  let buf: Buffer = Buffer.alloc(0);
  let busy = false;
  const next = (): void => {
    if (busy || socket.destroyed) return;
    const r = readRequest(buf);
    if (r.kind === 'need-more') return;
    if (r.kind === 'error') {
      socket.end(encodeResponse({ status: 400, body: '' }, true));
      return;
    }
    buf = r.rest;
    busy = true;
    const req = r.value;
    void Promise.resolve()
      .then(() => handler({ method: req.method, path: req.path, headers: req.headers, connection: conn }))
      .then(
        (res) => res,
        () => ({ status: 500, body: '' }),
      )
      .then((res) => {
        busy = false;
        if (socket.destroyed) return;
        if (!res) {
          socket.destroy();
          return;
        }
        if (req.keepAlive) {
          socket.write(encodeResponse(res, false));
          next();
        } else socket.end(encodeResponse(res, true));
      });
  };
  socket.on('data', (c: Buffer) => {
    buf = buf.length === 0 ? c : Buffer.concat([buf, c]);
    next();
  });
}
