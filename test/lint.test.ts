// The architecture rules live in eslint.config.js; these tests prove they fire where DESIGN.md says.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/shared.ts';

const eslint = new ESLint({ cwd: repoRoot });

async function rulesHit(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${repoRoot}/${filePath}` });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('lint enforces the engine\'s rules', () => {
  it('bans ambient time, randomness and timers in sim/', async () => {
    expect(await rulesHit('export const t = Date.now();\n', 'sim/spire/x.ts')).toContain('no-restricted-properties');
    expect(await rulesHit('export const r = Math.random();\n', 'sim/envoy/x.ts')).toContain('no-restricted-properties');
    expect(await rulesHit('export const d = new Date();\n', 'sim/kube/x.ts')).toContain('no-restricted-syntax');
    expect(await rulesHit('setTimeout(() => 1, 5);\n', 'sim/istiod/x.ts')).toContain('no-restricted-globals');
    // dates from a value are fine, and the clock itself may read the wall clock
    expect(await rulesHit('export const d = new Date(5);\n', 'sim/kube/x.ts')).toEqual([]);
    expect(await rulesHit('export const t = Date.now();\n', 'sim/core/clock.ts')).toEqual([]);
    // outside sim/ the wall clock is allowed
    expect(await rulesHit('export const t = Date.now();\n', 'server/x.ts')).toEqual([]);
  });

  it('keeps imports pointing one way', async () => {
    expect(await rulesHit("import { ok } from '../pki/der.ts';\nexport const y = ok;\n", 'sim/core/x.ts')).toContain('fedlab/layers');
    expect(await rulesHit("import { x } from '../spire/index.ts';\nexport const y = x;\n", 'sim/istiod/x.ts')).toContain('fedlab/layers');
    expect(await rulesHit("import { x } from '../spiffe/index.ts';\nexport const y = x;\n", 'sim/pki/x.ts')).toContain('fedlab/layers');
    expect(await rulesHit("import { x } from '../../server/cli/main.ts';\nexport const y = x;\n", 'sim/core/x.ts')).toContain('fedlab/layers');
    expect(await rulesHit("import { x } from '../server/cli/main.ts';\nexport const y = x;\n", 'ui/x.ts')).toContain('fedlab/layers');
    expect(await rulesHit("import { x } from '../envoy/index.ts';\nexport const y = x;\n", 'sim/spire/x.ts')).toContain('fedlab/layers');
    expect(await rulesHit("import { x } from '../scenario/index.ts';\nexport const y = x;\n", 'sim/world/x.ts')).toContain('fedlab/layers');
    expect(await rulesHit("import { ok } from '../core/result.ts';\nexport const y = ok;\n", 'sim/pki/x.ts')).toEqual([]);
    expect(await rulesHit("import { faults } from '../net/index.ts';\nexport const y = faults;\n", 'sim/world/x.ts')).toEqual([]);
  });

  it('keeps Node built-ins out of the browser code', async () => {
    expect(await rulesHit("import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n", 'sim/spire/x.ts')).toContain('no-restricted-imports');
    expect(await rulesHit("import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n", 'ui/x.ts')).toContain('no-restricted-imports');
  });
});
