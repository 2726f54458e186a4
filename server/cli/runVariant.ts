/**
 * One scenario variant played for `fedlab run`, and everything the command prints about it, computed
 * where it is played (in-process or in a worker thread) so that only strings cross threads: the text
 * block, the JSON line and the JUnit failure. The same inputs give the same strings either way.
 */
import { formatChain } from '../../sim/core/causal.ts';
import { KeyStock, type StockKeyRequest } from '../../sim/pki/keyStock.ts';
import { GUIDE_CLAIMS, playScenario, type RunReport, type Scenario, type Variant } from '../../sim/scenario/index.ts';
import { inThreadCrypto } from './inThreadCrypto.ts';
import { loadedScenario, loadScenarioFile, type LoadedScenario } from './scenarioFiles.ts';
import { nodeTransport, wallAnchoredStart, wireReport, wireSummary, type WireSummary } from './transport.ts';

export interface VariantJob {
  /** Position in the run's order (results are printed in this order). */
  readonly index: number;
  /** Absolute path of the scenario file. */
  readonly path: string;
  /** The path as shown to the user (relative to the working directory). */
  readonly file: string;
  readonly variant: Variant;
  /** `broken`, `fixed`, or `default` for a scenario without a fix. */
  readonly label: Variant | 'default';
  readonly seed?: number;
  readonly memory: boolean;
  readonly wire: boolean;
  /** The scenario as the main thread parsed it, sent with a worker's job so that the worker need not parse it again. */
  readonly scenario?: Scenario;
}

export interface VariantResult {
  readonly index: number;
  readonly ok: boolean;
  /** What the variant adds to the summary: a report that passed counts as passed; a failed report and wire defects each count as failed. */
  readonly passed: number;
  readonly failed: number;
  /** What the text output prints for this variant: the PASS/FAIL line and the lines under it. */
  readonly text: string;
  /** The `--json` line (without the newline). */
  readonly json: string;
  /** JUnit: the first failing check, and every failing step/expectation with its causal chain. */
  readonly failure?: { readonly message: string; readonly details: string };
  readonly seconds: number;
}

/** Loaded scenarios by path and one key stock, kept for the life of a thread (a worker plays many variants). */
export interface VariantContext {
  readonly cwd: string;
  readonly scenarios: Map<string, LoadedScenario>;
  readonly keys: KeyStock;
}

export const variantContext = (cwd: string, loaded: readonly LoadedScenario[] = [], keySource?: (req: StockKeyRequest) => Promise<CryptoKeyPair>): VariantContext => ({
  cwd,
  scenarios: new Map(loaded.map((l) => [l.path, l])),
  keys: new KeyStock(inThreadCrypto(globalThis.crypto), keySource),
});

function reportJson(r: RunReport, label: string) {
  return {
    scenario: r.scenario,
    file: r.file,
    variant: label,
    seed: r.seed,
    ok: r.ok,
    steps: r.steps.map(({ at, line, type, name, ok, exitCode, message, chain, seed }) => ({ at, line, type, name, ok, exitCode, message, chain, ...(seed ? { seed } : {}) })),
    expectations: r.expectations,
    claims: r.claims,
  };
}

/** A seed walkthrough's tally, and each step whose output differs from the guide with the claim that explains it. */
export function seedLines(r: Pick<RunReport, 'steps'>): string[] {
  const compared = r.steps.filter((s) => s.seed);
  if (compared.length === 0) return [];
  const equal = compared.filter((s) => s.seed!.matched === true && !s.seed!.differs).length;
  const differ = compared.filter((s) => s.seed!.differs);
  const unexplained = compared.filter((s) => s.seed!.matched === false && !s.seed!.differs).length;
  const silent = compared.length - equal - differ.length - unexplained;
  const lines = [`seed: ${equal} outputs equal the guide, ${differ.length} differ with a guide claim${unexplained ? `, ${unexplained} differ unexplained` : ''}${silent ? `, ${silent} with no output in the guide` : ''}`];
  for (const s of differ) lines.push(`seed ${s.name ?? s.at}: differs — ${s.seed!.differs}${GUIDE_CLAIMS[s.seed!.differs!] ? `: ${GUIDE_CLAIMS[s.seed!.differs!]!.reality}` : ''}${s.seed!.note ? ` (${s.seed!.note})` : ''}`);
  return lines;
}

const indent = (s: string, n: number): string => s.split('\n').map((l) => ' '.repeat(n) + l).join('\n');

/** The failing steps and expectations, each with its causal chain, as the text output prints them. */
function failureLines(scenario: Scenario, report: RunReport): { first?: string; text: string } {
  const out: string[] = [];
  let first: string | undefined;
  for (const s of report.steps.filter((x) => !x.ok)) {
    const line = `step ${s.at}${s.line ? ` (${scenario.file}:${s.line})` : ''}: ${s.message ?? 'failed'}`;
    first ??= line;
    out.push(`  ${line}\n`);
    if (s.chain) out.push(`${indent(formatChain(s.chain), 4)}\n`);
  }
  for (const e of report.expectations.filter((x) => !x.ok)) {
    const line = `expectation ${e.at}${e.line ? ` (${scenario.file}:${e.line})` : ''}: ${e.message}`;
    first ??= line;
    out.push(`  ${line}\n`);
    if (e.chain) out.push(`${indent(formatChain(e.chain), 4)}\n`);
  }
  return { ...(first !== undefined ? { first } : {}), text: out.join('') };
}

export function describeVariant(scenario: Scenario, report: RunReport, label: string, wired: WireSummary | undefined): Omit<VariantResult, 'index' | 'seconds'> {
  const wireFailed = wired?.defects.length ? 1 : 0;
  const counts = `${report.steps.length} steps, ${report.expectations.length} expectations`;
  const lines = [`${report.ok ? 'PASS' : 'FAIL'} ${scenario.id} (${label}) — ${counts}\n`];
  if (wired) lines.push(wireReport(wired));
  for (const c of label !== 'fixed' ? scenario.claims : []) {
    const g = GUIDE_CLAIMS[c.id]!;
    lines.push(`  guide claim ${c.id} — the guide: ${g.claim}; really: ${g.reality}${c.note ? ` (${c.note})` : ''}\n`);
  }
  for (const line of seedLines(report)) lines.push(`  ${line}\n`);
  const failures = failureLines(scenario, report);
  lines.push(failures.text);
  const wireDefects = wired?.defects.length ? `wire: ${wired.defects.length} defect${wired.defects.length === 1 ? '' : 's'}` : undefined;
  const message = failures.first ?? wireDefects;
  return {
    ok: report.ok && !wireFailed,
    passed: report.ok ? 1 : 0,
    failed: (report.ok ? 0 : 1) + wireFailed,
    text: lines.join(''),
    json: JSON.stringify({ ...reportJson(report, label), ...(wired ? { wire: wired } : {}) }),
    ...(message !== undefined ? { failure: { message, details: `${failures.text}${wired && wireDefects ? wireReport(wired) : ''}`.replace(/\n$/, '') } } : {}),
  };
}

/** Plays one variant (with `--wire`'s rehearsal in memory first) and describes it. */
export async function playVariant(job: VariantJob, ctx: VariantContext): Promise<VariantResult> {
  const started = performance.now();
  let loaded = ctx.scenarios.get(job.path);
  if (!loaded) {
    loaded = job.scenario ? loadedScenario(job.path, job.scenario) : loadScenarioFile(job.path, ctx.cwd);
    ctx.scenarios.set(job.path, loaded);
  }
  const { scenario, readFile } = loaded;
  const { variant, seed } = job;
  const transport = nodeTransport(job.memory, job.wire);
  const base = { variant, readFile, ...(seed !== undefined ? { seed } : {}) };
  const start = transport.wire ? await wallAnchoredStart((probe) => playScenario(scenario, { ...base, crypto: ctx.keys.view(), start: probe })) : undefined;
  const report = await playScenario(scenario, {
    ...base,
    crypto: ctx.keys.view(),
    ...(transport.bundleClient ? { bundleClient: transport.bundleClient } : {}),
    ...(transport.wire ? { wire: transport.wire } : {}),
    ...(start !== undefined ? { start } : {}),
  }).finally(() => transport.close());
  const wired = transport.wire ? wireSummary(transport.wire) : undefined;
  return { index: job.index, ...describeVariant(scenario, report, job.label, wired), seconds: (performance.now() - started) / 1000 };
}
