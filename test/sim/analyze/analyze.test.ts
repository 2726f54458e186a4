// The analyzer's frame: unique codes documented in docs/analyze.md, sorted findings, and the input
// assembly (directory mode, scenario mode: manifests, patches, fix, steps and the run commands it follows).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_RULES, analyze, inputFromFiles, inputFromScenario } from '../../../sim/analyze/index.ts';
import { parseScenario } from '../../../sim/scenario/index.ts';
import { repoRoot } from '../../helpers/shared.ts';
import type { AnalyzeInput } from '../../../sim/analyze/types.ts';

describe('rules', () => {
  it('have unique, well-formed codes', () => {
    const codes = ALL_RULES.map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const r of ALL_RULES) {
      expect(r.code).toMatch(/^FL0\d{3}$/);
      expect(r.refs.length, `${r.code} cites a catalogue row or guide claim`).toBeGreaterThan(0);
    }
  });

  it('are every one documented in docs/analyze.md', () => {
    const doc = readFileSync(join(repoRoot, 'docs/analyze.md'), 'utf8');
    const missing = ALL_RULES.filter((r) => !new RegExp(`^\\| ${r.code} \\| ${r.severity} \\|`, 'm').test(doc)).map((r) => r.code);
    expect(missing, 'add a row (code | severity | title | refs) to docs/analyze.md').toEqual([]);
  });

  it('findings come sorted by cluster, file, line and code', () => {
    const r = inputFromFiles([
      { cluster: 'b', file: 'b/x.yaml', text: 'apiVersion: spire.openshift.io/v1alpha1\nkind: SpireServer\nmetadata: { name: x }\n' },
      { cluster: 'a', file: 'a/y.yaml', text: 'apiVersion: operator.openshift.io/v1alpha1\nkind: SpireAgent\nmetadata: { name: agent1 }\n---\napiVersion: spire.openshift.io/v1alpha1\nkind: SpireServer\nmetadata: { name: z }\n' },
    ]);
    if (!r.ok) throw new Error(r.error.message);
    const f = analyze(r.value);
    expect(f.map((x) => `${x.cluster} ${x.file}:${x.line} ${x.code}`)).toEqual(['a a/y.yaml:3 FL0017', 'a a/y.yaml:5 FL0017', 'b b/x.yaml:1 FL0017']);
  });
});

describe('inputFromFiles', () => {
  it('keeps file, line and document; expands lists; a later document replaces an earlier one', () => {
    const r = inputFromFiles([{ cluster: 'west', file: 'west/a.json', text: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'x' } }] }) }, { cluster: 'west', file: 'west/b.yaml', text: '# c\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata: { k: v }\n' }]);
    if (!r.ok) throw new Error(r.error.message);
    const objs = r.value.clusters[0]!.objects;
    expect(objs.map((o) => `${(o.object.metadata as { namespace: string }).namespace}/${(o.object.metadata as { name: string }).name} ${o.file}:${o.line}`)).toEqual(['x/b west/a.json:1', 'default/a west/b.yaml:2']);
    expect(objs[1]!.doc!.positionOf('data.k')?.line).toBe(6);
    expect(objs[1]!.changed).toBe(true);
  });

  it('reports a YAML error as file:line:column: reason', () => {
    const r = inputFromFiles([{ cluster: 'c', file: 'c/bad.yaml', text: 'a: [1\n' }]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/^c\/bad\.yaml:\d+:\d+: /);
  });
});

// A scenario exercising what the input follows, with files served from memory.
const FILES: Record<string, string> = {
  'manifests/base.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: spire\ndata:\n  agent.conf: \'{"agent": {"socket_path": "/tmp/a/spire-agent.sock"}}\'\n',
  'ws/app.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\n  labels: { tier: web }\nspec:\n  template:\n    metadata: { labels: { app: app } }\n    spec: { containers: [{ name: c, image: i }] }\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: other\n  labels: { tier: db }\n',
  'ws/iop.yaml': 'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  meshConfig:\n    trustDomain: ${TD}\n',
};
const SCENARIO = `apiVersion: fedlab.dev/v1
kind: Scenario
metadata: { id: t, title: t }
versions: { kubernetes: "1.33", istio: "1.29.0" }
workspace:
  - { path: samples/app.yaml, file: ws/app.yaml }
  - { path: samples/iop.yaml, file: ws/iop.yaml }
clusters:
  - name: west
    trustDomain: west.local
    manifests:
      - file: manifests/base.yaml
        patches:
          - { kind: ConfigMap, name: cfg, namespace: spire, type: text, field: "data[agent.conf]", replace: [{ from: spire-agent.sock, to: agent.sock }] }
  - name: east
    trustDomain: east.local
steps:
  - run: { command: "kubectl get cm cfg -n spire -o jsonpath='{.data.agent\\\\.conf}'", capture: conf }
  - apply:
      cluster: east
      inline: |
        apiVersion: v1
        kind: ConfigMap
        metadata: { name: copy }
        data: { conf: '{{ captures.conf }}', td: "{{ clusters.west.trustDomain }}" }
  - run: kubectl --context west apply -f samples/app.yaml -l tier=web && kubectl --context=west label deploy app team=a
  - run: sed 's/\${TD}/west.local/' samples/iop.yaml | istioctl --context east install -y -f -
  - run: kubectl --context west -n spire get configmap cfg -o yaml | sed 's|/tmp/a/agent.sock|/tmp/a/socket|' | kubectl --context west apply -f -
  - run: kubectl --context west exec -n spire spire-server-0 -- spire-server bundle set -id spiffe://x
  - when: fixed
    delete: { cluster: west, kind: Deployment, name: app, namespace: default }
  - patch: { cluster: west, kind: ConfigMap, name: spire-server, namespace: zero-trust-workload-identity-manager, type: merge, patch: { data: { a: b } } }
fix:
  patches:
    - { cluster: west, kind: ConfigMap, name: cfg, namespace: spire, type: merge, patch: { data: { fixed: "on-fix" } } }
`;

async function scenarioInput(variant: 'broken' | 'fixed'): Promise<AnalyzeInput & { skipped: readonly { command: string; line?: number }[] }> {
  const parsed = parseScenario(SCENARIO, 'sc/t.yaml', { readFile: (p) => FILES[p] });
  if (!parsed.ok) throw new Error(parsed.error.message);
  const r = await inputFromScenario(parsed.value, { variant, readFile: (p) => FILES[p], text: SCENARIO });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
const obj = (i: AnalyzeInput, cluster: string, kind: string, name: string) => i.clusters.find((c) => c.name === cluster)!.objects.find((o) => o.object.kind === kind && (o.object.metadata as { name: string }).name === name);

describe('inputFromScenario', () => {
  it('carries the cluster facts', async () => {
    const i = await scenarioInput('broken');
    expect(i.clusters.map((c) => [c.name, c.trustDomain, c.platform, c.versions?.istio])).toEqual([['west', 'west.local', 'kubernetes', '1.29.0'], ['east', 'east.local', 'kubernetes', '1.29.0']]);
  });

  it('applies manifest patches, then follows get|sed|apply, with the file and line of the step', async () => {
    const i = await scenarioInput('broken');
    const cfg = obj(i, 'west', 'ConfigMap', 'cfg')!;
    expect(JSON.stringify(cfg.object)).toContain('/tmp/a/socket');
    expect(cfg).toMatchObject({ file: 'sc/t.yaml', line: 28, changed: true });
  });

  it('renders templates and captures into inline manifests, at the inline\'s lines', async () => {
    const i = await scenarioInput('broken');
    const copy = obj(i, 'east', 'ConfigMap', 'copy')!;
    expect(copy.object.data).toEqual({ conf: '{"agent": {"socket_path": "/tmp/a/agent.sock"}}', td: 'west.local' });
    expect(copy.file).toBe('sc/t.yaml');
    expect(copy.line).toBe(22);
    expect(copy.doc?.positionOf('data')?.line).toBe(25);
  });

  it('follows apply -f from the workspace (with -l), label, and istioctl install (IstioOperator kept, components rendered)', async () => {
    const i = await scenarioInput('broken');
    const app = obj(i, 'west', 'Deployment', 'app')!;
    expect(app).toMatchObject({ file: 'sc/ws/app.yaml', line: 1 });
    expect((app.object.metadata as { labels: Record<string, string> }).labels).toEqual({ tier: 'web', team: 'a' });
    expect(obj(i, 'west', 'Service', 'other')).toBeUndefined();
    const iop = obj(i, 'east', 'IstioOperator', 'installed-state')!;
    expect((iop.object.spec as { meshConfig: { trustDomain: string } }).meshConfig.trustDomain).toBe('west.local');
    expect(obj(i, 'east', 'Deployment', 'istiod')).toBeDefined();
    expect(obj(i, 'east', 'ConfigMap', 'istio')).toBeDefined();
  });

  it('keeps a patch of an object the manifests do not hold as a partial object', async () => {
    const i = await scenarioInput('broken');
    expect(obj(i, 'west', 'ConfigMap', 'spire-server')).toMatchObject({ partial: true, object: { data: { a: 'b' }, metadata: { namespace: 'zero-trust-workload-identity-manager' } } });
  });

  it('counts the commands it cannot follow, with their line', async () => {
    const i = await scenarioInput('broken');
    expect(i.skipped.map((s) => [s.line, s.command])).toEqual([[29, 'kubectl --context west exec -n spire spire-server-0 -- spire-server bundle set -id spiffe://x']]);
  });

  it('fixed variant: fix patches on the initial manifests and `when: fixed` steps', async () => {
    const i = await scenarioInput('fixed');
    expect((obj(i, 'west', 'ConfigMap', 'cfg')!.object.data as Record<string, string>).fixed).toBe('on-fix');
    expect(obj(i, 'west', 'Deployment', 'app')).toBeUndefined();
  });
});

describe('a step that expects its command to fail', () => {
  const scenario = (docs: string) => `apiVersion: fedlab.dev/v1
kind: Scenario
metadata: { id: r, title: r }
clusters:
  - name: c1
    trustDomain: c1.local
steps:
  - run:
      command: kubectl apply -f -
      stdin: |
${docs.replace(/^/gm, '        ')}
      expect: { exitCode: 1 }
`;
  const wrongApi = 'apiVersion: spire.openshift.io/v1alpha1\nkind: SpireServer\nmetadata: { name: spire-server, namespace: zero-trust-workload-identity-manager }\n';
  async function run(text: string) {
    const parsed = parseScenario(text, 'sc/r.yaml', { readFile: () => undefined });
    if (!parsed.ok) throw new Error(parsed.error.message);
    const r = await inputFromScenario(parsed.value, { variant: 'broken', readFile: () => undefined, text });
    if (!r.ok) throw new Error(r.error.message);
    return { input: r.value, findings: analyze(r.value).filter((f) => f.code === 'FL0017') };
  }

  it('marks the one object it applies as refused: its findings are info and say why they are harmless (s17 fixed, G11)', async () => {
    const { input, findings } = await run(scenario(wrongApi));
    expect(obj(input, 'c1', 'SpireServer', 'spire-server')!.refused).toEqual({ exitCode: 1 });
    expect(findings.map((f) => f.severity)).toEqual(['info']);
    expect(findings[0]!.message).toContain('Harmless in this scenario: the step expects the command to fail (exit code 1)');
  });

  it('does not guess which of several applied objects was refused', async () => {
    const { input, findings } = await run(scenario(`${wrongApi}---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n`));
    expect(obj(input, 'c1', 'SpireServer', 'spire-server')!.refused).toBeUndefined();
    expect(findings.map((f) => f.severity)).toEqual(['error']);
  });
});
