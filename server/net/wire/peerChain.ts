/**
 * Certificates as Node's TLS wants them (PEM) and as the peer presented them (DER, leaf first).
 */
import type { DetailedPeerCertificate, PeerCertificate, TLSSocket } from 'node:tls';
import { encodePem, exportPkcs8, type IssuedCertificate } from '../../../sim/pki/index.ts';

/** An SDS `default` secret plus the roots to validate peers with, in PEM. */
export interface TlsIdentityPem {
  /** Leaf first, then intermediates. */
  readonly certChainPem: string;
  readonly keyPem: string;
  /** Trust anchors for the peer (one PEM per certificate); may be empty. */
  readonly caPem: readonly string[];
}

/** PEM for an issued leaf (plus intermediates) and the roots to trust. */
export async function identityPem(crypto: Crypto, leaf: IssuedCertificate, opts: { intermediates?: readonly IssuedCertificate[]; roots: readonly IssuedCertificate[] }): Promise<TlsIdentityPem> {
  return {
    certChainPem: [leaf, ...(opts.intermediates ?? [])].map((c) => encodePem('CERTIFICATE', c.cert.der)).join(''),
    keyPem: encodePem('PRIVATE KEY', await exportPkcs8(crypto, leaf.key)),
    caPem: opts.roots.map((r) => encodePem('CERTIFICATE', r.cert.der)),
  };
}

const derOfPem = (pem: string): string => pem.replace(/-----[^-]+-----|\s/g, '');

/**
 * The chain the peer presented, leaf first. Node's `getPeerCertificate(true)` appends the issuer it
 * found in the local store when the presented chain does not end self-signed; those trailing local
 * anchors are dropped here (a peer that sent our own anchor itself is indistinguishable — SPIRE and
 * istiod do not send roots).
 */
export function peerChainDer(socket: TLSSocket, localCaPem: readonly string[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  const seen = new Set<string>();
  for (let c: PeerCertificate | DetailedPeerCertificate | undefined = socket.getPeerCertificate(true); c && c.raw && !seen.has(c.fingerprint256) && seen.size < 16; c = (c as DetailedPeerCertificate).issuerCertificate) {
    seen.add(c.fingerprint256);
    out.push(new Uint8Array(c.raw));
  }
  const local = new Set(localCaPem.map(derOfPem));
  while (out.length > 1 && local.has(Buffer.from(out[out.length - 1]!).toString('base64'))) out.pop();
  return out;
}
