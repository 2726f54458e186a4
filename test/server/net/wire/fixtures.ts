// Real certificates from the lab's PKI for the wire tests, issued at wall time (OpenSSL judges at wall time).
import { generateKeyPair, issueCertificate, issueWithNewKey, spireCaTemplate, x509SvidTemplate, parseCertificate, type Certificate, type IssuedCertificate } from '../../../../sim/pki/index.ts';
import { Rng } from '../../../../sim/core/rng.ts';
import { identityPem, type TlsIdentityPem } from '../../../../server/net/wire/peerChain.ts';

export const crypto = globalThis.crypto;
export const HOUR = 3_600_000;
const rng = new Rng('wire-tests');

export async function ca(trustDomain: string, now = Date.now(), ttl = 24 * HOUR): Promise<IssuedCertificate> {
  return issueCertificate(crypto, spireCaTemplate({ trustDomainId: `spiffe://${trustDomain}`, serial: rng.serial(), now, ttl }), await generateKeyPair(crypto, 'ec-p256'));
}

export async function svid(issuer: IssuedCertificate, spiffeId: string, now = Date.now(), ttl = HOUR): Promise<IssuedCertificate> {
  return issueWithNewKey(crypto, x509SvidTemplate({ spiffeId, serial: rng.serial(), now, ttl, caNotAfter: issuer.cert.notAfter }), 'ec-p256', issuer);
}

export const pem = (leaf: IssuedCertificate, roots: readonly IssuedCertificate[]): Promise<TlsIdentityPem> => identityPem(crypto, leaf, { roots });

export function certs(ders: readonly Uint8Array[]): Certificate[] {
  return ders.map((d) => {
    const c = parseCertificate(d);
    if (!c.ok) throw new Error(c.error.message);
    return c.value;
  });
}

/** The mesh's two domains, a stranger CA claiming west's name, and their SVIDs. */
export interface Pki {
  east: IssuedCertificate;
  west: IssuedCertificate;
  westImpostor: IssuedCertificate;
  client: IssuedCertificate; // spiffe://east.local/ns/default/sa/curl
  server: IssuedCertificate; // spiffe://west.local/ns/default/sa/helloworld
  serverFromImpostor: IssuedCertificate;
  /** A west CA issued 3 h ago (valid now) and an SVID of it that expired 1 h ago. */
  westEarlier: IssuedCertificate;
  expiredServer: IssuedCertificate;
  clientFromImpostor: IssuedCertificate;
}

export async function meshPki(): Promise<Pki> {
  const now = Date.now();
  const east = await ca('east.local');
  const west = await ca('west.local');
  const westImpostor = await ca('west.local');
  const westEarlier = await ca('west.local', now - 3 * HOUR);
  return {
    east,
    west,
    westImpostor,
    client: await svid(east, 'spiffe://east.local/ns/default/sa/curl'),
    server: await svid(west, 'spiffe://west.local/ns/default/sa/helloworld'),
    serverFromImpostor: await svid(westImpostor, 'spiffe://west.local/ns/default/sa/helloworld'),
    westEarlier,
    expiredServer: await svid(westEarlier, 'spiffe://west.local/ns/default/sa/helloworld', now - 2 * HOUR, HOUR),
    clientFromImpostor: await svid(await ca('east.local'), 'spiffe://east.local/ns/default/sa/curl'),
  };
}
