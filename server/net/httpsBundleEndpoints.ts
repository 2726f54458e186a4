/**
 * Federation bundle endpoints over real HTTPS, for the engine running in Node: each endpoint gets a
 * real `https` server on 127.0.0.1 presenting the SPIRE server's current SVID (following rotation),
 * and fetches are real TLS handshakes plus an HTTP GET. The verdict on the presented chain is the lab's
 * (the same `authenticateEndpoint` as the in-memory transport, at virtual time), so both transports
 * answer alike; OpenSSL's own verdict at wall time is the wire issue's second opinion.
 * Bounded: every socket has a timeout; `close()` shuts every server.
 */
import { createServer, get, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { isIP } from 'node:net';
import type { TLSSocket, PeerCertificate, DetailedPeerCertificate } from 'node:tls';
import { err, simError, type Result, type SimError } from '../../sim/core/result.ts';
import { authenticateEndpoint, bodyOf, parseHttpsUrl, type BundleEndpoint, type BundleEndpointClient, type BundleEndpointProfile, type EndpointResolver } from '../../sim/net/bundleEndpoint.ts';
import { encodePem, exportPkcs8, parseCertificate, SignatureVerifier, type Certificate } from '../../sim/pki/index.ts';

const TIMEOUT_MS = 5_000;

interface Listener {
  readonly server: Server;
  readonly port: number;
  serial: bigint;
}

export class HttpsBundleNetwork implements BundleEndpointClient {
  private readonly listeners = new Map<BundleEndpoint, Promise<Listener>>();
  /** Completed HTTP exchanges over TLS (after a successful handshake and authentication). */
  fetches = 0;
  private readonly verifier: SignatureVerifier;

  constructor(
    private readonly crypto: Crypto,
    private readonly resolve: EndpointResolver,
    private readonly webRoots: () => readonly Certificate[] = () => [],
  ) {
    this.verifier = new SignatureVerifier(crypto);
  }

  private async credentials(endpoint: BundleEndpoint): Promise<{ key: string; cert: string; serial: bigint } | undefined> {
    const id = endpoint.tlsIdentity();
    if (!id || id.chain.length === 0) return undefined;
    const key = encodePem('PRIVATE KEY', await exportPkcs8(this.crypto, id.key));
    return { key, cert: id.chain.map((c) => encodePem('CERTIFICATE', c.der)).join(''), serial: id.chain[0]!.serial };
  }

  /** Starts (once) the endpoint's HTTPS server and keeps its certificate current. */
  private async listen(endpoint: BundleEndpoint): Promise<Listener | undefined> {
    const creds = await this.credentials(endpoint);
    if (!creds) return undefined;
    let pending = this.listeners.get(endpoint);
    if (!pending) {
      pending = new Promise<Listener>((resolve, reject) => {
        const server = createServer({ key: creds.key, cert: creds.cert, minVersion: 'TLSv1.2' }, (req, res) => {
          const r = endpoint.serve(req.method ?? 'GET', (req.url ?? '/').split('?')[0]!, req.headers.host);
          res.writeHead(r.status, r.headers).end(r.body);
        });
        server.setTimeout(TIMEOUT_MS);
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port, serial: creds.serial }));
      });
      this.listeners.set(endpoint, pending);
    }
    const listener = await pending;
    if (listener.serial !== creds.serial) {
      listener.server.setSecureContext({ key: creds.key, cert: creds.cert });
      listener.serial = creds.serial;
    }
    return listener;
  }

  async fetch(req: { readonly from: string; readonly url: string; readonly profile: BundleEndpointProfile; readonly anchors?: readonly Certificate[]; readonly at: number }): Promise<Result<string, SimError>> {
    const fail = (cause: string, code = 'net/fetch-failed'): Result<string, SimError> => err(simError(code as `${string}/${string}`, `failed to fetch bundle: Get "${req.url}": ${cause}`, { url: req.url, transport: 'https' }));
    const u = parseHttpsUrl(req.url);
    if (!u.ok) return fail(u.error.message);
    const endpoint = this.resolve(req.from, u.value.host, u.value.port);
    if (!endpoint.ok) return fail(endpoint.error.message, endpoint.error.code);
    const listener = await this.listen(endpoint.value);
    if (!listener) return fail('remote error: tls: internal error');
    return new Promise((resolve) => {
      const request = get(
        {
          host: '127.0.0.1',
          port: listener.port,
          path: u.value.path,
          headers: { host: `${u.value.host}:${u.value.port}` },
          ...(isIP(u.value.host) ? {} : { servername: u.value.host }),
          // The chain is judged below by the lab's verifier at virtual time, as SPIRE's client judges it.
          rejectUnauthorized: false,
          agent: false,
          timeout: TIMEOUT_MS,
        },
        (res) => {
          const chain = peerChain(res.socket as TLSSocket);
          void authenticateEndpoint(this.verifier, chain, req.profile, { host: u.value.host, anchors: req.anchors ?? [], webRoots: this.webRoots(), at: req.at }).then((auth) => {
            if (!auth.ok) {
              res.destroy();
              resolve(fail(auth.error, 'net/tls-verify-failed'));
              return;
            }
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (body += chunk));
            res.on('end', () => {
              this.fetches++;
              resolve(bodyOf({ status: res.statusCode ?? 0, headers: {}, body }));
            });
            res.on('error', (e) => resolve(fail(e.message)));
          });
        },
      );
      request.on('timeout', () => request.destroy(new Error('net/http: request canceled (Client.Timeout exceeded while awaiting headers)')));
      request.on('error', (e) => resolve(fail(e.message)));
    });
  }

  /** Stops every endpoint server. */
  async close(): Promise<void> {
    const all = await Promise.allSettled([...this.listeners.values()]);
    this.listeners.clear();
    await Promise.all(all.map((l) => (l.status === 'fulfilled' ? new Promise<void>((r) => l.value.server.close(() => r())) : undefined)));
  }
}

/** The chain the peer presented, leaf first, parsed with the lab's parser. */
function peerChain(socket: TLSSocket): Certificate[] {
  const out: Certificate[] = [];
  const seen = new Set<string>();
  for (let c: PeerCertificate | DetailedPeerCertificate | undefined = socket.getPeerCertificate(true); c && c.raw && !seen.has(c.fingerprint256); c = (c as DetailedPeerCertificate).issuerCertificate) {
    seen.add(c.fingerprint256);
    const parsed = parseCertificate(new Uint8Array(c.raw));
    if (parsed.ok) out.push(parsed.value);
  }
  return out;
}

export const httpsBundleNetwork = (crypto: Crypto, resolve: EndpointResolver, webRoots?: () => readonly Certificate[]): HttpsBundleNetwork => new HttpsBundleNetwork(crypto, resolve, webRoots);
