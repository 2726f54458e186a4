import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '../../../../sim/core/duration.ts';
import { SpiffeBundle } from '../../../../sim/spiffe/index.ts';
import type { FederationRelationship } from '../../../../sim/spire/api.ts';
import { calculateRefreshHint, nextUpdateDelay } from '../../../../sim/spire/server/federation.ts';
import { Lab, serverConf, T0 } from './helpers.ts';

const S = 1000;
const EAST_URL = 'https://spire-server.east.local:8443';
const toEast = (endpointSpiffeId = 'spiffe://east.local/spire/server'): FederationRelationship => ({
  trustDomain: 'east.local',
  bundleEndpointUrl: EAST_URL,
  profile: { type: 'https_spiffe', endpointSpiffeId },
});

async function twoServers(westExtraFederation = '') {
  const lab = new Lab();
  const west = lab.server('west.local', serverConf('west.local', '', westExtraFederation));
  const east = lab.server('east.local', serverConf('east.local'));
  await west.start();
  await east.start();
  return { lab, west, east };
}

const pemOnly = (b: SpiffeBundle) => SpiffeBundle.of(b.trustDomain, { x509Authorities: b.x509Authorities, refreshHint: 0, sequenceNumber: 0 });
const bundleLines = (lab: Lab) => lab.logs.filter((l) => l.includes('subsystem_name=bundle_client') && !l.includes('managed'));

describe('federation bundle manager', () => {
  it('refresh scheduling (§2.6): hint/4, at least 15 s; root lifetime/10 when the hint is 0', () => {
    const root = { notBefore: T0 - 10 * S, notAfter: T0 + 24 * HOUR } as never;
    expect(nextUpdateDelay({ refreshHint: 300, x509Authorities: [] })).toBe(75 * S);
    expect(nextUpdateDelay({ refreshHint: 60, x509Authorities: [] })).toBe(15 * S);
    expect(nextUpdateDelay({ refreshHint: 30, x509Authorities: [] })).toBe(15 * S);
    // a PEM bootstrap (hint 0) with a 24 h root: (24h10s)/10/4 ≈ 36 min
    expect(nextUpdateDelay({ refreshHint: 0, x509Authorities: [root] })).toBe((24 * HOUR + 10 * S) / 40);
    expect(Math.round(nextUpdateDelay({ refreshHint: 0, x509Authorities: [root] }) / MINUTE)).toBe(36);
    expect(calculateRefreshHint({ refreshHint: 0, x509Authorities: [] })).toBe(MINUTE);
  });

  it('without a local copy of the endpoint bundle: no fetch, error logged, retried every minute; then bootstrap, refresh and 75 s cadence', async () => {
    const { lab, west, east } = await twoServers();
    const [created] = west.batchCreateFederationRelationship([toEast()]);
    expect(created!.ok).toBe(true);
    await lab.settle();
    expect(lab.client.requests).toHaveLength(0);
    expect(bundleLines(lab)).toEqual([
      `west/spire-server time="2026-01-10T08:00:00Z" level=error msg="Error updating bundle" error="can't perform SPIFFE Authentication: local copy of bundle not found" subsystem_name=bundle_client trust_domain=east.local`,
    ]);
    expect(lab.logs).toContain(
      'west/spire-server time="2026-01-10T08:00:00Z" level=info msg="Trust domain is now managed" bundle_endpoint_profile=https_spiffe bundle_endpoint_url="https://spire-server.east.local:8443" subsystem_name=bundle_client trust_domain=east.local',
    );
    expect(west.federation.managed()[0]!.nextRefreshAt).toBe(T0 + MINUTE);
    await lab.advance(MINUTE);
    expect(bundleLines(lab)).toHaveLength(2);
    expect(lab.client.requests).toHaveLength(0);

    // bootstrap with `bundle set` (PEM: hint 0)
    expect(west.batchSetFederatedBundle([pemOnly(east.getBundle())])[0]!.ok).toBe(true);
    await lab.advance(MINUTE);
    expect(lab.client.requests).toHaveLength(1);
    expect(bundleLines(lab).at(-1)).toBe('west/spire-server time="2026-01-10T08:02:00Z" level=info msg="Bundle refreshed" subsystem_name=bundle_client trust_domain=east.local');
    const stored = west.getFederatedBundle('east.local');
    expect(stored.ok && stored.value.refreshHint).toBe(300 * S);
    expect(stored.ok && stored.value.sequenceNumber).toBe(0); // spiffe_sequence is ignored on decode
    expect(stored.ok && stored.value.jwtAuthorities.size).toBe(1); // replaced by the fetched document (JWT key included)
    expect(west.federation.managed()[0]!.nextRefreshAt).toBe(lab.clock.now() + 75 * S);
    await lab.advance(75 * S);
    expect(lab.client.requests).toHaveLength(2);
    expect(lab.events.ofType('spire.bundle.refreshed')).toHaveLength(2);
  });

  it('a successful refresh replaces the stored bundle (new roots appear, removed ones go)', async () => {
    const { lab, west, east } = await twoServers();
    west.batchCreateFederationRelationship([{ ...toEast(), trustDomainBundle: pemOnly(east.getBundle()) }]);
    await lab.settle();
    const first = west.getFederatedBundle('east.local');
    expect(first.ok && first.value.x509Authorities.length).toBe(1);
    await lab.advance(12 * HOUR + 2 * MINUTE); // east prepares CA2 at 12h10s; west polls every 75 s
    const later = west.getFederatedBundle('east.local');
    expect(later.ok && later.value.x509Authorities.map((c) => c.serial)).toEqual(east.getBundle().x509Authorities.map((c) => c.serial));
    expect(later.ok && later.value.x509Authorities.length).toBe(2);
  }, 60_000);

  it('failure with a local copy: hint(local)/4 — 75 s after a fetched bundle, ~36 min after a PEM bootstrap; no backoff', async () => {
    const { lab, west, east } = await twoServers();
    west.batchSetFederatedBundle([pemOnly(east.getBundle())]);
    lab.faults.stop('east/spire-server');
    west.batchCreateFederationRelationship([toEast()]);
    await lab.settle();
    expect(bundleLines(lab)).toEqual([
      `west/spire-server time="2026-01-10T08:00:00Z" level=error msg="Error updating bundle" error="failed to fetch federated bundle from endpoint: failed to fetch bundle: Get \\"https://spire-server.east.local:8443\\": dial tcp spire-server.east.local:8443: connect: connection refused" subsystem_name=bundle_client trust_domain=east.local`,
    ]);
    const root = east.getBundle().x509Authorities[0]!;
    expect(west.federation.managed()[0]!.nextRefreshAt).toBe(T0 + (root.notAfter - root.notBefore) / 40);
    lab.faults.start('east/spire-server');
    await lab.advance(37 * MINUTE);
    expect(lab.events.ofType('spire.bundle.refreshed')).toHaveLength(1);
    lab.faults.stop('east/spire-server');
    const failuresBefore = lab.events.ofType('spire.bundle.refresh-failed').length;
    await lab.advance(150 * S);
    expect(lab.events.ofType('spire.bundle.refresh-failed').length - failuresBefore).toBe(2); // every 75 s, no backoff
  });

  it('wrong endpoint SPIFFE ID → unexpected ID', async () => {
    const { lab, west, east } = await twoServers();
    west.batchCreateFederationRelationship([{ ...toEast('spiffe://east.local/spire/other'), trustDomainBundle: pemOnly(east.getBundle()) }]);
    await lab.settle();
    expect(bundleLines(lab)[0]).toContain('error="failed to fetch federated bundle from endpoint: failed to fetch bundle: Get \\"https://spire-server.east.local:8443\\": unexpected ID \\"spiffe://east.local/spire/server\\""');
  });

  it('static relationships override dynamic ones; deleting a relationship keeps the bundle; refresh on demand', async () => {
    const staticFed = `federates_with "east.local" {\n bundle_endpoint_url = "${EAST_URL}"\n bundle_endpoint_profile "https_spiffe" { endpoint_spiffe_id = "spiffe://east.local/spire/server" }\n}`;
    const { lab, west, east } = await twoServers(staticFed);
    west.batchSetFederatedBundle([pemOnly(east.getBundle())]);
    // the static relationship is managed from the start: its first attempt (no bundle yet) failed, retry after 1 min
    expect(lab.logs.some((l) => l.includes('local copy of bundle not found'))).toBe(true);
    await lab.advance(MINUTE);
    expect(lab.client.requests.map((r) => r.url)).toEqual([EAST_URL]);
    west.batchCreateFederationRelationship([{ ...toEast(), bundleEndpointUrl: 'https://elsewhere:8443' }]);
    await lab.advance(75 * S);
    expect(lab.client.requests.map((r) => r.url)).toEqual([EAST_URL, EAST_URL]);
    expect(west.listFederationRelationships().map((r) => r.bundleEndpointUrl)).toEqual(['https://elsewhere:8443']);

    // dynamic-only: delete stops the updater, the stored bundle stays
    const lab2 = await twoServers();
    lab2.west.batchCreateFederationRelationship([{ ...toEast(), trustDomainBundle: pemOnly(lab2.east.getBundle()) }]);
    await lab2.lab.settle();
    expect((await lab2.west.refreshBundleAsync('east.local')).ok).toBe(true);
    expect(lab2.west.batchDeleteFederationRelationship(['east.local'])[0]!.ok).toBe(true);
    expect(lab2.lab.logs.some((l) => l.includes('msg="Trust domain no longer managed" entry=east.local subsystem_name=bundle_client'))).toBe(true);
    expect(lab2.west.getFederatedBundle('east.local').ok).toBe(true);
    const n = lab2.lab.client.requests.length;
    await lab2.lab.advance(10 * MINUTE);
    expect(lab2.lab.client.requests.length).toBe(n);
    const r = await lab2.west.refreshBundleAsync('east.local');
    expect(!r.ok && r.error).toEqual({ code: 'spire/not-found', message: 'no relationship with trust domain "east.local"' });
  });

  it('relationship API rules: own trust domain and URL checks', async () => {
    const { west } = await twoServers();
    const own = west.batchCreateFederationRelationship([{ ...toEast(), trustDomain: 'west.local' }])[0]!;
    expect(!own.ok && own.error.message).toBe('unable to create federation relationship for server trust domain');
    const http = west.batchCreateFederationRelationship([{ ...toEast(), bundleEndpointUrl: 'http://east:8443' }])[0]!;
    expect(!http.ok && http.error.message).toBe('failed to convert federation relationship: bundle endpoint URL must use the https scheme');
    const user = west.batchCreateFederationRelationship([{ ...toEast(), bundleEndpointUrl: 'https://me@east:8443' }])[0]!;
    expect(!user.ok && user.error.message).toBe('failed to convert federation relationship: bundle endpoint URL must not contain user info');
    const nohost = west.batchCreateFederationRelationship([{ ...toEast(), bundleEndpointUrl: 'https:///x' }])[0]!;
    expect(!nohost.ok && nohost.error.message).toBe('failed to convert federation relationship: bundle endpoint URL must specify the host');
  });
});
