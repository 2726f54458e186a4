/**
 * FL0011 — the SPIRE agent's socket is not reachable as `socket`, the name pilot-agent looks for in the
 * CSI-mounted directory (`/var/run/secrets/workload-spiffe-uds/socket`, WORKLOAD_IDENTITY_SOCKET_FILE
 * default; engine sim/world/pilotAgent.ts). The chart links `socket` → `spire-agent.sock`; renaming the
 * agent's socket_path to anything else leaves the link dangling, and the proxies get no certificates (S11).
 * Also checks spiffe-helper's agent_address against the names the directory holds.
 */
import type { Rule } from '../../types.ts';
import { finding, get, nameOf, objects, perCluster, spireConf, spireConfigs, str } from '../util.ts';
import { socketNames, spireMeshWorkloads } from './spireMesh.ts';

export const agentSocketName: Rule = {
  code: 'FL0011',
  severity: 'error',
  title: 'SPIRE agent socket not reachable under the name its consumers use (`socket` for Istio)',
  refs: ['S11'],
  check: perCluster((c) =>
    spireConfigs(c, 'agent').flatMap(({ cm, key, conf }) => {
      const path = str(get(conf, 'agent.socket_path')) ?? '/tmp/spire-agent/public/api.sock';
      const names = socketNames(c, path);
      const out = [];
      const mesh = spireMeshWorkloads(c);
      if (mesh.length > 0 && !names.includes('socket')) {
        out.push(finding(agentSocketName, cm, `data[${key}]`, `${key}: socket_path is ${path}, so the socket directory the SPIFFE CSI driver mounts holds ${names.map((n) => JSON.stringify(n)).join(', ')} but no "socket"${cm.partial ? '' : ' (the chart links socket → spire-agent.sock)'}: pilot-agent finds nothing at /var/run/secrets/workload-spiffe-uds/socket and the proxies of ${mesh.map((w) => `${w.namespace}/${nameOf(w.object)}`).join(', ')} get no SPIRE certificates: pilot-agent cannot replace the dangling link on the read-only CSI mount ("SDS grpc server could not be started"), Envoy's default and ROOTCA secrets stay WARMING and pods started after the change never become ready (0/2). Keep socket_path /tmp/spire-agent/public/spire-agent.sock (or name it socket)`));
      }
      for (const h of objects(c, 'ConfigMap')) {
        const text = str((get(h.object, 'data') as Record<string, unknown> | undefined)?.['helper.conf']);
        if (!text) continue;
        const addr = str(get(spireConf(text), 'agent_address'));
        if (!addr) continue;
        const base = addr.slice(addr.lastIndexOf('/') + 1);
        if (!names.includes(base)) out.push(finding(agentSocketName, h, 'data[helper.conf]', `spiffe-helper's agent_address ${addr}: the agent's socket directory holds ${names.map((n) => JSON.stringify(n)).join(', ')} (socket_path ${path}), no ${JSON.stringify(base)}: spiffe-helper cannot reach the Workload API`));
      }
      return out;
    }),
  ),
};
