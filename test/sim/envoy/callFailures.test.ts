// The server side of a call (its access log, its listener's SSL stats) and the failed stages a call's
// trace carries (callFailures): what M02, M08 and M14 point at.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../sim/core/rng.ts';
import { callThroughSidecar, type Dataplane, type Workload } from '../../../sim/envoy/call.ts';
import { callFailures } from '../../../sim/envoy/callFailures.ts';
import { clusterName, sniName, type ClusterConfig, type RbacPolicy } from '../../../sim/envoy/config.ts';
import { SignatureVerifier } from '../../../sim/pki/index.ts';
import { ca, HOST, NOW, proxy, svid } from './fixtures.ts';

/** east's curl → helloworld-v2 (west's SVID), one direct endpoint, no retry target but itself. */
async function world(opts: { serverTrustDomains?: string[]; clientRoots?: string[]; rbac?: RbacPolicy[] } = {}) {
  const east = await ca('east.local');
  const west = await ca('west.local');
  const bundles = new Map([['east.local', [east.cert]], ['west.local', [west.cert]]]);
  const serverLog: string[] = [];
  const server = proxy({ pod: 'helloworld-v2', cluster: 'west', ip: '10.20.0.7' }, await svid(west, 'spiffe://west.local/ns/default/sa/default'), bundles, { inbound: { trustDomains: opts.serverTrustDomains ?? ['west.local', 'east.local'], mtls: 'PERMISSIVE', rbac: opts.rbac ?? [] } }, serverLog);
  const sni = sniName(5000, HOST);
  const cluster: ClusterConfig = { name: clusterName(5000, HOST), host: HOST, port: 5000, protocol: 'HTTP', meshExternal: false, endpoints: [{ address: '10.20.0.7', port: 5000, network: 'net', tlsMode: 'istio', weight: 1 }], defaultTls: { mode: 'ISTIO_MUTUAL', sni, sans: [] }, notes: [] };
  const roots = new Map([...bundles].filter(([td]) => (opts.clientRoots ?? ['east.local', 'west.local']).includes(td)));
  const client = proxy({ pod: 'curl-1' }, await svid(east, 'spiffe://east.local/ns/default/sa/curl'), roots, { clusters: new Map([[`${HOST}:5000`, cluster]]) }, []);
  const workload: Workload = { cluster: 'west', namespace: 'default', pod: 'helloworld-v2', ip: '10.20.0.7', proxy: server, app: () => ({ status: 200, body: 'Hello version: v2, instance: helloworld-v2\n', headers: {} }) };
  const dp: Dataplane = { now: () => NOW, verifier: new SignatureVerifier(crypto), rng: new Rng(3), dial: () => ({ kind: 'workload', workload }) };
  const call = () => callThroughSidecar(dp, client, { method: 'GET', host: HOST, authority: 'helloworld:5000', port: 5000, path: '/hello', userAgent: 'curl/8.16.0' });
  return { call, server, serverLog };
}

const denyAllButPrefixed: RbacPolicy = {
  namespace: 'default', name: 'allow-curl-from-east', action: 'ALLOW', source: { kind: 'AuthorizationPolicy', namespace: 'default', name: 'allow-curl-from-east' },
  rules: [{ principals: [{ exact: 'spiffe://spiffe://east.local/ns/default/sa/curl' }], notPrincipals: [], paths: [], methods: [], ports: [] }],
};

describe('the server side of a call', () => {
  it('logs a served request in the server sidecar\'s access log, with the client\'s SNI', async () => {
    const { call, serverLog } = await world();
    expect((await call()).response.status).toBe(200);
    expect(serverLog).toHaveLength(1);
    expect(serverLog[0]).toMatch(new RegExp(`"GET /hello HTTP/1\\.1" 200 - via_upstream .* "10\\.20\\.0\\.7:5000" inbound\\|5000\\|\\| 127\\.0\\.0\\.6:\\d+ 10\\.20\\.0\\.7:5000 10\\.10\\.0\\.9:\\d+ ${sniName(5000, HOST).replace(/[.|]/g, '\\$&')} default$`));
  });

  it('logs an RBAC denial (403, matched policy none) on the server, where the 403 comes from', async () => {
    const { call, serverLog } = await world({ rbac: [denyAllButPrefixed] });
    const trace = await call();
    expect(trace.response).toMatchObject({ status: 403, body: 'RBAC: access denied' });
    expect(serverLog[0]).toContain('"GET /hello HTTP/1.1" 403 - rbac_access_denied_matched_policy[none] - "-" 0 19 0 - "-" "curl/8.16.0" "-" "helloworld:5000" "-" inbound|5000|| - 10.20.0.7:5000');
    expect(callFailures(trace)).toEqual([expect.stringMatching(/^rbac: helloworld-v2: no ALLOW rule of default\/allow-curl-from-east matches principal spiffe:\/\/east\.local\/ns\/default\/sa\/curl$/)]);
  });

  it('a trust domain the server does not accept fails its SAN match: listener fail_verify_san, one failure per attempt', async () => {
    const { call, server, serverLog } = await world({ serverTrustDomains: ['west.local'] });
    const trace = await call();
    expect(trace.response.status).toBe(503);
    expect(server.stats.get('listener.0.0.0.0_15006.ssl.fail_verify_san')).toBe(trace.attempts.length);
    expect(server.stats.has('listener.0.0.0.0_15006.ssl.fail_verify_error')).toBe(false);
    expect(serverLog).toEqual([]);
    const failures = callFailures(trace);
    expect(failures).toHaveLength(trace.attempts.length);
    expect(failures[0]).toBe('server-tls: helloworld-v2 rejects client spiffe://east.local/ns/default/sa/curl: verify cert failed: SAN match (accepted trust domains: west.local)');
  });

  it('a client without the peer\'s bundle fails with no trust bundle store, in its own trace', async () => {
    const { call } = await world({ clientRoots: ['east.local'] });
    const trace = await call();
    expect(trace.response.body).toContain('CERTIFICATE_VERIFY_FAILED');
    expect(callFailures(trace)[0]).toMatch(/^client-tls: curl-1 rejects helloworld-v2's certificate spiffe:\/\/west\.local\/ns\/default\/sa\/default: verify cert failed: no trust bundle store/);
  });
});
