/**
 * `fedlab analyze`: static diagnostics over the manifests of one or more clusters (types.ts is the
 * contract; input.ts builds the input; rules/ hold one rule per file). Findings are sorted by cluster,
 * file, line and code so that output is stable.
 */
import type { AnalyzeInput, Finding, Rule, Severity } from './types.ts';
import { spireRules } from './rules/spire/index.ts';
import { meshRules } from './rules/mesh/index.ts';

export type { AnalyzeInput, AnalyzedObject, ClusterInput, Finding, ObjectRef, Rule, Severity } from './types.ts';
export { inputFromFiles, inputFromScenario, type ManifestFile, type ScenarioInput, type SkippedCommand } from './input.ts';

export const ALL_RULES: readonly Rule[] = [...spireRules, ...meshRules];

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 3, warning: 2, info: 1 };

export interface AnalyzeOptions {
  readonly rules?: readonly Rule[];
}

export function analyze(input: AnalyzeInput, opts: AnalyzeOptions = {}): Finding[] {
  const out: Finding[] = [];
  for (const rule of opts.rules ?? ALL_RULES) out.push(...rule.check(input));
  return out.sort(
    (a, b) =>
      a.cluster.localeCompare(b.cluster) ||
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      a.code.localeCompare(b.code) ||
      a.field.localeCompare(b.field),
  );
}
