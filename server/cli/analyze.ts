/**
 * `fedlab analyze PATH… [--variant broken|fixed|both] [--json] [--junit FILE] [--severity error|warning|info]
 * [--list] [--verbose]` — static diagnostics over manifests, without playing anything.
 *
 * PATH is a scenario file (its broken variant by default), a directory holding scenario files (each
 * one), a directory whose subdirectories hold manifests (one cluster per subdirectory, named after it),
 * or a directory (or file) of manifests (one cluster named after it). Output reads like a linter's; exit
 * codes from the one table (docs/cli.md): 1 when a finding reaches the failing severity, 2 for
 * unreadable or invalid input.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { ALL_RULES, analyze, inputFromFiles, inputFromScenario, SEVERITY_RANK, type AnalyzeInput, type Finding, type ManifestFile, type Severity, type SkippedCommand } from '../../sim/analyze/index.ts';
import type { Variant } from '../../sim/scenario/index.ts';
import { parseArgs } from './args.ts';
import { EXIT, UsageError, type CliIo } from './io.ts';
import { junitXml, type JUnitSuite } from './junit.ts';
import { findScenarioFiles, loadScenarioFile, statGiven } from './scenarioFiles.ts';
import { parseVariant } from './run.ts';

interface AnalyzedInput {
  readonly label: string;
  readonly input: AnalyzeInput;
  readonly skipped: readonly SkippedCommand[];
}

const MANIFEST = /\.(ya?ml|json)$/;
const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

function manifestFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...manifestFiles(p));
    else if (MANIFEST.test(e.name)) out.push(p);
  }
  return out;
}

function read(path: string, cwd: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`${relative(cwd, path) || path}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Cluster mode: one cluster per subdirectory holding manifests, or the directory (or file) itself. */
function clusterInput(path: string, cwd: string): AnalyzedInput {
  const shown = relative(cwd, path) || path;
  const files: ManifestFile[] = [];
  if (statSync(path).isDirectory()) {
    const subdirs = readdirSync(path, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(path, e.name)).sort();
    for (const d of subdirs) for (const f of manifestFiles(d)) files.push({ cluster: basename(d), file: relative(cwd, f) || f, text: read(f, cwd) });
    const direct = readdirSync(path, { withFileTypes: true }).filter((e) => e.isFile() && MANIFEST.test(e.name)).map((e) => join(path, e.name)).sort();
    for (const f of direct) files.push({ cluster: basename(path), file: relative(cwd, f) || f, text: read(f, cwd) });
    if (files.length === 0) throw new UsageError(`${shown}: no manifests (*.yaml, *.yml, *.json) and no scenario files found`);
  } else {
    files.push({ cluster: basename(dirname(path)) || 'cluster', file: shown, text: read(path, cwd) });
  }
  const r = inputFromFiles(files);
  if (!r.ok) throw new UsageError(r.error.message);
  return { label: shown, input: r.value, skipped: [] };
}

const isScenarioText = (text: string): boolean => /^apiVersion:\s*["']?fedlab\.dev\/v1/m.test(text) && /^kind:\s*["']?Scenario/m.test(text);

async function scenarioInputs(file: string, variants: readonly Variant[], cwd: string): Promise<AnalyzedInput[]> {
  const loaded = loadScenarioFile(file, cwd);
  const text = read(file, cwd);
  const own = loaded.scenario.fix ? variants : (['broken'] as const);
  const out: AnalyzedInput[] = [];
  for (const variant of own) {
    const r = await inputFromScenario(loaded.scenario, { variant, readFile: loaded.readFile, text });
    if (!r.ok) throw new UsageError(r.error.message);
    out.push({ label: `${loaded.scenario.id} (${loaded.scenario.fix ? variant : 'default'})`, input: r.value, skipped: r.value.skipped });
  }
  return out;
}

async function collect(paths: readonly string[], variants: readonly Variant[], cwd: string): Promise<AnalyzedInput[]> {
  const out: AnalyzedInput[] = [];
  for (const given of paths) {
    const { path: p, stats } = statGiven(given, cwd);
    if (stats.isFile()) {
      if (isScenarioText(read(p, cwd))) out.push(...(await scenarioInputs(p, variants, cwd)));
      else out.push(clusterInput(p, cwd));
      continue;
    }
    const scenarios = findScenarioFiles([p], cwd);
    if (scenarios.length > 0) for (const f of scenarios) out.push(...(await scenarioInputs(f, variants, cwd)));
    else out.push(clusterInput(p, cwd));
  }
  return out;
}

function objectText(f: Finding): string {
  const o = f.object;
  return `${o.kind}/${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

export function formatFinding(f: Finding): string {
  const at = f.file ? `${f.file}${f.line !== undefined ? `:${f.line}` : ''}` : f.cluster;
  return `${at}  ${f.severity}  ${f.code}  ${objectText(f)}  ${f.field}  ${f.message}${f.refs.length ? `  [${f.refs.join(', ')}]` : ''}`;
}

function listRules(io: CliIo): number {
  const width = Math.max(...ALL_RULES.map((r) => r.severity.length));
  for (const r of [...ALL_RULES].sort((a, b) => a.code.localeCompare(b.code))) io.stdout.write(`${r.code}  ${r.severity.padEnd(width)}  ${r.title}${r.refs.length ? `  [${r.refs.join(', ')}]` : ''}\n`);
  return EXIT.OK;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export const analyzeCommand = {
  summary: 'static diagnostics over manifests of one or more clusters, or scenarios',
  usage: 'fedlab analyze PATH… [--variant broken|fixed|both] [--json] [--junit FILE] [--severity error|warning|info] [--list] [--verbose]',
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(argv, { variant: { type: 'string' }, json: { type: 'boolean' }, junit: { type: 'string' }, severity: { type: 'string' }, list: { type: 'boolean' }, verbose: { type: 'boolean' } });
    if (flags.list) return listRules(io);
    if (positionals.length === 0) throw new UsageError('name at least one scenario file or manifest directory');
    const severity = flags.severity as string | undefined;
    if (severity !== undefined && !SEVERITIES.includes(severity as Severity)) throw new UsageError(`--severity ${severity}: must be error, warning or info`);
    // Shown: findings at or above --severity (all by default). Failing: at or above --severity (error by default).
    const shownRank = SEVERITY_RANK[(severity as Severity | undefined) ?? 'info'];
    const failRank = SEVERITY_RANK[(severity as Severity | undefined) ?? 'error'];
    const variants = flags.variant === undefined ? (['broken'] as Variant[]) : parseVariant(flags.variant as string, true);
    const inputs = await collect(positionals, variants, io.cwd);

    const results = inputs.map((i) => ({ ...i, findings: analyze(i.input).filter((f) => SEVERITY_RANK[f.severity] >= shownRank) }));
    const all = results.flatMap((r) => r.findings);
    const count = (s: Severity) => all.filter((f) => f.severity === s).length;
    const failing = all.filter((f) => SEVERITY_RANK[f.severity] >= failRank).length;
    const skipped = results.reduce((n, r) => n + r.skipped.length, 0);

    if (flags.junit !== undefined) {
      const suites: JUnitSuite[] = results.map((r) => ({
        name: r.label,
        cases: [...ALL_RULES].sort((a, b) => a.code.localeCompare(b.code)).map((rule) => {
          const mine = r.findings.filter((f) => f.code === rule.code && SEVERITY_RANK[f.severity] >= failRank);
          return {
            name: `${rule.code} ${rule.title}`,
            classname: `fedlab.analyze.${r.label.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/_+$/, '')}`,
            ...(mine.length > 0 ? { failure: { message: `${plural(mine.length, 'finding')}: ${mine[0]!.message}`, details: mine.map(formatFinding).join('\n') } } : {}),
          };
        }),
      }));
      try {
        writeFileSync(resolve(io.cwd, flags.junit as string), junitXml(suites));
      } catch (e) {
        throw new UsageError(`--junit ${flags.junit as string}: cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    }

    const summary = { inputs: results.length, errors: count('error'), warnings: count('warning'), infos: count('info'), skippedCommands: skipped };
    if (flags.json) {
      io.stdout.write(
        `${JSON.stringify({
          findings: results.flatMap((r) => r.findings.map((f) => ({ input: r.label, ...f }))),
          summary,
          ...(flags.verbose ? { skipped: results.flatMap((r) => r.skipped.map((s) => ({ input: r.label, ...s }))) } : {}),
        })}\n`,
      );
    } else {
      for (const r of results) {
        if (results.length > 1) io.stdout.write(`${r.label}: ${r.findings.length === 0 ? 'no findings' : plural(r.findings.length, 'finding')}\n`);
        for (const f of r.findings) io.stdout.write(`${results.length > 1 ? '  ' : ''}${formatFinding(f)}\n`);
        if (flags.verbose) for (const s of r.skipped) io.stdout.write(`${results.length > 1 ? '  ' : ''}${s.file}${s.line !== undefined ? `:${s.line}` : ''}  skipped  ${s.command}  (${s.reason})\n`);
      }
      io.stdout.write(`\n${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}, ${plural(summary.infos, 'info')} in ${plural(results.length, 'input')}${skipped > 0 ? `; ${plural(skipped, 'command')} not followed${flags.verbose ? '' : ' (--verbose lists them)'}` : ''}\n`);
    }
    return failing > 0 ? EXIT.FAILED : EXIT.OK;
  },
};
