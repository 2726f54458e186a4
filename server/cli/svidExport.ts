/**
 * `fedlab svid export FILE [--variant broken|fixed] --pod NS/NAME|NS/deploy/NAME [--context C]
 * [--container C] --out DIR [--seed N]` — plays the scenario and writes the files that pod's
 * spiffe-helper wrote (`svid.pem`, `svid_key.pem`, `bundle.pem`, under their configured names) to DIR,
 * for use with openssl or any TLS stack outside the lab. The virtual clock is anchored so the run ends
 * a minute before the wall clock: the exported certificates are valid now.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Step } from '../../sim/scenario/index.ts';
import { playScenario } from '../../sim/scenario/index.ts';
import { parseArgs } from './args.ts';
import { EXIT, UsageError, type CliIo } from './io.ts';
import { parseSeed, parseVariant } from './run.ts';
import { loadScenarioFile } from './scenarioFiles.ts';
import { nodeTransport } from './transport.ts';

const advanced = (steps: readonly Step[]): number => steps.reduce((sum, s) => sum + (s.type === 'advance' ? s.ms : 0), 0);

interface PodRef {
  readonly context?: string;
  readonly namespace: string;
  readonly workload: boolean;
  readonly name: string;
  readonly text: string;
}

function parsePodRef(text: string): PodRef {
  const m = /^(?:([a-z0-9-]+):)?([a-z0-9-]+)\/(?:(deploy|deployment|statefulset|sts|daemonset|ds)\/)?([a-z0-9.-]+)$/.exec(text);
  if (!m) throw new UsageError(`--pod ${text}: expected [CONTEXT:]NS/NAME or [CONTEXT:]NS/deploy/NAME`);
  return { ...(m[1] ? { context: m[1] } : {}), namespace: m[2]!, workload: m[3] !== undefined, name: m[4]!, text };
}

export const svidExportCommand = {
  summary: 'write pods\' spiffe-helper files (svid.pem, svid_key.pem, bundle.pem) for use outside the lab',
  usage: 'fedlab svid export FILE [--variant broken|fixed] --pod [CONTEXT:]NS/NAME|NS/deploy/NAME… [--context C] [--container C] --out DIR [--seed N]',
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const [sub, ...rest] = argv;
    if (sub !== 'export') throw new UsageError(sub === undefined ? 'missing subcommand: export' : `unknown subcommand "${sub}" (known: export)`);
    const { flags, positionals } = parseArgs(rest, { variant: { type: 'string' }, pod: { type: 'string', repeat: true }, context: { type: 'string' }, container: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' } });
    if (positionals.length !== 1) throw new UsageError('name exactly one scenario file');
    const refs = ((flags.pod as string[] | undefined) ?? []).map(parsePodRef);
    const out = flags.out as string | undefined;
    if (refs.length === 0) throw new UsageError('--pod NS/NAME or NS/deploy/NAME is required');
    if (!out) throw new UsageError('--out DIR is required');
    const variant = parseVariant((flags.variant as string | undefined) ?? 'broken', false)[0]!;
    const seed = parseSeed(flags.seed as string | undefined);
    const { scenario, readFile } = loadScenarioFile(resolve(io.cwd, positionals[0]!), io.cwd);
    if (variant === 'fixed' && !scenario.fix) throw new UsageError(`${positionals[0]}: this scenario has no fix, so it has no fixed variant`);
    const steps = [...scenario.steps, ...(variant === 'fixed' ? (scenario.fix?.steps ?? []) : [])];
    // Simplified: the wall clock is read here, at the edge, to anchor the virtual clock.
    const start = Date.now() - advanced(steps) - 60_000;
    // One run for every pod: key material differs between runs, so files from two runs never trust each other.
    const transport = nodeTransport(false);
    const report = await playScenario(scenario, { variant, crypto: globalThis.crypto, readFile, start, ...(seed !== undefined ? { seed } : {}), ...(transport.bundleClient ? { bundleClient: transport.bundleClient } : {}) }).finally(() => transport.close());
    const written: string[] = [];
    for (const ref of refs) {
      const contextName = ref.context ?? (flags.context as string | undefined) ?? scenario.clusters[0]!.name;
      const cluster = report.world.cluster(contextName);
      if (!cluster) throw new UsageError(`--pod ${ref.text}: no cluster "${contextName}" in ${positionals[0]} (clusters: ${scenario.clusters.map((c) => c.name).join(', ')})`);
      const pods = cluster.store.scan('Pod', ref.namespace).filter((p) => (ref.workload ? p.metadata.name.startsWith(`${ref.name}-`) : p.metadata.name === ref.name));
      const pod = pods.find((p) => (p.status as { phase?: string } | undefined)?.phase === 'Running') ?? pods[0];
      if (!pod) {
        io.stderr.write(`fedlab svid export: no pod ${ref.text} in cluster ${contextName}\n`);
        return EXIT.FAILED;
      }
      const spire = report.world.spire.get(contextName)!;
      const wanted = flags.container as string | undefined;
      const entry = [...spire.helpers.entries()].find(([key]) => key.startsWith(`${ref.namespace}/${pod.metadata.name}/`) && (!wanted || key.endsWith(`/${wanted}`)));
      if (!entry) {
        io.stderr.write(`fedlab svid export: pod ${ref.namespace}/${pod.metadata.name} runs no spiffe-helper${wanted ? ` container "${wanted}"` : ''}\n`);
        return EXIT.FAILED;
      }
      const [key, helper] = entry;
      if (helper.files.size === 0) {
        io.stderr.write(`fedlab svid export: spiffe-helper in ${ref.namespace}/${pod.metadata.name} has written no files yet; its log:\n${cluster.logsOf(ref.namespace, pod.metadata.name, key.split('/')[2]!) ?? ''}`);
        return EXIT.FAILED;
      }
      const dir = refs.length === 1 ? resolve(io.cwd, out) : resolve(io.cwd, out, `${contextName}-${ref.namespace}-${ref.name}`);
      mkdirSync(dir, { recursive: true });
      for (const [path, file] of helper.files) {
        writeFileSync(resolve(dir, basename(path)), file.content, { mode: file.mode });
        written.push(resolve(dir, basename(path)));
      }
    }
    io.stdout.write(`${written.join('\n')}\n`);
    return EXIT.OK;
  },
};
