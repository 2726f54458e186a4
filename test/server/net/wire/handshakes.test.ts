// Real TLS 1.3 handshakes between mtlsClient and mtlsServer with the lab's own certificates, each judged
// twice: by the lab's SPIFFE validator (sim/envoy/validator.ts) and by OpenSSL; the verdicts compared.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair, issueCertificate, spireCaTemplate, SignatureVerifier, type IssuedCertificate } from '../../../../sim/pki/index.ts';
import { identityPem } from '../../../../server/net/wire/peerChain.ts';
import { verifyPeer, type SanMatchers } from '../../../../sim/envoy/validator.ts';
import type { RootCaSecret } from '../../../../sim/envoy/secrets.ts';
import { startMtlsServer, type InboundConnectionFacts, type MtlsServer } from '../../../../server/net/wire/mtlsServer.ts';
import { mtlsRequest, type MtlsResult } from '../../../../server/net/wire/mtlsClient.ts';
import { clocksAgree, compareVerdicts, type Comparison } from '../../../../server/net/wire/twoVerdicts.ts';
import { certs, crypto, HOUR, meshPki, pem, svid, type Pki } from './fixtures.ts';

const SNI = 'outbound_.5000_._.helloworld.default.svc.cluster.local';
const ALPN = ['istio-http/1.1', 'istio', 'http/1.1'];
const HELLOWORLD = 'spiffe://west.local/ns/default/sa/helloworld';
const verifier = new SignatureVerifier(crypto);

let pki: Pki;
let server: MtlsServer;
const seen: InboundConnectionFacts[] = [];

const spiffeRoots = (domains: Record<string, IssuedCertificate>): RootCaSecret => ({
  kind: 'spiffe',
  trustDomains: new Map(Object.entries(domains).map(([td, ca]) => [td, [ca.cert]])),
  lastUpdated: 0,
  version: '1',
});

/** The client side's two verdicts on the server chain it received, at one instant for both clocks. */
async function judgeServer(r: MtlsResult, root: RootCaSecret, sans: SanMatchers): Promise<Comparison> {
  const chain = certs(r.peerChainDer);
  const at = Date.now();
  const lab = await verifyPeer(verifier, chain, root, sans, at);
  return compareVerdicts({ lab, openssl: { ...r.verdict!, presented: chain.length }, clocksAgree: clocksAgree(chain, at, at) });
}

/** A request from curl's proxy (east) with the given roots for the server's domain. */
async function fromEast(roots: readonly IssuedCertificate[], client: IssuedCertificate = pki.client): Promise<MtlsResult> {
  const id = await pem(client, roots);
  return mtlsRequest({ port: server.port, servername: SNI, alpn: ALPN, certChainPem: id.certChainPem, keyPem: id.keyPem, caPem: id.caPem, path: '/hello' });
}

beforeAll(async () => {
  pki = await meshPki();
  server = await startMtlsServer({
    identity: await pem(pki.server, [pki.east]),
    handler: (req) => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: `Hello version: v2, path ${req.path}, peer ${req.connection.authorized ? 'authorized' : req.connection.authorizationError}\n` }),
    // The server proxy's lab verdict stands in for Envoy's: admit only chains OpenSSL also accepts.
    admit: (f) => f.authorized,
    onConnection: (f) => seen.push(f),
  });
});
afterAll(() => server.close());

describe('mTLS over real sockets, two verdicts per handshake', () => {
  it('success: mutual TLS 1.3, ALPN istio-http/1.1, both verdicts ok on both sides', async () => {
    const r = await fromEast([pki.west]);
    expect(r.error).toBeUndefined();
    expect(r).toMatchObject({ verdict: { authorized: true }, protocol: 'TLSv1.3', alpn: 'istio-http/1.1', response: { status: 200 } });
    expect(r.cipher).toMatch(/^TLS_/);
    expect(r.response!.body).toContain('peer authorized');
    expect(await judgeServer(r, spiffeRoots({ 'west.local': pki.west }), { exact: [HELLOWORLD], prefix: [] })).toMatchObject({ kind: 'agree', chain: 'ok' });
    const inbound = seen.find((f) => f.remotePort === r.localPort)!;
    expect(inbound).toMatchObject({ authorized: true, servername: SNI, alpn: 'istio-http/1.1', protocol: 'TLSv1.3', admitted: true });
    const lab = await verifyPeer(verifier, certs(inbound.peerChainDer), spiffeRoots({ 'east.local': pki.east }), { exact: [], prefix: ['spiffe://east.local/'] }, Date.now());
    expect(compareVerdicts({ lab, openssl: inbound, clocksAgree: true })).toMatchObject({ kind: 'agree', chain: 'ok' });
  });

  it('no bundle for the peer\'s domain: the lab says no-bundle, OpenSSL with an empty CA list cannot find the issuer — agreement', async () => {
    const r = await fromEast([]);
    expect(r.verdict).toEqual({ authorized: false, authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    const c = await judgeServer(r, spiffeRoots({ 'east.local': pki.east }), { exact: [HELLOWORLD], prefix: [] });
    expect(c).toMatchObject({ kind: 'agree', chain: 'fail', labOnly: 'no-bundle', sameReason: true });
  });

  it('wrong CA (an impostor west.local root): both fail with an unknown authority', async () => {
    const r = await fromEast([pki.westImpostor]);
    expect(r.verdict).toMatchObject({ authorized: false, authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    const c = await judgeServer(r, spiffeRoots({ 'west.local': pki.westImpostor }), { exact: [HELLOWORLD], prefix: [] });
    expect(c).toMatchObject({ kind: 'agree', chain: 'fail', sameReason: true, lab: 'chain (pki/unknown-authority)' });
  });

  it('SAN mismatch: the lab fails, OpenSSL authorizes the chain — not a disagreement', async () => {
    const r = await fromEast([pki.west]);
    const c = await judgeServer(r, spiffeRoots({ 'west.local': pki.west }), { exact: ['spiffe://west.local/ns/default/sa/other'], prefix: [] });
    expect(c).toMatchObject({ kind: 'agree', chain: 'ok', labOnly: 'san', lab: 'san', openssl: 'authorized' });
  });

  it('expired at wall time: CERT_HAS_EXPIRED and pki/expired agree; at a virtual time inside the validity they are not comparable', async () => {
    server.setIdentity(await pem(pki.expiredServer, [pki.east]));
    try {
      const r = await fromEast([pki.westEarlier]);
      expect(r.verdict).toEqual({ authorized: false, authorizationError: 'CERT_HAS_EXPIRED' });
      expect(r.response?.status).toBe(200); // OpenSSL's verdict is recorded, not acted on
      const root = spiffeRoots({ 'west.local': pki.westEarlier });
      expect(await judgeServer(r, root, { exact: [HELLOWORLD], prefix: [] })).toMatchObject({ kind: 'agree', chain: 'fail', sameReason: true, lab: 'chain (pki/expired)' });
      const chain = certs(r.peerChainDer);
      const virtual = chain[0]!.notAfter - 60_000;
      const lab = await verifyPeer(verifier, chain, root, { exact: [HELLOWORLD], prefix: [] }, virtual);
      expect(lab.ok).toBe(true);
      expect(compareVerdicts({ lab, openssl: r.verdict!, clocksAgree: clocksAgree([...chain, pki.westEarlier.cert], virtual, Date.now()) })).toMatchObject({ kind: 'not-comparable', why: 'clocks-differ' });
    } finally {
      server.setIdentity(await pem(pki.server, [pki.east]));
    }
  });

  it('the server rejects a client without a certificate: OpenSSL says UNABLE_TO_GET_ISSUER_CERT, the connection is dropped', async () => {
    const id = await pem(pki.client, [pki.west]);
    const r = await mtlsRequest({ port: server.port, servername: SNI, alpn: ALPN, caPem: id.caPem });
    expect(r.verdict?.authorized).toBe(true); // the client's handshake completed (TLS 1.3)…
    expect(r.response).toBeUndefined(); // …then the server dropped it
    expect(['ECONNRESET', 'EOF']).toContain(r.error?.code);
    expect(r.error?.afterHandshake).toBe(true);
    const inbound = seen.find((f) => f.remotePort === r.localPort)!;
    expect(inbound).toMatchObject({ authorized: false, authorizationError: 'UNABLE_TO_GET_ISSUER_CERT', peerChainDer: [], admitted: false });
    const lab = await verifyPeer(verifier, [], spiffeRoots({ 'east.local': pki.east }), { exact: [], prefix: [] }, Date.now());
    expect(compareVerdicts({ lab, openssl: { ...inbound, presented: 0 }, clocksAgree: true })).toMatchObject({ kind: 'agree', chain: 'fail', sameReason: true });
  });

  it('the server rejects a client certificate from another CA', async () => {
    const r = await fromEast([pki.west], pki.clientFromImpostor);
    expect(r.response).toBeUndefined();
    const inbound = seen.find((f) => f.remotePort === r.localPort)!;
    expect(inbound).toMatchObject({ authorized: false, authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', admitted: false });
    const lab = await verifyPeer(verifier, certs(inbound.peerChainDer), spiffeRoots({ 'east.local': pki.east }), { exact: [], prefix: [] }, Date.now());
    expect(compareVerdicts({ lab, openssl: inbound, clocksAgree: true })).toMatchObject({ kind: 'agree', chain: 'fail', sameReason: true });
  });

  it('rotation: setIdentity serves the new certificate and trusts the new CA on the next connection', async () => {
    const before = await fromEast([pki.west]);
    expect(before.response?.status).toBe(200);
    server.setIdentity(await pem(pki.serverFromImpostor, [pki.east]));
    try {
      const after = await fromEast([pki.west]);
      expect(after.verdict).toMatchObject({ authorized: false });
      expect(Buffer.from(after.peerChainDer[0]!).equals(Buffer.from(before.peerChainDer[0]!))).toBe(false);
      expect(Buffer.from(after.peerChainDer[0]!).equals(Buffer.from(pki.serverFromImpostor.cert.der))).toBe(true);
    } finally {
      server.setIdentity(await pem(pki.server, [pki.east]));
    }
  });

  it('a chain with an intermediate: both sides see leaf + intermediate as presented, and the verdicts agree', async () => {
    const inter = await issueCertificate(crypto, spireCaTemplate({ trustDomainId: 'spiffe://west.local', serial: 4242n, now: Date.now(), ttl: 6 * HOUR }), await generateKeyPair(crypto, 'ec-p256'), pki.west);
    const leaf = await svid(inter, HELLOWORLD);
    server.setIdentity(await identityPem(crypto, leaf, { intermediates: [inter], roots: [pki.east] }));
    try {
      const r = await fromEast([pki.west]);
      expect(r.verdict).toEqual({ authorized: true });
      expect(r.peerChainDer.map((d) => Buffer.from(d).toString('base64'))).toEqual([leaf, inter].map((c) => Buffer.from(c.cert.der).toString('base64')));
      expect(await judgeServer(r, spiffeRoots({ 'west.local': pki.west }), { exact: [HELLOWORLD], prefix: [] })).toMatchObject({ kind: 'agree', chain: 'ok' });
    } finally {
      server.setIdentity(await pem(pki.server, [pki.east]));
    }
  });

  it('errors are values: refused, and ALPN with no overlap (Node sends no_application_protocol)', async () => {
    const refused = await mtlsRequest({ port: 1, caPem: [] });
    expect(refused).toMatchObject({ error: { code: 'ECONNREFUSED', afterHandshake: false }, peerChainDer: [] });
    const id = await pem(pki.client, [pki.west]);
    const noAlpn = await mtlsRequest({ port: server.port, alpn: ['h2'], certChainPem: id.certChainPem, keyPem: id.keyPem, caPem: id.caPem });
    expect(noAlpn.error).toMatchObject({ code: 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL', alert: 'tlsv1 alert no application protocol' });
    const badPem = await mtlsRequest({ port: server.port, certChainPem: 'nope', keyPem: 'nope', caPem: [] });
    expect(badPem.error).toBeDefined();
  });
});
