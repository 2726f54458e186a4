import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../sim/scenario/format.ts';
import { repoRoot } from '../../helpers/shared.ts';

const minimal = (body = ''): string => `apiVersion: fedlab.dev/v1
kind: Scenario
metadata:
  id: t
  title: T
clusters:
  - name: west
    trustDomain: west.demo
${body}`;

const problems = (text: string): string[] => {
  const r = parseScenario(text, 'scen.yaml');
  return r.ok ? [] : r.error.message.split('\n');
};

describe('scenario format v1', () => {
  it('reads the repository\'s scenarios', () => {
    for (const f of ['scenarios/golden-path.yaml', 'scenarios/platform/one-way-bundle-exchange.yaml']) {
      const r = parseScenario(readFileSync(join(repoRoot, f), 'utf8'), f);
      expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
    }
  });

  it('fills defaults: platform, profile, nodes, CIDRs, variant of steps', () => {
    const r = parseScenario(minimal('steps:\n  - advance: 5m\n'), 's.yaml');
    expect(r.ok && r.value.clusters[0]).toMatchObject({ platform: 'kubernetes', profile: 'plain', nodes: [{ name: 'west-node-1' }], podCIDR: '10.10.0.0/16' });
    expect(r.ok && r.value.steps[0]).toMatchObject({ type: 'advance', ms: 300_000, when: 'both', at: 'steps[0]', line: 10 });
  });

  it('reports every problem with file, line, field and reason', () => {
    const text = `apiVersion: fedlab.dev/v2
kind: Scenario
metadata:
  id: Bad_Id
  title: T
  level: expert
clusters:
  - name: west
    trustDomain: West.Demo
    podCIDR: 10.0.0.0/99
    colour: blue
steps:
  - advance: five minutes
  - patch: { cluster: north, kind: Deployment, name: x, patch: {} }
  - run: { command: "echo", capture: "1bad" }
  - apply: { inline: "a: b" }
    delete: { kind: Pod, name: x }
`;
    expect(problems(text)).toEqual([
      'scen.yaml:1: apiVersion: unsupported scenario version "fedlab.dev/v2": this fedlab reads fedlab.dev/v1',
      'scen.yaml:4: metadata.id: "Bad_Id" must be lowercase letters, digits and dashes',
      'scen.yaml:6: metadata.level: unsupported value "expert": supported values: "beginner", "intermediate", "advanced"',
      'scen.yaml:9: clusters[0].trustDomain: "West.Demo" is not a trust domain: characters are limited to lowercase letters, numbers, dots, dashes, and underscores',
      'scen.yaml:10: clusters[0].podCIDR: "10.0.0.0/99" is not an IPv4 CIDR like 10.10.0.0/16',
      'scen.yaml:11: clusters[0].colour: unknown field (allowed: name, trustDomain, network, baseDomain, platform, profile, versions, nodes, podCIDR, serviceCIDR, manifests)',
      'scen.yaml:13: steps[0].advance: must be a duration like 30s, 5m or 24h (time: invalid duration "five minutes")',
      'scen.yaml:14: steps[1].patch.cluster: unknown cluster "north" (clusters: west)',
      'scen.yaml:15: steps[2].run.capture: "1bad" must be an identifier (letters, digits, _)',
      'scen.yaml:16: steps[3]: a step has exactly one action, found apply and delete',
    ]);
  });

  it('requires a fix when a cause is declared, and a cause needs kind, name and field', () => {
    expect(problems(minimal('cause: { kind: ClusterSPIFFEID, name: x }\n'))).toEqual([
      'scen.yaml:9: cause.field: required field is missing',
    ]);
    expect(problems(minimal('cause: { kind: ClusterSPIFFEID, name: x, field: spec.className }\n'))).toEqual(['scen.yaml:9: cause: a scenario that declares a cause needs a fix']);
  });

  it('rejects duplicate captures and cluster names', () => {
    const text = minimal(`  - name: west
    trustDomain: other.demo
steps:
  - run: { command: a, capture: b }
  - run: { command: c, capture: b }
`);
    expect(problems(text)).toEqual([
      'scen.yaml:9: clusters[1].name: duplicate cluster name "west"',
      'scen.yaml:13: steps[1].run.capture: capture "b" is already defined by an earlier step',
    ]);
  });

  it('reports YAML syntax errors with line and column, never throws', () => {
    const r = parseScenario('apiVersion: fedlab.dev/v1\nkind: Scenario\nmetadata: [\n', 'broken.yaml');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toMatch(/^broken\.yaml:\d+:\d+: /);
  });

  it('checks expectations and matchers', () => {
    const text = minimal(`expect:
  - command: { command: "kubectl get pods", exitCode: 300, stdout: { matches: "([", normalize: [serials, colours] } }
  - object: { kind: Pod }
  - event: { type: x, count: -1 }
`);
    expect(problems(text)).toEqual([
      'scen.yaml:10: expect[0].command.exitCode: must be a whole number from 0 to 255',
      expect.stringMatching(/^scen\.yaml:10: expect\[0\]\.command\.stdout\.matches: not a valid regular expression/),
      'scen.yaml:10: expect[0].command.stdout.normalize[1]: unsupported value "colours": supported values: serials, times, names, uids, ips, pem, pods, ages, columns',
      'scen.yaml:11: expect[1].object.name: required field is missing',
      'scen.yaml:12: expect[2].event.count: must be a whole number',
    ]);
  });
});

describe('guide claims', () => {
  it('accepts known claim IDs with notes and refuses unknown ones', () => {
    const ok = parseScenario(minimal('claims: [G13, { id: G15, note: oldest wins }]\n'), 's.yaml');
    expect(ok.ok && ok.value.claims).toEqual([{ id: 'G13' }, { id: 'G15', note: 'oldest wins' }]);
    expect(problems(minimal('claims: [G99]\n'))[0]).toMatch(/^scen\.yaml:9: claims\[0\]: unknown guide claim "G99" \(known: G01, G02/);
  });
});
