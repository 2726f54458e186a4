import { describe, expect, it } from 'vitest';
import { parseOidcProviderConfig } from '../../../../sim/spire/oidc/config.ts';
import { renderOidcConf } from '../../../../sim/spire/ztwim/configs.ts';

const NS = 'zero-trust-workload-identity-manager';
const ZTWIM_CONF = renderOidcConf({ jwtIssuer: 'https://oidc-discovery.apps.cluster1.example.com' }, 'apps.cluster1.example.com', NS);

const HCL = (body: string) => `domains = ["oidc.example.org"]
insecure_addr = ":8080"
${body}
`;

const error = (text: string) => {
  const r = parseOidcProviderConfig(text, 'oidc-discovery-provider.conf');
  return r.ok ? undefined : r.error.message;
};

describe('parseOidcProviderConfig', () => {
  it('reads the JSON the ZTWIM operator renders (bind_port as a string, defaults filled in)', () => {
    const r = parseOidcProviderConfig(ZTWIM_CONF, '/run/spire/oidc/config/oidc-discovery-provider.conf');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const c = r.value.config;
    expect(c.domains).toEqual([
      'spire-spiffe-oidc-discovery-provider',
      `spire-spiffe-oidc-discovery-provider.${NS}`,
      `spire-spiffe-oidc-discovery-provider.${NS}.svc.cluster.local`,
      'oidc-discovery.apps.cluster1.example.com',
    ]);
    expect(c.workloadApi).toEqual({ socketPath: '/spiffe-workload-api/spire-agent.sock', trustDomain: 'apps.cluster1.example.com', pollIntervalMs: 10_000 });
    expect(c.healthChecks).toEqual({ bindPort: 8008, livePath: '/live', readyPath: '/ready' });
    expect(c.servingCertFile).toEqual({ certFilePath: '/etc/oidc/tls/tls.crt', keyFilePath: '/etc/oidc/tls/tls.key', addr: ':8443', fileSyncIntervalMs: 60_000 });
    expect(c.logLevel).toBe('info');
    expect(r.value.stdout).toBe('');
  });

  it('reads HCL: poll_interval, deduplicated domains, default log level', () => {
    const r = parseOidcProviderConfig(`domains = ["a.example", "a.example", "b.example"]
listen_socket_path = "/run/oidc/server.sock"
workload_api {
  socket_path = "/run/spire/sockets/agent.sock"
  trust_domain = "example.org"
  poll_interval = "5m"
}
`);
    expect(r.ok && r.value.config.domains).toEqual(['a.example', 'b.example']);
    expect(r.ok && r.value.config.workloadApi?.pollIntervalMs).toBe(300_000);
    expect(r.ok && r.value.config.logLevel).toBe('info');
  });

  it('prints the jwt_issuer warning to stdout when jwks_uri is not set', () => {
    const r = parseOidcProviderConfig(HCL('jwt_issuer = "https://issuer.example"\nworkload_api { socket_path = "/s" trust_domain = "td" }'));
    expect(r.ok && r.value.stdout).toContain('Warning: The jwt_issuer configuration will also affect the jwks_uri behavior');
  });

  it("fails with upstream's messages, in upstream's order", () => {
    const wl = 'workload_api {\n socket_path = "/s"\n trust_domain = "td"\n}';
    expect(error('workload_api { socket_path = "/s" trust_domain = "td" }\ninsecure_addr = ":8080"')).toBe('at least one domain must be configured');
    expect(error(HCL(''))).toBe('exactly one of the server_api, workload_api, or file sections must be configured');
    expect(error(HCL(`${wl}\nfile { path = "/b.json" }`))).toBe('the server_api, workload_api, and file sections are mutually exclusive');
    expect(error(HCL('workload_api { socket_path = "/s" }'))).toBe('trust_domain must be configured in the workload_api configuration section');
    expect(error(HCL('workload_api { trust_domain = "td" }'))).toBe('socket_path must be configured in the workload_api configuration section');
    expect(error(HCL('workload_api { socket_path = "/s" trust_domain = "td" poll_interval = "10" }'))).toBe(
      'invalid poll_interval in the workload_api configuration section: time: missing unit in duration "10"',
    );
    expect(error(HCL('server_api { address = "/tmp/spire-server/private/api.sock" }'))).toBe('address must use the unix name system in the server_api configuration section');
    expect(error(`domains = ["a"]\n${wl}`)).toBe('either acme, serving_cert_file, insecure_addr or listen_socket_path must be configured');
    expect(error(HCL(`${wl}\nserving_cert_file { cert_file_path = "/c" key_file_path = "/k" }`))).toBe('serving_cert_file and insecure_addr are mutually exclusive');
    expect(error(`domains = ["a"]\nserving_cert_file { key_file_path = "/k" }\n${wl}`)).toBe('cert_file_path must be configured in the serving_cert_file configuration section');
    expect(error(`domains = ["a"]\nserving_cert_file {\n cert_file_path = "/c"\n key_file_path = "/k"\n addr = "8443"\n}\n${wl}`)).toBe(
      'invalid addr in the serving_cert_file configuration section: address 8443: missing port in address',
    );
    expect(error(`domains = ["a"]\nacme { email = "x@y" }\nlisten_socket_path = "/s.sock"\n${wl}`)).toBe('tos_accepted must be set to true in the acme configuration section');
    expect(error(HCL(`${wl}\njwt_issuer = "oidc.example.org"`))).toBe('the jwt_issuer url must contain a scheme');
  });

  it('reports decode errors with the "unable to decode configuration" prefix', () => {
    expect(error('domains = [\n')).toMatch(/^unable to decode configuration: At \d+:\d+: /);
    expect(error(HCL('domains = "oidc.example.org"'))).toBe('unable to decode configuration: unknown slice type: *ast.LiteralType');
  });
});
