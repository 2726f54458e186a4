import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../sim/core/rng.ts';
import { unwrap } from '../../../../sim/core/result.ts';
import { SpireAgent } from '../../../../sim/spire/agent/agent.ts';
import { AgentCache } from '../../../../sim/spire/agent/cache.ts';
import { parseAgentConfig, type AgentConfig } from '../../../../sim/spire/agent/config.ts';
import { rpcErrorString } from '../../../../sim/spire/agent/grpcStatus.ts';
import { jitteredHalfLife } from '../../../../sim/spire/agent/rotation.ts';
import { dialWorkloadApi, UnixSocketFs, type WorkloadApiEndpoint } from '../../../../sim/spire/agent/workloadApi.ts';
import { bundleOf, entry, FakeServer, makeCa, T0, testDeps } from './fakeServer.ts';

const MIN = 60_000;
const config = (): AgentConfig =>
  unwrap(
    parseAgentConfig(`agent {
  trust_domain = "east.local"
  server_address = "spire-server.spire"
  server_port = 443
  socket_path = "/tmp/spire-agent/public/spire-agent.sock"
  trust_bundle_path = "/run/spire/bundle/bundle.crt"
  sds { default_bundle_name = "null"  default_all_bundles_name = "ROOTCA" }
}
plugins { NodeAttestor "k8s_psat" { plugin_data { cluster = "east" } } }`),
  ).config;

const SHOP = [{ type: 'k8s', value: 'ns:shop' }];

async function setup(seed = 'agent-test') {
  const deps = testDeps('east/spire-agent-node1', seed);
  const server = await FakeServer.create('east.local', deps.clock);
  const agent = new SpireAgent({ deps, config: config(), server, node: { name: 'node1', uid: 'node-uid-1' } });
  /** Advances the virtual clock in sync-sized steps, letting each sync (async signing) finish. */
  const run = async (ms: number): Promise<void> => {
    const end = deps.clock.now() + ms;
    while (deps.clock.now() < end) {
      deps.clock.advanceTo(Math.min(end, (deps.clock.nextDue() ?? end)));
      await agent.idle();
    }
  };
  return { deps, server, agent, run };
}

describe('rotation jitter', () => {
  it('draws the threshold uniformly in [45 %, 55 %) of the lifetime', () => {
    const rng = new Rng('jitter');
    const lifetime = 3_610_000;
    const draws = Array.from({ length: 20_000 }, () => jitteredHalfLife(lifetime, rng) / lifetime);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0.45);
    expect(Math.max(...draws)).toBeLessThan(0.55);
    expect(Math.min(...draws)).toBeLessThan(0.451);
    expect(Math.max(...draws)).toBeGreaterThan(0.549);
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    expect(mean).toBeCloseTo(0.5, 2);
  });
});

describe('SPIRE agent', () => {
  it('attests, syncs, mints an ec-p256 SVID and logs like the real agent', async () => {
    const { deps, server, agent } = await setup();
    server.entries = [entry('spiffe://east.local/ns/shop/sa/app', ['k8s:ns:shop'], { id: 'east.1' })];
    await agent.start();
    expect(agent.agentId).toBe('spiffe://east.local/spire/agent/k8s_psat/east/node-uid-1');
    expect(deps.events.ofType('spire.agent.svid.issued').map((e) => e.data.spiffeId)).toEqual(['spiffe://east.local/ns/shop/sa/app']);
    const u = agent.workloadUpdate(SHOP);
    expect(u.identities[0]!.svid.key.type).toBe('ec-p256');
    expect(deps.lines.some((l) => /level=info msg="Node attestation was successful" .*spiffe_id="spiffe:\/\/east.local\/spire\/agent\/k8s_psat\/east\/node-uid-1"/.test(l))).toBe(true);
    expect(deps.lines).toContain(`time="2026-01-01T12:00:00Z" level=info msg="Creating X509-SVID" entry_id=east.1 spiffe_id="spiffe://east.local/ns/shop/sa/app"`);
  });

  it.each(['seed-a', 'seed-b', 'seed-c'])('renews a 1 h SVID 27–33 min after issue (fresh jitter every 5 s check) [%s]', async (seed) => {
    const { deps, server, agent, run } = await setup(seed);
    server.entries = [entry('spiffe://east.local/a', ['k8s:ns:shop'], { id: 'east.1' })];
    await agent.start();
    const issued = deps.clock.now();
    await run(40 * MIN);
    const rotated = deps.events.ofType('spire.agent.svid.rotated');
    expect(rotated.length).toBe(1);
    const after = rotated[0]!.time - issued;
    expect(after).toBeGreaterThanOrEqual(27 * MIN);
    expect(after).toBeLessThanOrEqual(33 * MIN);
    expect(deps.lines.some((l) => l.includes('msg="Renewing X509-SVID"') && l.includes('expires_at="2026-01-01T13:00:00Z"'))).toBe(true);
  });

  it('re-mints when the entry revision changes, and pushes an SDS update with a new version', async () => {
    const { deps, server, agent, run } = await setup();
    const e = entry('spiffe://east.local/a', ['k8s:ns:shop'], { id: 'east.1' });
    server.entries = [e];
    await agent.start();
    const { stream } = agent.openSdsStream(SHOP);
    const r1 = stream.request({ resourceNames: ['default', 'ROOTCA'] }).response!;
    expect(r1.version_info).toBe('1');
    server.entries = [{ ...e, revisionNumber: 1, dnsNames: ['a.shop'] }];
    await run(5_000);
    expect(deps.events.ofType('spire.agent.svid.rotated').map((x) => x.data.reason)).toEqual(['outdated']);
    expect(stream.lastResponse?.version_info).toBe('2');
    expect(deps.events.ofType('spire.agent.sds.pushed').map((x) => x.data.version)).toEqual(['2']);
  });

  it('adds a federated bundle when an entry federates with it, and the workload ROOTCA then lists both TDs', async () => {
    const { server, agent, run } = await setup();
    const west = await makeCa('west.local');
    server.federated = [bundleOf('west.local', west)];
    server.entries = [entry('spiffe://east.local/a', ['k8s:ns:shop'], { id: 'east.1' })];
    await agent.start();
    expect(agent.cache.bundleNames()).toEqual(['east.local']);
    const { stream } = agent.openSdsStream(SHOP);
    stream.request({ resourceNames: ['ROOTCA'] });
    server.entries = [{ ...server.entries[0]!, federatesWith: ['west.local'], revisionNumber: 1 }];
    await run(5_000);
    expect(agent.cache.bundleNames()).toEqual(['east.local', 'west.local']);
    const vc = stream.lastResponse!.resources[0] as unknown as { validation_context: { custom_validator_config: { typed_config: { trust_domains: { name: string }[] } } } };
    expect(vc.validation_context.custom_validator_config.typed_config.trust_domains.map((t) => t.name)).toEqual(['east.local', 'west.local']);
  });

  it('spire.agent.bundles.updated once per change of the bundle set, not per sync', async () => {
    const { deps, server, agent, run } = await setup();
    const west = await makeCa('west.local');
    server.federated = [bundleOf('west.local', west)];
    server.entries = [entry('spiffe://east.local/a', ['k8s:ns:shop'], { id: 'east.1' })];
    await agent.start();
    await run(30_000);
    server.entries = [{ ...server.entries[0]!, federatesWith: ['west.local'], revisionNumber: 1 }];
    await run(30_000);
    expect(deps.events.ofType('spire.agent.bundles.updated').map((e) => e.data.trustDomains)).toEqual([['east.local'], ['east.local', 'west.local']]);
  });

  it('the cache replaces its bundle set only when a bundle changed (what lets a sync skip the bundle fingerprint)', async () => {
    const cache = new AgentCache('east.local');
    const own = bundleOf('east.local', await makeCa('east.local'));
    const e = entry('spiffe://east.local/a', ['k8s:ns:shop'], { id: 'east.1' });
    cache.update([e], [own]);
    const set = cache.bundleSet;
    cache.update([e], [own]);
    expect(cache.bundleSet).toBe(set);
    cache.update([e], [bundleOf('east.local', await makeCa('east.local'))]);
    expect(cache.bundleSet).not.toBe(set);
    // The same arrays again (the server's unchanged answer) are a no-op; a new entry list is applied.
    const list = [e];
    const bundles = [own];
    cache.update(list, bundles);
    cache.update(list, bundles);
    expect(cache.bundle('east.local')).toBe(own);
    const e2 = { ...e, revisionNumber: 1 };
    cache.update([e2], bundles);
    expect(cache.entry('east.1')).toBe(e2);
  });

  it('keeps serving cached SVIDs while the server is down, logging Synchronize failed with backoff', async () => {
    const { deps, server, agent, run } = await setup();
    server.entries = [entry('spiffe://east.local/a', ['k8s:ns:shop'], { id: 'east.1' })];
    await agent.start();
    server.serving = false;
    await run(10 * MIN);
    const failed = deps.events.ofType('spire.agent.sync.failed');
    expect(failed.length).toBeGreaterThan(3);
    expect(failed.length).toBeLessThan(120); // backoff: far fewer than one per 5 s
    expect(deps.lines.some((l) => l.includes('level=error msg="Synchronize failed" error="failed to fetch authorized entries: rpc error: code = Unavailable'))).toBe(true);
    expect(agent.workloadUpdate(SHOP).identities.length).toBe(1);
    server.serving = true;
    await run(5 * MIN);
    expect(deps.events.ofType('spire.agent.sync.recovered').length).toBe(1);
  });

  it('answers a subscriber at once when its SVIDs are cached; an entry not yet synced shows up at the next sync', async () => {
    const { deps, server, agent, run } = await setup();
    await agent.start();
    server.entries = [entry('spiffe://east.local/a', ['k8s:ns:shop'], { id: 'east.1' })];
    await agent.sync(); // entries arrive, SVID minted in the same pass
    const seen: number[] = [];
    agent.subscribe(SHOP, (u) => seen.push(u.identities.length));
    expect(seen).toEqual([1]);
    server.entries = [...server.entries, entry('spiffe://east.local/b', ['k8s:ns:other'], { id: 'east.2' })];
    const other: number[] = [];
    // Not yet synced: the agent does not know east.2, so the workload is answered (no identity).
    agent.subscribe([{ type: 'k8s', value: 'ns:other' }], (u) => other.push(u.identities.length));
    expect(other).toEqual([0]);
    await run(5_000);
    expect(other).toEqual([0, 1]);
    expect(deps.lines.some((l) => l.includes('Waiting for SVID'))).toBe(false);
  });
});

describe('Workload API', () => {
  it('FetchX509SVID: identities with own bundle and federated_bundles; no identity → PermissionDenied', async () => {
    const { server, agent } = await setup();
    const west = await makeCa('west.local');
    server.federated = [bundleOf('west.local', west)];
    server.entries = [entry('spiffe://east.local/a', ['k8s:ns:shop'], { id: 'east.1', federatesWith: ['west.local'] })];
    await agent.start();
    const api: WorkloadApiEndpoint = agent.workloadApi(SHOP);
    const got: unknown[] = [];
    api.watchX509Svid((r) => got.push(r.ok ? { ids: r.value.svids.map((s) => s.spiffe_id), fed: Object.keys(r.value.federated_bundles) } : r.error.message));
    expect(got).toEqual([{ ids: ['spiffe://east.local/a'], fed: ['spiffe://west.local'] }]);
    const denied: string[] = [];
    agent.workloadApi([{ type: 'k8s', value: 'ns:nobody' }]).watchX509Svid((r) => denied.push(r.ok ? 'ok' : rpcErrorString(r.error)));
    expect(denied).toEqual(['rpc error: code = PermissionDenied desc = no identity issued']);
    const bundles: string[][] = [];
    agent.workloadApi([{ type: 'k8s', value: 'ns:nobody' }]).watchX509Bundles((r) => bundles.push(r.ok ? Object.keys(r.value.bundles) : [r.error.message]));
    expect(bundles).toEqual([['no identity issued']]);
  });

  it('FetchJWTBundles: own and federated JWT bundles for a workload with an identity; none → PermissionDenied', async () => {
    const { server, agent } = await setup();
    server.federated = [bundleOf('west.local', await makeCa('west.local'))];
    server.entries = [entry('spiffe://east.local/a', ['k8s:ns:shop'], { id: 'east.1', federatesWith: ['west.local'] })];
    await agent.start();
    const got: string[][] = [];
    agent.workloadApi(SHOP).watchJwtBundles((r) => got.push(r.ok ? Object.entries(r.value.bundles).map(([td, b]) => `${td}=${b.trustDomain.name}`) : [rpcErrorString(r.error)]));
    expect(got).toEqual([['spiffe://east.local=east.local', 'spiffe://west.local=west.local']]);
    const denied: string[] = [];
    agent.workloadApi([{ type: 'k8s', value: 'ns:nobody' }]).watchJwtBundles((r) => denied.push(r.ok ? 'ok' : rpcErrorString(r.error)));
    expect(denied).toEqual(['rpc error: code = PermissionDenied desc = no identity issued']);
  });

  it('socket paths: the real socket and its symlinks answer; anything else gets the gRPC dial error', () => {
    const fs = new UnixSocketFs<string>();
    fs.symlink('/run/spire/agent-sockets/socket', 'spire-agent.sock');
    expect(dialWorkloadApi('/x/socket', fs.resolve('/run/spire/agent-sockets/socket'))).toMatchObject({ ok: false, error: { code: 'spire/unavailable' } });
    fs.listen('/run/spire/agent-sockets/spire-agent.sock', 'agent-node1');
    fs.symlink('/run/spire/agent-sockets/api.sock', 'spire-agent.sock');
    expect(dialWorkloadApi('/x/socket', fs.resolve('/run/spire/agent-sockets/socket'))).toEqual({ ok: true, value: 'agent-node1' });
    expect(fs.list('/run/spire/agent-sockets')).toEqual(['api.sock', 'socket', 'spire-agent.sock']);
    const miss = dialWorkloadApi('/spiffe-workload-api/agent.sock', fs.resolve('/run/spire/agent-sockets/agent.sock'));
    expect(!miss.ok && rpcErrorString(miss.error)).toBe(
      'rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial unix /spiffe-workload-api/agent.sock: connect: no such file or directory"',
    );
    fs.crash('/run/spire/agent-sockets/spire-agent.sock');
    const refused = dialWorkloadApi('/s/api.sock', fs.resolve('/run/spire/agent-sockets/api.sock'));
    expect(!refused.ok && refused.error.message).toContain('dial unix /s/api.sock: connect: connection refused');
    expect(T0).toBeGreaterThan(0);
  });
});
