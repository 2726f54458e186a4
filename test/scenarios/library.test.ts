// The scenario library as a whole: every file loads, every variant passes, and each variant's own
// expectations fail when checked on the other variant's world (so they test what differs).
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario, playScenario, type Scenario, type Variant } from '../../sim/scenario/index.ts';
import { findScenarioFiles } from '../../server/cli/scenarioFiles.ts';
import { KeyStock } from '../../sim/pki/keyStock.ts';
import { inThreadCrypto } from '../../server/cli/inThreadCrypto.ts';
import { repoRoot } from '../helpers/shared.ts';

const files = findScenarioFiles(['scenarios'], repoRoot);
const library = files.map((path) => {
  const rel = relative(repoRoot, path);
  const parsed = parseScenario(readFileSync(path, 'utf8'), rel, { readFile: (p) => { try { return readFileSync(resolve(dirname(path), p), 'utf8'); } catch { return undefined; } } });
  if (!parsed.ok) throw new Error(parsed.error.message);
  const readFile = (p: string): string | undefined => {
    try {
      return readFileSync(resolve(dirname(path), p), 'utf8');
    } catch {
      return undefined;
    }
  };
  return { rel, scenario: parsed.value, readFile };
});

// As `fedlab run` plays them: RSA keys generated once for the file and handed to later worlds
// (sim/pki/keyStock.ts), signatures made in this thread (server/cli/inThreadCrypto.ts).
const keys = new KeyStock(inThreadCrypto(globalThis.crypto));
const play = (s: { scenario: Scenario; readFile: (p: string) => string | undefined }, variant: Variant, expectationsOf?: Variant) =>
  playScenario(s.scenario, { variant, crypto: keys.view(), readFile: s.readFile, ...(expectationsOf ? { expectationsOf } : {}) });

describe('the scenario library', () => {
  it('has scenarios, with unique ids', () => {
    expect(library.length).toBeGreaterThanOrEqual(3);
    const ids = library.map((l) => l.scenario.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  describe.each(library)('$rel', (entry) => {
    const variants: Variant[] = entry.scenario.fix ? ['broken', 'fixed'] : ['broken'];
    it.each(variants)('%s variant passes', async (variant) => {
      const r = await play(entry, variant);
      const failures = [...r.steps.filter((s) => !s.ok).map((s) => `${s.at}: ${s.message}`), ...r.expectations.filter((e) => !e.ok).map((e) => `${e.at}: ${e.message}`)];
      expect(failures).toEqual([]);
    }, 120_000);

    if (entry.scenario.fix) {
      it('declares a cause, and each variant\'s expectations fail on the other variant', async () => {
        const s = entry.scenario;
        expect(s.cause, 'a scenario with a fix declares its cause').toBeDefined();
        const own = (v: Variant) => s.expect.filter((e) => e.when === v).map((e) => e.at);
        expect(own('broken').length, 'needs a `when: broken` expectation').toBeGreaterThan(0);
        expect(own('fixed').length, 'needs a `when: fixed` expectation').toBeGreaterThan(0);
        const brokenChecksOnFixed = await play(entry, 'fixed', 'broken');
        const fixedChecksOnBroken = await play(entry, 'broken', 'fixed');
        const failing = (r: typeof brokenChecksOnFixed, v: Variant) => r.expectations.filter((e) => !e.ok && own(v).includes(e.at)).map((e) => e.at);
        expect(failing(brokenChecksOnFixed, 'broken'), 'a broken-variant expectation must fail on the fixed variant').not.toEqual([]);
        expect(failing(fixedChecksOnBroken, 'fixed'), 'a fixed-variant expectation must fail on the broken variant').not.toEqual([]);
      }, 240_000);
    }
  });
});
