/**
 * One outbound request as a real TLS 1.3 client (the client proxy's upstream cluster): connect to
 * 127.0.0.1:port presenting the SDS `default` certificate, send the SNI and ALPN Istio sends, take OpenSSL's
 * verdict on the server's chain against `ca` (the bundle of the peer's trust domain, picked by the caller;
 * empty when there is none) without acting on it, then one HTTP/1.1 request
 * (or none, when told to abort as a rejecting client proxy does). Never throws; bounded by a
 * single deadline covering connect, handshake and response.
 */
import type { X509Certificate } from 'node:crypto';
import { connect, type TLSSocket } from 'node:tls';
import { encodeRequest, readResponse } from './http1.ts';
import { chainDer } from './peerChain.ts';

export interface MtlsRequest {
  readonly port: number;
  /** SNI, e.g. `outbound_.5000_._.helloworld.default.svc.cluster.local`; omitted → no server_name. */
  readonly servername?: string;
  readonly alpn?: readonly string[];
  /** The client certificate chain and key (PEM); omitted → no client certificate. */
  readonly certChainPem?: string;
  readonly keyPem?: string;
  /** Roots for the server's chain (one PEM each); may be empty. */
  readonly caPem: readonly string[];
  readonly path?: string;
  /** Host header (defaults to the SNI or 127.0.0.1). */
  readonly host?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly method?: string;
  /** Close right after the handshake without a request (the client proxy rejected the server's chain). */
  readonly abortAfterHandshake?: boolean;
  readonly timeoutMs?: number;
}

export interface WireError {
  /** ECONNRESET, ECONNREFUSED, ETIMEDOUT, ERR_SSL_…, or `EOF` for a close without a response. */
  readonly code: string;
  readonly message: string;
  /** OpenSSL's alert text when the peer sent a TLS alert (e.g. `tlsv13 alert certificate required`). */
  readonly alert?: string;
  /** Whether the TLS handshake had completed when it failed. */
  readonly afterHandshake: boolean;
}

export interface MtlsResult {
  /** OpenSSL's verdict on the server's chain; absent when no handshake completed. */
  readonly verdict?: { readonly authorized: boolean; readonly authorizationError?: string };
  readonly peerChainDer: readonly Uint8Array[];
  readonly protocol?: string;
  readonly cipher?: string;
  readonly alpn?: string | false;
  readonly localPort?: number;
  readonly response?: { readonly status: number; readonly headers: Readonly<Record<string, string>>; readonly body: string };
  readonly error?: WireError;
  readonly elapsedMs: number;
}

const DEFAULT_TIMEOUT_MS = 5_000;

export function mtlsRequest(req: MtlsRequest): Promise<MtlsResult> {
  const started = performance.now();
  const timeout = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve) => {
    let handshake: Omit<MtlsResult, 'elapsedMs' | 'response' | 'error' | 'peerChainDer'> = {};
    // The server's chain is kept as OpenSSL handed it and turned into DER only if someone reads it.
    let leaf: X509Certificate | undefined;
    let chain: Uint8Array[] | undefined;
    let settled = false;
    let socket: TLSSocket | undefined;
    const done = (r: Pick<MtlsResult, 'response' | 'error'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      socket?.destroy();
      resolve({
        ...handshake,
        ...r,
        elapsedMs: performance.now() - started,
        get peerChainDer() {
          return (chain ??= chainDer(leaf));
        },
      });
    };
    const fail = (e: NodeJS.ErrnoException | Error): void => {
      const errno = e as NodeJS.ErrnoException & { reason?: string };
      const code = errno.code ?? (e.message === 'socket hang up' ? 'ECONNRESET' : 'EOF');
      const alert = typeof errno.reason === 'string' && errno.reason.includes('alert') ? errno.reason : undefined;
      done({ error: { code, message: e.message, ...(alert ? { alert } : {}), afterHandshake: handshake.verdict !== undefined } });
    };
    const deadline = setTimeout(() => fail(Object.assign(new Error(`timeout after ${timeout} ms`), { code: 'ETIMEDOUT' })), timeout);

    try {
      socket = connect({
        host: '127.0.0.1',
        port: req.port,
        ...(req.servername ? { servername: req.servername } : {}),
        ...(req.alpn ? { ALPNProtocols: [...req.alpn] } : {}),
        ...(req.certChainPem ? { cert: req.certChainPem } : {}),
        ...(req.keyPem ? { key: req.keyPem } : {}),
        ca: [...req.caPem],
        minVersion: 'TLSv1.3',
        // The lab judges the chain; OpenSSL's verdict is recorded, never acted on here.
        rejectUnauthorized: false,
        // No hostname check either: SPIFFE SVIDs carry URI SANs, not the SNI name.
        checkServerIdentity: () => undefined,
      });
    } catch (e) {
      fail(e as Error); // bad PEM and the like
      return;
    }
    const s = socket;
    s.once('error', fail);
    // After `done` the socket is destroyed and closes: no error to make then (they cost measurable time).
    s.once('close', () => settled || fail(Object.assign(new Error('connection closed before a response'), { code: 'EOF' })));
    let received: Buffer = Buffer.alloc(0);
    const onResponseBytes = (ended: boolean): void => {
      const r = readResponse(received, ended);
      if (r.kind === 'need-more') return;
      if (r.kind === 'error') {
        // A peer that hangs up without a byte of answer: curl's "Empty reply from server" / Envoy's reset.
        fail(Object.assign(new Error(r.message), { code: r.message === 'empty reply' ? 'EOF' : 'EPROTO' }));
        return;
      }
      done({ response: r.value });
    };
    s.on('data', (c: Buffer) => {
      received = received.length === 0 ? c : Buffer.concat([received, c]);
      onResponseBytes(false);
    });
    s.once('end', () => onResponseBytes(true));
    s.once('secureConnect', () => {
      const cipher = s.getCipher();
      leaf = s.getPeerX509Certificate();
      handshake = {
        verdict: { authorized: s.authorized, ...(s.authorizationError ? { authorizationError: String(s.authorizationError) } : {}) },
        protocol: s.getProtocol() ?? undefined,
        cipher: cipher.name,
        alpn: s.alpnProtocol ?? false,
        localPort: s.localPort,
      };
      if (req.abortAfterHandshake) {
        done({});
        return;
      }
      s.write(encodeRequest(req.method ?? 'GET', req.path ?? '/', { host: req.host ?? req.servername ?? '127.0.0.1', connection: 'close', ...req.headers }));
    });
  });
}
