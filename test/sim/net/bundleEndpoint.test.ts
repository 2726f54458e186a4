import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryBundleClient, parseHttpsUrl } from '../../../sim/net/bundleEndpoint.ts';
import { T0 } from '../../helpers/pki.ts';
import { resolverFor, spireLikeEndpoint, type TestEndpoint } from '../../helpers/endpoints.ts';

let west: TestEndpoint;
let other: TestEndpoint;
let client: MemoryBundleClient;

beforeAll(async () => {
  west = await spireLikeEndpoint('west.demo', '{"keys":[]}\n', ['spire.west.demo']);
  other = await spireLikeEndpoint('west.demo');
  client = new MemoryBundleClient(globalThis.crypto, resolverFor({ 'spire.west.demo': west }), () => [west.ca.cert]);
});

const spiffe = { type: 'https_spiffe' as const, endpointSpiffeId: 'spiffe://west.demo/spire/server' };

describe('fetching a bundle over the in-memory network', () => {
  it('https_spiffe: authenticates the server SVID against the anchors and the exact endpoint ID', async () => {
    expect(await client.fetch({ from: 'east', url: 'https://spire.west.demo:8443', profile: spiffe, anchors: [west.ca.cert], at: T0 })).toEqual({ ok: true, value: '{"keys":[]}\n' });
  });

  it('https_spiffe with the wrong endpoint SPIFFE ID: unexpected ID', async () => {
    const r = await client.fetch({ from: 'east', url: 'https://spire.west.demo:8443', profile: { type: 'https_spiffe', endpointSpiffeId: 'spiffe://west.demo/spire/agent' }, anchors: [west.ca.cert], at: T0 });
    expect(r).toMatchObject({ ok: false, error: { code: 'net/tls-verify-failed', message: 'failed to fetch bundle: Get "https://spire.west.demo:8443": unexpected ID "spiffe://west.demo/spire/server"' } });
  });

  it('https_spiffe with stale or foreign anchors: unknown authority', async () => {
    const r = await client.fetch({ from: 'east', url: 'https://spire.west.demo:8443', profile: spiffe, anchors: [other.ca.cert], at: T0 });
    expect(r).toMatchObject({ ok: false, error: { message: 'failed to fetch bundle: Get "https://spire.west.demo:8443": x509svid: could not verify leaf certificate: x509: certificate signed by unknown authority' } });
  });

  it('https_web: the host must be in the certificate; a SPIFFE certificate gets SPIRE\'s hint', async () => {
    const ok = await client.fetch({ from: 'east', url: 'https://spire.west.demo:8443/', profile: { type: 'https_web' }, at: T0 });
    expect(ok.ok).toBe(true);
    const c2 = new MemoryBundleClient(globalThis.crypto, resolverFor({ '10.1.2.3': west }), () => [west.ca.cert]);
    const r = await c2.fetch({ from: 'east', url: 'https://10.1.2.3:8443', profile: { type: 'https_web' }, at: T0 });
    expect(r).toMatchObject({
      ok: false,
      error: {
        message:
          'failed to fetch bundle: Get "https://10.1.2.3:8443": failed to authenticate bundle endpoint using web authentication but the server certificate contains SPIFFE ID "spiffe://west.demo/spire/server": maybe use https_spiffe instead of https_web: tls: failed to verify certificate: x509: certificate is valid for spire.west.demo, not 10.1.2.3',
      },
    });
  });

  it('reports unreachable endpoints and HTTP errors as SPIRE\'s client does', async () => {
    const refused = await client.fetch({ from: 'east', url: 'https://spire.west.demo:9443', profile: spiffe, anchors: [west.ca.cert], at: T0 });
    expect(refused).toMatchObject({ ok: false, error: { message: 'failed to fetch bundle: Get "https://spire.west.demo:9443": dial tcp spire.west.demo:9443: connect: connection refused' } });
    const notFound = await client.fetch({ from: 'east', url: 'https://spire.west.demo:8443/bundle.json', profile: spiffe, anchors: [west.ca.cert], at: T0 });
    expect(notFound).toMatchObject({ ok: false, error: { code: 'net/http-status', message: 'unexpected status 404 fetching bundle: 404 page not found' } });
  });

  it('parses https URLs with default port and path', () => {
    expect(parseHttpsUrl('https://Federation.Apps.Example.com')).toEqual({ ok: true, value: { host: 'federation.apps.example.com', port: 443, path: '/' } });
    expect(parseHttpsUrl('http://x').ok).toBe(false);
  });
});
