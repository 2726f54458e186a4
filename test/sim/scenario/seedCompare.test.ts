import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../sim/scenario/format.ts';
import { playScenario } from '../../../sim/scenario/index.ts';
import { compareWithSeed, firstDifference } from '../../../sim/scenario/seedCompare.ts';
import { seedLines } from '../../../server/cli/run.ts';
import { scenarioFromText } from '../../helpers/scenario.ts';

const scenario = (steps: string): string => `apiVersion: fedlab.dev/v1
kind: Scenario
metadata: { id: seedwalk, title: Seed walkthrough }
clusters:
  - name: west
    trustDomain: west.demo
steps:
${steps}`;

const play = (steps: string) => playScenario(scenarioFromText(scenario(steps), 'seed.yaml'), { variant: 'broken', crypto: globalThis.crypto, readFile: () => undefined });

describe('seed walkthrough comparison', () => {
  it('passes when the output equals the guide after normalising and trimming trailing whitespace', async () => {
    const r = await play(`  - name: "§1 serial"
    run: "echo 'Serial: 4a:1b:2c:3d:4e:5f:60:71:82   '"
    seed:
      shows: |
        Serial: 00:11:22:33:44:55:66:77:88

      normalize: [serials]
`);
    expect(r.steps[0]).toMatchObject({ ok: true, seed: { matched: true } });
    expect(seedLines(r)).toEqual(['seed: 1 outputs equal the guide, 0 differ with a guide claim']);
  });

  it('fails when the output differs, naming the first differing line', async () => {
    const r = await play(`  - run: "printf 'a\\\\nb\\\\nc\\\\n'"
    seed:
      shows: |
        a
        x
        c
`);
    expect(r.ok).toBe(false);
    expect(r.steps[0]).toMatchObject({ ok: false, seed: { matched: false } });
    expect(r.steps[0]!.message).toBe('seed: output differs from what the guide shows (line 2: expected "x", got "b")');
  });

  it('with differs: passes on expect when the output differs, fails when it equals the guide (a stale G-id)', async () => {
    const r = await play(`  - run: { command: "echo lab", expect: { exitCode: 0 } }
    seed: { shows: guide, differs: G16, note: only the image's path exists }
  - run: "echo guide"
    seed: { shows: guide, differs: G16 }
`);
    expect(r.steps[0]).toMatchObject({ ok: true, seed: { matched: false, differs: 'G16', note: "only the image's path exists" } });
    expect(r.steps[1]).toMatchObject({ ok: false, seed: { matched: true, differs: 'G16' } });
    expect(r.steps[1]!.message).toContain('output equals what the guide shows, but the step says it differs (G16)');
    expect(seedLines(r)[1]).toMatch(/^seed steps\[0\]: differs — G16: only the path the image ships exists.*\(only the image's path exists\)$/);
  });

  it('compares stdout followed by stderr when the guide prints an error', () => {
    const v = compareWithSeed({ shows: 'error: not found\n', normalize: [] }, { stdout: '', stderr: 'error: not found\n' });
    expect(v).toEqual({ outcome: { matched: true } });
    expect(compareWithSeed({ normalize: [], note: 'n' }, { stdout: 'x', stderr: '' })).toEqual({ outcome: { note: 'n' } });
    expect(firstDifference('a\nb', 'a')).toBe('line 2: expected "b", got end of output');
  });

  it('refuses an unknown G-id, an unknown normalizer and seed on a non-run step at load, with file:line', () => {
    const r = parseScenario(scenario(`  - run: "echo x"
    seed: { shows: x, differs: G99, normalize: [colours] }
  - advance: 5m
    seed: { shows: x }
`), 'seed.yaml');
    const lines = r.ok ? [] : r.error.message.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^seed\.yaml:9: steps\[0\]\.seed\.differs: unknown guide claim "G99" \(known: G01, G02, .*\)$/);
    expect(lines[1]).toMatch(/^seed\.yaml:9: steps\[0\]\.seed\.normalize\[0\]: unsupported value "colours": supported values: serials, times, names, uids, ips/);
    expect(lines[2]).toBe('seed.yaml:11: steps[1].seed: only a run step compares its output with the seed');
  });

  it('refuses a guide claim with nothing to check it against (no `shows`, no `expect`), and accepts it with an expect', () => {
    const bare = parseScenario(scenario(`  - run: "echo x"
    seed: { differs: G16 }
`), 'seed.yaml');
    expect(bare.ok ? '' : bare.error.message).toMatch(/^seed\.yaml:9: steps\[0\]\.seed\.differs: a guide claim needs something to check/);
    const checked = parseScenario(scenario(`  - run: { command: "echo x", expect: { stdout: { equals: "x\\n" } } }
    seed: { differs: G16 }
`), 'seed.yaml');
    expect(checked.ok).toBe(true);
  });
});
