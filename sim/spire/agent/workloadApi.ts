/**
 * The SPIFFE Workload API as the agent serves it (`spire:pkg/agent/endpoints/workload/handler.go`):
 * FetchX509SVID (every identity with its chain, PKCS#8 key, the own-TD bundle and hint, plus
 * `federated_bundles` keyed by TD ID for the identities' `federates_with`), FetchX509Bundles, FetchJWTBundles, and the
 * `PermissionDenied: no identity issued` answer (logged as `No identity issued`, `registered=false`).
 *
 * And the unix-socket layer under it: a node's host paths holding the agent socket and symlinks to it
 * (the chart's `socket` / `api.sock` alternate names), and what a gRPC client dialling a path gets when
 * nothing listens there — `rpc error: code = Unavailable desc = connection error: desc = "transport:
 * Error while dialing: dial unix <path>: connect: no such file or directory"` (grpc-go
 * `internal/transport/http2_client.go` newHTTP2Client without FailOnNonTempDialError, which is how
 * go-spiffe's client dials; Go `net` for the `dial unix` part). A socket file left by a crashed agent
 * gives `connect: connection refused`.
 */
import { err, ok, type Result } from '../../core/result.ts';
import type { Certificate, KeyPair } from '../../pki/index.ts';
import type { JwtBundle } from '../../spiffe/index.ts';
import { grpcError, type AgentError } from './grpcStatus.ts';
import type { X509WorkloadUpdate } from './workloadUpdate.ts';

export interface WorkloadX509Svid {
  readonly spiffe_id: string;
  /** Leaf first. */
  readonly x509_svid: readonly Certificate[];
  /** PKCS#8 PEM of the key (the wire carries DER; PEM is what tools write). */
  readonly x509_svid_key: string;
  readonly key: KeyPair;
  /** The own trust domain's X.509 roots. */
  readonly bundle: readonly Certificate[];
  readonly hint: string;
}

export interface X509SvidResponse {
  readonly svids: readonly WorkloadX509Svid[];
  /** Keyed by TD ID (`spiffe://west.local`). */
  readonly federated_bundles: Readonly<Record<string, readonly Certificate[]>>;
}

export interface X509BundlesResponse {
  /** Keyed by TD ID; own TD always, federated ones only when the workload has an identity. */
  readonly bundles: Readonly<Record<string, readonly Certificate[]>>;
}

/** FetchJWTBundles' message (`JWTBundlesResponse`), bundles keyed by TD ID; same rules as X509 bundles. */
export interface JwtBundlesResponse {
  readonly bundles: Readonly<Record<string, JwtBundle>>;
}

export const noIdentityIssued = (): AgentError => grpcError('permission-denied', 'no identity issued');

/** `composeX509SVIDResponse`, or PermissionDenied when the workload has no identity. */
export function x509SvidResponse(upd: X509WorkloadUpdate): Result<X509SvidResponse, AgentError> {
  if (upd.identities.length === 0) return err(noIdentityIssued());
  if (!upd.bundle) return err(grpcError('unavailable', 'could not serialize response: bundle not available'));
  const bundle = upd.bundle.x509Authorities;
  const federated: Record<string, readonly Certificate[]> = {};
  for (const b of upd.federatedBundles.values()) federated[b.trustDomain.idString()] = b.x509Authorities;
  const svids = upd.identities.map((i) => ({ spiffe_id: i.entry.spiffeId, x509_svid: i.svid.chain, x509_svid_key: i.svid.keyPem, key: i.svid.key, bundle, hint: i.entry.hint }));
  return ok({ svids, federated_bundles: federated });
}

/** `composeX509BundlesResponse`: PermissionDenied without an identity unless `allow_unauthenticated_verifiers`. */
export function x509BundlesResponse(upd: X509WorkloadUpdate, allowUnauthenticatedVerifiers = false): Result<X509BundlesResponse, AgentError> {
  const hasIdentity = upd.identities.length > 0;
  if (!allowUnauthenticatedVerifiers && !hasIdentity) return err(noIdentityIssued());
  if (!upd.bundle) return err(grpcError('unavailable', 'could not serialize response: bundle not available'));
  const bundles: Record<string, readonly Certificate[]> = { [upd.bundle.trustDomain.idString()]: upd.bundle.x509Authorities };
  if (hasIdentity) for (const b of upd.federatedBundles.values()) bundles[b.trustDomain.idString()] = b.x509Authorities;
  return ok({ bundles });
}

/** `composeJWTBundlesResponse` (handler.go FetchJWTBundles): the X509 bundles' rules over the JWT authorities. */
export function jwtBundlesResponse(upd: X509WorkloadUpdate, allowUnauthenticatedVerifiers = false): Result<JwtBundlesResponse, AgentError> {
  const hasIdentity = upd.identities.length > 0;
  if (!allowUnauthenticatedVerifiers && !hasIdentity) return err(noIdentityIssued());
  if (!upd.bundle) return err(grpcError('unavailable', 'could not serialize response: bundle not available'));
  const bundles: Record<string, JwtBundle> = { [upd.bundle.trustDomain.idString()]: upd.bundle.jwtBundle() };
  if (hasIdentity) for (const b of upd.federatedBundles.values()) bundles[b.trustDomain.idString()] = b.jwtBundle();
  return ok({ bundles });
}

// ------------------------------------------------------------------------------------ unix sockets

type FsNode<E> = { readonly kind: 'socket'; readonly endpoint: E | undefined } | { readonly kind: 'symlink'; readonly target: string };

const dirOf = (p: string): string => p.slice(0, p.lastIndexOf('/')) || '/';

/** Normalises `a/./b/../c` segments (paths here are absolute). */
export function cleanPath(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return `/${out.join('/')}`;
}

/**
 * The socket files and symlinks on one node's host filesystem. `listen` creates a socket file; `close`
 * removes it (Go's UnixListener unlinks on Close); `crash` leaves a stale file behind.
 */
export class UnixSocketFs<E> {
  private readonly nodes = new Map<string, FsNode<E>>();

  listen(path: string, endpoint: E): void {
    this.nodes.set(cleanPath(path), { kind: 'socket', endpoint });
  }

  close(path: string): void {
    const p = cleanPath(path);
    if (this.nodes.get(p)?.kind === 'socket') this.nodes.delete(p);
  }

  crash(path: string): void {
    const p = cleanPath(path);
    if (this.nodes.get(p)?.kind === 'socket') this.nodes.set(p, { kind: 'socket', endpoint: undefined });
  }

  /** `ln -s target link`; a relative target is resolved against the link's directory. */
  symlink(link: string, target: string): void {
    this.nodes.set(cleanPath(link), { kind: 'symlink', target });
  }

  /** Names in a directory (what `ls` in a CSI mount shows). */
  list(dir: string): string[] {
    const d = cleanPath(dir);
    return [...this.nodes.keys()].filter((p) => dirOf(p) === d).map((p) => p.slice(d.length === 1 ? 1 : d.length + 1)).sort();
  }

  /** Follows symlinks: the socket reached, `missing` (no file, or a dangling link) or `refused` (a stale socket). */
  resolve(path: string): { state: 'listening'; endpoint: E } | { state: 'refused' } | { state: 'missing' } {
    let p = cleanPath(path);
    for (let hops = 0; hops < 40; hops++) {
      const n = this.nodes.get(p);
      if (!n) return { state: 'missing' };
      if (n.kind === 'socket') return n.endpoint === undefined ? { state: 'refused' } : { state: 'listening', endpoint: n.endpoint };
      p = cleanPath(n.target.startsWith('/') ? n.target : `${dirOf(p)}/${n.target}`);
    }
    return { state: 'missing' };
  }
}

/**
 * What a go-spiffe/gRPC client gets for `unix://<path>`; `path` is the path as the client wrote it, `state`
 * what is at the path it maps to (undefined: nothing at all, e.g. no volume mounted there).
 */
export function dialWorkloadApi<E>(path: string, state: ReturnType<UnixSocketFs<E>['resolve']> | undefined): Result<E, AgentError> {
  if (state?.state === 'listening') return ok(state.endpoint);
  const why = state?.state === 'refused' ? 'connection refused' : 'no such file or directory';
  return err(grpcError('unavailable', `connection error: desc = "transport: Error while dialing: dial unix ${path}: connect: ${why}"`, { path }));
}

/** One caller's view of the Workload API (the agent has attested it: its selectors are fixed). */
export interface WorkloadApiEndpoint {
  /**
   * FetchX509SVID as a server stream: `onMessage` gets each response; an error ends the stream (no
   * identity → PermissionDenied `no identity issued`). The first message comes once the matching
   * entries' SVIDs are cached.
   */
  watchX509Svid(onMessage: (r: Result<X509SvidResponse, AgentError>) => void): { cancel(): void };
  /** FetchX509Bundles as a server stream (only changed responses are sent). */
  watchX509Bundles(onMessage: (r: Result<X509BundlesResponse, AgentError>) => void): { cancel(): void };
  /** FetchJWTBundles as a server stream (what the OIDC discovery provider polls). */
  watchJwtBundles(onMessage: (r: Result<JwtBundlesResponse, AgentError>) => void): { cancel(): void };
}
