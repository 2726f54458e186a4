// `fedlab analyze`: linter-style text, --json, --junit XML, --list, exit codes (0 clean, 1 error finding,
// 2 bad input naming file:line), and the three kinds of PATH (scenario, cluster directories, manifests).
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fedlab } from '../../helpers/cli.ts';
import { repoRoot } from '../../helpers/shared.ts';

const S01 = 'scenarios/catalogue/s01-clusterspiffeid-without-classname-ztwim.yaml';

function clusters(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'fedlab-analyze-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

const classless = 'apiVersion: spire.spiffe.io/v1alpha1\nkind: ClusterSPIFFEID\nmetadata:\n  name: billing\nspec:\n  podSelector: {}\n';
const ztwim = 'apiVersion: operator.openshift.io/v1alpha1\nkind: SpireServer\nmetadata:\n  name: cluster\nspec:\n  trustDomain: a.example\n';

describe('fedlab analyze', () => {
  it('prints findings like a linter, with a summary, and exits 1 on an error', async () => {
    const r = await fedlab(['analyze', S01], { cwd: repoRoot });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^scenarios\/manifests\/openshift\/catalogue\/s01\/billing\.yaml:\d+ {2}error {2}FL0001 {2}ClusterSPIFFEID\/billing {2}spec\.className {2}ClusterSPIFFEID "billing" has no spec\.className: .* {2}\[S01, G05\]$/m);
    expect(r.stdout).toMatch(/^1 error, 0 warnings, 0 infos in 1 input/m);
    expect(r.stderr).toBe('');
  });

  it('exits 0 on the fixed variant, and shows one section per input with --variant both', async () => {
    expect((await fedlab(['analyze', S01, '--variant', 'fixed'], { cwd: repoRoot })).code).toBe(0);
    const both = await fedlab(['analyze', S01, '--variant', 'both'], { cwd: repoRoot });
    expect(both.stdout).toContain('s01-clusterspiffeid-without-classname-ztwim (broken): 1 finding');
    expect(both.stdout).toContain('s01-clusterspiffeid-without-classname-ztwim (fixed): no findings');
  });

  it('--json prints one document with findings and a summary', async () => {
    const r = await fedlab(['analyze', S01, '--json'], { cwd: repoRoot });
    const doc = JSON.parse(r.stdout) as { findings: Record<string, unknown>[]; summary: Record<string, number> };
    expect(doc.summary).toMatchObject({ inputs: 1, errors: 1, warnings: 0 });
    expect(doc.findings[0]).toMatchObject({ input: 's01-clusterspiffeid-without-classname-ztwim (broken)', code: 'FL0001', severity: 'error', cluster: 'cluster1', object: { kind: 'ClusterSPIFFEID', name: 'billing' }, field: 'spec.className', refs: ['S01', 'G05'] });
  });

  it('--junit writes one testsuite per input and one testcase per rule code', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'fedlab-junit-')), 'analyze.xml');
    await fedlab(['analyze', S01, '--variant', 'both', '--junit', out], { cwd: repoRoot });
    const xml = readFileSync(out, 'utf8');
    expect(xml.match(/<testsuite /g)).toHaveLength(2);
    expect(xml).toContain('<testsuite name="s01-clusterspiffeid-without-classname-ztwim (broken)"');
    expect(xml).toMatch(/<testcase name="FL0001 [^"]*" classname="fedlab\.analyze\.[^"]*">\n\s*<failure message="1 finding: ClusterSPIFFEID &quot;billing&quot;/);
    const fixed = xml.slice(xml.indexOf('(fixed)'));
    expect(fixed).not.toContain('<failure');
    expect(xml).toMatch(/<testcase name="FL0112 [^"]*" classname="[^"]*"\/>/);
  });

  it('reads a directory of cluster directories, and --severity sets what shows and fails', async () => {
    const dir = clusters({ 'c1/spire.yaml': `${ztwim}---\n${classless}`, 'c1/z.yaml': 'apiVersion: operator.openshift.io/v1alpha1\nkind: SpireServer\nmetadata:\n  name: cluster\nspec:\n  persistence: { type: pvc, size: 1Gi }\n' });
    const r = await fedlab(['analyze', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/c1\/spire\.yaml:12 {2}error {2}FL0001/);
    expect(r.stdout).toMatch(/c1\/z\.yaml:6 {2}warning {2}FL0018/);
    const errorsOnly = await fedlab(['analyze', dir, '--severity', 'error']);
    expect(errorsOnly.stdout).not.toContain('FL0018');
    const clean = clusters({ 'c1/ok.yaml': ztwim });
    const ok = await fedlab(['analyze', clean]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('0 errors, 0 warnings, 0 infos in 1 input');
  });

  it('exits 2 on unreadable or invalid input, naming file and line, without a stack trace', async () => {
    const dir = clusters({ 'west/bad.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  name: y\n' });
    const r = await fedlab(['analyze', dir], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^fedlab analyze: west\/bad\.yaml:5:\d+: key "name" already set in map$/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect((await fedlab(['analyze', 'no/such/path'])).code).toBe(2);
    expect((await fedlab(['analyze', S01, '--severity', 'fatal'], { cwd: repoRoot })).code).toBe(2);
    const badScenario = clusters({ 's.yaml': 'apiVersion: fedlab.dev/v1\nkind: Scenario\nmetadata: { id: x, title: t }\nclusters:\n  - name: Bad\n    trustDomain: a.b\n' });
    const s = await fedlab(['analyze', join(badScenario, 's.yaml')], { cwd: badScenario });
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/s\.yaml:5: clusters\[0\]\.name: "Bad" must be a lowercase RFC 1123 label/);
  });

  it('--list prints every rule; help lists the command', async () => {
    const r = await fedlab(['analyze', '--list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^FL0001 {2}error {4}ClusterSPIFFEID not of the controller manager's class/m);
    expect((await fedlab(['help'])).stdout).toMatch(/^ {2}analyze +static diagnostics/m);
  });
});
