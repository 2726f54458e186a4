import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../../../sim/core/rng.ts';
import { decodePem } from '../../../../sim/pki/index.ts';
import { AgentCache } from '../../../../sim/spire/agent/cache.ts';
import { DEFAULT_SDS_CONFIG, type SdsConfig } from '../../../../sim/spire/agent/config.ts';
import { resolveSdsResources, SdsStream, fetchSecrets, type SdsSecret, type ValidationContextSecret } from '../../../../sim/spire/agent/sds.ts';
import type { X509WorkloadUpdate } from '../../../../sim/spire/agent/workloadUpdate.ts';
import { bundleOf, cachedSvid, entry, FakeServer, makeCa, T0 } from './fakeServer.ts';

const SHOP = [{ type: 'k8s', value: 'ns:shop' }, { type: 'k8s', value: 'sa:app' }];
const ISTIO: SdsConfig = { ...DEFAULT_SDS_CONFIG, defaultBundleName: 'null', defaultAllBundlesName: 'ROOTCA' };

let upd: X509WorkloadUpdate;
let noIdentity: X509WorkloadUpdate;
let server: FakeServer;

beforeAll(async () => {
  server = await FakeServer.create('east.local', { now: () => T0 });
  const west = await makeCa('west.local');
  const cache = new AgentCache('east.local');
  const e2 = entry('spiffe://east.local/ns/shop/sa/app', ['k8s:ns:shop', 'k8s:sa:app'], { id: 'east.2', federatesWith: ['west.local'] });
  const e1 = entry('spiffe://east.local/shop', ['k8s:ns:shop'], { id: 'east.1' });
  cache.update([e2, e1], [server.getBundle(), bundleOf('west.local', west)]);
  cache.setSvid(await cachedSvid(server, e1));
  cache.setSvid(await cachedSvid(server, e2));
  upd = cache.workloadUpdate(SHOP);
  noIdentity = cache.workloadUpdate([{ type: 'k8s', value: 'ns:nobody' }]);
});

const names = (r: ReturnType<typeof resolveSdsResources>): string[] | string => (r.ok ? r.value.map((s) => s.name) : `${r.error.detail?.grpcCode}: ${r.error.message}`);
const tds = (s: SdsSecret): string[] => ('validation_context' in s && 'custom_validator_config' in s.validation_context ? s.validation_context.custom_validator_config.typed_config.trust_domains.map((t) => t.name) : []);

describe('SDS resource-name resolution (§4.2)', () => {
  it.each([
    { req: ['default', 'ROOTCA'], config: DEFAULT_SDS_CONFIG, want: ['ROOTCA', 'default'] },
    { req: ['ALL'], config: DEFAULT_SDS_CONFIG, want: ['ALL'] },
    { req: ['ROOTCA', 'ALL'], config: DEFAULT_SDS_CONFIG, want: 'InvalidArgument: workload is not authorized for the requested identities ["ALL"]' },
    { req: ['spiffe://east.local', 'ROOTCA'], config: DEFAULT_SDS_CONFIG, want: 'InvalidArgument: workload is not authorized for the requested identities ["ROOTCA"]' },
    { req: ['spiffe://west.local'], config: DEFAULT_SDS_CONFIG, want: ['spiffe://west.local'] },
    { req: ['spiffe://north.local'], config: DEFAULT_SDS_CONFIG, want: 'InvalidArgument: workload is not authorized for the requested identities ["spiffe://north.local"]' },
    { req: ['spiffe://east.local/ns/shop/sa/app', 'default'], config: DEFAULT_SDS_CONFIG, want: ['default', 'spiffe://east.local/ns/shop/sa/app'] },
    { req: ['spiffe://east.local/shop', 'default'], config: DEFAULT_SDS_CONFIG, want: 'InvalidArgument: workload is not authorized for the requested identities ["default"]' },
    { req: ['default', 'ROOTCA'], config: ISTIO, want: ['ROOTCA', 'default'] },
    { req: ['', 'zzz', 'aaa'], config: DEFAULT_SDS_CONFIG, want: 'InvalidArgument: workload is not authorized for the requested identities ["aaa" "zzz"]' },
  ])('$req with $config.defaultBundleName/$config.defaultAllBundlesName → $want', ({ req, config, want }) => {
    expect(names(resolveSdsResources(req, upd, config))).toEqual(want);
  });

  it('all mode (no names) returns own TD, federated TDs, then every identity', () => {
    expect(names(resolveSdsResources([], upd, DEFAULT_SDS_CONFIG))).toEqual(['spiffe://east.local', 'spiffe://west.local', 'spiffe://east.local/shop', 'spiffe://east.local/ns/shop/sa/app']);
  });

  it('`default` is the lowest entry ID; without an identity it is unauthorised', () => {
    const r = resolveSdsResources(['default'], upd, DEFAULT_SDS_CONFIG);
    expect(r.ok && r.value[0]!.name).toBe('default');
    expect(r.ok && 'tls_certificate' in r.value[0]! && r.value[0].tls_certificate.certificate_chain.inline_bytes).toContain('BEGIN CERTIFICATE');
    expect(upd.identities[0]!.entry.id).toBe('east.1');
    expect(names(resolveSdsResources(['default', 'ROOTCA'], noIdentity, DEFAULT_SDS_CONFIG))).toBe('InvalidArgument: workload is not authorized for the requested identities ["default"]');
    expect(names(resolveSdsResources(['ROOTCA'], noIdentity, DEFAULT_SDS_CONFIG))).toEqual(['ROOTCA']);
  });
});

describe('SDS secret shapes (§4.3)', () => {
  it('tls_certificate: chain PEM (leaf only with a self-signed CA) and a PKCS#8 key', () => {
    const r = resolveSdsResources(['default'], upd, DEFAULT_SDS_CONFIG);
    const s = r.ok ? r.value[0]! : undefined;
    expect(s && 'tls_certificate' in s).toBe(true);
    if (!s || !('tls_certificate' in s)) return;
    const chain = decodePem(s.tls_certificate.certificate_chain.inline_bytes);
    expect(chain.ok && chain.value.map((b) => b.type)).toEqual(['CERTIFICATE']);
    expect(s.tls_certificate.private_key.inline_bytes.startsWith('-----BEGIN PRIVATE KEY-----\n')).toBe(true);
    expect(s['@type']).toBe('type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret');
  });

  it('SPIFFE validator by default: ROOTCA = own TD only; the all-bundles secret lists own + F sorted by name', () => {
    const rootca = resolveSdsResources(['ROOTCA'], upd, DEFAULT_SDS_CONFIG);
    expect(rootca.ok && tds(rootca.value[0]!)).toEqual(['east.local']);
    const istio = resolveSdsResources(['ROOTCA'], upd, ISTIO);
    expect(istio.ok && istio.value[0]).toMatchObject({
      name: 'ROOTCA',
      validation_context: { custom_validator_config: { name: 'envoy.tls.cert_validator.spiffe', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.SPIFFECertValidatorConfig' } } },
    });
    expect(istio.ok && tds(istio.value[0]!)).toEqual(['east.local', 'west.local']);
    expect(istio.ok && 'trusted_ca' in (istio.value[0] as ValidationContextSecret).validation_context).toBe(false);
  });

  it('plain trusted_ca when validation is disabled (config or node metadata, which wins) or Envoy < 1.18; ALL then fails Internal', () => {
    const off: SdsConfig = { ...ISTIO, disableSpiffeCertValidation: true };
    expect(names(resolveSdsResources(['ROOTCA'], upd, off))).toBe('Internal: unable to use "SPIFFE validator" on Envoy below 1.17');
    const one = resolveSdsResources(['null'], upd, off);
    expect(one.ok && one.value[0]).toMatchObject({ name: 'null', validation_context: { trusted_ca: { inline_bytes: expect.stringContaining('BEGIN CERTIFICATE') } } });
    expect(names(resolveSdsResources(['ROOTCA'], upd, off, { metadata: { disable_spiffe_cert_validation: 'false' } }))).toEqual(['ROOTCA']);
    expect(names(resolveSdsResources(['ROOTCA'], upd, ISTIO, { metadata: { disable_spiffe_cert_validation: true } }))).toBe('Internal: unable to use "SPIFFE validator" on Envoy below 1.17');
    expect(names(resolveSdsResources(['ROOTCA'], upd, ISTIO, { metadata: { disable_spiffe_cert_validation: 'maybe' } }))).toEqual(['ROOTCA']);
    expect(names(resolveSdsResources(['ROOTCA'], upd, ISTIO, { userAgentBuildVersion: { major: 1, minor: 17 } }))).toBe('Internal: unable to use "SPIFFE validator" on Envoy below 1.17');
    expect(names(resolveSdsResources(['ROOTCA'], upd, ISTIO, { userAgentBuildVersion: { major: 1, minor: 18 } }))).toEqual(['ROOTCA']);
  });

  it('FetchSecrets: same resolution, empty version and nonce', () => {
    expect(fetchSecrets({ resourceNames: ['default'] }, upd, DEFAULT_SDS_CONFIG)).toMatchObject({ ok: true, value: { version_info: '', nonce: '' } });
  });
});

describe('SDS StreamSecrets (§4.5)', () => {
  const typeUrl = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret';

  it('answers the first request with version 1, pushes on updates, ignores stale nonces and ACKs', () => {
    const logs: string[] = [];
    const s = new SdsStream({ config: ISTIO, rng: new Rng('nonces'), log: (_l, msg) => logs.push(msg) });
    expect(s.update(upd)).toEqual({});
    const r1 = s.request({ resourceNames: ['default'], typeUrl, node: { id: 'sidecar~10.0.0.5~app' } }).response!;
    expect(r1.version_info).toBe('1');
    expect(r1.nonce).toMatch(/^[0-9a-f]{8}$/);
    expect(r1.resources.map((x) => x.name)).toEqual(['default']);
    // ACK: same names, no response.
    expect(s.request({ resourceNames: ['default'], typeUrl, versionInfo: '1', responseNonce: r1.nonce })).toEqual({});
    // A new name set → response, same version.
    const r2 = s.request({ resourceNames: ['ROOTCA'], typeUrl, versionInfo: '1', responseNonce: r1.nonce }).response!;
    expect([r2.version_info, r2.resources[0]!.name]).toEqual(['1', 'ROOTCA']);
    expect(r2.nonce).not.toBe(r1.nonce);
    // Cache update → push with the last request's names and version 2.
    const r3 = s.update(upd).response!;
    expect([r3.version_info, r3.resources[0]!.name]).toEqual(['2', 'ROOTCA']);
    // Stale nonce: ignored with a warning.
    expect(s.request({ resourceNames: ['default'], typeUrl, versionInfo: '2', responseNonce: r1.nonce })).toEqual({});
    expect(logs).toContain('Received unexpected nonce; ignoring request');
    // NACK is logged, processing continues.
    s.request({ resourceNames: ['ROOTCA', 'default'], typeUrl, versionInfo: '1', responseNonce: r3.nonce, errorDetail: { message: 'bad' } });
    expect(logs).toEqual(expect.arrayContaining(['Envoy reported errors applying secrets', 'Client rejected expected version and rolled back']));
    expect(s.responses.map((r) => r.version_info)).toEqual(['1', '1', '2', '2']);
  });

  it('a request before the first update waits for it; an unauthorised name terminates the stream', () => {
    const s = new SdsStream({ config: DEFAULT_SDS_CONFIG, rng: new Rng('n2') });
    expect(s.request({ resourceNames: ['default', 'ROOTCA'], typeUrl })).toEqual({});
    expect(s.update(noIdentity).error?.message).toBe('workload is not authorized for the requested identities ["default"]');
    expect(s.closed?.code).toBe('spire/invalid-argument');
    expect(s.update(upd).error?.code).toBe('spire/invalid-argument');
  });
});
