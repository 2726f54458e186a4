/**
 * Certificates as Node's TLS wants them (PEM) and as the peer presented them (DER, leaf first).
 */
import type { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
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

/**
 * The chain the peer presented, leaf first, as DER. `getPeerX509Certificate()` walks the chain as sent
 * (unlike `getPeerCertificate(true)`, which appends the issuer found in the local store and builds every
 * field eagerly — the latter cost ~15% of handshake throughput in bench/wire.bench.ts).
 */
export function peerChainDer(socket: TLSSocket): Uint8Array[] {
  return chainDer(socket.getPeerX509Certificate());
}

/** The chain from a peer's leaf (as `getPeerX509Certificate()` returned it), walked when asked for. */
export function chainDer(leaf: X509Certificate | undefined): Uint8Array[] {
  const out: Uint8Array[] = [];
  let previous: Buffer | undefined;
  for (let c: X509Certificate | undefined = leaf; c && out.length < 16; c = c.issuerCertificate) {
    // A self-signed certificate is its own issuer: the walk ends where a certificate repeats.
    if (previous?.equals(c.raw)) break;
    previous = c.raw;
    out.push(c.raw); // a Buffer is a Uint8Array: no copy
  }
  return out;
}
