// The scenario list's light pass (sim/driver/listing.ts) must say what the full parse says about every
// scenario of the library: same id, title, catalogue row, level, tags, hints, variants and clusters
// (those of the base for `extends`). A file whose blocks do not parse alone falls back to the full parse.
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/shared.ts';
import { diskFiles } from '../../../server/http/files.ts';
import { listScenario, topLevelBlocks } from '../../../sim/driver/listing.ts';
import { parseScenario } from '../../../sim/scenario/index.ts';
import { dirOf, joinRelative } from '../../../sim/core/paths.ts';

const files = diskFiles(repoRoot);
const scenarios = files.list().filter((f) => /\.ya?ml$/.test(f) && /^kind:\s*["']?Scenario/m.test(files.read(f) ?? '')).sort();

describe('the scenario list light pass', () => {
  it('agrees with the full parse on every scenario of the library', () => {
    expect(scenarios.length).toBeGreaterThan(40);
    let compared = 0;
    for (const file of scenarios) {
      const text = files.read(file)!;
      const full = parseScenario(text, file, { readFile: (p) => files.read(joinRelative(dirOf(file), p)) });
      if (!full.ok) continue;
      const s = full.value;
      const light = listScenario(file, text, (p) => files.read(p));
      expect(light, file).toEqual({
        file,
        id: s.id,
        title: s.title,
        ...(s.catalogue ? { catalogue: s.catalogue } : {}),
        ...(s.level ? { level: s.level } : {}),
        tags: s.tags,
        hints: s.hints,
        variants: s.fix ? ['broken', 'fixed'] : ['broken'],
        clusters: s.clusters.map((c) => ({ name: c.name, trustDomain: c.trustDomain, ...(c.network ? { network: c.network } : {}), platform: c.platform })),
      });
      compared++;
    }
    expect(compared).toBeGreaterThan(40);
  });

  it('cuts a scenario into its top-level blocks', () => {
    const b = topLevelBlocks('# c\napiVersion: fedlab.dev/v1\nkind: Scenario\nmetadata:\n  id: x\n  title: >\n    folded\n    title\nhints:\n  - one\n');
    expect([...b.keys()]).toEqual(['apiVersion', 'kind', 'metadata', 'hints']);
    expect(b.get('metadata')).toBe('metadata:\n  id: x\n  title: >\n    folded\n    title');
  });

  it('gives up (the caller parses in full) when a block does not stand alone or a field is missing', () => {
    const read = (): undefined => undefined;
    expect(listScenario('a.yaml', 'metadata:\n  id: a\n  title: *t\nclusters:\n  - { name: e, trustDomain: e.local }\n', read)).toBeUndefined();
    expect(listScenario('a.yaml', 'metadata:\n  id: a\nclusters:\n  - { name: e, trustDomain: e.local }\n', read)).toBeUndefined();
    expect(listScenario('a.yaml', 'metadata:\n  id: a\n  title: A\nextends: missing.yaml\n', read)).toBeUndefined();
    expect(listScenario('d/a.yaml', 'metadata:\n  id: a\n  title: A\nextends: ../b.yaml\nfix:\n  steps: []\n', (p) => (p === 'b.yaml' ? 'clusters:\n  - name: w\n    trustDomain: w.local\n    platform: openshift\n' : undefined))).toEqual({
      file: 'd/a.yaml',
      id: 'a',
      title: 'A',
      tags: [],
      hints: [],
      variants: ['broken', 'fixed'],
      clusters: [{ name: 'w', trustDomain: 'w.local', platform: 'openshift' }],
    });
  });
});
