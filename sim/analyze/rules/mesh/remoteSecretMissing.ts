/**
 * M04: istiod discovers other clusters only through `istio/multiCluster=true` Secrets in its namespace, one
 * data key per cluster (pkg/kube/multicluster/secretcontroller.go). A cluster that shares a service with a
 * cluster exposing it through an east-west gateway, but has no remote secret for it, only ever sees its local
 * endpoints: every answer comes from the local version, silently.
 */
import type { Finding, Rule } from '../../types.ts';
import { appServices, clusterIdOf, eastWestGateways, finding, installs, serviceHost } from './facts.ts';
import { discovers } from './multiCluster.ts';
import { eastWestServers } from './gatewayServers.ts';

export const remoteSecretMissing: Rule = {
  code: 'FL0107',
  severity: 'error',
  title: 'No remote secret for a cluster that exposes a shared service (istiod sees only local endpoints)',
  refs: ['M04'],
  check(input) {
    const out: Finding[] = [];
    for (const client of input.clusters) {
      const install = installs(client).at(-1);
      if (!install) continue;
      const local = new Set(appServices(client).map(serviceHost));
      for (const remote of input.clusters) {
        if (remote === client || discovers(client, remote)) continue;
        const exposes = eastWestGateways(remote).length > 0 && eastWestServers(remote).some((s) => s.mode === 'AUTO_PASSTHROUGH');
        const shared = appServices(remote).map(serviceHost).filter((h) => local.has(h));
        if (!exposes || shared.length === 0) continue;
        out.push(finding(remoteSecretMissing, install, 'spec.values.global.multiCluster.clusterName',
          `cluster ${client.name} has no istio/multiCluster=true Secret for cluster ${clusterIdOf(remote)}, which serves ${shared.join(', ')} through its east-west gateway: ${client.name}'s istiod never discovers ${remote.name}'s endpoints, so its clients only reach the local ones — no error anywhere, just never an answer from ${remote.name} (istioctl remote-clusters lists only the local cluster). Create it: istioctl --context=${remote.name} create-remote-secret --name=${clusterIdOf(remote)} | kubectl --context=${client.name} apply -f -.`));
      }
    }
    return out;
  },
};
