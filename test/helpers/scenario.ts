// Loads scenario files from the repository and plays them, as the CLI does.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseScenario, playScenario, type PlayOptions, type RunReport, type Scenario, type Variant } from '../../sim/scenario/index.ts';
import { repoRoot } from './shared.ts';

export function loadScenario(rel: string): { scenario: Scenario; readFile: (p: string) => string | undefined } {
  const path = join(repoRoot, rel);
  const r = parseScenario(readFileSync(path, 'utf8'), rel, { readFile: (p) => { try { return readFileSync(resolve(dirname(path), p), 'utf8'); } catch { return undefined; } } });
  if (!r.ok) throw new Error(r.error.message);
  return {
    scenario: r.value,
    readFile: (p) => {
      try {
        return readFileSync(resolve(dirname(path), p), 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}

export function scenarioFromText(text: string, file = 'inline.yaml'): Scenario {
  const r = parseScenario(text, file);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

export async function play(rel: string, variant: Variant = 'broken', extra: Partial<Pick<PlayOptions, 'seed' | 'signingConcurrency' | 'bundleClient'>> = {}): Promise<RunReport> {
  const { scenario, readFile } = loadScenario(rel);
  return playScenario(scenario, { variant, crypto: globalThis.crypto, readFile, ...extra });
}
