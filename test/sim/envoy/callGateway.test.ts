// Gateway chains that are not AUTO_PASSTHROUGH (call.ts terminatingGateway, server_names matching):
// a terminating east-west gateway presents its own certificate (ISTIO_MUTUAL: SDS `default`; SIMPLE: the
// credentialName Secret's), so the client's SAN check meets the gateway's identity (catalogue M05).
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../sim/core/rng.ts';
import { callThroughSidecar, serverNameMatches, type Dataplane, type Reach, type Workload } from '../../../sim/envoy/call.ts';
import { clusterName, sniName, type ClusterConfig, type GatewayChain, type ProxyConfig } from '../../../sim/envoy/config.ts';
import type { Proxy } from '../../../sim/envoy/proxy.ts';
import { SignatureVerifier, type Certificate } from '../../../sim/pki/index.ts';
import { ca, HOST, NOW, proxy, svid } from './fixtures.ts';

async function world(chain: Omit<GatewayChain, 'endpoints' | 'cluster'>, mode: ProxyConfig['listeners'][number]['mode'], sans: string[], credential?: Certificate[]) {
  const east = await ca('east.local');
  const west = await ca('west.local');
  const bundles = new Map([['east.local', [east.cert]], ['west.local', [west.cert]]]);
  const v2 = proxy({ pod: 'helloworld-v2', cluster: 'west', ip: '10.20.0.7', network: 'west-network' }, await svid(west, 'spiffe://west.local/ns/default/sa/default'), bundles);
  const v2Ep = { address: '10.20.0.7', port: 5000, network: 'west-network', tlsMode: 'istio' as const, weight: 1 };
  const gwCluster: ClusterConfig = { name: clusterName(5000, HOST), host: HOST, port: 5000, protocol: 'HTTP', meshExternal: false, endpoints: [v2Ep], defaultTls: { mode: 'ISTIO_MUTUAL', sni: sniName(5000, HOST), sans: ['spiffe://west.local/ns/default/sa/default'] }, notes: [] };
  const gw = proxy({ pod: 'istio-eastwestgateway', cluster: 'west', ip: '10.20.0.2', network: 'west-network', type: 'router', namespace: 'istio-system' }, await svid(west, 'spiffe://west.local/ns/istio-system/sa/gw'), bundles, {
    clusters: new Map([[`${HOST}:5000`, gwCluster]]),
    listeners: [{ port: 15443, mode, hosts: ['*.local'], chains: [{ ...chain, cluster: clusterName(5000, HOST), endpoints: [v2Ep] }], source: { kind: 'Gateway', name: 'cross-network-gateway' } }],
  });
  const eps = [{ address: '198.51.101.2', port: 15443, network: 'west-network', tlsMode: 'istio' as const, gateway: { network: 'west-network', cluster: 'west', stands: 1 }, weight: 1 }];
  const cluster: ClusterConfig = { name: clusterName(5000, HOST), host: HOST, port: 5000, protocol: 'HTTP', meshExternal: false, endpoints: eps, defaultTls: { mode: 'ISTIO_MUTUAL', sni: sniName(5000, HOST), sans }, notes: [] };
  const client = proxy({ pod: 'curl' }, await svid(east, 'spiffe://east.local/ns/default/sa/curl'), bundles, { clusters: new Map([[`${HOST}:5000`, cluster]]) });
  const workload = (p: Proxy): Workload => ({ cluster: p.id.cluster, namespace: 'default', pod: p.id.pod, ip: p.id.ip, proxy: p, app: (port) => (port === 5000 ? { status: 200, body: `Hello version: v2, instance: ${p.id.pod}\n`, headers: {} } : undefined) });
  const dp: Dataplane = {
    now: () => NOW,
    verifier: new SignatureVerifier(crypto),
    rng: new Rng(7),
    dial: (from, ip): Reach => (ip === '198.51.101.2' ? { kind: 'gateway', proxy: gw, address: ip } : ip === '10.20.0.7' && from === 'west' ? { kind: 'workload', workload: workload(v2) } : { kind: 'timeout' }),
    credential: () => credential,
  };
  return () => callThroughSidecar(dp, client, { method: 'GET', host: HOST, authority: 'helloworld:5000', port: 5000, path: '/hello', userAgent: 'curl/8.16.0' });
}

const WORKLOAD_SANS = ['spiffe://east.local/ns/default/sa/default', 'spiffe://west.local/ns/default/sa/default'];

describe('a gateway that terminates TLS', () => {
  it('ISTIO_MUTUAL: the client verifies the gateway\'s own SVID and fails the SAN match', async () => {
    const call = await world({ sni: '*.local', terminate: { mode: 'ISTIO_MUTUAL' }, destination: { host: HOST, port: 5000 } }, 'ISTIO_MUTUAL', WORKLOAD_SANS);
    const t = await call();
    expect(t.response.status).toBe(503);
    expect(t.response.body).toContain('CERTIFICATE_VERIFY_FAILED');
    const tls = t.attempts.at(-1)!.stages.find((s) => s.stage === 'client-tls')!;
    expect(tls.detail).toContain('spiffe://west.local/ns/istio-system/sa/gw');
  });

  it('a client that accepts the gateway identity is answered through the gateway\'s own mTLS to the workload', async () => {
    const call = await world({ sni: '*.local', terminate: { mode: 'ISTIO_MUTUAL' }, destination: { host: HOST, port: 5000 } }, 'ISTIO_MUTUAL', ['spiffe://west.local/ns/istio-system/sa/gw']);
    const t = await call();
    expect(t.response.body).toContain('Hello version: v2');
    expect(t.attempts.at(-1)!.stages.filter((s) => s.stage === 'client-tls').length).toBe(2);
  });

  it('SIMPLE presents the credentialName certificate; without a readable Secret the handshake is reset', async () => {
    const other = await ca('other.example');
    const cred = await svid(other, 'spiffe://other.example/gw');
    const t = await (await world({ sni: '*.local', terminate: { mode: 'SIMPLE', credentialName: 'gw-cert' }, destination: { host: HOST, port: 5000 } }, 'SIMPLE', WORKLOAD_SANS, cred))();
    expect(t.response.body).toContain('CERTIFICATE_VERIFY_FAILED');
    const none = await (await world({ sni: '*.local', terminate: { mode: 'SIMPLE', credentialName: 'gw-cert' }, destination: { host: HOST, port: 5000 } }, 'SIMPLE', WORKLOAD_SANS))();
    expect(none.response.body).toContain('Connection reset by peer');
  });

  it('PASSTHROUGH routes only the VirtualService\'s SNI hosts: the sidecar\'s outbound_ SNI finds no chain', async () => {
    const t = await (await world({ sni: HOST, destination: { host: HOST, port: 5000 } }, 'PASSTHROUGH', WORKLOAD_SANS))();
    expect(t.response.body).toContain('Connection reset by peer');
    expect(serverNameMatches('*.local', sniName(5000, HOST))).toBe(true);
    expect(serverNameMatches(HOST, sniName(5000, HOST))).toBe(false);
  });
});
