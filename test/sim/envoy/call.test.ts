import { describe, expect, it } from 'vitest';
import { Rng } from '../../../sim/core/rng.ts';
import { callThroughSidecar, type Dataplane, type Reach, type Workload } from '../../../sim/envoy/call.ts';
import { clusterName, sniName, type ClusterConfig, type EndpointConfig } from '../../../sim/envoy/config.ts';
import type { Proxy } from '../../../sim/envoy/proxy.ts';
import { SignatureVerifier } from '../../../sim/pki/index.ts';
import { ca, HOST, NOW, proxy, svid } from './fixtures.ts';

async function world(opts: { clientRoots?: string[]; sans?: string[]; gatewayHosts?: string[]; gatewayListener?: boolean; local?: boolean; meshExternal?: boolean } = {}) {
  const east = await ca('east.local');
  const west = await ca('west.local');
  const bundles = new Map([['east.local', [east.cert]], ['west.local', [west.cert]]]);
  const roots = new Map([...bundles].filter(([td]) => (opts.clientRoots ?? ['east.local', 'west.local']).includes(td)));
  const v1 = proxy({ pod: 'helloworld-v1', ip: '10.10.0.5' }, await svid(east, 'spiffe://east.local/ns/default/sa/default'), bundles);
  const v2 = proxy({ pod: 'helloworld-v2', cluster: 'west', ip: '10.20.0.7', network: 'west-network' }, await svid(west, 'spiffe://west.local/ns/default/sa/default'), bundles);
  const gwLog: string[] = [];
  const gw = proxy({ pod: 'istio-eastwestgateway', cluster: 'west', ip: '10.20.0.2', network: 'west-network', type: 'router', namespace: 'istio-system' }, await svid(west, 'spiffe://west.local/ns/istio-system/sa/gw'), bundles, {
    listeners: opts.gatewayListener === false ? [] : [{ port: 15443, mode: 'AUTO_PASSTHROUGH', hosts: opts.gatewayHosts ?? ['*.local'], chains: (opts.gatewayHosts ?? ['*.local']).includes('*.local') ? [{ sni: sniName(5000, HOST), cluster: sniName(5000, HOST), endpoints: [{ address: '10.20.0.7', port: 5000, network: 'west-network', tlsMode: 'istio', weight: 1 }] }] : [], source: { kind: 'Gateway', name: 'cross-network-gateway' } }],
  }, gwLog);
  const eps: EndpointConfig[] = [
    ...(opts.local === false ? [] : [{ address: '10.10.0.5', port: 5000, network: 'east-network', tlsMode: 'istio' as const, weight: 1 }]),
    { address: '198.51.101.2', port: 15443, network: 'west-network', tlsMode: 'istio', gateway: { network: 'west-network', cluster: 'west', stands: 1 }, weight: 1 },
  ];
  const sans = opts.sans ?? ['spiffe://east.local/ns/default/sa/default', 'spiffe://west.local/ns/default/sa/default'];
  const cluster: ClusterConfig = { name: clusterName(5000, HOST), host: HOST, port: 5000, protocol: 'HTTP', meshExternal: opts.meshExternal ?? false, endpoints: eps, defaultTls: { mode: 'ISTIO_MUTUAL', sni: sniName(5000, HOST), sans }, notes: [] };
  const client = proxy({ pod: 'curl' }, await svid(east, 'spiffe://east.local/ns/default/sa/curl'), roots, { clusters: new Map([[`${HOST}:5000`, cluster]]) });
  const workload = (p: Proxy, version: string): Workload => ({ cluster: p.id.cluster, namespace: 'default', pod: p.id.pod, ip: p.id.ip, proxy: p, app: (port) => (port === 5000 ? { status: 200, body: `Hello version: ${version}, instance: ${p.id.pod}\n`, headers: {} } : undefined) });
  const dp: Dataplane = {
    now: () => NOW,
    verifier: new SignatureVerifier(crypto),
    rng: new Rng(7),
    dial: (from, ip): Reach => {
      if (ip === '10.10.0.5') return { kind: 'workload', workload: workload(v1, 'v1') };
      if (ip === '198.51.101.2') return { kind: 'gateway', proxy: gw, address: ip };
      if (ip === '10.20.0.7') return from === 'west' ? { kind: 'workload', workload: workload(v2, 'v2') } : { kind: 'timeout' };
      return { kind: 'refused' };
    },
  };
  const call = () => callThroughSidecar(dp, client, { method: 'GET', host: HOST, authority: 'helloworld:5000', port: 5000, path: '/hello', userAgent: 'curl/8.16.0' });
  return { call, client, gwLog };
}

const bodies = async (call: () => ReturnType<typeof callThroughSidecar>, n = 10) => {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push((await call()).response.body);
  return out;
};

describe('a call through the client sidecar', () => {
  it('reaches v1 locally and v2 through the remote gateway without the gateway terminating TLS', async () => {
    const { call, gwLog } = await world();
    const seen = await bodies(call);
    expect(seen.some((b) => b.startsWith('Hello version: v1'))).toBe(true);
    expect(seen.some((b) => b.startsWith('Hello version: v2'))).toBe(true);
    expect(gwLog.some((l) => l.includes(`outbound_.5000_._.${HOST}`) && l.includes('10.20.0.7:5000'))).toBe(true);
  });

  it('retries hide a remote endpoint the client cannot verify while a local one answers', async () => {
    const { call, client } = await world({ clientRoots: ['east.local'] });
    const seen = await bodies(call);
    expect(seen.every((b) => b.startsWith('Hello version: v1'))).toBe(true);
    expect(client.stats.get(`cluster.${clusterName(5000, HOST)}.upstream_rq_retry`) ?? 0).toBeGreaterThan(0);
  });

  it('with only the remote endpoint, curl gets Envoy\'s CERTIFICATE_VERIFY_FAILED body and the trace says why', async () => {
    const { call } = await world({ clientRoots: ['east.local'], local: false });
    const t = await call();
    expect(t.response.status).toBe(503);
    expect(t.response.body).toContain('CERTIFICATE_VERIFY_FAILED');
    expect(t.attempts.at(-1)!.stages.find((s) => s.stage === 'client-tls')!.detail).toContain('no trust bundle store');
  });

  it('a SAN list without the remote identity fails the SAN match and counts it', async () => {
    const { call, client } = await world({ sans: ['spiffe://east.local/ns/default/sa/default'], local: false });
    const t = await call();
    expect(t.response.body).toContain('CERTIFICATE_VERIFY_FAILED');
    expect(client.stats.get(`cluster.${clusterName(5000, HOST)}.ssl.fail_verify_san`)).toBeGreaterThan(0);
  });

  it('a gateway without a 15443 listener refuses; one whose hosts do not cover the service resets (filter_chain_not_found)', async () => {
    const refused = await (await world({ gatewayListener: false, local: false })).call();
    expect(refused.response.body).toMatch(/delayed connect error/);
    const w = await world({ gatewayHosts: ['*.global'], local: false });
    const reset = await w.call();
    expect(reset.response.body).toContain('Connection reset by peer');
    expect(w.gwLog.some((l) => l.includes('filter_chain_not_found'))).toBe(true);
  });

  it('a MESH_EXTERNAL entry sends plaintext to the gateway: no SNI, filter_chain_not_found, a termination that is not retried', async () => {
    const w = await world({ local: false, meshExternal: true });
    const t = await w.call();
    expect(t.response.status).toBe(503);
    expect(t.response.body).toMatch(/^upstream connect error or disconnect\/reset before headers\. reset reason: connection termination/);
    expect(t.attempts).toHaveLength(1);
    expect(w.gwLog.some((l) => l.includes('filter_chain_not_found'))).toBe(true);
  });
});
