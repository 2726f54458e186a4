// The SPIRE agent's socket as pilot-agent and Envoy meet it on the node: the chart's links that dangle when
// agent.conf names another socket file (istio#58516: pilot-agent cannot remove them on the read-only CSI
// mount), and SDS streams that break when the agent restarts (Envoy redials and gets the new config).
import { describe, expect, it } from 'vitest';
import { restartWorkload } from '../../../sim/kube/controllers/deployment.ts';
import type { World } from '../../../sim/world/world.ts';
import { play } from '../../helpers/scenario.ts';

/** What the scenario step `restart` does (`kubectl rollout restart`). */
const restartAgents = (world: World, cluster: string) => restartWorkload(world.cluster(cluster)!.store, world.clock, 'DaemonSet', 'spire', 'spire-agent');

const F07 = 'scenarios/f07-istio-spire-federation-sample.yaml';

describe('SPIRE agent sockets seen by the mesh', () => {
  it('socket_path edited: `socket` dangles, a new proxy logs the UDS retries and never gets secrets', async () => {
    const { world } = await play(F07);
    await world.run(
      `kubectl --context=west -n spire get configmap spire-agent -o yaml | sed 's|/tmp/spire-agent/public/spire-agent.sock|/tmp/spire-agent/public/agent.sock|' | kubectl --context=west apply -f -`,
    );
    restartAgents(world, 'west');
    await world.advance(60_000);
    await world.run('kubectl --context=west delete pod -l version=v2');
    await world.advance(60_000);
    const logs = (await world.run('kubectl --context=west logs deploy/helloworld-v2 -c istio-proxy')).stdout;
    const failed = 'SDS grpc server for workload proxies failed to set up UDS: failed to remove unix://var/run/secrets/workload-spiffe-uds/socket: remove var/run/secrets/workload-spiffe-uds/socket: read-only file system';
    expect(logs.split('\n').filter((l) => l.endsWith(failed)).map((l) => l.slice(17, 19))).toEqual(['00', '01', '03', '07', '15']);
    expect(logs).toMatch(/:31\.000000Z\twarn\tsds\tSDS grpc server could not be started/);
    expect((await world.run('istioctl --context=west pc secret deploy/helloworld-v2')).stdout).toMatch(/default +WARMING +false/);
  }, 60_000);

  it('an agent restart breaks the SDS streams; Envoy redials and receives what the new agent serves', async () => {
    const { world } = await play(F07);
    await world.run(
      `kubectl --context=east -n spire get configmap spire-agent -o yaml | sed -e 's|"default_all_bundles_name": "ROOTCA"|"default_all_bundles_name": "ALL"|' -e 's|"default_bundle_name": "null"|"default_bundle_name": "ROOTCA"|' | kubectl --context=east apply -f -`,
    );
    restartAgents(world, 'east');
    await world.advance(60_000);
    const secret = (await world.run('istioctl --context=east pc secret deploy/curl')).stdout;
    expect(secret).toMatch(/ROOTCA +CA +ACTIVE +true .* east\.local/);
    expect(secret).not.toContain('west.local');
    expect((await world.run('kubectl --context=east logs deploy/curl -c istio-proxy')).stdout).toContain('StreamSecrets gRPC config stream to sds-grpc closed');
  }, 60_000);
});
