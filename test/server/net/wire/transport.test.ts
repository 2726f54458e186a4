// The wire transport as the data plane drives it: the lab's verdicts acted on over real sockets, the
// HTTP exchange carried over the TLS connection, the SNI gateway in between, and faults made real.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeWireTransport } from '../../../../server/net/wire/transport.ts';
import type { PeerVerdict } from '../../../../sim/envoy/validator.ts';
import type { WireEndpointSecrets, WireHandshakeRequest } from '../../../../sim/envoy/wire.ts';
import { meshPki, pem, type Pki } from './fixtures.ts';
import type { IssuedCertificate } from '../../../../sim/pki/index.ts';

const SNI = 'outbound_.5000_._.helloworld.default.svc.cluster.local';
const OK: PeerVerdict = { ok: true, id: 'spiffe://west.local/ns/default/sa/helloworld' } as PeerVerdict;
const SAN_FAIL = { ok: false, reason: 'san', detail: 'SAN mismatch' } as unknown as PeerVerdict;

let pki: Pki;
let wire: NodeWireTransport;

async function side(leaf: IssuedCertificate, roots: readonly IssuedCertificate[]): Promise<WireEndpointSecrets> {
  const id = await pem(leaf, []);
  return { chain: [leaf.cert], keyPem: id.keyPem, peerRoots: roots.map((r) => r.cert) };
}

async function request(over: Partial<WireHandshakeRequest>): Promise<WireHandshakeRequest> {
  return {
    client: await side(pki.client, [pki.west]),
    server: await side(pki.server, [pki.east]),
    sni: SNI,
    viaGateway: false,
    alpn: ['istio-http/1.1', 'istio'],
    lab: { client: OK, server: { ...OK, id: 'spiffe://east.local/ns/default/sa/curl' } as PeerVerdict },
    at: Date.now(),
    exchange: { method: 'GET', path: '/hello', authority: 'helloworld:5000', response: { status: 200, headers: { 'content-type': 'text/plain' }, body: 'Hello version: v2, instance: helloworld-v2-abc\n' } },
    ...over,
  };
}

beforeAll(async () => {
  pki = await meshPki();
  wire = new NodeWireTransport({ timeoutMs: 3_000 });
});
afterAll(() => wire.close());

describe('NodeWireTransport', () => {
  it('carries the request over mTLS and returns the application\'s answer read off the connection', async () => {
    const f = await wire.handshake(await request({}));
    expect(f.protocol).toBe('TLSv1.3');
    expect(f.alpn).toBe('istio-http/1.1');
    expect(f.response).toMatchObject({ status: 200, body: 'Hello version: v2, instance: helloworld-v2-abc\n' });
    expect(f.comparisons.client?.kind).toBe('agree');
    expect(f.comparisons.server?.kind).toBe('agree');
  });

  it('through the SNI gateway: the gateway reads the SNI and pipes without terminating (the client sees the server\'s chain)', async () => {
    const f = await wire.handshake(await request({ viaGateway: true }));
    expect(f.gatewayPort).toBeGreaterThan(0);
    expect(f.gatewayPort).not.toBe(f.serverPort);
    expect(f.sniSeenByGateway).toBe(SNI);
    expect(f.clientVerdict?.authorized).toBe(true);
    expect(f.response?.status).toBe(200);
  });

  it('a server side the lab says rejects the client closes the connection: no answer crosses', async () => {
    const f = await wire.handshake(await request({ lab: { client: OK, server: SAN_FAIL } }));
    expect(f.serverVerdict?.authorized).toBe(true);
    expect(f.response).toBeUndefined();
    expect(f.error).toMatch(/ECONNRESET|EOF/);
  });

  it('a client the lab says rejects the server sends no request', async () => {
    const f = await wire.handshake(await request({ lab: { client: SAN_FAIL } }));
    expect(f.clientVerdict?.authorized).toBe(true);
    expect(f.response).toBeUndefined();
    expect(f.error).toBeUndefined();
  });

  it('a 403 from the server\'s sidecar crosses the wire as the answer', async () => {
    const f = await wire.handshake(await request({ exchange: { method: 'GET', path: '/admin', authority: 'helloworld:5000', response: { status: 403, headers: {}, body: 'RBAC: access denied' } } }));
    expect(f.response).toMatchObject({ status: 403, body: 'RBAC: access denied' });
  });

  it('no answer from the server side (nothing listening behind the sidecar) is a reset after the request', async () => {
    const r = await request({});
    const f = await wire.handshake({ ...r, exchange: { ...r.exchange!, response: undefined } as never });
    expect(f.response).toBeUndefined();
    expect(f.error).toMatch(/ECONNRESET|EOF/);
  });

  it('faults are real: refused is ECONNREFUSED, dropped times out', async () => {
    expect((await wire.fault('refused')).code).toBe('ECONNREFUSED');
    const dropped = await wire.fault('dropped');
    expect(dropped.code).toBe('ETIMEDOUT');
    expect(wire.faults.map((f) => f.kind)).toEqual(['refused', 'dropped']);
  });
});
