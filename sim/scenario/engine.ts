/**
 * Plays a scenario on a fresh world: the clusters' initial manifests (with the fix's patches in the
 * fixed variant), then the steps in order (base steps, then the fix's steps in the fixed variant),
 * each rendered with the templating context at the time it runs, then the expectations. Failures
 * never stop the run early: every step and expectation reports, and each failure carries a causal
 * chain back to objects, fields and manifest lines.
 */
import { formatChain, type CausalChain, type CausalStage, type ObjectRef } from '../core/causal.ts';
import { normalize, partialMismatches } from '../core/match.ts';
import { ok, simError, type Result, type SimError } from '../core/result.ts';
import type { KubeObject } from '../kube/object.ts';
import { parseYamlDocuments } from '../kube/yaml.ts';
import { restartWorkload } from '../kube/controllers/deployment.ts';
import { World, DEFAULT_START, type WorldOptions } from '../world/world.ts';
import type { ClusterRuntime } from '../world/cluster.ts';
import type { CommandExpect, Expectation, ManifestPatch, ManifestSource, Scenario, Step, TextMatcher, Variant } from './format.ts';
import { renderTemplate } from './template.ts';
import { GUIDE_CLAIMS } from './claims.ts';
import { compareWithSeed, type SeedOutcome } from './seedCompare.ts';
import { applyManifestPatch, patchTargets } from './manifestPatch.ts';

export interface PlayOptions {
  readonly variant: Variant;
  readonly seed?: number;
  readonly crypto: Crypto;
  /** Reads a file named in the scenario, relative to the scenario file; undefined when missing. */
  readonly readFile: (path: string) => string | undefined;
  readonly start?: number;
  readonly signingConcurrency?: number;
  /** Check another variant's expectations on this variant's world (cross-application; default: own). */
  readonly expectationsOf?: Variant;
  /** How SPIRE servers fetch bundles (default in memory; Node passes real HTTPS). */
  readonly bundleClient?: WorldOptions['bundleClient'];
  /** Real sockets for the mesh's handshakes (Node's `--wire`). */
  readonly wire?: WorldOptions['wire'];
  /** Watches the run as it goes (the browser lab's player, sim/driver.ts); see PlayObserver. */
  readonly observe?: PlayObserver;
}

/**
 * Hooks for a player: `created` sees the world before anything runs; `at(n)` runs once the initial
 * manifests are applied (n = 0) and after each planned step (n = steps done). A promise returned by
 * `at` holds the run there until it settles, so a player steps a live run without replaying it.
 */
export interface PlayObserver {
  created?(world: World): void;
  /** `setup` (at 0 only): the outcomes of the workspace files and initial manifests. */
  at?(position: number, world: World, outcome?: StepOutcome, setup?: readonly StepOutcome[]): void | Promise<void>;
}

export interface StepOutcome {
  readonly at: string;
  readonly line?: number;
  readonly type: Step['type'];
  readonly name?: string;
  readonly ok: boolean;
  readonly stdout?: string;
  readonly stderr?: string;
  readonly exitCode?: number;
  readonly message?: string;
  readonly chain?: CausalChain;
  /** A seed walkthrough's comparison with the guide's output (`seed:` on the step). */
  readonly seed?: SeedOutcome;
}

export interface ExpectationOutcome {
  readonly at: string;
  readonly line?: number;
  readonly ok: boolean;
  readonly message: string;
  readonly chain?: CausalChain;
}

export interface RunReport {
  readonly scenario: string;
  readonly file: string;
  readonly variant: Variant;
  readonly seed: number;
  readonly ok: boolean;
  readonly steps: readonly StepOutcome[];
  readonly expectations: readonly ExpectationOutcome[];
  readonly captures: Readonly<Record<string, string>>;
  /** The guide claims this scenario answers, with what really happens. */
  readonly claims: readonly { readonly id: string; readonly claim: string; readonly reality: string; readonly note?: string }[];
  readonly world: World;
}

export const applies = (when: string, variant: Variant): boolean => when === 'both' || when === variant;

interface Ctx {
  readonly scenario: Scenario;
  readonly world: World;
  readonly opts: PlayOptions;
  readonly captures: Record<string, string>;
}

function templateContext(ctx: Ctx): Record<string, unknown> {
  return {
    clusters: Object.fromEntries(ctx.scenario.clusters.map((c) => [c.name, { name: c.name, trustDomain: c.trustDomain, network: c.network ?? '', platform: c.platform }])),
    captures: ctx.captures,
    variant: ctx.opts.variant,
    scenario: { id: ctx.scenario.id },
  };
}

function readSource(ctx: Ctx, src: ManifestSource, where: string): Result<{ text: string; file: string }, SimError> {
  if ('inline' in src) return ok({ text: src.inline, file: `${ctx.scenario.file}#${where}` });
  const text = ctx.opts.readFile(src.file);
  if (text === undefined) return { ok: false, error: simError('scenario/missing-file', `${ctx.scenario.file}: ${where}: cannot read manifest file ${src.file}`) };
  return ok({ text, file: src.file });
}

function clusterOf(ctx: Ctx, name: string | undefined): ClusterRuntime {
  // References were checked when the scenario was loaded; the first cluster is the default.
  return ctx.world.cluster(name ?? ctx.scenario.clusters[0]!.name)!;
}

/** Whether a manifest text defines the object a patch targets (a quick check before parsing). */
export const mentions = (text: string, p: ManifestPatch): boolean => new RegExp(`\\b${p.kind}\\b`).test(text) && text.includes(p.name);

/** Applies manifest patches to the objects of a YAML text; every patch must find its object. */
export function patchManifests(text: string, file: string, patches: readonly ManifestPatch[]): Result<string, SimError> {
  if (patches.length === 0) return ok(text);
  const docs = parseYamlDocuments(text, file);
  if (!docs.ok) return docs;
  const used = new Set<ManifestPatch>();
  const out: unknown[] = [];
  for (const d of docs.value) {
    let obj = d.object as Record<string, unknown>;
    for (const p of patches) {
      if (!patchTargets(obj, p)) continue;
      const r = applyManifestPatch(obj, p);
      if (!r.ok) return r;
      obj = r.value;
      used.add(p);
    }
    out.push(obj);
  }
  const unused = patches.find((p) => !used.has(p));
  if (unused) return { ok: false, error: simError('scenario/patch-target', `${unused.at}: no ${unused.kind} "${unused.name}"${unused.namespace ? ` in namespace ${unused.namespace}` : ''} in ${file}`) };
  return ok(out.map((o) => JSON.stringify(o)).join('\n---\n'));
}

async function runStep(ctx: Ctx, step: Step): Promise<StepOutcome> {
  const base = { at: step.at, type: step.type, ...(step.line !== undefined ? { line: step.line } : {}), ...(step.name ? { name: step.name } : {}) };
  const tctx = templateContext(ctx);
  const render = (text: string, field: string): Result<string, SimError> => renderTemplate(text, tctx, `${ctx.scenario.file}:${step.line ?? '?'}: ${step.at}.${field}`);
  const fail = (message: string, chain?: CausalChain): StepOutcome => ({ ...base, ok: false, message, ...(chain ? { chain } : {}) });
  const { world } = ctx;
  switch (step.type) {
    case 'apply': {
      const src = readSource(ctx, step.source, step.at);
      if (!src.ok) return fail(src.error.message);
      const text = render(src.value.text, 'apply');
      if (!text.ok) return fail(text.error.message);
      const r = clusterOf(ctx, step.cluster).apply(text.value, src.value.file);
      await world.settle();
      if (!r.ok) return fail(r.error.message);
      return { ...base, ok: r.value.errors === '', stdout: r.value.output, stderr: r.value.warnings + r.value.errors, ...(r.value.errors ? { message: r.value.errors.trim() } : {}) };
    }
    case 'patch': {
      const patch = render(step.patch, 'patch.patch');
      if (!patch.ok) return fail(patch.error.message);
      let body: unknown;
      try {
        body = JSON.parse(patch.value);
      } catch {
        const docs = parseYamlDocuments(patch.value, `${step.at}.patch`);
        if (!docs.ok) return fail(docs.error.message);
        body = docs.value[0]?.object;
      }
      const c = clusterOf(ctx, step.target.cluster);
      const r = c.store.patch(step.target.kind, step.target.namespace, step.target.name, step.patchType, body);
      await world.settle();
      return r.ok ? { ...base, ok: true, stdout: `${step.target.kind.toLowerCase()}/${step.target.name} patched${r.value.changed ? '' : ' (no change)'}\n` } : fail(r.error.message);
    }
    case 'delete': {
      const c = clusterOf(ctx, step.target.cluster);
      const r = c.store.delete(step.target.kind, step.target.namespace, step.target.name);
      await world.settle();
      return r.ok ? { ...base, ok: true } : fail(r.error.message);
    }
    case 'restart': {
      const c = clusterOf(ctx, step.target.cluster);
      const r = restartWorkload(c.store, world.clock, step.target.kind, step.target.namespace ?? 'default', step.target.name);
      await world.settle();
      return r.ok ? { ...base, ok: true } : fail(r.error.message);
    }
    case 'advance': {
      await world.advance(step.ms);
      return { ...base, ok: true, message: `advanced ${step.text}` };
    }
    case 'stop':
    case 'start': {
      const component = `${step.cluster}/${step.component}`;
      if (step.type === 'stop') world.faults.stop(component);
      else world.faults.start(component);
      return { ...base, ok: true };
    }
    case 'partition':
      world.faults.partition(step.between[0], step.between[1]);
      return { ...base, ok: true };
    case 'heal':
      world.faults.heal(step.between[0], step.between[1]);
      return { ...base, ok: true };
    case 'dnsFailure':
      if (step.heal) world.faults.healDns(step.cluster, step.host);
      else world.faults.failDns(step.cluster, step.host);
      return { ...base, ok: true };
    case 'rotateCA': {
      // `spire-server localauthority x509 prepare` + `activate` on the cluster's SPIRE server.
      const server = world.spire.get(step.cluster)?.server();
      if (!server?.isServing()) return fail(`rotateCA: cluster ${step.cluster} runs no SPIRE server to rotate`);
      await world.tasks.track(server.ca.rotateNow());
      await world.settle();
      return { ...base, ok: true, message: `rotated the X.509 CA of ${step.cluster}` };
    }
    case 'run': {
      const command = render(step.command, 'run.command');
      if (!command.ok) return fail(command.error.message);
      const stdin = step.stdin === undefined ? undefined : render(step.stdin, 'run.stdin');
      if (stdin && !stdin.ok) return fail(stdin.error.message);
      const r = await world.run(command.value, { ...(step.cluster ? { cluster: step.cluster } : {}), ...(stdin?.ok ? { stdin: stdin.value } : {}) });
      if (step.capture) ctx.captures[step.capture] = r.stdout.replace(/\n$/, '');
      const verdict = step.seed ? compareWithSeed(step.seed, r) : undefined;
      const out = { ...base, stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode, ...(verdict ? { seed: verdict.outcome } : {}) };
      const problems = [...(step.expect ? checkCommand(step.expect, r) : []), ...(verdict?.problem ? [verdict.problem] : [])];
      return problems.length === 0 ? { ...out, ok: true } : { ...out, ok: false, message: problems.join('; '), chain: commandChain(command.value, r, problems, step.at) };
    }
  }
}

function checkText(m: TextMatcher, text: string, stream: string): string[] {
  const t = m.normalize && m.normalize.length > 0 ? normalize(text, m.normalize) : text;
  const problems: string[] = [];
  if (m.equals !== undefined && t !== m.equals && t !== `${m.equals}\n`) problems.push(`${stream} should equal ${JSON.stringify(m.equals)}, got ${JSON.stringify(t)}`);
  for (const c of m.contains ?? []) if (!t.includes(c)) problems.push(`${stream} should contain ${JSON.stringify(c)}`);
  for (const c of m.notContains ?? []) if (t.includes(c)) problems.push(`${stream} should not contain ${JSON.stringify(c)}`);
  if (m.matches !== undefined && !new RegExp(m.matches, 'm').test(t)) problems.push(`${stream} should match /${m.matches}/`);
  if (m.json !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(t);
    } catch {
      const docs = parseYamlDocuments(t, stream);
      parsed = docs.ok ? docs.value[0]?.object : undefined;
    }
    if (parsed === undefined) problems.push(`${stream} is not JSON or YAML`);
    else problems.push(...partialMismatches(m.json, parsed).map((p) => `${stream} ${p}`));
  }
  return problems;
}

function checkCommand(e: CommandExpect, r: { stdout: string; stderr: string; exitCode: number }): string[] {
  const problems: string[] = [];
  if (e.exitCode !== undefined && r.exitCode !== e.exitCode) problems.push(`exit code should be ${e.exitCode}, got ${r.exitCode}`);
  if (e.stdout) problems.push(...checkText(e.stdout, r.stdout, 'stdout'));
  if (e.stderr) problems.push(...checkText(e.stderr, r.stderr, 'stderr'));
  return problems;
}

function commandChain(command: string, r: { stdout: string; stderr: string; exitCode: number }, problems: readonly string[], at: string): CausalChain {
  const stages: CausalStage[] = [{ stage: 'command', ok: r.exitCode === 0, message: `$ ${command} → exit ${r.exitCode}${r.stderr ? `: ${r.stderr.trim().split('\n')[0]}` : ''}`, refs: [] }];
  for (const p of problems) stages.push({ stage: 'expectation', ok: false, message: p, refs: [] });
  return { summary: `${at}: ${problems[0]}`, stages };
}

function causeStage(ctx: Ctx): CausalStage | undefined {
  const c = ctx.scenario.cause;
  if (!c || ctx.opts.variant !== 'broken') return undefined;
  const cluster = c.cluster ?? ctx.scenario.clusters[0]!.name;
  const ref: ObjectRef = clusterOf(ctx, cluster).provenance.locate(cluster, c.kind, c.namespace, c.name, c.field);
  return { stage: 'cause', ok: false, message: c.reason ?? `declared cause: ${c.kind}/${c.name} ${c.field}`, refs: [ref] };
}

async function checkExpectation(ctx: Ctx, e: Expectation): Promise<ExpectationOutcome> {
  const base = { at: e.at, ...(e.line !== undefined ? { line: e.line } : {}) };
  const cause = causeStage(ctx);
  const withCause = (stages: CausalStage[]): CausalStage[] => (cause ? [...stages, cause] : stages);
  if (e.type === 'command') {
    const command = renderTemplate(e.run.command, templateContext(ctx), `${ctx.scenario.file}:${e.line ?? '?'}: ${e.at}.command`);
    if (!command.ok) return { ...base, ok: false, message: command.error.message };
    const r = await ctx.world.run(command.value, e.run.cluster ? { cluster: e.run.cluster } : {});
    const problems = checkCommand(e.expect, r);
    if (problems.length === 0) return { ...base, ok: true, message: `$ ${command.value}: as expected` };
    const chain = commandChain(command.value, r, problems, e.at);
    return { ...base, ok: false, message: problems.join('; '), chain: { ...chain, stages: withCause([...chain.stages]) } };
  }
  if (e.type === 'object') {
    const clusterName = e.target.cluster ?? ctx.scenario.clusters[0]!.name;
    const c = clusterOf(ctx, clusterName);
    const found = c.store.get(e.target.kind, e.target.namespace, e.target.name);
    const ref = c.provenance.locate(clusterName, e.target.kind, e.target.namespace, e.target.name);
    const label = `${e.target.kind}/${e.target.namespace ? `${e.target.namespace}/` : ''}${e.target.name} in ${clusterName}`;
    if (e.absent) {
      if (!found.ok) return { ...base, ok: true, message: `${label} is absent` };
      return { ...base, ok: false, message: `${label} should be absent`, chain: { summary: `${e.at}: ${label} should be absent`, stages: withCause([{ stage: 'object', ok: false, message: 'exists', refs: [ref] }]) } };
    }
    if (!found.ok) return { ...base, ok: false, message: `${label}: ${found.error.message}`, chain: { summary: `${e.at}: ${label} not found`, stages: withCause([{ stage: 'object', ok: false, message: found.error.message, refs: [ref] }]) } };
    const problems = e.matches === undefined ? [] : partialMismatches(e.matches, found.value as KubeObject);
    if (problems.length === 0) return { ...base, ok: true, message: `${label} matches` };
    const stages: CausalStage[] = problems.map((p) => {
      const field = p.slice(0, p.indexOf(':'));
      return { stage: 'object', ok: false, message: p, refs: [c.provenance.locate(clusterName, e.target.kind, e.target.namespace, e.target.name, field)] };
    });
    return { ...base, ok: false, message: `${label}: ${problems.join('; ')}`, chain: { summary: `${e.at}: ${label} does not match`, stages: withCause(stages) } };
  }
  const events = ctx.world.events.all().filter((ev) => ev.type === e.eventType && (e.source === undefined || ev.source === e.source) && (e.data === undefined || partialMismatches(e.data, ev.data).length === 0));
  const label = `event ${e.eventType}${e.source ? ` from ${e.source}` : ''}`;
  const okCount = e.absent ? events.length === 0 : e.count !== undefined ? events.length === e.count : events.length > 0;
  if (okCount) return { ...base, ok: true, message: `${label}: ${events.length} seen` };
  const want = e.absent ? 'none' : e.count !== undefined ? String(e.count) : 'at least one';
  return { ...base, ok: false, message: `${label}: expected ${want}, saw ${events.length}`, chain: { summary: `${e.at}: ${label}: expected ${want}, saw ${events.length}`, stages: withCause([{ stage: 'event', ok: false, message: `expected ${want}, saw ${events.length}`, refs: [] }]) } };
}

export async function playScenario(scenario: Scenario, opts: PlayOptions): Promise<RunReport> {
  const seed = opts.seed ?? scenario.seed ?? 1;
  const world = await World.create(scenario.clusters, { seed, start: opts.start ?? DEFAULT_START, crypto: opts.crypto, ...(opts.signingConcurrency ? { signingConcurrency: opts.signingConcurrency } : {}), ...(opts.bundleClient ? { bundleClient: opts.bundleClient } : {}), ...(opts.wire ? { wire: opts.wire } : {}) });
  opts.observe?.created?.(world);
  const ctx: Ctx = { scenario, world, opts, captures: {} };
  const steps: StepOutcome[] = [];
  for (const [i, w] of scenario.workspace.entries()) {
    const text = opts.readFile(w.file);
    if (text === undefined) steps.push({ at: `workspace[${i}]`, type: 'apply', ok: false, message: `${scenario.file}: workspace[${i}].file: cannot read ${w.file}` });
    else world.shell.fs.write(`${world.shell.cwd}/${w.path}`, text);
  }
  // Initial manifests, in cluster order, as `apply` steps that report like any other.
  for (const cluster of scenario.clusters) {
    for (const [i, src] of cluster.manifests.entries()) {
      const at = `clusters[${cluster.name}].manifests[${i}]`;
      const read = readSource(ctx, src, at);
      if (!read.ok) {
        steps.push({ at, type: 'apply', ok: false, message: read.error.message });
        continue;
      }
      const fixPatches = opts.variant === 'fixed' ? (scenario.fix?.patches ?? []).filter((p) => (p.cluster ?? scenario.clusters[0]!.name) === cluster.name) : [];
      const own = patchManifests(read.value.text, read.value.file, src.patches ?? []);
      // Each fix patch targets one object somewhere in the cluster's manifests: apply those that match here.
      const text = own.ok ? patchManifests(own.value, read.value.file, fixPatches.filter((p) => mentions(own.value, p))) : own;
      if (!text.ok) {
        steps.push({ at, type: 'apply', ok: false, message: text.error.message });
        continue;
      }
      const r = world.cluster(cluster.name)!.apply(text.value, read.value.file, undefined, text.value === read.value.text ? undefined : read.value.text);
      await world.settle();
      steps.push(r.ok ? { at, type: 'apply', ok: r.value.errors === '', stdout: r.value.output, stderr: r.value.warnings + r.value.errors, ...(r.value.errors ? { message: r.value.errors.trim() } : {}) } : { at, type: 'apply', ok: false, message: r.error.message });
    }
  }
  if (opts.variant === 'fixed') {
    for (const p of scenario.fix?.patches ?? []) {
      const cluster = scenario.clusters.find((c) => c.name === (p.cluster ?? scenario.clusters[0]!.name))!;
      const texts = cluster.manifests.map((m) => ('inline' in m ? m.inline : (opts.readFile(m.file) ?? '')));
      if (!texts.some((t) => mentions(t, p))) steps.push({ at: p.at, type: 'apply', ok: false, message: `${p.at}: no ${p.kind} "${p.name}" in the manifests of cluster ${cluster.name}` });
    }
  }
  const planned = [...scenario.steps.filter((s) => applies(s.when, opts.variant)), ...(opts.variant === 'fixed' ? (scenario.fix?.steps ?? []) : [])];
  await opts.observe?.at?.(0, world, undefined, [...steps]);
  for (const [i, step] of planned.entries()) {
    steps.push(await runStep(ctx, step));
    await opts.observe?.at?.(i + 1, world, steps[steps.length - 1]);
  }
  const expectations: ExpectationOutcome[] = [];
  for (const e of scenario.expect.filter((x) => applies(x.when, opts.expectationsOf ?? opts.variant))) expectations.push(await checkExpectation(ctx, e));
  return {
    scenario: scenario.id,
    file: scenario.file,
    variant: opts.variant,
    seed,
    // A run passes when every step worked and every expectation holds. A scenario whose point is a
    // refused manifest says so with `run: kubectl apply …` and an `expect` on the exit code and stderr.
    ok: steps.every((s) => s.ok) && expectations.every((e) => e.ok),
    steps,
    expectations,
    captures: { ...ctx.captures },
    claims: scenario.claims.map((c) => ({ ...c, ...GUIDE_CLAIMS[c.id]! })),
    world,
  };
}

export { formatChain };
