import { describe, expect, it } from 'vitest';
import { bundleFileName, exportBundle, importBundle } from '../../../ui/persist/bundle.ts';

const known = (s: string): boolean => s === 'scenarios/catalogue/m08.yaml';

describe('scenario bundles', () => {
  it('round-trips the scenario and its edited files', () => {
    const files = { 'scenarios/catalogue/m08.yaml': 'apiVersion: fedlab.dev/v1\nkind: Scenario\nsteps:\n  - apply:\n      inline: |\n        a: 1\n', 'scenarios/manifests/x.yaml': 'b: 2\n' };
    const text = exportBundle({ scenario: 'scenarios/catalogue/m08.yaml', files }, '2026-01-01T00:00:00Z');
    expect(text).toMatch(/^# fedlab: /);
    const back = importBundle(text, 'm08.edited.yaml', known);
    expect(back).toEqual({ ok: true, bundle: { scenario: 'scenarios/catalogue/m08.yaml', files } });
    expect(bundleFileName('scenarios/catalogue/m08.yaml')).toBe('m08.edited.yaml');
  });

  it('names the line and field of what is wrong', () => {
    const bad = (t: string): string => {
      const r = importBundle(t, 'b.yaml', known);
      return r.ok ? 'ok' : r.error;
    };
    expect(bad('apiVersion: fedlab.dev/v1\nkind: Scenario\n')).toBe('b.yaml:2: kind: must be ScenarioBundle (is this a scenario file? export one from the editor first)');
    expect(bad('apiVersion: fedlab.dev/v1\nkind: ScenarioBundle\nscenario: scenarios/nope.yaml\nfiles: []\n')).toBe('b.yaml:3: scenario: scenarios/nope.yaml is not a scenario of this lab');
    expect(bad('apiVersion: fedlab.dev/v1\nkind: ScenarioBundle\nscenario: scenarios/catalogue/m08.yaml\nfiles:\n  - path: ../etc/passwd\n    text: x\n')).toBe('b.yaml:5: files[0].path: ../etc/passwd is not a path under scenarios/');
    expect(bad('apiVersion: fedlab.dev/v1\nkind: ScenarioBundle\nscenario: scenarios/catalogue/m08.yaml\nfiles:\n  - path: scenarios/x.yaml\n    text: 3\n')).toBe('b.yaml:6: files[0].text: must be the file text (a string)');
    // A file whose YAML is broken: its own line and the bundle's line.
    expect(bad('apiVersion: fedlab.dev/v1\nkind: ScenarioBundle\nscenario: scenarios/catalogue/m08.yaml\nfiles:\n  - path: scenarios/x.yaml\n    text: |\n      a: 1\n      b: [unclosed\n')).toMatch(/^b\.yaml:\d+: files\[0\]\.text: scenarios\/x\.yaml:\d+: /);
    expect(bad('{{{')).toMatch(/^b\.yaml:1: \(yaml\): /);
  });
});
