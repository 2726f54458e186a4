import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../../server/cli/main.ts';
import { fedlab } from '../../helpers/cli.ts';
import { repoRoot } from '../../helpers/shared.ts';

const GOLDEN = join(repoRoot, 'scenarios/golden-path.yaml');
const ONE_WAY = join(repoRoot, 'scenarios/platform/one-way-bundle-exchange.yaml');

/** Runs a command with text on stdin, as `fedlab … < file` would. */
async function withStdin(args: string[], stdin: string, cwd = repoRoot) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, stdin: Readable.from([stdin]), env: {}, cwd });
  return { code, stdout, stderr };
}

describe('fedlab run', () => {
  it('plays both variants of every scenario in a directory and exits 0 when all pass', async () => {
    // The whole library is played by test/scenarios/library.test.ts; here a directory and a file.
    const r = await fedlab(['run', 'scenarios/platform', 'scenarios/golden-path.yaml', '--memory'], { cwd: repoRoot });
    expect(r.stdout).toContain('PASS golden-path (default)');
    expect(r.stdout).toContain('PASS one-way-bundle-exchange (broken)');
    expect(r.stdout).toContain('PASS one-way-bundle-exchange (fixed)');
    expect(r.stdout).toMatch(/\n\d+ passed, 0 failed \(\d+\.\d s\)\n$/);
    expect(r.code).toBe(0);
  });

  it('exits 1 and prints the causal chain when an expectation fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fedlab-run-'));
    writeFileSync(join(dir, 'cross.yaml'), readFileSync(ONE_WAY, 'utf8').replace('  - when: fixed', '  - when: both'));
    const r = await fedlab(['run', 'cross.yaml', '--variant', 'broken'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL one-way-bundle-exchange (broken)');
    expect(r.stdout).toContain('[FAILED] cause: west was never given east\'s bundle');
    expect(r.stdout).toContain('↳ west/ClusterFederatedTrustDomain/east spec.trustDomainBundle');
    const json = await fedlab(['run', 'cross.yaml', '--variant', 'broken', '--json'], { cwd: dir });
    expect(JSON.parse(json.stdout.trim())).toMatchObject({ scenario: 'one-way-bundle-exchange', variant: 'broken', ok: false });
  });

  it('exits 2 naming file, line and field for an invalid scenario, and for a missing path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fedlab-run-'));
    writeFileSync(join(dir, 'bad.yaml'), 'apiVersion: fedlab.dev/v1\nkind: Scenario\nmetadata: { id: x, title: X }\nclusters: [{ name: west }]\n');
    const bad = await fedlab(['run', 'bad.yaml'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad.yaml:4: clusters[0].trustDomain: required field is missing');
    const missing = await fedlab(['run', 'nope/'], { cwd: dir });
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining('nope/: no such file or directory') });
    const variant = await fedlab(['run', 'bad.yaml', '--variant', 'sideways'], { cwd: dir });
    expect(variant.stderr).toContain('--variant sideways: must be broken, fixed or both');
  });
});

describe('fedlab exec', () => {
  it('runs one command line against the played scenario, with separate streams and the command\'s exit code', async () => {
    const ok = await fedlab(['exec', GOLDEN, '--', 'kubectl', '--context', 'east', 'get', 'pods', '-n', 'sample', '-o', 'name']);
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim().split('\n')).toHaveLength(2);
    const notFound = await fedlab(['exec', GOLDEN, '--', 'kubectl', 'get', 'deployment', 'nope']);
    expect(notFound).toEqual({ code: 1, stdout: '', stderr: 'Error from server (NotFound): deployments.apps "nope" not found\n' });
    const piped = await fedlab(['exec', GOLDEN, '--', 'kubectl --context east get pods -n sample -o name | wc -l']);
    expect(piped.stdout).toBe('2\n');
  });

  it('derives APP_DOMAIN from `oc get dns cluster` on OpenShift, as the guides do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fedlab-os-'));
    writeFileSync(
      join(dir, 'os.yaml'),
      'apiVersion: fedlab.dev/v1\nkind: Scenario\nmetadata: { id: os, title: OpenShift }\nclusters:\n  - { name: west, trustDomain: west.demo, platform: openshift, baseDomain: cluster1.example.com }\n  - { name: east, trustDomain: east.demo }\n',
    );
    const r = await fedlab(['exec', 'os.yaml', '--', "APP_DOMAIN=apps.$(oc get dns cluster -o jsonpath='{.spec.baseDomain}'); echo federation.$APP_DOMAIN"], { cwd: dir });
    expect(r).toEqual({ code: 0, stdout: 'federation.apps.cluster1.example.com\n', stderr: '' });
    const plain = await fedlab(['exec', 'os.yaml', '--', 'oc --context east get dns cluster'], { cwd: dir });
    expect(plain).toEqual({ code: 1, stdout: '', stderr: 'error: the server doesn\'t have a resource type "dns"\n' });
  });

  it('inside a container only the image\'s binaries exist', async () => {
    const r = await fedlab(['exec', GOLDEN, '--', 'kubectl', 'exec', '-n', 'sample', 'deploy/sleep', '--', 'spire-server', 'bundle', 'show']);
    expect(r.code).toBe(126);
    expect(r.stderr).toContain('exec: "spire-server": executable file not found in $PATH');
    expect(r.stderr).toContain('command terminated with exit code 126');
  });

  it('passes stdin through (kubectl apply -f -) and keeps a session with --state', async () => {
    const state = mkdtempSync(join(tmpdir(), 'fedlab-state-'));
    const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: trainee-work\n  namespace: default\ndata:\n  answer: "42"\n';
    const applied = await withStdin(['exec', GOLDEN, '--state', state, '--', 'kubectl', 'apply', '-f', '-'], manifest);
    expect(applied).toMatchObject({ code: 0, stdout: 'configmap/trainee-work created\n' });
    const again = await fedlab(['exec', GOLDEN, '--state', state, '--', 'kubectl', 'get', 'configmap', 'trainee-work', '-o', 'jsonpath={.data.answer}']);
    expect(again).toMatchObject({ code: 0, stdout: '42' });
    const without = await fedlab(['exec', GOLDEN, '--', 'kubectl', 'get', 'configmap', 'trainee-work']);
    expect(without.code).toBe(1);
    const other = await fedlab(['exec', ONE_WAY, '--state', state, '--', 'kubectl', 'get', 'ns']);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('holds a session of');
    const session = JSON.parse(readFileSync(join(state, 'fedlab-session.json'), 'utf8'));
    expect(session.journal.map((j: { line: string }) => j.line)).toEqual(['kubectl apply -f -', "kubectl get configmap trainee-work -o 'jsonpath={.data.answer}'"]);
  });

  it('refuses usage errors with exit 2', async () => {
    expect((await fedlab(['exec', GOLDEN])).stderr).toContain('give the command after --');
    expect((await fedlab(['exec', GOLDEN, '--variant', 'fixed', '--', 'true'])).stderr).toContain('this scenario has no fix, so it has no fixed variant');
    expect((await fedlab(['exec', GOLDEN, '--repeat', '0', '--', 'true'])).code).toBe(2);
  });
});

describe('fedlab shell and start', () => {
  it('reads command lines, switches contexts and keeps files between lines', async () => {
    const r = await withStdin(['shell', GOLDEN], 'kubectl config use-context east\nkubectl get pods -n sample -o name > pods.txt\nwc -l < pods.txt\nexit\necho never\n');
    expect(r.stdout).toContain('Switched to context "east".');
    expect(r.stdout).toContain('2\n');
    expect(r.stdout).not.toContain('never');
    expect(r.code).toBe(0);
  });

  it('start --shell plays the golden path and opens the shell (here without a terminal)', () => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'bin/fedlab.mjs'), 'start', '--shell'], { cwd: repoRoot, input: 'kubectl --context east get clusterfederatedtrustdomains -o name\n', encoding: 'utf8', timeout: 60_000 });
    expect(r.stdout).toContain('fedlab — Two clusters exchange trust bundles (golden-path)');
    expect(r.stdout).toContain('✓ East trusts west');
    expect(r.stdout).toContain('clusterfederatedtrustdomain.spire.spiffe.io/west');
    expect(r.status).toBe(0);
  });
});
