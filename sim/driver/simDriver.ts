/**
 * `SimDriver`: the Driver over the engine. One live run at a time (one world): `playScenario` with an
 * observer that holds the run between steps, so stepping forward continues the same world; going
 * back starts a fresh run with the same seed and files and holds it at the target. Calls are recorded
 * by wrapping the world's mesh, events come from the world's log. Edits are an overlay on the file
 * source; every change of files reloads the scenario and replays to where the player was.
 */
import { playScenario, parseScenario, type PlayObserver, type RunReport, type Scenario, type Step, type StepOutcome } from '../scenario/index.ts';
import { parseYamlDocuments } from '../kube/yaml.ts';
import type { WorldOptions } from '../world/world.ts';
import type { World } from '../world/world.ts';
import type { CallTrace } from '../envoy/call.ts';
import type { AnalyzeInput, Finding } from '../analyze/types.ts';
import { analyze as analyzeManifests, inputFromScenario } from '../analyze/index.ts';
import type { CallView, CheckResult, Diagnostic, Driver, DriverPush, EventView, ExecResult, ExpectationInfo, FileEdits, FileSource, Inspection, InspectTarget, LoadRequest, ManifestFile, ManifestSet, PlayerState, PlayTarget, ScenarioInfo, Snapshot, StepInfo, StepOutcomeView, Variant, WhatIfResult } from '../driver.ts';
import { buildSnapshot, callTarget } from './snapshot.ts';
import { inspect } from './inspect.ts';
import { toJson } from './json.ts';
import { checkResult, diffRuns, type RunSummary } from './whatIf.ts';
import { listScenario } from './listing.ts';
import { dirOf, joinRelative } from '../core/paths.ts';

/** Static diagnostics over the scenario's manifests (default: `fedlab analyze`'s rules, sim/analyze). */
export type AnalyzeHook = (input: AnalyzeInput) => readonly Finding[];

export interface SimDriverOptions {
  readonly files: FileSource;
  readonly crypto: Crypto;
  /** How SPIRE servers fetch bundles (Node: real HTTPS); per world. */
  readonly bundleClient?: WorldOptions['bundleClient'];
  /** Real sockets for the mesh's handshakes (`fedlab start --wire`). */
  readonly wire?: WorldOptions['wire'];
  /**
   * With `wire`: picks each run's start so its first mesh call falls at virtual ≈ wall time (OpenSSL
   * judges at wall time). Given a rehearsal that plays the variant in memory from a start.
   */
  readonly anchor?: (rehearse: (start: number) => Promise<RunReport>) => Promise<number | undefined>;
  /** Replaces the analyzer, or `false` to run none. */
  readonly analyze?: AnalyzeHook | false;
}


const looksLikeScenario = (text: string): boolean => /^apiVersion:\s*["']?fedlab\.dev\/v1/m.test(text) && /^kind:\s*["']?Scenario/m.test(text);

function stepLabel(s: Step): string {
  if (s.name) return s.name;
  switch (s.type) {
    case 'run':
      return `$ ${s.command.trim().split('\n')[0]}`;
    case 'advance':
      return `advance ${s.text}`;
    case 'apply':
      return `apply ${'file' in s.source ? s.source.file : 'inline manifest'}${s.cluster ? ` to ${s.cluster}` : ''}`;
    case 'patch':
    case 'delete':
    case 'restart':
      return `${s.type} ${s.target.kind}/${s.target.name}${s.target.cluster ? ` in ${s.target.cluster}` : ''}`;
    case 'stop':
    case 'start':
      return `${s.type} ${s.cluster}/${s.component}`;
    case 'partition':
    case 'heal':
      return `${s.type} ${s.between.join(' ↔ ')}`;
    case 'dnsFailure':
      return `${s.heal ? 'heal' : 'fail'} DNS for ${s.host} in ${s.cluster}`;
    case 'rotateCA':
      return `rotate the CA of ${s.cluster}`;
  }
}

const outcomeView = (o: StepOutcome): StepOutcomeView => toJson({ ok: o.ok, ...(o.message ? { message: o.message } : {}), ...(o.stdout ? { stdout: o.stdout } : {}), ...(o.stderr ? { stderr: o.stderr } : {}), ...(o.exitCode !== undefined ? { exitCode: o.exitCode } : {}), ...(o.chain ? { chain: o.chain } : {}) });

/** One run of the loaded scenario, held between steps by the observer. */
class LiveRun {
  world: World | undefined;
  position = -1;
  report: RunReport | undefined;
  failure: string | undefined;
  readonly calls: CallView[] = [];
  readonly stepTimes = new Map<number, { start: number; end: number; outcome?: StepOutcome }>();
  setup: readonly StepOutcome[] = [];
  private target = 0;
  private gate: { resolve: () => void; reject: (e: unknown) => void } | undefined;
  private arrived: (() => void) | undefined;
  private lastTime = 0;
  private finished = false;

  constructor(
    readonly id: number,
    private readonly total: number,
    start: (observe: PlayObserver) => Promise<RunReport>,
    private readonly onEvent: () => void,
  ) {
    const running = start({
      created: (world) => {
        this.world = world;
        this.lastTime = world.clock.now();
        world.events.subscribe(() => this.onEvent());
        const mesh = world.mesh;
        const call = mesh.call.bind(mesh);
        mesh.call = async (client, req) => {
          const trace: CallTrace = await call(client, req);
          const view: CallView = { index: this.calls.length, time: world.clock.now(), seq: world.events.length - 1, client: { cluster: client.id.cluster, namespace: client.id.namespace, pod: client.id.pod }, ok: trace.response.status < 400 && !trace.localReply, trace: toJson(trace), ...(((t) => (t ? { target: t } : {}))(callTarget(world, trace))) };
          this.calls.push(view);
          return trace;
        };
      },
      at: async (position, world, outcome, setup) => {
        const now = world.clock.now();
        if (setup) this.setup = setup;
        if (position > 0) this.stepTimes.set(position, { start: this.lastTime, end: now, ...(outcome ? { outcome } : {}) });
        this.lastTime = now;
        this.position = position;
        if (position < this.total && position >= this.target) {
          const held = new Promise<void>((resolve, reject) => (this.gate = { resolve, reject }));
          this.arrive();
          await held;
        }
      },
    });
    running.then(
      (report) => {
        this.report = report;
        this.position = this.total;
        this.finished = true;
        this.arrive();
      },
      (e: unknown) => {
        this.finished = true;
        if (!(e instanceof Abandoned)) this.failure = e instanceof Error ? e.message : String(e);
        this.arrive();
      },
    );
  }

  private arrive(): void {
    const a = this.arrived;
    this.arrived = undefined;
    a?.();
  }

  /** Runs forward to `target` (≥ the current position) and resolves once held there or finished. */
  moveTo(target: number): Promise<void> {
    this.target = target;
    if (this.finished || (this.position >= target && this.gate)) return Promise.resolve();
    const reached = new Promise<void>((resolve) => (this.arrived = resolve));
    const g = this.gate;
    this.gate = undefined;
    g?.resolve();
    return reached;
  }

  abandon(): void {
    const g = this.gate;
    this.gate = undefined;
    g?.reject(new Abandoned());
  }

  get done(): boolean {
    return this.finished;
  }
}

class Abandoned extends Error {}

interface Loaded {
  readonly info: ScenarioInfo;
  readonly scenario: Scenario;
  readonly variant: Variant;
  readonly seed: number;
  readonly planned: readonly Step[];
}

export class SimDriver implements Driver {
  private readonly edits = new Map<string, string>();
  private readonly listeners = new Set<(m: DriverPush) => void>();
  private loaded: Loaded | undefined;
  private live: LiveRun | undefined;
  private runs = 0;
  private loadError: string | undefined;
  private catalogue: ScenarioInfo[] | undefined;
  /** Step times and outcomes survive replays of the same load (runs are deterministic). */
  private known = new Map<number, { start: number; end: number; outcome?: StepOutcome }>();
  private queue: Promise<unknown> = Promise.resolve();
  private sentEvents = 0;
  private eventsPending = false;

  constructor(private readonly opts: SimDriverOptions) {}

  /** Driver calls run one at a time (the world is single-threaded and a run is held between steps). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private read(path: string): string | undefined {
    return this.edits.get(path) ?? this.opts.files.read(path);
  }

  private parse(file: string): { scenario?: Scenario; error?: string } {
    const text = this.read(file);
    if (text === undefined) return { error: `${file}: no such scenario file` };
    const parsed = parseScenario(text, file, { readFile: (p) => this.read(joinRelative(dirOf(file), p)) });
    return parsed.ok ? { scenario: parsed.value } : { error: parsed.error.message };
  }

  private info(file: string, s: Scenario): ScenarioInfo {
    return toJson({
      file,
      id: s.id,
      title: s.title,
      ...(s.catalogue ? { catalogue: s.catalogue } : {}),
      ...(s.level ? { level: s.level } : {}),
      tags: s.tags,
      ...(s.description ? { description: s.description } : {}),
      ...(s.explanation ? { explanation: s.explanation } : {}),
      hints: s.hints,
      variants: s.fix ? ['broken', 'fixed'] : ['broken'],
      ...(s.fix?.description ? { fixDescription: s.fix.description } : {}),
      ...(s.cause ? { cause: s.cause } : {}),
      clusters: s.clusters.map((c) => ({ name: c.name, trustDomain: c.trustDomain, ...(c.network ? { network: c.network } : {}), platform: c.platform })),
    });
  }

  scenarios(): Promise<readonly ScenarioInfo[]> {
    return this.serial(async () => {
      if (!this.catalogue) {
        const out: ScenarioInfo[] = [];
        // The light pass (listing.ts) reads the blocks the list needs; the full parse waits for load.
        // The list is of the edited texts, as a load would read them.
        const bases = new Map<string, ScenarioInfo['clusters'] | undefined>();
        for (const file of [...this.opts.files.list()].filter((f) => /\.ya?ml$/.test(f)).sort()) {
          const text = this.opts.files.read(file);
          if (!text || !looksLikeScenario(text)) continue;
          const light = listScenario(file, this.read(file) ?? text, (p) => this.read(p), 0, bases);
          if (light) {
            out.push(light);
            continue;
          }
          const p = this.parse(file);
          if (p.scenario) out.push(this.info(file, p.scenario));
        }
        this.catalogue = out;
      }
      return this.catalogue;
    });
  }

  load(req: LoadRequest): Promise<PlayerState> {
    return this.serial(async () => {
      this.known = new Map();
      const r = this.reload(req.file, req.variant ?? 'broken', req.seed);
      if (!r) return this.stateNow();
      await this.replayTo(req.position ?? 0);
      return this.stateNow();
    });
  }

  /** Parses the scenario with the current edits; false (with the error kept) when it does not load. */
  private reload(file: string, variant: Variant, seed: number | undefined): boolean {
    this.live?.abandon();
    this.live = undefined;
    const p = this.parse(file);
    if (!p.scenario) {
      this.loadError = p.error;
      this.loaded = undefined;
      this.loadedFile = file;
      this.push({ type: 'state', state: this.stateNow() });
      return false;
    }
    this.loadError = undefined;
    const s = p.scenario;
    const v: Variant = variant === 'fixed' && s.fix ? 'fixed' : 'broken';
    const planned = [...s.steps.filter((x) => x.when === 'both' || x.when === v), ...(v === 'fixed' ? (s.fix?.steps ?? []) : [])];
    this.loaded = { info: this.info(file, s), scenario: s, variant: v, seed: seed ?? s.seed ?? 1, planned };
    this.loadedFile = file;
    return true;
  }

  private loadedFile: string | undefined;

  private startRun(): LiveRun {
    const l = this.loaded!;
    this.live?.abandon();
    const id = ++this.runs;
    this.sentEvents = 0;
    const file = l.info.file;
    const run = new LiveRun(
      id,
      l.planned.length,
      async (observe) => {
        const base = { variant: l.variant, seed: l.seed, crypto: this.opts.crypto, readFile: (p: string) => this.read(joinRelative(dirOf(file), p)) };
        const anchor = this.opts.wire ? this.opts.anchor : undefined;
        const start = anchor ? await anchor((probe) => playScenario(l.scenario, { ...base, start: probe })) : undefined;
        return playScenario(l.scenario, {
          ...base,
          observe,
          ...(start !== undefined ? { start } : {}),
          ...(this.opts.bundleClient ? { bundleClient: this.opts.bundleClient } : {}),
          ...(this.opts.wire ? { wire: this.opts.wire } : {}),
        });
      },
      () => this.eventsChanged(),
    );
    this.live = run;
    return run;
  }

  private async replayTo(position: number): Promise<void> {
    if (!this.loaded) return;
    const total = this.loaded.planned.length;
    const target = Math.max(0, Math.min(total, position));
    let run = this.live;
    // Forward continues the live run; backward (or a finished run asked for another place) replays.
    if (!run || run.position > target || (run.done && run.position !== target)) run = this.startRun();
    await run.moveTo(target);
    for (const [k, v] of run.stepTimes) this.known.set(k, v);
    this.flushEvents();
    this.push({ type: 'state', state: this.stateNow() });
    if (run.world) this.push({ type: 'snapshot', snapshot: this.snapshotNow() });
  }

  private stateNow(): PlayerState {
    const l = this.loaded;
    const run = this.live;
    const world = run?.world;
    const edited = [...this.edits.keys()].sort();
    if (!l) return toJson({ run: this.runs, variant: 'broken', seed: 1, position: 0, total: 0, time: 0, startTime: 0, steps: [], setup: [], edited, ...(this.loadError ? { error: this.loadError } : {}) });
    const file = l.info.file;
    const steps: StepInfo[] = l.planned.map((s, i) => {
      const t = this.known.get(i + 1);
      const jump = s.type === 'advance' ? { ms: s.ms, text: s.text } : s.type === 'rotateCA' ? { ms: 0, text: `CA rotation in ${s.cluster}` } : undefined;
      return {
        position: i + 1,
        at: s.at,
        file,
        ...(s.line !== undefined ? { line: s.line } : {}),
        type: s.type,
        label: stepLabel(s),
        ...(t ? { startTime: t.start, endTime: t.end } : {}),
        ...(jump ? { timeJump: jump } : {}),
        ...(t?.outcome ? { outcome: outcomeView(t.outcome) } : {}),
      };
    });
    const setup: StepInfo[] = (run?.setup ?? []).map((o) => ({ position: 0, at: o.at, file, type: o.type, label: o.at, outcome: outcomeView(o) }));
    const report = run?.report;
    const expectations: ExpectationInfo[] | undefined = report?.expectations.map((e) => toJson({ at: e.at, ...(e.line !== undefined ? { line: e.line } : {}), ok: e.ok, message: e.message, ...(e.chain ? { chain: e.chain } : {}) }));
    return toJson({
      run: run?.id ?? this.runs,
      scenario: l.info,
      variant: l.variant,
      seed: l.seed,
      position: Math.max(0, run?.position ?? 0),
      total: l.planned.length,
      time: world?.clock.now() ?? 0,
      startTime: world?.options.start ?? 0,
      steps,
      setup,
      ...(expectations ? { expectations, ok: report!.ok } : {}),
      edited,
      ...(run?.failure ? { error: run.failure } : {}),
    });
  }

  state(): Promise<PlayerState> {
    return this.serial(async () => this.stateNow());
  }

  playTo(target: PlayTarget): Promise<PlayerState> {
    return this.serial(async () => {
      if (!this.loaded) return this.stateNow();
      const total = this.loaded.planned.length;
      const cur = Math.max(0, this.live?.position ?? 0);
      if ('position' in target) await this.replayTo(target.position);
      else if ('end' in target) await this.replayTo(total);
      else if ('next' in target) await this.replayTo(Math.min(total, cur + 1));
      else {
        // A time: the last step that ends at or before it (known from earlier visits), else walk forward.
        let best = 0;
        for (const [p, t] of this.known) if (t.end <= target.time && p > best) best = p;
        await this.replayTo(best);
        while (this.live && !this.live.done && this.live.position < total && (this.live.world?.clock.now() ?? 0) < target.time) {
          await this.replayTo(this.live.position + 1);
          const end = this.known.get(this.live.position)?.end ?? 0;
          if (end > target.time) {
            await this.replayTo(this.live.position - 1);
            break;
          }
        }
      }
      return this.stateNow();
    });
  }

  private snapshotNow(): Snapshot {
    const run = this.live;
    if (!run?.world) return { run: this.runs, position: 0, time: 0, clusters: [], links: [], eventCount: 0 };
    return buildSnapshot(run.world, run.calls, run.id, Math.max(0, run.position));
  }

  snapshot(): Promise<Snapshot> {
    return this.serial(async () => this.snapshotNow());
  }

  private eventsOf(since: number): EventView[] {
    const world = this.live?.world;
    return world ? toJson([...world.events.since(since)]) : [];
  }

  events(since = 0): Promise<readonly EventView[]> {
    return this.serial(async () => this.eventsOf(since));
  }

  calls(since = 0): Promise<readonly CallView[]> {
    return this.serial(async () => (this.live?.calls ?? []).slice(since));
  }

  inspect(target: InspectTarget): Promise<Inspection> {
    return this.serial(async () => {
      const world = this.live?.world;
      if (!world) return { type: 'error', message: 'no scenario loaded' };
      return toJson(inspect(world, target));
    });
  }

  exec(cluster: string | undefined, commandLine: string): Promise<ExecResult> {
    return this.serial(async () => {
      const world = this.live?.world;
      if (!world) return { stdout: '', stderr: 'fedlab: no scenario loaded\n', exitCode: 2 };
      if (cluster !== undefined && !world.clusters.has(cluster)) return { stdout: '', stderr: `fedlab: no cluster ${cluster}\n`, exitCode: 2 };
      const r = await world.run(commandLine, cluster ? { cluster } : {});
      this.flushEvents();
      this.push({ type: 'snapshot', snapshot: this.snapshotNow() });
      return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode };
    });
  }

  // ------------------------------------------------------------ manifests

  private manifestFiles(): ManifestFile[] {
    const l = this.loaded;
    const file = this.loadedFile;
    if (!file) return [];
    const files = new Map<string, ManifestFile>();
    const add = (path: string, cluster: string, role: ManifestFile['role']): void => {
      if (files.has(path)) return;
      const text = this.read(path);
      if (text !== undefined) files.set(path, { path, cluster, role, text, edited: this.edits.has(path) });
    };
    add(file, 'scenario', 'scenario');
    // The scenarios it extends: their inline steps are where a catalogue scenario's objects often come from.
    for (let f = file, depth = 0; depth < 4; depth++) {
      const base = /^extends:\s*["']?([^"'\s#]+)/m.exec(this.read(f) ?? '')?.[1];
      if (!base) break;
      f = joinRelative(dirOf(f), base);
      add(f, 'scenario', 'scenario');
    }
    if (l) {
      const dir = dirOf(file);
      for (const c of l.scenario.clusters) for (const m of c.manifests) if ('file' in m) add(joinRelative(dir, m.file), c.name, 'cluster');
      for (const s of [...l.scenario.steps, ...(l.scenario.fix?.steps ?? [])]) if (s.type === 'apply' && 'file' in s.source) add(joinRelative(dir, s.source.file), s.cluster ?? l.scenario.clusters[0]!.name, 'step');
      for (const w of l.scenario.workspace) add(joinRelative(dir, w.file), 'workstation', 'workspace');
    }
    return [...files.values()];
  }

  private async diagnostics(files: readonly ManifestFile[]): Promise<Diagnostic[]> {
    const out: Diagnostic[] = [];
    const fromMessage = (message: string, source: Diagnostic['source'], code: string, fallbackFile: string): void => {
      for (const line of message.split('\n')) {
        const m = /^([^\s:]+):(\d+)(?::(\d+))?: (.*)$/.exec(line.trim());
        if (m) out.push({ file: m[1]!, line: Number(m[2]), ...(m[3] ? { column: Number(m[3]) } : {}), severity: 'error', code, message: m[4]!, source });
        else if (line.trim() && out.length === 0) out.push({ file: fallbackFile, line: 1, severity: 'error', code, message: line.trim(), source });
      }
    };
    if (this.loadError) fromMessage(this.loadError, 'loader', 'scenario/invalid', this.loadedFile ?? '');
    for (const f of files) {
      if (!/\.ya?ml$/.test(f.path) || f.role === 'scenario') continue;
      const docs = parseYamlDocuments(f.text, f.path);
      if (!docs.ok) fromMessage(docs.error.message, 'loader', docs.error.code, f.path);
    }
    // Apply failures of this run that point at a file and line.
    const run = this.live;
    for (const o of [...(run?.setup ?? []), ...[...this.known.values()].flatMap((t) => (t.outcome ? [t.outcome] : []))]) {
      if (o.ok || o.type !== 'apply' || !o.message) continue;
      const before = out.length;
      fromMessage(o.message, 'apply', 'apply', this.loadedFile ?? '');
      if (out.length === before) out.push({ file: this.loadedFile ?? '', line: o.line ?? 1, severity: 'error', code: 'apply', message: o.message, source: 'apply' });
    }
    if (this.opts.analyze !== false && this.loaded) out.push(...(await this.analyzeFindings()));
    return out;
  }

  /** `fedlab analyze` over the loaded variant as its steps build it (files with the current edits). */
  private async analyzeFindings(): Promise<Diagnostic[]> {
    const l = this.loaded!;
    const file = l.info.file;
    const rules = this.opts.analyze || analyzeManifests;
    try {
      const text = this.read(file);
      const input = await inputFromScenario(l.scenario, { variant: l.variant, readFile: (p) => this.read(joinRelative(dirOf(file), p)), ...(text !== undefined ? { text } : {}) });
      if (!input.ok) return [{ file, line: 1, severity: 'warning', code: 'analyze', message: input.error.message, source: 'analyze' }];
      // Paths in findings are relative to the scenario's directory, as `fedlab analyze` prints them.
      return rules(input.value).map((f) => ({ file: f.file ? (f.file.startsWith('scenarios/') ? f.file : joinRelative(dirOf(file), f.file)) : file, line: f.line ?? 1, severity: f.severity, code: f.code, message: `${f.object.kind}/${f.object.name} ${f.field}: ${f.message}`, source: 'analyze' as const }));
    } catch (e) {
      return [{ file, line: 1, severity: 'warning', code: 'analyze', message: `analyze failed: ${e instanceof Error ? e.message : String(e)}`, source: 'analyze' }];
    }
  }

  manifests(): Promise<ManifestSet> {
    return this.serial(async () => {
      const files = this.manifestFiles();
      return { files, diagnostics: await this.diagnostics(files) };
    });
  }

  setManifests(edits: FileEdits): Promise<ManifestSet> {
    return this.serial(async () => {
      for (const [path, text] of Object.entries(edits)) {
        if (text === null || text === this.opts.files.read(path)) this.edits.delete(path);
        else this.edits.set(path, text);
      }
      this.catalogue = undefined;
      const file = this.loadedFile;
      if (file) {
        const l = this.loaded;
        const position = Math.max(0, this.live?.position ?? 0);
        this.known = new Map();
        if (this.reload(file, l?.variant ?? 'broken', l?.seed)) await this.replayTo(position);
      }
      const files = this.manifestFiles();
      return { files, diagnostics: await this.diagnostics(files) };
    });
  }

  whatIf(edits: FileEdits): Promise<WhatIfResult> {
    return this.serial(async () => {
      const l = this.loaded;
      const file = this.loadedFile;
      const empty = { ok: false, passed: 0, total: 0 };
      if (!l || !file) return { before: empty, after: empty, expectations: [], calls: [], diagnostics: [], error: 'no scenario loaded' };
      const overlay = this.overlay(edits);
      const before = await this.fullRun(l, file, (p) => this.read(p));
      const after = await this.fullRun(l, file, overlay);
      return toJson(diffRuns(before, after));
    });
  }

  /** Plays the loaded variant to the end on a separate world (the session's run is untouched). */
  check(edits: FileEdits, expectationsOf: Variant = 'fixed'): Promise<CheckResult> {
    return this.serial(async () => {
      const l = this.loaded;
      const file = this.loadedFile;
      if (!l || !file) return { ok: false, passed: 0, total: 0, expectations: [], error: 'no scenario loaded' };
      const overlay = this.overlay(edits);
      const r = await this.fullRun(l, file, overlay, expectationsOf);
      return toJson(checkResult(r));
    });
  }

  /** A reader of the session's edits with `edits` on top (null drops an edit), for runs beside the session's. */
  private overlay(edits: FileEdits): (p: string) => string | undefined {
    const overlay = new Map(this.edits);
    for (const [p, t] of Object.entries(edits)) {
      if (t === null) overlay.delete(p);
      else overlay.set(p, t);
    }
    return (p) => overlay.get(p) ?? this.opts.files.read(p);
  }

  private async fullRun(l: Loaded, file: string, read: (p: string) => string | undefined, expectationsOf?: Variant): Promise<RunSummary> {
    const text = read(file);
    const parsed = text === undefined ? undefined : parseScenario(text, file, { readFile: (p) => read(joinRelative(dirOf(file), p)) });
    if (!parsed?.ok) return { error: parsed ? parsed.error.message : `${file}: missing`, expectations: [], calls: [], ok: false };
    const calls: CallTrace[] = [];
    const clients: string[] = [];
    const report = await playScenario(parsed.value, {
      variant: l.variant,
      seed: l.seed,
      crypto: this.opts.crypto,
      readFile: (p) => read(joinRelative(dirOf(file), p)),
      ...(expectationsOf ? { expectationsOf } : {}),
      observe: {
        created: (world) => {
          const call = world.mesh.call.bind(world.mesh);
          world.mesh.call = async (client, req) => {
            const t = await call(client, req);
            calls.push(t);
            clients.push(`${client.id.cluster}/${client.id.namespace}/${client.id.pod}`);
            return t;
          };
        },
      },
      ...(this.opts.bundleClient ? { bundleClient: this.opts.bundleClient } : {}),
    });
    return { ok: report.ok, expectations: report.expectations, calls: calls.map((t, i) => ({ client: clients[i]!, trace: t })), steps: report.steps };
  }

  // ------------------------------------------------------------ pushes

  subscribe(listener: (msg: DriverPush) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private push(m: DriverPush): void {
    for (const l of this.listeners) l(m);
  }

  private eventsChanged(): void {
    // Batched: events arrive by the thousand during a step; subscribers get them when the step ends.
    this.eventsPending = true;
  }

  private flushEvents(): void {
    if (!this.eventsPending || !this.live?.world) return;
    this.eventsPending = false;
    const evs = this.eventsOf(this.sentEvents);
    this.sentEvents += evs.length;
    if (evs.length > 0) this.push({ type: 'events', run: this.live.id, events: evs });
  }

  dispose(): void {
    this.live?.abandon();
    this.live = undefined;
    this.listeners.clear();
  }
}
