/**
 * The east-west gateway's passthrough listener as a real TCP proxy on 127.0.0.1: read the ClientHello
 * without terminating TLS (Envoy's tls_inspector), pick a route by SNI/ALPN (the AUTO_PASSTHROUGH filter
 * chains Istio builds per `outbound_.<port>_._.<host>` name, pilot/pkg/networking/core/gateway.go), then
 * replay the buffered hello to 127.0.0.1:port and pipe bytes both ways (tcp_proxy).
 *
 * No matching route → reset: Envoy peeks the hello (it stays unread in the kernel), finds no filter
 * chain and closes; closing a socket with unread data sends RST (RFC 2525 §2.17), so the client sees
 * ECONNRESET. Not TLS, or a malformed hello, is the same "no filter chain match" → reset as well.
 * An upstream that refuses is a plain close (tcp_proxy has consumed the hello, nothing is unread).
 * Bounded: a hello timeout (Envoy's listener_filters_timeout), an idle timeout on both legs, a connect
 * timeout; `close()` destroys everything still open.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { parseClientHello, MAX_CLIENT_HELLO_BYTES, type ClientHelloError } from './clientHello.ts';
import { listenLoopback } from './listen.ts';

export interface SniRouteRequest {
  readonly sni: string | undefined;
  readonly alpn: readonly string[];
}

export interface SniRoute {
  readonly port: number;
}

export type SniOutcome =
  /** Hello routed, bytes piped until one side closed. */
  | 'piped'
  /** No route for this SNI: reset. */
  | 'no-route'
  /** First bytes were not a TLS ClientHello (plaintext, garbage): reset. */
  | 'not-tls'
  /** Upstream refused or failed to connect: closed. */
  | 'upstream-failed'
  /** No complete hello before the hello timeout, or a leg went idle. */
  | 'timeout'
  /** The client went away before sending a complete hello. */
  | 'client-closed'
  /** The proxy was closed while the connection was open. */
  | 'proxy-closed';

/** What the gateway saw of one downstream connection, reported once it has ended. */
export interface SniConnectionFacts {
  readonly id: number;
  readonly clientPort: number;
  readonly sni?: string;
  readonly alpn: readonly string[];
  readonly routedTo?: number;
  readonly outcome: SniOutcome;
  /** Bytes written to the upstream (the replayed hello included). */
  readonly bytesToUpstream: number;
  /** Bytes written back to the client. */
  readonly bytesToClient: number;
  readonly helloError?: ClientHelloError;
  /** The socket error that ended it, when one did (ECONNREFUSED, ECONNRESET…). */
  readonly errorCode?: string;
}

export interface SniProxyOptions {
  readonly route: (req: SniRouteRequest) => SniRoute | undefined;
  readonly onConnection?: (facts: SniConnectionFacts) => void;
  /** Time for the whole ClientHello to arrive (Envoy: listener_filters_timeout, 15 s by default). */
  readonly helloTimeoutMs?: number;
  readonly idleTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
  readonly maxHelloBytes?: number;
}

export interface SniProxy {
  readonly port: number;
  /** Sockets currently open (downstream and upstream legs). */
  readonly open: number;
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 5_000;
const EMPTY: Buffer = Buffer.alloc(0);

/** RST where Node has it (v18.3+), else a plain destroy. */
export function reset(socket: Socket): void {
  if (socket.destroyed) return;
  const s = socket as Socket & { resetAndDestroy?: () => Socket };
  if (typeof s.resetAndDestroy === 'function') s.resetAndDestroy();
  else socket.destroy();
}

export function startSniProxy(opts: SniProxyOptions): Promise<SniProxy> {
  const helloTimeout = opts.helloTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const idleTimeout = opts.idleTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const connectTimeout = opts.connectTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxHello = opts.maxHelloBytes ?? MAX_CLIENT_HELLO_BYTES;
  const live = new Set<Socket>();
  let nextId = 1;
  let closing = false;

  const server: Server = createServer((client) => {
    const id = nextId++;
    live.add(client);
    // Facts are gathered only for a caller that asked for them (the peer's port costs a syscall).
    const clientPort = opts.onConnection ? (client.remotePort ?? 0) : 0;
    let buffered: Buffer = EMPTY;
    let upstream: Socket | undefined;
    let facts: { sni?: string; alpn: readonly string[]; routedTo?: number; helloError?: ClientHelloError; errorCode?: string } = { alpn: [] };
    let outcome: SniOutcome | undefined;
    let reported = false;

    const finish = (why: SniOutcome): void => {
      outcome ??= why;
    };
    const report = (): void => {
      if (reported || !client.destroyed || (upstream && !upstream.destroyed)) return;
      reported = true;
      live.delete(client);
      if (upstream) live.delete(upstream);
      opts.onConnection?.({
        id,
        clientPort,
        ...facts,
        outcome: closing && outcome === undefined ? 'proxy-closed' : (outcome ?? 'client-closed'),
        bytesToUpstream: upstream?.bytesWritten ?? 0,
        bytesToClient: client.bytesWritten,
      });
    };
    client.on('close', () => {
      if (upstream && !upstream.destroyed) upstream.end(); // half-close; the idle timeout bounds the rest
      report();
    });
    client.on('error', (e: NodeJS.ErrnoException) => {
      facts.errorCode ??= e.code;
      upstream?.destroy();
    });
    client.setTimeout(helloTimeout, () => {
      outcome = 'timeout';
      client.destroy();
      upstream?.destroy();
    });

    const onHelloBytes = (chunk: Buffer): void => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      const parsed = parseClientHello(buffered, maxHello);
      if (parsed.kind === 'need-more') return;
      client.off('data', onHelloBytes);
      client.pause();
      if (parsed.kind === 'error') {
        facts.helloError = parsed.error;
        finish('not-tls');
        reset(client);
        return;
      }
      const sni = parsed.hello.sni;
      facts = { ...facts, ...(sni !== undefined ? { sni } : {}), alpn: parsed.hello.alpn };
      const route = opts.route({ sni, alpn: parsed.hello.alpn });
      if (!route) {
        finish('no-route');
        reset(client);
        return;
      }
      facts.routedTo = route.port;
      pipeTo(route.port);
    };

    const pipeTo = (port: number): void => {
      const up = connect({ host: '127.0.0.1', port });
      upstream = up;
      live.add(up);
      // One timer for both phases: the connect timeout, then (once piped) the idle timeout.
      up.setTimeout(connectTimeout, () => {
        if (outcome === 'piped') outcome = 'timeout';
        else finish('timeout');
        up.destroy();
        client.destroy();
      });
      up.on('error', (e: NodeJS.ErrnoException) => {
        facts.errorCode ??= e.code;
        finish('upstream-failed'); // no-op once piped
        if (e.code === 'ECONNRESET') reset(client); // carry the peer's reset through, as the kernel would
        else client.destroy();
      });
      up.on('close', () => {
        if (!outcome) finish(up.bytesRead > 0 || up.bytesWritten > 0 ? 'piped' : 'upstream-failed');
        // The pipe may already have ended the client side; ending it twice makes an error object.
        if (!client.destroyed) {
          if (client.writableFinished) client.destroy();
          else if (client.writableEnded) client.once('finish', () => client.destroy());
          else client.end(() => client.destroy());
        }
        report();
      });
      up.once('connect', () => {
        finish('piped');
        if (idleTimeout !== connectTimeout) up.setTimeout(idleTimeout);
        if (idleTimeout !== helloTimeout) client.setTimeout(idleTimeout);
        up.write(buffered);
        buffered = EMPTY;
        client.pipe(up);
        up.pipe(client);
      });
    };

    client.on('data', onHelloBytes);
  });

  return listenLoopback(server).then((port) => ({
    port,
    get open() {
      return live.size;
    },
    close: () =>
      new Promise<void>((done) => {
        closing = true;
        for (const s of live) s.destroy();
        server.close(() => done());
      }),
  }));
}
