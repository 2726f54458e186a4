import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { unwrap } from '../../../../sim/core/result.ts';
import { parseServerConfig } from '../../../../sim/spire/server/config.ts';
import { serverConf } from './helpers.ts';

const PLUGINS = 'plugins { KeyManager "memory" { plugin_data {} } }';
const conf = (server: string, rest = PLUGINS) => `server {\n  trust_domain = "west.local"\n  data_dir = "/d"\n${server}\n}\n${rest}\n`;
const fed = (body: string) => conf(`federation {\n${body}\n}`);
const error = (text: string): string => {
  const r = parseServerConfig(text);
  if (r.ok) throw new Error('expected an error');
  return r.error.message;
};

describe('server.conf', () => {
  it('applies SPIRE defaults', () => {
    const { config, warnings } = unwrap(parseServerConfig(conf('')));
    expect(config.trustDomain.name).toBe('west.local');
    expect(config.bindAddress).toBe('0.0.0.0');
    expect(config.bindPort).toBe(8081);
    expect(config.socketPath).toBe('/tmp/spire-server/private/api.sock');
    expect(config.caTtl).toBe(24 * 3600_000);
    expect(config.defaultX509SvidTtl).toBe(3600_000);
    expect(config.defaultJwtSvidTtl).toBe(300_000);
    expect(config.caKeyType).toBe('ec-p256');
    expect(config.jwtKeyType).toBe('ec-p256');
    expect(config.caSubject).toEqual({ country: ['US'], organization: ['SPIFFE'] });
    expect(config.bundleEndpoint).toBeUndefined();
    expect(config.federatesWith).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('required settings, key types, subject and TTL warnings', () => {
    expect(error(PLUGINS)).toBe('server section must be configured');
    expect(error('server { data_dir = "/d" }\n' + PLUGINS)).toBe('trust_domain must be configured');
    expect(error('server { trust_domain = "a.org" }\n' + PLUGINS)).toBe('data_dir must be configured');
    expect(error(conf('', ''))).toBe('plugins section must be configured');
    expect(error(conf('', PLUGINS).replace('west.local', 'West.Local'))).toBe(
      'could not parse trust_domain "West.Local": trust domain characters are limited to lowercase letters, numbers, dots, dashes, and underscores',
    );
    expect(error(conf('ca_key_type = "ec-p521"'))).toBe('error parsing ca_key_type: key type "ec-p521" is unknown; must be one of [rsa-2048, rsa-4096, ec-p256, ec-p384]');
    const rsa = unwrap(parseServerConfig(conf('ca_key_type = "RSA-2048"\njwt_key_type = "ec-p384"'))).config;
    expect([rsa.caKeyType, rsa.jwtKeyType]).toEqual(['rsa-2048', 'ec-p384']);
    const empty = unwrap(parseServerConfig(conf('ca_subject {}')));
    expect(empty.warnings).toEqual(['ca_subject configurable is set but empty; the default will be used']);
    expect(empty.config.caSubject).toEqual({ country: ['US'], organization: ['SPIFFE'] });
    const ttl = unwrap(parseServerConfig(conf('default_x509_svid_ttl = "6h"')));
    expect(ttl.warnings).toEqual([
      'default_x509_svid_ttl is too high for the configured ca_ttl value. SVIDs with shorter lifetimes may be issued. Please set default_x509_svid_ttl to 4h or less, or the ca_ttl to 36h or more, to guarantee the full default_x509_svid_ttl lifetime when CA rotations are scheduled.',
    ]);
    const long = unwrap(parseServerConfig(conf('', PLUGINS).replace('west.local', `${'a'.repeat(256)}`)));
    expect(long.warnings[0]).toMatch(/^Configured trust domain name should be less than 255 characters/);
  });

  it('unknown keys are fatal: unknown configuration detected', () => {
    const r = parseServerConfig(conf('trust_domian = "typo"'));
    expect(!r.ok && r.error.message).toBe('unknown configuration detected');
    expect(!r.ok && r.error.detail).toEqual({ unknown: [{ section: 'server', keys: 'trust_domian' }] });
    expect(error(fed('bundle_endpoint {\n port = 8443\n refesh_hint = "1m"\n profile "https_spiffe" {}\n}'))).toBe('unknown configuration detected');
  });

  it('bundle endpoint: defaults, profile rules and hint warnings', () => {
    const noProfile = unwrap(parseServerConfig(fed('bundle_endpoint {\n address = "0.0.0.0"\n port = 8443\n}')));
    expect(noProfile.config.bundleEndpoint).toEqual({ address: '0.0.0.0', port: 8443, refreshHint: 300_000, profile: 'https_spiffe' });
    expect(noProfile.warnings).toEqual([
      'Bundle endpoint is configured but has no profile set, using https_spiffe as default; please configure a profile explicitly. This will be fatal in a future release.',
    ]);
    expect(unwrap(parseServerConfig(fed('bundle_endpoint {\n port = 8443\n refresh_hint = "30s"\n profile "https_spiffe" {}\n}'))).warnings).toEqual([
      'Bundle endpoint refresh hint set too low. SPIRE will not refresh more often than 1 minute',
    ]);
    expect(unwrap(parseServerConfig(fed('bundle_endpoint {\n port = 8443\n refresh_hint = "24h"\n profile "https_spiffe" {}\n}'))).warnings[0]).toMatch(
      /^Bundle endpoint refresh hint set to a high value\. .* e\.g\. 5m$/,
    );
    expect(error(fed('bundle_endpoint {\n refresh_hint = "soon"\n profile "https_spiffe" {}\n}'))).toBe('could not parse refresh_hint "soon": time: invalid duration "soon"');
    expect(error(fed('bundle_endpoint {\n profile "https_spiffe" {}\n profile "https_web" {}\n}'))).toBe('exactly one bundle endpoint profile is expected');
    expect(error(fed('bundle_endpoint {\n profile "https_spiffy" {}\n}'))).toBe(`unknown bundle endpoint profile configured; current supported profiles are "https_spiffe" and 'https_web"`);
    expect(error(fed('bundle_endpoint {\n profile "https_web" {}\n}'))).toBe("malformed https_web profile configuration: 'acme' or 'serving_cert_file' is required");
  });

  it('federates_with: every error of §2.1, in upstream wording', () => {
    const fw = (key: string, body: string) => fed(`federates_with "${key}" {\n${body}\n}`);
    const spiffe = 'bundle_endpoint_profile "https_spiffe" { endpoint_spiffe_id = "spiffe://east.local/spire/server" }';
    // the classic mistake: the URL as the key — SPIRE returns go-spiffe's error unwrapped (run.go NewServerConfig)
    expect(error(fw('https://east.example.com:8443', `bundle_endpoint_url = "https://east.example.com:8443"\n${spiffe}`))).toBe('scheme is missing or invalid');
    expect(error(fw('east.local:8443', `bundle_endpoint_url = "https://east.example.com:8443"\n${spiffe}`))).toBe(
      'trust domain characters are limited to lowercase letters, numbers, dots, dashes, and underscores',
    );
    expect(error(fw('east.local', spiffe))).toBe('federation.federates_with["east.local"].bundle_endpoint_url must be configured');
    expect(error(fw('east.local', `bundle_endpoint_url = "http://east:8443"\n${spiffe}`))).toBe(
      'federation.federates_with["east.local"].bundle_endpoint_url must use the HTTPS protocol; URL found: "http://east:8443"',
    );
    expect(error(fw('east.local', 'bundle_endpoint_url = "https://east:8443"'))).toBe('federation configuration for trust domain "east.local": missing bundle endpoint configuration');
    expect(error(fw('east.local', 'bundle_endpoint_url = "https://east:8443"\nbundle_endpoint_profile "https_spiffe" {}'))).toBe(
      'error parsing federation relationship for trust domain "east.local": could not get endpoint SPIFFE ID: cannot be empty',
    );
    expect(error(fw('east.local', 'bundle_endpoint_url = "https://east:8443"\nbundle_endpoint_profile "spiffe" {}'))).toBe(
      `error parsing federation relationship for trust domain "east.local": no bundle endpoint profile defined; current supported profiles are "https_spiffe" and 'https_web"`,
    );
    expect(error(fw('east.local', 'bundle_endpoint_url = "https://east:8443"\nbundle_endpoint_profile "https_web" {}\nbundle_endpoint_profile "https_spiffe" {}'))).toBe(
      'error parsing federation relationship for trust domain "east.local": exactly one bundle endpoint profile is expected',
    );
    const good = unwrap(parseServerConfig(fw('east.local', `bundle_endpoint_url = "https://east:8443"\n${spiffe}`)));
    expect(good.config.federatesWith).toEqual([
      { trustDomain: 'east.local', bundleEndpointUrl: 'https://east:8443', profile: { type: 'https_spiffe', endpointSpiffeId: 'spiffe://east.local/spire/server' } },
    ]);
  });

  it('HCL and JSON spellings give the same config', () => {
    const hcl = serverConf('west.local', 'ca_ttl = "48h"', 'federates_with "east.local" {\n bundle_endpoint_url = "https://e:8443"\n bundle_endpoint_profile "https_web" {}\n}');
    const json = JSON.stringify({
      server: {
        trust_domain: 'west.local',
        data_dir: '/run/spire/data',
        ca_ttl: '48h',
        federation: {
          bundle_endpoint: { address: '0.0.0.0', port: 8443, profile: [{ https_spiffe: {} }] },
          federates_with: { 'east.local': { bundle_endpoint_url: 'https://e:8443', bundle_endpoint_profile: [{ https_web: {} }] } },
        },
      },
      plugins: {
        DataStore: [{ sql: { plugin_data: { database_type: 'sqlite3' } } }],
        KeyManager: [{ memory: { plugin_data: {} } }],
        NodeAttestor: [{ k8s_psat: { plugin_data: { clusters: [{ west: { service_account_allow_list: ['spire:spire-agent'] } }] } } }],
      },
    });
    const a = unwrap(parseServerConfig(hcl));
    const b = unwrap(parseServerConfig(json));
    expect(b).toEqual(a);
    expect(a.config.k8sPsatClusters.west!.serviceAccountAllowList).toEqual(['spire:spire-agent']);
  });

  it("parses the chart's rendered server.conf (JSON in a ConfigMap)", () => {
    const docs = readFileSync('/work/shared/samples/helm-spire/rendered-spire-west.yaml', 'utf8').split(/^---$/m);
    const cm = docs.map((d) => parseYaml(d) as { kind?: string; data?: Record<string, string> }).find((d) => d?.kind === 'ConfigMap' && d.data?.['server.conf']);
    const { config, warnings } = unwrap(parseServerConfig(cm!.data!['server.conf']!));
    expect(config.trustDomain.name).toBe('west.local');
    expect(config.bindPort).toBe(8081);
    expect(config.caKeyType).toBe('rsa-2048');
    expect(config.jwtKeyType).toBe('rsa-2048');
    expect(config.defaultX509SvidTtl).toBe(4 * 3600_000);
    expect(config.defaultJwtSvidTtl).toBe(3600_000);
    expect(config.caSubject).toEqual({ country: ['US'], organization: ['istio.io'], commonName: 'west.local' });
    expect(config.bundleEndpoint).toEqual({ address: '0.0.0.0', port: 8443, refreshHint: 300_000, profile: 'https_spiffe' });
    expect(config.k8sPsatClusters).toEqual({ west: { serviceAccountAllowList: ['spire:spire-agent'], audience: ['spire-server'], allowedNodeLabelKeys: [], allowedPodLabelKeys: [] } });
    expect(config.plugins.map((p) => `${p.type}/${p.name}`)).toEqual(['DataStore/sql', 'KeyManager/disk', 'NodeAttestor/k8s_psat', 'Notifier/k8sbundle']);
    expect(warnings).toEqual([]);
  });

  it('HCL syntax errors name the file, line and column', () => {
    const r = parseServerConfig('server {\n  trust_domain = \n}\n', '/run/spire/config/server.conf');
    expect(!r.ok && r.error.message).toMatch(/^unable to decode configuration at "\/run\/spire\/config\/server.conf": At 3:1: /);
  });
});
