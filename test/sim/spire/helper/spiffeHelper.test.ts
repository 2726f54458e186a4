import { describe, expect, it } from 'vitest';
import { err } from '../../../../sim/core/result.ts';
import { decodePem, equalBytes } from '../../../../sim/pki/index.ts';
import { SpireAgent } from '../../../../sim/spire/agent/agent.ts';
import { parseAgentConfig } from '../../../../sim/spire/agent/config.ts';
import { grpcError } from '../../../../sim/spire/agent/grpcStatus.ts';
import { dialWorkloadApi, UnixSocketFs, type WorkloadApiEndpoint } from '../../../../sim/spire/agent/workloadApi.ts';
import { csiMountsFor, hostPathInMounts } from '../../../../sim/spire/csi/csiDriver.ts';
import { SpiffeHelper, helperConfigFromTree } from '../../../../sim/spire/helper/spiffeHelper.ts';
import { unwrap } from '../../../../sim/core/result.ts';
import type { Pod } from '../../../../sim/kube/builtinKinds.ts';
import { bundleOf, entry, FakeServer, makeCa, testDeps } from '../agent/fakeServer.ts';

// The seed's helper.conf (shared/seeds/001…: spiffe-helper 0.8.0 next to an openssl s_server).
const SEED_CONF = `agent_address = "/spiffe-workload-api/spire-agent.sock"
cmd = ""
cert_dir = "/certs"
svid_file_name = "svid.pem"
svid_key_file_name = "svid_key.pem"
svid_bundle_file_name = "bundle.pem"
renew_signal = ""
`;

const SHOP = [{ type: 'k8s', value: 'ns:mtls-server' }];

async function world() {
  const deps = testDeps('east/spire-agent-node1', 'helper');
  const server = await FakeServer.create('east.local', deps.clock);
  const west = await makeCa('west.local');
  server.federated = [bundleOf('west.local', west)];
  server.entries = [entry('spiffe://east.local/ns/mtls-server/sa/mtls-server-sa', ['k8s:ns:mtls-server'], { id: 'east.1', federatesWith: ['west.local'] })];
  const cfg = unwrap(
    parseAgentConfig(`agent {
  trust_domain = "east.local"
  server_address = "spire-server"
  server_port = 443
  socket_path = "/tmp/spire-agent/public/spire-agent.sock"
  trust_bundle_path = "/b"
}
plugins { NodeAttestor "k8s_psat" { plugin_data { cluster = "east" } } }`),
  ).config;
  const agent = new SpireAgent({ deps, config: cfg, server, node: { name: 'node1', uid: 'uid-1' } });
  await agent.start();
  // Host: the agent socket in /run/spire/agent-sockets (its /tmp/spire-agent/public), the chart's symlinks.
  const hostFs = new UnixSocketFs<WorkloadApiEndpoint>();
  hostFs.listen('/run/spire/agent-sockets/spire-agent.sock', agent.workloadApi(SHOP));
  hostFs.symlink('/run/spire/agent-sockets/socket', 'spire-agent.sock');
  const pod = {
    metadata: { name: 'p', namespace: 'mtls-server', uid: 'u' },
    spec: { containers: [{ name: 'spiffe-helper', volumeMounts: [{ name: 'spiffe-workload-api', mountPath: '/spiffe-workload-api' }] }], volumes: [{ name: 'spiffe-workload-api', csi: { driver: 'csi.spiffe.io', readOnly: true } }] },
  } as unknown as Pod;
  const mounts = unwrap(csiMountsFor(pod, { name: 'node1', drivers: new Map([['csi.spiffe.io', { workloadApiSocketDir: '/run/spire/agent-sockets' }]]) }));
  const dial = (path: string) => {
    const host = hostPathInMounts(mounts, 'spiffe-helper', path);
    return dialWorkloadApi(path, host === undefined ? undefined : hostFs.resolve(host));
  };
  const helper = (configText: string) => {
    const lines: string[] = [];
    const h = new SpiffeHelper({ clock: deps.clock, log: (l) => lines.push(l), configText, configPath: '/config/helper.conf', dial });
    return { h, lines };
  };
  return { deps, server, agent, west, helper };
}

const certsIn = (pem: string): Uint8Array[] => {
  const r = decodePem(pem);
  return r.ok ? r.value.map((b) => b.der) : [];
};

describe('spiffe-helper', () => {
  it("writes svid.pem, svid_key.pem and bundle.pem from the seed's config; bundle.pem differs by exactly the federated roots", async () => {
    const { server, west, helper } = await world();
    const plain = helper(SEED_CONF);
    plain.h.start();
    const fed = helper(`${SEED_CONF}include_federated_domains = true\n`);
    fed.h.start();
    expect([...plain.h.files.keys()]).toEqual(['/certs/svid.pem', '/certs/svid_key.pem', '/certs/bundle.pem']);
    expect(plain.h.files.get('/certs/svid_key.pem')).toMatchObject({ mode: 0o600, content: expect.stringMatching(/^-----BEGIN PRIVATE KEY-----\n/) });
    expect(plain.h.files.get('/certs/svid.pem')!.mode).toBe(0o644);
    expect(certsIn(plain.h.files.get('/certs/svid.pem')!.content).length).toBe(1);
    const own = certsIn(plain.h.files.get('/certs/bundle.pem')!.content);
    const withFed = certsIn(fed.h.files.get('/certs/bundle.pem')!.content);
    expect(own.length).toBe(1);
    expect(equalBytes(own[0]!, server.ca.cert.der)).toBe(true);
    expect(withFed.length).toBe(2);
    expect(equalBytes(withFed[0]!, server.ca.cert.der)).toBe(true);
    expect(equalBytes(withFed[1]!, west.cert.der)).toBe(true);
    expect(plain.lines.map((l) => l.replace(/^time="[^"]*" /, ''))).toEqual([
      'level=info msg="Using configuration file: \\"/config/helper.conf\\"" system=spiffe-helper',
      'level=info msg="Launching daemon" system=spiffe-helper',
      'level=info msg="Watching for X509 Context" system=spiffe-helper',
      'level=info msg="Received update" spiffe_id="spiffe://east.local/ns/mtls-server/sa/mtls-server-sa" system=spiffe-helper',
      'level=info msg="X.509 certificates updated" system=spiffe-helper',
    ]);
  });

  it('rewrites the files when the agent rotates the SVID (daemon mode)', async () => {
    const { deps, agent, helper } = await world();
    const { h } = helper(SEED_CONF);
    h.start();
    const first = h.files.get('/certs/svid.pem')!.content;
    for (let t = 0; t < 40 * 60_000; t += 5_000) {
      deps.clock.advance(5_000);
      await agent.idle();
    }
    expect(h.writes).toBe(2);
    expect(h.files.get('/certs/svid.pem')!.content).not.toBe(first);
  });

  it('a wrong agent_address logs the gRPC dial error and retries with a growing backoff', async () => {
    const { deps, helper } = await world();
    const { h, lines } = helper(SEED_CONF.replace('spire-agent.sock', 'agent.sock'));
    h.start();
    deps.clock.advance(10_000);
    const errors = lines.filter((l) => l.includes('level=error'));
    expect(errors[0]).toContain(
      'msg="Error while watching x509 context: rpc error: code = Unavailable desc = connection error: desc = \\"transport: Error while dialing: dial unix /spiffe-workload-api/agent.sock: connect: no such file or directory\\""',
    );
    // go-spiffe's linear backoff: attempts at 0, 1, 3, 6 and 10 s
    expect(errors.length).toBe(5);
    expect(h.files.size).toBe(0);
  });

  it('config: deprecated camelCase names warn on 0.8, conflict errors, unknown keys fail on latest', () => {
    const w = helperConfigFromTree({ agentAddress: '/a.sock', svid_file_name: 's', svid_key_file_name: 'k', svid_bundle_file_name: 'b' });
    expect(w).toMatchObject({ ok: true, value: { config: { agentAddress: '/a.sock', daemonMode: true }, warnings: ['agentAddress will be deprecated, should be used as agent_address'] } });
    expect(helperConfigFromTree({ agentAddress: '/a', agent_address: '/b', svid_file_name: 's', svid_key_file_name: 'k', svid_bundle_file_name: 'b' })).toMatchObject({
      error: { message: 'use of agent_address and agentAddress found, use only agent_address' },
    });
    expect(helperConfigFromTree({ agentAddress: '/a', svid_file_name: 's' }, { version: 'latest' })).toMatchObject({ error: { message: 'unknown top level key(s): agentAddress' } });
    expect(helperConfigFromTree({ svid_file_name: 's' })).toMatchObject({ error: { message: "all or none of 'svid_file_name', 'svid_key_file_name', 'svid_bundle_file_name' must be specified" } });
    expect(helperConfigFromTree({}, { env: { SPIRE_AGENT_ADDRESS: '/x' } })).toMatchObject({ ok: false });
    expect(helperConfigFromTree({ svid_file_name: 's', svid_key_file_name: 'k', svid_bundle_file_name: 'b', cert_file_mode: 0o444 }, { version: 'latest' })).toMatchObject({ ok: true, value: { config: { certFileMode: 0o444, agentAddress: '/tmp/spire-agent/public/api.sock' } } });
  });

  it('one-shot mode (daemon_mode = false) writes once and exits 0; a config error exits 1 with upstream wording', async () => {
    const { helper } = await world();
    const once = helper(`${SEED_CONF}daemon_mode = false\n`);
    once.h.start();
    await Promise.resolve();
    expect(once.h.exitCode).toBe(0);
    expect(once.lines.map((l) => /msg="([^"]*)"/.exec(l)![1]).slice(1)).toEqual(['Daemon mode disabled', 'Successfully fetched x509 certificates', 'Exiting']);
    const bad = helper('svid_file_name = "svid.pem"\n');
    bad.h.start();
    expect(bad.h.exitCode).toBe(1);
    expect(bad.lines.at(-1)).toContain(
      `level=error msg="Error starting spiffe-helper" error="invalid configuration: all or none of 'svid_file_name', 'svid_key_file_name', 'svid_bundle_file_name' must be specified" system=spiffe-helper`,
    );
    expect(err(grpcError('permission-denied', 'no identity issued')).ok).toBe(false);
  });
});
