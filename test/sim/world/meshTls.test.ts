// openssl s_client against the mesh: the gateway's SNI routing, the sidecar's inbound mTLS judged by the data plane's validator.
import { describe, expect, it } from 'vitest';
import { meshTls } from '../../../sim/world/meshTls.ts';
import { play } from '../../helpers/scenario.ts';
import { testCa, testSvid } from '../../helpers/pki.ts';

const F07 = 'scenarios/f07-istio-spire-federation-sample.yaml';
const SNI = 'outbound_.5000_._.helloworld.default.svc.cluster.local';

describe('meshTls', () => {
  it('routes by SNI at the east-west gateway, asks for a client certificate and judges it with verifyPeer', async () => {
    const { world } = await play(F07);
    const gw = (await world.run("kubectl --context=west -n istio-system get svc istio-eastwestgateway -o jsonpath='{.status.loadBalancer.ingress[0].ip}'")).stdout.trim();
    const net = meshTls(world.mesh, { from: 'workstation', resolve: (f, h, p) => world.network.resolve(f, h, p) });
    expect(await net.tls({ host: gw, port: 15443, alpn: [] })).toEqual({ kind: 'closed', how: 'reset' });
    expect(await net.tls({ host: gw, port: 15444, alpn: [] })).toEqual({ kind: 'refused' });
    const a = await net.tls({ host: gw, port: 15443, servername: SNI, alpn: [] });
    if (a.kind !== 'tls') throw new Error(a.kind);
    expect(a.server.chain[0]!.uris).toEqual(['spiffe://west.local/ns/default/sa/default']);
    expect(a.server.certificateRequest?.caNames.length).toBeGreaterThan(0);
    expect(await a.judge([])).toBe(116);
    // An east workload's SVID is accepted (the sample federates east.local); a stranger's is not.
    const curl = [...world.mesh.proxies.values()].find((p) => p.id.cluster === 'east' && p.id.pod.startsWith('curl'))!;
    expect(await a.judge(curl.secrets.default!.chain)).toBeUndefined();
    const stranger = await testSvid(await testCa('elsewhere.local', 'ec-p256', world.clock.now()), 'spiffe://elsewhere.local/ns/default/sa/x', { now: world.clock.now() });
    expect(await a.judge([stranger.cert])).toBe(46);
  });

  it('from the istio-proxy container (not captured): the sidecar of a pod IP, and the s_client text', async () => {
    const { world } = await play(F07);
    const ip = (await world.run("kubectl --context=east get pod -l app=helloworld -o jsonpath='{.items[0].status.podIP}'")).stdout.trim();
    const r = await world.run(`kubectl --context=east exec deploy/curl -c istio-proxy -- openssl s_client -connect ${ip}:5000 -brief`);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('CONNECTION ESTABLISHED\nProtocol version: TLSv1.3\nCiphersuite: TLS_AES_128_GCM_SHA256\n');
    expect(r.stderr).toMatch(/^40[0-9A-F]{8}7F0000:error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:\.\.\/ssl\/record\/rec_layer_s3\.c:1601:SSL alert number 116$/m);
  });
});
