// `fedlab run` for CI: JUnit XML, --filter, the progress line on a terminal (and never elsewhere),
// and worker threads giving the same results as playing in-process.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../server/cli/main.ts';
import { scenarioFilter } from '../../../server/cli/run.ts';
import { PoolDefect, runPool } from '../../../server/cli/runPool.ts';
import { variantContext, type VariantJob } from '../../../server/cli/runVariant.ts';
import { fedlab } from '../../helpers/cli.ts';
import { repoRoot } from '../../helpers/shared.ts';

const ONE_WAY = join(repoRoot, 'scenarios/platform/one-way-bundle-exchange.yaml');

/** A directory holding the one-way scenario twice: as is, and with its fixed expectation checked on both variants (so `broken` fails). */
function fixtureDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fedlab-runci-'));
  const text = readFileSync(ONE_WAY, 'utf8');
  writeFileSync(join(dir, 'good.yaml'), text);
  writeFileSync(join(dir, 'cross.yaml'), text.replace('id: one-way-bundle-exchange', 'id: one-way-cross').replace('  - when: fixed', '  - when: both'));
  return dir;
}

async function tty(args: string[], cwd: string, isTTY: boolean) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: { write: (s: string) => (stdout += s), isTTY, columns: 100 }, stderr: { write: (s: string) => (stderr += s) }, env: {}, cwd });
  return { code, stdout, stderr };
}

describe('fedlab run --junit', () => {
  it('writes a testsuite per file and a testcase per variant, failures carrying the first failing check and every causal chain', async () => {
    const dir = fixtureDir();
    const r = await fedlab(['run', '.', '--junit', 'out.xml', '--jobs', '1'], { cwd: dir });
    expect(r.code).toBe(1);
    const xml = readFileSync(join(dir, 'out.xml'), 'utf8');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites tests="4" failures="1" skipped="0">\n/);
    expect(xml).toContain('<testsuite name="cross.yaml" tests="2" failures="1" skipped="0">');
    expect(xml).toContain('<testsuite name="good.yaml" tests="2" failures="0" skipped="0">');
    expect(xml).toMatch(/<testcase name="one-way-cross \(fixed\)" classname="one-way-cross" time="\d+\.\d{3}"\/>/);
    const failure = /<testcase name="one-way-cross \(broken\)"[^>]*>\n\s*<failure message="([^"]*)">([^<]*)<\/failure>/.exec(xml);
    expect(failure).not.toBeNull();
    expect(failure![1]).toMatch(/^expectation expect\[1\] \(cross\.yaml:\d+\): ClusterFederatedTrustDomain\/east in west: Error from server \(NotFound\)/);
    // The details are what the text output prints under the FAIL line: the check, then its chain.
    expect(failure![2]).toContain("[FAILED] cause: west was never given east's bundle");
    expect(failure![2]).toContain('↳ west/ClusterFederatedTrustDomain/east spec.trustDomainBundle');
    const text = r.stdout.slice(r.stdout.indexOf('FAIL one-way-cross (broken)')).split('\n').slice(1, 7).join('\n');
    expect(failure![2]!.replace(/&quot;/g, '"')).toBe(text);
  }, 60_000);
});

describe('fedlab run --filter', () => {
  it('matches id, path, catalogue ID and tags by substring or /regex/, and exits 2 when nothing matches', async () => {
    const match = scenarioFilter('CROSS');
    const s = { id: 'one-way-cross', catalogue: 'S04', tags: ['federation', 'bundle-exchange'] } as never;
    expect(match(s, 'x.yaml')).toBe(true);
    expect(scenarioFilter('s04')(s, 'x.yaml')).toBe(true);
    expect(scenarioFilter('bundle-ex')(s, 'x.yaml')).toBe(true);
    expect(scenarioFilter('dir/x')(s, 'dir/x.yaml')).toBe(true);
    expect(scenarioFilter('/^one-way-c/')(s, 'x.yaml')).toBe(true);
    expect(scenarioFilter('/^CROSS$/i')(s, 'x.yaml')).toBe(false);
    expect(scenarioFilter('/^S\\d{2}$/')(s, 'x.yaml')).toBe(true);
    const dir = fixtureDir();
    const r = await fedlab(['run', '.', '--filter', '/^good/', '--variant', 'fixed', '--jobs', '1'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PASS one-way-bundle-exchange \(fixed\) — \d+ steps, \d+ expectations\n\n1 passed, 0 failed \(\d+\.\d s\)\n$/);
    const none = await fedlab(['run', '.', '--filter', 'nothing-like-this'], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('fedlab run: --filter nothing-like-this matches none of the 2 scenarios in .');
    const bad = await fedlab(['run', '.', '--filter', '/(/'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--filter /(/: not a valid regular expression');
  }, 60_000);
});

describe('fedlab run progress', () => {
  it('draws one rewritten line per variant on a terminal, then its PASS/FAIL line', async () => {
    const dir = fixtureDir();
    const r = await tty(['run', 'good.yaml', '--jobs', '1'], dir, true);
    expect(r.code).toBe(0);
    const clear = '\r\x1b[2K';
    expect(r.stdout).toBe(
      `${clear}[1/2] one-way-bundle-exchange (broken)…${clear}${r.stdout.match(/PASS one-way-bundle-exchange \(broken\)[^\n]*\n/)![0]}` +
        `${clear}[2/2] one-way-bundle-exchange (fixed)…${clear}${r.stdout.match(/PASS one-way-bundle-exchange \(fixed\)[^\n]*\n/)![0]}` +
        `\n2 passed, 0 failed (${/\((\d+\.\d) s\)\n$/.exec(r.stdout)![1]} s)\n`,
    );
  }, 60_000);

  it('never draws it when stdout is not a terminal, nor with --json', async () => {
    const dir = fixtureDir();
    const plain = await tty(['run', 'good.yaml', '--jobs', '1'], dir, false);
    expect(plain.stdout).not.toContain('\r');
    expect(plain.stdout).not.toContain('\x1b');
    const json = await tty(['run', 'good.yaml', '--jobs', '1', '--json'], dir, true);
    expect(json.stdout).not.toContain('\r');
    expect(json.stdout.trim().split('\n').map((l) => JSON.parse(l).variant)).toEqual(['broken', 'fixed']);
  }, 60_000);
});

describe('fedlab run --jobs', () => {
  it('prints the same results in the same order on worker threads as in-process', async () => {
    const dir = fixtureDir();
    const serial = await fedlab(['run', '.', '--json', '--jobs', '1'], { cwd: dir });
    const pooled = await fedlab(['run', '.', '--json', '--jobs', '2'], { cwd: dir });
    expect(pooled.stderr).toBe('');
    expect(pooled.code).toBe(1);
    expect(serial.code).toBe(1);
    expect(serial.stdout.trim().split('\n')).toHaveLength(4);
    expect(pooled.stdout).toBe(serial.stdout);
    // Workers loading the TypeScript sources through tsx instead of the bundle play the same.
    const unbundled = await fedlab(['run', '.', '--json', '--jobs', '2'], { cwd: dir, env: { FEDLAB_BUNDLE: '0' } });
    expect(unbundled.stdout).toBe(serial.stdout);
  }, 120_000);

  it('rejects a --jobs that is not a positive whole number', async () => {
    const r = await fedlab(['run', ONE_WAY, '--jobs', '0']);
    expect(r).toMatchObject({ code: 2, stderr: expect.stringContaining('--jobs 0: must be a whole number of at least 1') });
  });
});

describe('fedlab run pool', () => {
  it('stops with a lab defect naming the scenario and variant when a worker fails', async () => {
    const dir = fixtureDir();
    const good = join(dir, 'good.yaml');
    const context = variantContext(dir);
    const job = (index: number, path: string, file: string): VariantJob => ({ index, path, file, variant: 'broken', label: 'broken', memory: true, wire: false });
    const jobs = [job(0, good, 'good.yaml'), job(1, join(dir, 'gone.yaml'), 'gone.yaml')];
    const finished: number[] = [];
    // The worker is handed the first job in play order (the missing file); this thread plays the other.
    const run = runPool(jobs, [1, 0], { jobs: 2, cwd: dir, context, finished: (r) => finished.push(r.index) });
    await expect(run).rejects.toBeInstanceOf(PoolDefect);
    await expect(run).rejects.toThrow(/^a worker failed while playing gone\.yaml \(broken\): gone\.yaml: cannot read: ENOENT/);
    expect(finished.includes(1)).toBe(false);
  }, 60_000);
});
