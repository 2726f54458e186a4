/**
 * Finding and loading scenario files from disk: a path is a scenario file or a directory searched
 * recursively for YAML files whose document is a fedlab Scenario (manifest files beside them are
 * skipped). Problems are usage errors naming the file, line, field and reason.
 */
import { readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseScenario, SCENARIO_API_VERSION, type Scenario } from '../../sim/scenario/index.ts';
import { UsageError } from './io.ts';

export interface LoadedScenario {
  readonly scenario: Scenario;
  readonly path: string;
  readonly readFile: (p: string) => string | undefined;
}

const isYaml = (p: string): boolean => /\.ya?ml$/.test(p);
const looksLikeScenario = (text: string): boolean => new RegExp(`^apiVersion:\\s*["']?${SCENARIO_API_VERSION.replace('.', '\\.')}`, 'm').test(text) && /^kind:\s*["']?Scenario/m.test(text);

export function findScenarioFiles(paths: readonly string[], cwd: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (isYaml(p) && looksLikeScenario(readFileSync(p, 'utf8'))) out.push(p);
    }
  };
  for (const given of paths) {
    const { path: p, stats } = statGiven(given, cwd);
    if (stats.isDirectory()) walk(p);
    else out.push(p);
  }
  return out;
}

/** A path the user named, resolved and stat'ed; a missing one is a usage error in its own words. */
export function statGiven(given: string, cwd: string): { path: string; stats: Stats } {
  const path = resolve(cwd, given);
  try {
    return { path, stats: statSync(path) };
  } catch {
    throw new UsageError(`${given}: no such file or directory`);
  }
}

export function loadScenarioFile(path: string, cwd: string): LoadedScenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`${relative(cwd, path) || path}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const shown = relative(cwd, path) || path;
  const readRel = (p: string): string | undefined => {
    try {
      return readFileSync(resolve(dirname(path), p), 'utf8');
    } catch {
      return undefined;
    }
  };
  const parsed = parseScenario(text, shown, { readFile: readRel });
  if (!parsed.ok) throw new UsageError(`invalid scenario\n${parsed.error.message}`);
  return loadedScenario(path, parsed.value);
}

/** A scenario already parsed from `path` (a `fedlab run` worker gets it with the job), with its file reader. */
export function loadedScenario(path: string, scenario: Scenario): LoadedScenario {
  const base = dirname(path);
  return {
    scenario,
    path,
    readFile: (p) => {
      try {
        return readFileSync(resolve(base, p), 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}
