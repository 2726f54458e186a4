/**
 * FL0016 — the ZTWIM OIDC discovery provider reads the Workload API at a socket name the agent no longer
 * serves: the operator renders `workload_api.socket_path /spiffe-workload-api/spire-agent.sock`; renaming the
 * agent's socket to `socket` (seed 000 step 6) without changing the provider's config (step 6b) makes its
 * FetchJWTBundles fail (S16).
 */
import type { Rule } from '../../types.ts';
import { finding, get, nameOf, objects, perCluster, spireConf, spireConfigs, str, ZTWIM_NAMESPACE } from '../util.ts';

const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

export const oidcSocket: Rule = {
  code: 'FL0016',
  severity: 'error',
  title: 'OIDC discovery provider reads a Workload API socket the agent does not serve',
  refs: ['S16'],
  check: perCluster((c) => {
    const cr = objects(c, 'SpireOIDCDiscoveryProvider')[0];
    const agent = spireConfigs(c, 'agent')[0];
    if (!cr || !agent) return [];
    const agentPath = str(get(agent.conf, 'agent.socket_path')) ?? '/tmp/spire-agent/public/spire-agent.sock';
    const cm = objects(c, 'ConfigMap').find((o) => nameOf(o) === 'spire-spiffe-oidc-discovery-provider');
    const text = str((get(cm?.object, 'data') as Record<string, unknown> | undefined)?.['oidc-discovery-provider.conf']);
    const provider = (text ? str(get(spireConf(text), 'workload_api.socket_path')) : undefined) ?? '/spiffe-workload-api/spire-agent.sock';
    if (base(provider) === base(agentPath)) return [];
    const target = cm ?? cr;
    return [finding(oidcSocket, target, cm ? 'data[oidc-discovery-provider.conf]' : 'spec', `the OIDC discovery provider reads the Workload API at ${provider}${cm ? '' : ' (the operator\'s fixed path)'}, but the agent's socket_path is ${agentPath} (ConfigMap ${ZTWIM_NAMESPACE}/${nameOf(agent.cm)}): there is no ${JSON.stringify(base(provider))} in the mounted directory, so the provider cannot fetch its bundles ("dial unix ${provider}: connect: no such file or directory"). Set workload_api.socket_path to /spiffe-workload-api/${base(agentPath)} in ConfigMap spire-spiffe-oidc-discovery-provider (with CREATE_ONLY_MODE on)`)];
  }),
};
