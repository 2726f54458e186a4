// `istioctl proxy-config secret` held to istioctl's own golden outputs (istioctl/pkg/writer/envoy/configdump/
// testdata/secret/{istio,spire}), given their config dumps, at a pinned time.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { secretDumpJson, secretsConfigDump, secretSummary } from '../../../../sim/cli/istioctl/proxyConfigSecret.ts';
import { sharedPath } from '../../../helpers/shared.ts';

const testdata = (dir: string, file: string) => readFileSync(sharedPath('samples/istio/istioctl-testdata', dir, file), 'utf8');
const NOW = Date.parse('2026-11-22T12:00:00Z');

describe('istioctl proxy-config secret', () => {
  it.each(['secret-istio', 'secret-spire'])('%s: the table equals istioctl\'s golden output byte for byte', (dir) => {
    const dump = secretsConfigDump(JSON.parse(testdata(dir, 'config_dump.json')));
    expect(dump.ok).toBe(true);
    if (dump.ok) expect(secretSummary(dump.value, NOW)).toBe(testdata(dir, 'output'));
  });

  it('VALID CERT follows the clock: the SVID was valid during its hour', () => {
    const dump = secretsConfigDump(JSON.parse(testdata('secret-spire', 'config_dump.json')));
    if (!dump.ok) throw new Error(dump.error.message);
    expect(secretSummary(dump.value, Date.parse('2024-10-27T22:00:00Z'))).toMatch(/^default\s+Cert Chain\s+ACTIVE\s+true\s/m);
  });

  it('says so when there are no secrets, and errs without a SecretsConfigDump', () => {
    expect(secretSummary({ dynamic_active_secrets: [] }, NOW)).toBe('No active or warming secrets found.\n');
    const none = secretsConfigDump({ configs: [{ '@type': 'type.googleapis.com/envoy.admin.v3.ClustersConfigDump' }] });
    expect(!none.ok && none.error.message).toContain("sidecar doesn't support secrets");
  });

  it('-o json is the SecretsConfigDump with protojson names, indented by 4', () => {
    const dump = secretsConfigDump(JSON.parse(testdata('secret-spire', 'config_dump.json')));
    if (!dump.ok) throw new Error(dump.error.message);
    const out = secretDumpJson(dump.value);
    expect(out).toMatch(/^\{\n {4}"@type": "type\.googleapis\.com\/envoy\.admin\.v3\.SecretsConfigDump",\n {4}"dynamicActiveSecrets": \[/);
    expect(JSON.parse(out).dynamicActiveSecrets[1].secret.validationContext.customValidatorConfig.typedConfig.trustDomains.map((t: { name: string }) => t.name)).toEqual(['east.local', 'west.local']);
  });
});
