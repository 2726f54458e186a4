/**
 * G01: `proxyMetadata.CREDENTIAL_SOCKET_EXISTS` is not an Istio setting. pilot-agent decides once, at start-up,
 * whether a SPIRE socket answers at ./var/run/secrets/workload-spiffe-uds/socket (istio: pkg/istio-agent/agent.go
 * `Run`/`checkSocket`); proxyMetadata only becomes an environment variable nothing reads.
 */
import type { Finding, Rule } from '../../types.ts';
import { annotationField, embedded, finding, meshConfigSources, obj, workloads } from './facts.ts';

const KEY = 'CREDENTIAL_SOCKET_EXISTS';
const WHY = 'there is no such Istio setting: proxyMetadata only becomes an environment variable that nothing reads. pilot-agent uses SPIRE if and only if a socket answers at /var/run/secrets/workload-spiffe-uds/socket when it starts (the pod must mount the SPIFFE CSI volume there, e.g. with the `spire` injection template); remove the key, it neither causes nor cures anything';

export const credentialSocketExists: Rule = {
  code: 'FL0101',
  severity: 'info',
  title: 'proxyMetadata.CREDENTIAL_SOCKET_EXISTS is not an Istio setting (pilot-agent detects the SPIRE socket at start-up)',
  refs: ['G01'],
  check(input) {
    const out: Finding[] = [];
    for (const c of input.clusters) {
      for (const m of meshConfigSources(c)) {
        const md = obj(obj(m.mesh.defaultConfig).proxyMetadata);
        if (!(KEY in md)) continue;
        const field = m.embedded ? m.path : `${m.path}.defaultConfig.proxyMetadata.${KEY}`;
        out.push(finding(credentialSocketExists, m.object, field, `meshConfig.defaultConfig.proxyMetadata.${KEY} is set: ${WHY}.`));
      }
      for (const w of workloads(c)) {
        const cfg = obj(embedded(w.annotations['proxy.istio.io/config']));
        if (!(KEY in obj(cfg.proxyMetadata))) continue;
        out.push(finding(credentialSocketExists, w.object, annotationField(w, 'proxy.istio.io/config'), `proxy.istio.io/config sets proxyMetadata.${KEY}: ${WHY}.`));
      }
    }
    return out;
  },
};

