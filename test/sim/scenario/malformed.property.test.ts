// Property: a scenario file mangled the way hand edits mangle YAML never crashes the loader; it loads
// (some mutations are harmless) or fails with `file:line: field: reason`.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../sim/scenario/format.ts';
import { repoRoot } from '../../helpers/shared.ts';
import { escapeRegExp, mutations } from '../../helpers/yamlMutations.ts';

const FILES = ['scenarios/f07-istio-spire-federation-sample.yaml', 'scenarios/catalogue/m04-remote-secret-missing.yaml'];

describe('parseScenario on malformed files', () => {
  // Found by the properties below: a file cut to nothing (or to its comments), a second document, and a
  // recursive alias crashed the loader or had no line.
  it.each([
    ['', /^x\.yaml:1: a scenario file holds exactly one YAML document, found 0$/],
    ['# the title\n', /^x\.yaml:1: a scenario file holds exactly one YAML document, found 0$/],
    ['kind: Scenario\n---\nkind: Scenario\n', /^x\.yaml:3: a scenario file holds exactly one YAML document, found 2$/],
    ['kind: Scenario\nmetadata: &m { id: *m }\n', /^x\.yaml:2:20: anchor 'm' value contains itself$/],
  ])('locates %j', (text, message) => {
    const r = parseScenario(text, 'x.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(message);
  });

  for (const file of FILES) {
    it(`never throws and always locates the problem: ${file}`, () => {
      const path = join(repoRoot, file);
      const original = readFileSync(path, 'utf8');
      const readFile = (p: string): string | undefined => {
        try {
          return readFileSync(resolve(dirname(path), p), 'utf8');
        } catch {
          return undefined;
        }
      };
      expect(parseScenario(original, file, { readFile }).ok).toBe(true);
      const located = new RegExp(`^${escapeRegExp(file)}:\\d+(:\\d+)?: \\S`);
      fc.assert(
        fc.property(mutations, (m) => {
          const r = parseScenario(m.apply(original), file, { readFile });
          if (r.ok) return;
          const first = r.error.message.split('\n')[0]!;
          expect(first, `${m.name}\n${r.error.message}`).toMatch(located);
        }),
        { numRuns: 200, seed: 8 },
      );
    });
  }
});
