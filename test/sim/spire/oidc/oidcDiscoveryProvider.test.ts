import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../sim/core/clock.ts';
import { err, ok, unwrap, type Result } from '../../../../sim/core/result.ts';
import { JwtBundle, trustDomainFromString, type PublicJwk } from '../../../../sim/spiffe/index.ts';
import { grpcError, type AgentError } from '../../../../sim/spire/agent/grpcStatus.ts';
import { dialWorkloadApi } from '../../../../sim/spire/agent/workloadApi.ts';
import { OidcDiscoveryProvider } from '../../../../sim/spire/oidc/oidcDiscoveryProvider.ts';
import type { JwtBundlesResponse, WorkloadApiEndpoint } from '../../../../sim/spire/agent/workloadApi.ts';
import { renderOidcConf } from '../../../../sim/spire/ztwim/configs.ts';

const NS = 'zero-trust-workload-identity-manager';
const HOST = 'oidc-discovery.apps.cluster1.example.com';
const TD = 'apps.cluster1.example.com';
const CONF = renderOidcConf({ jwtIssuer: `https://${HOST}` }, TD, NS);
// Seed 000 step 6b's path: the agent socket renamed to `socket` (step 6).
const FIXED_CONF = CONF.replace('/spiffe-workload-api/spire-agent.sock', '/spiffe-workload-api/socket');
const START = Date.parse('2026-01-15T09:00:00Z');

const b64url = (hex: string) => Buffer.from(hex, 'hex').toString('base64url');
// The P-256 base point: a valid EC public key.
const KEY: PublicJwk = {
  kty: 'EC',
  crv: 'P-256',
  x: b64url('6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296'),
  y: b64url('4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5'),
};
const bundle = (td: string, kid = 'kid-1') => JwtBundle.of(unwrap(trustDomainFromString(td)), new Map([[kid, KEY]]));

/** A Workload API endpoint whose FetchJWTBundles answers `answer()` at once. */
function endpoint(answer: () => Result<JwtBundlesResponse, AgentError>): WorkloadApiEndpoint {
  return { watchX509Svid: () => ({ cancel() {} }), watchX509Bundles: () => ({ cancel() {} }), watchJwtBundles: (on) => (on(answer()), { cancel() {} }) };
}

function provider(conf: string, dial: (path: string) => Result<WorkloadApiEndpoint, AgentError>, version?: string) {
  const clock = new VirtualClock(START);
  const lines: string[] = [];
  const dialled: string[] = [];
  const p = new OidcDiscoveryProvider({
    clock,
    log: (l) => lines.push(l),
    configText: conf,
    configPath: '/run/spire/oidc/config/oidc-discovery-provider.conf',
    dial: (path) => (dialled.push(path), dial(path)),
    ...(version ? { version } : {}),
  });
  return { p, clock, lines, dialled };
}

const socketAt = (good: string, ep: WorkloadApiEndpoint) => (path: string) => dialWorkloadApi(path, path === good ? { state: 'listening' as const, endpoint: ep } : undefined);

describe('OidcDiscoveryProvider serving keys from the Workload API', () => {
  const ep = endpoint(() => ok({ bundles: { [`spiffe://${TD}`]: bundle(TD) } }));

  it('starts with the serving-cert lines and serves the JWKS of its trust domain', () => {
    const { p, lines, dialled } = provider(FIXED_CONF, socketAt('/spiffe-workload-api/socket', ep));
    expect(p.start().ok).toBe(true);
    expect(lines).toEqual([
      'time="2026-01-15T09:00:00Z" level=info msg="Started watching certificate files" interval=1m0s',
      'time="2026-01-15T09:00:00Z" level=info msg="Serving HTTPS using certificate loaded from disk" address=/etc/oidc/tls/tls.key cert_file_path=/etc/oidc/tls/tls.crt',
    ]);
    expect(dialled).toEqual(['/spiffe-workload-api/socket']);
    const r = p.serve('GET', '/keys', HOST);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['cache-control']).toBe('no-cache, no-store, must-revalidate');
    expect(r.headers['last-modified']).toBe('Thu, 15 Jan 2026 09:00:00 GMT');
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    expect(r.body).toBe(`{
  "keys": [
    {
      "kty": "EC",
      "kid": "kid-1",
      "crv": "P-256",
      "alg": "ES256",
      "x": "${KEY.kty === 'EC' ? KEY.x : ''}",
      "y": "${KEY.kty === 'EC' ? KEY.y : ''}"
    }
  ]
}`);
    expect(p.ready()).toBe(true);
  });

  it('serves the discovery document for an allowed host, and refuses other hosts with 400', () => {
    const { p } = provider(FIXED_CONF, socketAt('/spiffe-workload-api/socket', ep));
    p.start();
    const doc = p.serve('GET', '/.well-known/openid-configuration', HOST);
    expect(doc.status).toBe(200);
    expect(doc.body).toBe(`{
  "issuer": "https://${HOST}",
  "jwks_uri": "https://${HOST}/keys",
  "authorization_endpoint": "",
  "response_types_supported": [
    "id_token"
  ],
  "subject_types_supported": [
    "public"
  ],
  "id_token_signing_alg_values_supported": [
    "RS256",
    "ES256",
    "ES384"
  ]
}`);
    // In-cluster name with a port: the domain part is checked.
    expect(p.serve('GET', '/.well-known/openid-configuration', `spire-spiffe-oidc-discovery-provider.${NS}.svc.cluster.local:443`).status).toBe(200);
    const bad = p.serve('GET', '/.well-known/openid-configuration', '10.128.0.15:8443');
    expect(bad).toEqual({ status: 400, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' }, body: 'domain "10.128.0.15" is not allowed\n' });
    expect(p.serve('GET', '/.well-known/openid-configuration', 'OIDC-Discovery.apps.cluster1.example.com').body).toBe('domain "OIDC-Discovery.apps.cluster1.example.com" must already be punycode encoded\n');
    // X-Forwarded-Host (gorilla ProxyHeaders) decides, not the Host.
    expect(p.serve('GET', '/.well-known/openid-configuration', '10.128.0.15:8443', { headers: { 'x-forwarded-host': HOST } }).status).toBe(200);
    // /keys has no domain check.
    expect(p.serve('GET', '/keys', 'anything.example').status).toBe(200);
    expect(p.serve('POST', '/keys', HOST)).toMatchObject({ status: 405, body: 'method not allowed\n' });
    expect(p.serve('GET', '/keys/', HOST)).toMatchObject({ status: 404, body: '404 page not found\n' });
  });

  it('adds the CORS header from SPIRE 1.14 on, and answers 501 for an empty key set', () => {
    const empty = endpoint(() => ok({ bundles: { [`spiffe://${TD}`]: JwtBundle.of(unwrap(trustDomainFromString(TD))) } }));
    const { p } = provider(FIXED_CONF, socketAt('/spiffe-workload-api/socket', empty), '1.14.1');
    p.start();
    const r = p.serve('GET', '/keys', HOST);
    expect(r.status).toBe(501);
    expect(r.body).toBe('jwt not supported/enabled in this service\n');
    expect(p.serve('GET', '/.well-known/openid-configuration', HOST).headers['access-control-allow-origin']).toBe('*');
  });

  it('logs an error when the response has no bundle for its trust domain', () => {
    const other = endpoint(() => ok({ bundles: { 'spiffe://other.example': bundle('other.example') } }));
    const { p, lines } = provider(FIXED_CONF, socketAt('/spiffe-workload-api/socket', other));
    p.start();
    expect(lines.at(-1)).toBe(`time="2026-01-15T09:00:00Z" level=error msg="No bundle for trust domain in Workload API response" trust_domain_id="spiffe://${TD}"`);
    expect(p.serve('GET', '/keys', HOST).status).toBe(500);
  });
});

describe('OidcDiscoveryProvider with the wrong workload socket path (S16)', () => {
  const ep = endpoint(() => ok({ bundles: { [`spiffe://${TD}`]: bundle(TD) } }));
  const WARN = (t: string) =>
    `time="${t}" level=warning msg="Failed to fetch JWKS from the Workload API" error="rpc error: code = Unavailable desc = connection error: desc = \\"transport: Error while dialing: dial unix /spiffe-workload-api/spire-agent.sock: connect: no such file or directory\\""`;

  it('logs the dial error on every poll, 10 s apart, and /keys answers 500 "document not available"', () => {
    // The agent's socket is now `socket` in the CSI mount; the operator's config still says spire-agent.sock.
    const { p, clock, lines } = provider(CONF, socketAt('/spiffe-workload-api/socket', ep));
    expect(p.start().ok).toBe(true);
    clock.advance(25_000);
    expect(lines.filter((l) => l.includes('level=warning'))).toEqual([WARN('2026-01-15T09:00:00Z'), WARN('2026-01-15T09:00:10Z'), WARN('2026-01-15T09:00:20Z')]);
    expect(p.serve('GET', '/keys', HOST)).toEqual({ status: 500, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' }, body: 'document not available\n' });
    // The discovery document does not need keys.
    expect(p.serve('GET', '/.well-known/openid-configuration', HOST).status).toBe(200);
  });

  it('is never Ready, and its liveness check fails once 3 minutes pass without a key set', () => {
    const { p, clock } = provider(CONF, socketAt('/spiffe-workload-api/socket', ep));
    p.start();
    expect(p.ready()).toBe(false);
    expect(p.serveHealth('GET', '/ready').status).toBe(500);
    clock.advance(179_000);
    expect(p.live()).toBe(true);
    clock.advance(1_000);
    expect(p.live()).toBe(false);
    expect(p.serveHealth('GET', '/live').status).toBe(500);
  });

  it('recovers with the right socket path (seed 000 step 6b)', () => {
    const { p, lines } = provider(FIXED_CONF, socketAt('/spiffe-workload-api/socket', ep));
    p.start();
    expect(lines.some((l) => l.includes('Failed to fetch JWKS'))).toBe(false);
    expect(p.serve('GET', '/keys', HOST).status).toBe(200);
  });

  it('logs PermissionDenied when the provider has no identity', () => {
    const denied = endpoint(() => err(grpcError('permission-denied', 'no identity issued')));
    const a = provider(FIXED_CONF, socketAt('/spiffe-workload-api/socket', denied));
    a.p.start();
    expect(a.lines.at(-1)).toContain('level=warning msg="Failed to fetch JWKS from the Workload API" error="rpc error: code = PermissionDenied desc = no identity issued"');
  });

  it('stops polling when stopped', () => {
    const { p, clock, lines } = provider(CONF, socketAt('/spiffe-workload-api/socket', ep));
    p.start();
    p.stop();
    clock.advance(60_000);
    expect(lines.filter((l) => l.includes('level=warning'))).toHaveLength(1);
    expect(p.serve('GET', '/keys', HOST).status).toBe(0);
  });
});

describe('OidcDiscoveryProvider startup errors', () => {
  const dial = () => err(grpcError('unavailable', 'x'));
  it('exits 1 with the config error on stderr', () => {
    const { p, lines } = provider('{"domains": []}', dial);
    const r = p.start();
    expect(r.ok ? '' : r.error.message).toBe('at least one domain must be configured');
    expect(p.exitCode).toBe(1);
    expect(lines).toEqual(['at least one domain must be configured']);
  });
  it('refuses an invalid log level and a configured domain that is not in punycode form', () => {
    const lvl = provider(CONF.replace('"log_level": "info"', '"log_level": "verbose"'), dial);
    expect(lvl.p.start()).toMatchObject({ ok: false, error: { message: 'not a valid logrus Level: "verbose"' } });
    const dom = provider(CONF.replace(`"${HOST}"`, '"OIDC.example.com"'), dial);
    expect(dom.p.start()).toMatchObject({ ok: false, error: { message: 'domain "OIDC.example.com" must already be punycode encoded' } });
  });
  it('logs JSON with log_format json, and debug lines only at debug level', () => {
    const { p, lines } = provider(CONF.replace('"log_format": "text"', '"log_format": "json"').replace('"log_level": "info"', '"log_level": "debug"'), dial);
    p.start();
    expect(lines).toContain('{"interval":"10s","level":"debug","msg":"Polling started","time":"2026-01-15T09:00:00Z"}');
    expect(lines.at(-1)).toBe('{"error":"rpc error: code = Unavailable desc = x","level":"warning","msg":"Failed to fetch JWKS from the Workload API","time":"2026-01-15T09:00:00Z"}');
  });
});
