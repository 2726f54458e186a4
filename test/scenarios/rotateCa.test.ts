import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { playScenario } from '../../sim/scenario/index.ts';
import { scenarioFromText } from '../helpers/scenario.ts';
import { repoRoot } from '../helpers/shared.ts';

const readFile = (p: string) => readFileSync(join(repoRoot, 'scenarios', p), 'utf8');

describe('rotateCA on a SPIRE cluster', () => {
  it('prepares and activates a new X.509 CA now: its root enters the bundle and the log says so', async () => {
    const s = scenarioFromText(
      `apiVersion: fedlab.dev/v1
kind: Scenario
metadata: { id: rotate, title: Rotate }
clusters:
  - name: west
    trustDomain: west.local
    profile: helm
    manifests:
      - inline: "apiVersion: v1\\nkind: Namespace\\nmetadata:\\n  name: spire\\n"
      - manifests/spire/helm-west.yaml
steps:
  - advance: 30s
  - rotateCA: { cluster: west }
expect:
  - command:
      command: kubectl exec -c spire-server -n spire spire-server-0 -- spire-server bundle show | grep -c BEGIN
      stdout: "2"
  - command:
      command: kubectl -n spire logs spire-server-0 -c spire-server | grep -c 'X509 CA activated'
      stdout: "2"
`,
      'scenarios/rotate.yaml',
    );
    const r = await playScenario(s, { variant: 'broken', crypto: globalThis.crypto, readFile });
    expect(r.steps.map((x) => [x.type, x.ok])).toContainEqual(['rotateCA', true]);
    expect(r.expectations.map((e) => e.ok)).toEqual([true, true]);
  }, 60_000);
});

describe('provenance of patched manifests', () => {
  it('points at the line of the original file, not of the patched copy', async () => {
    const s = scenarioFromText(`apiVersion: fedlab.dev/v1
kind: Scenario
metadata: { id: prov, title: Provenance }
clusters:
  - name: west
    trustDomain: west.demo
    manifests:
      - inline: |
          apiVersion: v1
          kind: ConfigMap
          metadata: { name: first, namespace: default }
          data: { a: "1" }
          ---
          apiVersion: v1
          kind: ConfigMap
          metadata: { name: second, namespace: default }
          data:
            mode: old
        patches:
          - { kind: ConfigMap, name: first, namespace: default, type: merge, patch: { data: { a: "2" } } }
expect:
  - object: { kind: ConfigMap, name: second, namespace: default, matches: { data: { mode: new } } }
`);
    const r = await playScenario(s, { variant: 'broken', crypto: globalThis.crypto, readFile: () => undefined });
    const ref = r.expectations[0]!.chain!.stages[0]!.refs[0]!;
    expect(ref).toMatchObject({ name: 'second', field: 'data.mode', line: 10 });
  });
});
