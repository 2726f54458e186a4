// Every S, M and F entry of the catalogue (shared/CATALOGUE.md) has a scenario in scenarios/ that a
// trainee can learn from: `metadata.catalogue` names the entry, and it has broken and fixed variants
// (a fix), a declared cause, an explanation and at least one hint. Guide claims (G…) are not scenarios.
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findScenarioFiles } from '../../server/cli/scenarioFiles.ts';
import { parseScenario, type Scenario } from '../../sim/scenario/index.ts';
import { repoRoot, sharedPath } from '../helpers/shared.ts';

/** IDs in the first cell of the catalogue's table rows: `| S04 | …`. */
export function catalogueIds(markdown: string): string[] {
  const ids = [...markdown.matchAll(/^\|\s*([SMF]\d{2})\s*\|/gm)].map((m) => m[1]!);
  return [...new Set(ids)].sort();
}

/** What a scenario lacks to teach its catalogue entry (empty: complete). */
export function missingParts(s: Scenario): string[] {
  const out: string[] = [];
  if (!s.fix) out.push('fix (broken and fixed variants)');
  if (!s.cause) out.push('cause');
  if (!s.explanation) out.push('explanation');
  if (s.hints.length === 0) out.push('hints');
  return out;
}

function loadLibrary(): Scenario[] {
  return findScenarioFiles(['scenarios'], repoRoot).map((path) => {
    const readFile = (p: string): string | undefined => {
      try {
        return readFileSync(resolve(dirname(path), p), 'utf8');
      } catch {
        return undefined;
      }
    };
    const parsed = parseScenario(readFileSync(path, 'utf8'), relative(repoRoot, path), { readFile });
    if (!parsed.ok) throw new Error(parsed.error.message);
    return parsed.value;
  });
}

describe('catalogue coverage', () => {
  it('reads the S, M and F IDs of the catalogue tables', () => {
    expect(catalogueIds('| ID | x |\n|---|---|\n| S01 | a |\n| M14 | b |\n|F07|c|\n| G11 | claim |\ntext S02 |')).toEqual(['F07', 'M14', 'S01']);
  });

  it('has, for every S, M and F entry, a scenario with a fix, a cause, an explanation and hints', () => {
    const ids = catalogueIds(readFileSync(sharedPath('CATALOGUE.md'), 'utf8'));
    expect(ids.length, 'no S/M/F rows found in CATALOGUE.md').toBeGreaterThan(0);
    const library = loadLibrary();
    const problems = ids.flatMap((id) => {
      const candidates = library.filter((s) => s.catalogue === id);
      if (candidates.length === 0) return [`${id}: no scenario with metadata.catalogue: ${id}`];
      if (candidates.some((s) => missingParts(s).length === 0)) return [];
      return [`${id}: ${candidates.map((s) => `${s.file} lacks ${missingParts(s).join(', ')}`).join('; ')}`];
    });
    expect(problems).toEqual([]);
  });
});
