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
}

/** One side's two verdicts compared (`agree`, `disagree`: a defect to report, `not-comparable`: clocks differ or a lab-only check). */
export interface WireComparison {
  readonly kind: 'agree' | 'disagree' | 'not-comparable';
  readonly lab: string;
  readonly openssl: string;
}

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
  /** Wall time of the handshake, ms. */
  readonly wallTime: number;
  readonly comparisons: { readonly client?: WireComparison; readonly server?: WireComparison };
}

export interface WireTransport {
  handshake(req: WireHandshakeRequest): Promise<WireHandshakeFacts>;
}
