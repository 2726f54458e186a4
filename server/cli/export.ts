/**
 * `fedlab export FILE [--variant fixed|broken] --out DIR [--force]` — a scenario variant as manifests per
 * kubectl context, ready to apply to real clusters, with the steps only a human can do (bundle exchange,
 * istioctl, remote secrets, labels) as an ordered checklist and as comments in the manifests
 * (sim/scenario/export.ts). Every manifest is checked as the cluster's API server would: a problem is
 * printed as `DIR/<context>/NN-….yaml:LINE: Kind/name: field: reason` and the command exits 1.
 * A non-empty DIR is refused unless `--force`, which replaces only files an earlier export wrote.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { formatLocation } from '../../sim/kube/yaml.ts';
import { EXPORT_HEADER, exportScenario } from '../../sim/scenario/export.ts';
import { parseArgs } from './args.ts';
import { EXIT, UsageError, type CliIo } from './io.ts';
import { loadScenarioFile } from './scenarioFiles.ts';

/** Files an earlier export wrote (manifests with the header, and its own README/STEPS/workspace copies are overwritten). */
function removeEarlierExport(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const sub = join(dir, entry.name);
    for (const f of readdirSync(sub, { withFileTypes: true })) {
      const p = join(sub, f.name);
      if (f.isFile() && /\.ya?ml$/.test(f.name) && readFileSync(p, 'utf8').startsWith(EXPORT_HEADER)) rmSync(p);
    }
  }
}

export const exportCommand = {
  summary: 'write a scenario variant as manifests per cluster, with the human steps, for real clusters',
  usage: 'fedlab export FILE --out DIR [--variant fixed|broken] [--force]',
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(argv, { variant: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' } });
    if (positionals.length !== 1) throw new UsageError('name exactly one scenario file');
    const out = flags.out as string | undefined;
    if (!out) throw new UsageError('--out DIR is required');
    const variant = (flags.variant as string | undefined) ?? 'fixed';
    if (variant !== 'fixed' && variant !== 'broken') throw new UsageError(`--variant ${variant}: must be fixed or broken`);
    const dir = resolve(io.cwd, out);
    if (existsSync(dir)) {
      if (!statSync(dir).isDirectory()) throw new UsageError(`${out}: exists and is not a directory`);
      if (readdirSync(dir).length > 0 && flags.force !== true) throw new UsageError(`${out}: directory is not empty; refusing to overwrite it (use --force to replace an earlier export)`);
    }
    const { scenario, readFile } = loadScenarioFile(resolve(io.cwd, positionals[0]!), io.cwd);
    // A scenario without a fix has one variant (`default`): that is what either flag exports.
    const own = scenario.fix ? variant : 'broken';
    const r = exportScenario(scenario, { variant: own, readFile, ...(scenario.fix ? {} : { label: 'default' }) });
    if (!r.ok) throw new UsageError(`cannot export: ${r.error.message}`);
    if (existsSync(dir) && flags.force === true) removeEarlierExport(dir);
    for (const f of r.value.files) {
      const p = join(dir, f.path);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, f.text);
    }
    const shown = relative(io.cwd, dir) || '.';
    for (const c of scenario.clusters) {
      const n = r.value.files.filter((f) => f.path.startsWith(`${c.name}/`) && f.path.endsWith('.yaml')).length;
      io.stdout.write(`${shown}/${c.name}/: ${n} manifests (context ${c.name})\n`);
    }
    io.stdout.write(`${shown}/STEPS.md: the order across contexts, with the steps a human must do\n`);
    const problems = r.value.problems;
    if (problems.length === 0) {
      io.stdout.write(`every manifest passed the API server's checks (CRD schemas and built-in kinds)\n`);
      return EXIT.OK;
    }
    for (const p of problems) io.stderr.write(`${formatLocation(`${shown}/${p.file}`, p.line, p.subject, p.field, p.reason)}\n`);
    io.stderr.write(`${problems.length} problem${problems.length === 1 ? '' : 's'} in the exported manifests: a real API server would refuse ${problems.length === 1 ? 'it' : 'them'}\n`);
    return EXIT.FAILED;
  },
};
