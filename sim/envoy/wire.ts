/**
 * The seam to a real-socket data plane (issue 7): when the lab runs `--wire`, every mTLS handshake
 * the model decides is also performed over real TLS 1.3 sockets (Node's OpenSSL) with the same
 * certificates and keys, so each handshake gets two verdicts — the lab's SPIFFE verifier at virtual
 * time, and OpenSSL's chain verdict at wall time. The model defines what is asked; the Node side
 * (server/net/wire) implements it. In memory (browser, fast tests) nothing is wired.
 */
import type { Certificate } from '../pki/index.ts';
import type { PeerVerdict } from './validator.ts';

export interface WireEndpointSecrets {
  /** Leaf first. */
  readonly chain: readonly Certificate[];
  readonly keyPem: string;
  /** The roots this side validates its peer with: the bundle of the peer's trust domain (empty when it has none). */
  readonly peerRoots: readonly Certificate[];
}

export interface WireHandshakeRequest {
  readonly client: WireEndpointSecrets;
  readonly server: WireEndpointSecrets;
  /** The SNI the client sends (`outbound_.5000_._.helloworld.default.svc.cluster.local`). */
  readonly sni: string;
  /** Through an SNI-routing east-west gateway (a real TCP proxy that reads the ClientHello). */
  readonly viaGateway: boolean;
  /** ALPN the client offers. */
  readonly alpn: readonly string[];
  /** The lab's verdicts at virtual time `at`: the client's on the server chain, the server's on the client chain (when reached). */
  readonly lab: { readonly client: PeerVerdict; readonly server?: PeerVerdict };
  readonly at: number;
  /**
   * The HTTP/1.1 exchange carried over the connection once both sides accept: the request the client
   * proxy forwards, and what the server side answers — the application's response, or its sidecar's
   * local reply (RBAC 403). No `response` means the server side closes the connection without one.
   * The lab's verdicts are acted on: a client that rejects the server chain sends nothing, a server that
   * rejects the client chain closes the connection.
   */
  readonly exchange?: WireExchange;
}

export interface WireHttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface WireExchange {
  readonly method: string;
  readonly path: string;
  readonly authority: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly response?: WireHttpResponse;
}

/** A connection the model refuses or drops (nothing listening, a partition, a stopped component), made real. */
export type WireFaultKind = 'refused' | 'dropped';

export interface WireFaultFacts {
  readonly kind: WireFaultKind;
  /** What the socket reported: ECONNREFUSED for a refused connection, ETIMEDOUT for a dropped one. */
  readonly code: string;
  readonly port: number;
  readonly elapsedMs: number;
}

/** One side's two verdicts compared (`agree`, `disagree`: a defect to report, `not-comparable`: clocks differ or a lab-only check). */
export interface WireComparison {
  readonly kind: 'agree' | 'disagree' | 'not-comparable';
  readonly lab: string;
  readonly openssl: string;
}

/** `lab ok / OpenSSL authorized (agree)`: one side's two verdicts, as the wire stage and `exec --wire` print them. */
export const describeComparison = (c: WireComparison): string => `lab ${c.lab} / OpenSSL ${c.openssl} (${c.kind})`;

export interface OpensslVerdict {
  readonly authorized: boolean;
  /** Node's `authorizationError` code (CERT_HAS_EXPIRED, UNABLE_TO_GET_ISSUER_CERT_LOCALLY, …). */
  readonly error?: string;
}

export interface WireHandshakeFacts {
  /** The client's view of the server chain (OpenSSL at wall time). */
  readonly clientVerdict?: OpensslVerdict;
  /** The server's view of the client chain. */
  readonly serverVerdict?: OpensslVerdict;
  readonly protocol?: string;
  readonly cipher?: string;
  readonly alpn?: string;
  /** What the gateway read from the ClientHello. */
  readonly sniSeenByGateway?: string;
  readonly clientPort?: number;
  readonly serverPort?: number;
  readonly gatewayPort?: number;
  /** A socket-level failure (ECONNRESET, timeout…). */
  readonly error?: string;
  /** The HTTP response the client read off the connection (see `WireExchange`). */
  readonly response?: WireHttpResponse;
  /** Wall time of the handshake, ms. */
  readonly wallTime: number;
  readonly comparisons: { readonly client?: WireComparison; readonly server?: WireComparison };
}

export interface WireTransport {
  handshake(req: WireHandshakeRequest): Promise<WireHandshakeFacts>;
  /** A real connection attempt that fails as the model says this one does. */
  fault(kind: WireFaultKind): Promise<WireFaultFacts>;
}
