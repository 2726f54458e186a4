import { describe, expect, it } from 'vitest';
import { unwrap } from '../../../../sim/core/result.ts';
import { decodeFederatedBundle, TrustDomain } from '../../../../sim/spiffe/index.ts';
import { serveBundleEndpoint } from '../../../../sim/spire/server/bundleEndpoint.ts';
import { Lab, serverConf } from './helpers.ts';

describe('bundle endpoint', () => {
  it('GET / serves the local bundle with the configured hint; 405 and 404 otherwise', async () => {
    const lab = new Lab();
    const west = lab.server('west.local', serverConf('west.local'));
    await west.start();
    const ep = west.bundleEndpoint()!;
    const r = ep.serve('GET', '/');
    expect(r.status).toBe(200);
    expect(r.headers['Content-Type']).toBe('application/json');
    const doc = JSON.parse(r.body) as { keys: { use: string; kty: string; kid?: string; x5c?: string[] }[]; spiffe_sequence: number; spiffe_refresh_hint: number };
    expect(Object.keys(doc)).toEqual(['keys', 'spiffe_sequence', 'spiffe_refresh_hint']);
    expect(doc.keys.map((k) => k.use)).toEqual(['x509-svid', 'jwt-svid']);
    expect(Object.keys(doc.keys[0]!)).toEqual(['use', 'kty', 'crv', 'x', 'y', 'x5c']);
    expect(Object.keys(doc.keys[1]!)).toEqual(['use', 'kty', 'kid', 'crv', 'x', 'y']);
    expect(doc.spiffe_sequence).toBe(1);
    expect(doc.spiffe_refresh_hint).toBe(300);
    expect(r.body.startsWith('{\n    "keys": [\n        {\n            "use": "x509-svid",')).toBe(true);
    expect(r.body.endsWith('\n    "spiffe_refresh_hint": 300\n}')).toBe(true);
    const decoded = unwrap(decodeFederatedBundle(TrustDomain.fromValidName('west.local'), r.body));
    expect(decoded.x509Authorities[0]!.serial).toBe(west.getBundle().x509Authorities[0]!.serial);
    expect(ep.serve('POST', '/')).toEqual({ status: 405, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: '405 method not allowed\n' });
    expect(ep.serve('GET', '/bundle')).toEqual({ status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: '404 page not found\n' });
    expect(serveBundleEndpoint('GET', '/', undefined, 300_000).body).toBe('500 unable to retrieve local bundle\n');
  });

  it('presents the server SVID and follows its rotation', async () => {
    const lab = new Lab();
    const west = lab.server('west.local', serverConf('west.local'));
    await west.start();
    const ep = west.bundleEndpoint()!;
    const first = ep.tlsIdentity()!.chain[0]!;
    expect(first.uris).toEqual(['spiffe://west.local/spire/server']);
    expect(ep.tlsIdentity()!.chain).toHaveLength(1);
    await lab.advance(31 * 60_000);
    expect(ep.tlsIdentity()!.chain[0]!.serial).not.toBe(first.serial);
  });
});

describe('bundle endpoint: one document per stored bundle', () => {
  it('serves the same body while the bundle is unchanged, per hint, and a new one once it changes', async () => {
    const lab = new Lab();
    const west = lab.server('west.local', serverConf('west.local'));
    await west.start();
    const bundle = west.getBundle();
    // The server hands out one frozen bundle per stored record.
    expect(west.getBundle()).toBe(bundle);
    const a = serveBundleEndpoint('GET', '/', bundle, 300_000);
    expect(serveBundleEndpoint('GET', '/', bundle, 300_000).body).toBe(a.body);
    expect(JSON.parse(serveBundleEndpoint('GET', '/', bundle, 60_000).body).spiffe_refresh_hint).toBe(60);
    await lab.advance(13 * 3600_000);
    const later = west.getBundle();
    expect(later).not.toBe(bundle);
    expect(serveBundleEndpoint('GET', '/', later, 300_000).body).not.toBe(a.body);
  });
});
