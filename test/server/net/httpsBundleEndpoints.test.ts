// The real-HTTPS transport gives the same verdicts as the in-memory one, over real TLS on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryBundleClient, type BundleEndpointClient } from '../../../sim/net/bundleEndpoint.ts';
import { HttpsBundleNetwork } from '../../../server/net/httpsBundleEndpoints.ts';
import { T0, testSvid } from '../../helpers/pki.ts';
import { resolverFor, spireLikeEndpoint, type TestEndpoint } from '../../helpers/endpoints.ts';

let west: TestEndpoint;
let stranger: TestEndpoint;
let https: HttpsBundleNetwork;
let memory: MemoryBundleClient;

beforeAll(async () => {
  west = await spireLikeEndpoint('west.demo', '{\n    "keys": []\n}\n', ['spire.west.demo']);
  stranger = await spireLikeEndpoint('west.demo');
  const resolve = resolverFor({ 'spire.west.demo': west, '127.0.0.9': west });
  https = new HttpsBundleNetwork(globalThis.crypto, resolve, () => [west.ca.cert]);
  memory = new MemoryBundleClient(globalThis.crypto, resolve, () => [west.ca.cert]);
});

afterAll(() => https.close());

const spiffe = { type: 'https_spiffe' as const, endpointSpiffeId: 'spiffe://west.demo/spire/server' };
const cases = [
  { name: 'success', url: 'https://spire.west.demo:8443', profile: spiffe, anchors: () => [west.ca.cert] },
  { name: 'wrong endpoint ID', url: 'https://spire.west.demo:8443', profile: { type: 'https_spiffe' as const, endpointSpiffeId: 'spiffe://west.demo/other' }, anchors: () => [west.ca.cert] },
  { name: 'wrong CA', url: 'https://spire.west.demo:8443', profile: spiffe, anchors: () => [stranger.ca.cert] },
  { name: 'web: name mismatch', url: 'https://127.0.0.9:8443', profile: { type: 'https_web' as const }, anchors: () => [] },
  { name: '404', url: 'https://spire.west.demo:8443/nope', profile: spiffe, anchors: () => [west.ca.cert] },
  { name: 'refused', url: 'https://spire.west.demo:9999', profile: spiffe, anchors: () => [west.ca.cert] },
];

describe('bundle endpoints over real HTTPS', () => {
  it.each(cases)('$name: same verdict and message as in memory', async (c) => {
    const fetch = (client: BundleEndpointClient) => client.fetch({ from: 'east', url: c.url, profile: c.profile, anchors: c.anchors(), at: T0 });
    const viaHttps = await fetch(https);
    const viaMemory = await fetch(memory);
    expect(viaHttps.ok).toBe(viaMemory.ok);
    if (viaHttps.ok && viaMemory.ok) expect(viaHttps.value).toBe(viaMemory.value);
    if (!viaHttps.ok && !viaMemory.ok) expect(viaHttps.error.message).toBe(viaMemory.error.message);
  });

  it('follows the server SVID\'s rotation without restarting the listener', async () => {
    const first = await https.fetch({ from: 'east', url: 'https://spire.west.demo:8443', profile: spiffe, anchors: [west.ca.cert], at: T0 });
    expect(first.ok).toBe(true);
    const rotated = await testSvid(west.ca, 'spiffe://west.demo/spire/agent/x');
    const original = west.tlsIdentity;
    (west as { tlsIdentity: TestEndpoint['tlsIdentity'] }).tlsIdentity = () => ({ chain: [rotated.cert], key: rotated.key });
    try {
      const second = await https.fetch({ from: 'east', url: 'https://spire.west.demo:8443', profile: spiffe, anchors: [west.ca.cert], at: T0 });
      expect(second).toMatchObject({ ok: false, error: { message: expect.stringContaining('unexpected ID "spiffe://west.demo/spire/agent/x"') } });
    } finally {
      (west as { tlsIdentity: TestEndpoint['tlsIdentity'] }).tlsIdentity = original;
    }
  });
});

describe('federation in a scenario, over real HTTPS', () => {
  it('F02\'s servers fetch each other\'s bundles through real TLS on 127.0.0.1, with the same outcome as in memory', async () => {
    const { nodeTransport } = await import('../../../server/cli/transport.ts');
    const { play } = await import('../../helpers/scenario.ts');
    const transport = nodeTransport(false);
    const created: HttpsBundleNetwork[] = [];
    try {
      const r = await play('scenarios/f02-spiffe-helper-openssl.yaml', 'fixed', {
        bundleClient: (resolve) => {
          const n = transport.bundleClient!(resolve);
          created.push(n);
          return n;
        },
      });
      expect(r.ok).toBe(true);
      expect(created).toHaveLength(1);
      expect(created[0]!.fetches).toBeGreaterThanOrEqual(4);
      const list = await r.world.run('kubectl --context west exec -c spire-server -n spire spire-server-0 -- spire-server bundle list -id spiffe://east.local');
      expect(list.stdout).toContain('-----BEGIN CERTIFICATE-----');
    } finally {
      await transport.close();
    }
  }, 60_000);
});
