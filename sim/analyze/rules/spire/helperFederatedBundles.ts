/**
 * FL0019 — spiffe-helper without `include_federated_domains = true` for a workload whose entry federates
 * with other trust domains: bundle.pem gets only the local domain's roots, so the app (openssl, a TLS
 * server) cannot verify peers from the federated domains although SPIRE holds their bundles (F02; G13's
 * "CONNECTION ESTABLISHED" is printed before the server judges the client).
 */
import type { Finding, Rule } from '../../types.ts';
import { finding, get, nameOf, namespaceOf, objects, perCluster, selectedWorkloads, spireConf, str } from '../util.ts';

export const helperFederatedBundles: Rule = {
  code: 'FL0019',
  severity: 'error',
  title: 'spiffe-helper without include_federated_domains for a federated workload',
  refs: ['F02', 'G13'],
  check: perCluster((c) => {
    const out: Finding[] = [];
    const csids = objects(c, 'ClusterSPIFFEID').filter((o) => ((get(o.object, 'spec.federatesWith') as unknown[] | undefined) ?? []).length > 0);
    for (const cm of objects(c, 'ConfigMap')) {
      const text = str((get(cm.object, 'data') as Record<string, unknown> | undefined)?.['helper.conf']);
      if (!text) continue;
      const conf = spireConf(text);
      if (conf && (conf.include_federated_domains === true || conf.include_federated_domains === 'true')) continue;
      for (const csid of csids) {
        const users = selectedWorkloads(c, csid).filter((w) => w.namespace === namespaceOf(cm) && ((w.podSpec.volumes as unknown[] | undefined) ?? []).some((v) => get(v, 'configMap.name') === nameOf(cm)));
        if (users.length === 0) continue;
        const fed = (get(csid.object, 'spec.federatesWith') as string[]).join(', ');
        out.push(finding(helperFederatedBundles, cm, 'data[helper.conf]', `helper.conf of ${users.map((w) => `${w.namespace}/${nameOf(w.object)}`).join(', ')} has no include_federated_domains = true: spiffe-helper writes only ${c.trustDomain ?? 'the local trust domain'}'s roots to its bundle file, although the workload's entry federates with ${fed} (ClusterSPIFFEID ${JSON.stringify(nameOf(csid))}), so the app cannot verify those peers (openssl: "unable to get local issuer certificate"; a client printing CONNECTION ESTABLISHED under TLS 1.3 proves nothing, G13). Add include_federated_domains = true`));
        break;
      }
    }
    return out;
  }),
};
