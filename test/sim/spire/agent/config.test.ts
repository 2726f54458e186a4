import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseAgentConfig } from '../../../../sim/spire/agent/config.ts';
import { sharedPath } from '../../../helpers/shared.ts';

const chartAgentConf = (cluster: 'east' | 'west'): string => {
  const docs = parseAllDocuments(readFileSync(sharedPath('samples', 'helm-spire', `rendered-spire-${cluster}.yaml`), 'utf8')).map((d) => d.toJS() as { kind?: string; metadata?: { name?: string }; data?: Record<string, string> } | null);
  const cm = docs.find((d) => d?.kind === 'ConfigMap' && d.metadata?.name === 'spire-agent');
  return cm!.data!['agent.conf']!;
};

const hcl = (agentBody: string): string => `
agent {
  trust_domain = "east.local"
  server_address = "spire-server.spire"
  server_port = "443"
  trust_bundle_path = "/run/spire/bundle/bundle.crt"
${agentBody}
}
plugins {
  NodeAttestor "k8s_psat" { plugin_data { cluster = "east" } }
  KeyManager "memory" { plugin_data {} }
  WorkloadAttestor "k8s" { plugin_data { disable_container_selectors = true } }
}
`;

describe('agent.conf', () => {
  it("parses the chart's rendered JSON agent config with the sample's sds block", () => {
    const r = parseAgentConfig(chartAgentConf('east'), '/opt/spire/conf/agent/agent.conf');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const c = r.value.config;
    expect(c.trustDomain).toBe('east.local');
    expect(c.serverPort).toBe(443);
    expect(c.socketPath).toBe('/tmp/spire-agent/public/spire-agent.sock');
    expect(c.sds).toEqual({ defaultSvidName: 'default', defaultBundleName: 'null', defaultAllBundlesName: 'ROOTCA', disableSpiffeCertValidation: false });
    expect(c.k8sPsatCluster).toBe('east');
    expect(c.k8sWorkloadAttestor).toMatchObject({ disableContainerSelectors: false, skipKubeletVerification: true, useNewContainerLocator: true });
    expect(r.value.logs).toEqual([]);
  });

  it('applies SPIRE defaults in HCL: socket path, sds names, ec-p256 keys', () => {
    const r = parseAgentConfig(hcl(''));
    expect(r.ok && r.value.config).toMatchObject({
      socketPath: '/tmp/spire-agent/public/api.sock',
      sds: { defaultSvidName: 'default', defaultBundleName: 'ROOTCA', defaultAllBundlesName: 'ALL', disableSpiffeCertValidation: false },
      workloadKeyType: 'ec-p256',
      k8sWorkloadAttestor: { disableContainerSelectors: true, enableNamespaceLabels: false },
    });
  });

  it('warns when default_bundle_name and default_all_bundles_name end up equal (defaults merged per field)', () => {
    const r = parseAgentConfig(hcl('  sds { default_all_bundles_name = "ROOTCA" }'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.config.sds.defaultBundleName).toBe('ROOTCA');
    expect(r.value.logs).toEqual([
      expect.objectContaining({ level: 'warning', msg: expect.stringContaining('"default_all_bundles_name" will be ignored') }),
    ]);
  });

  it('refuses sds keys placed directly under agent {} as unknown configuration', () => {
    const r = parseAgentConfig(hcl('  default_all_bundles_name = "ROOTCA"\n  default_bundle_name = "null"'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toBe('unknown configuration detected');
    expect(r.error.detail.logs).toEqual([{ level: 'error', msg: 'Unknown configuration detected', fields: { section: 'agent', keys: 'default_all_bundles_name,default_bundle_name' } }]);
  });

  it('validates in upstream order with upstream messages', () => {
    expect(parseAgentConfig('agent { trust_domain = "x" }').ok || parseAgentConfig('agent { trust_domain = "x" }')).toMatchObject({ error: { message: 'plugins section must be configured' } });
    expect(parseAgentConfig(hcl('').replace('  trust_domain = "east.local"\n', ''))).toMatchObject({ error: { message: 'trust_domain must be configured' } });
    expect(parseAgentConfig(hcl('').replace('  trust_bundle_path = "/run/spire/bundle/bundle.crt"\n', ''))).toMatchObject({
      error: { message: 'trust_bundle_path, trust_bundle_url, or trust_bundle_spiffe_workload_api must be configured unless insecure_bootstrap is set' },
    });
    expect(parseAgentConfig(hcl('').replace('"east.local"', '"East.local"'))).toMatchObject({ error: { message: expect.stringContaining('could not parse trust_domain "East.local"') } });
    expect(parseAgentConfig('agent {')).toMatchObject({ error: { message: expect.stringMatching(/^unable to decode configuration at "conf\/agent\/agent.conf": At \d+:\d+: /) } });
  });
});

describe('agent.conf across SPIRE versions', () => {
  it("accepts the chart's retry_bootstrap on 1.11 and refuses it from 1.14 on", () => {
    expect(parseAgentConfig(chartAgentConf('west'), 'agent.conf', { spireVersion: '1.13.3' }).ok).toBe(true);
    const r = parseAgentConfig(chartAgentConf('west'), 'agent.conf', { spireVersion: '1.14.0' });
    expect(r).toMatchObject({ ok: false, error: { message: 'unknown configuration detected', detail: { logs: [{ fields: { section: 'agent', keys: 'retry_bootstrap' } }] } } });
  });
});
