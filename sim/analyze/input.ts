/**
 * Builds what `fedlab analyze` checks (AnalyzeInput) from manifests, without playing the engine:
 * - a directory per cluster: every YAML/JSON document of its files (the CLI reads the files; this
 *   module takes `{cluster, file, text}` and runs in the browser too);
 * - a scenario variant: the clusters' initial manifests (with their patches, and in the fixed variant
 *   the fix's patches), then the steps in order — `apply`, `patch`, `delete`, and `run` command lines
 *   played in the lab's own shell (variables, pipes, sed, jq, `$(…)`) with recording stand-ins for
 *   kubectl/oc (apply, create namespace, patch, delete, label, annotate, scale) and istioctl (install
 *   renders with the lab's istioctl renderer and also keeps the merged IstioOperator;
 *   create-remote-secret prints the Secret). Everything else is skipped and counted; values only known
 *   at run time (a LoadBalancer IP, a bundle) are stand-ins, never used as findings' evidence.
 */
import { stringify } from 'yaml';
import { ok, err, simError, type Result, type SimError } from '../core/result.ts';
import { parseYamlDocuments, type PathSegment, type SourcePosition, type YamlDocument } from '../kube/yaml.ts';
import { applyMergePatch } from '../kube/patch/mergePatch.ts';
import { parseSelector } from '../kube/selector.ts';
import { parseJsonPath } from '../cli/kubectl/jsonPath.ts';
import { Shell } from '../cli/shell/shell.ts';
import { done, type Program, type ProgramIo } from '../cli/shell/program.ts';
import { createRemoteSecret } from '../cli/istioctl/createRemoteSecret.ts';
import { makeIstioctlInstall } from '../cli/istioctl/install.ts';
import { makeGenEastwestGateway } from '../cli/genEastwestGateway.ts';
import { mergeIstioOperator } from '../istiod/install/istioOperator.ts';
import { DEFAULT_ISTIO_VERSION, parseIstioVersion } from '../istiod/install/versions.ts';
import { renderTemplate } from '../scenario/template.ts';
import { applyManifestPatch, patchTargets } from '../scenario/manifestPatch.ts';
import type { ManifestSource, Scenario, Step, Variant } from '../scenario/format.ts';
import type { AnalyzedObject, AnalyzeInput, ClusterInput, ExecCommand } from './types.ts';
import { resolveKindWord } from './kinds.ts';
import { ClusterState, editMetadata, patchObject } from './state.ts';
import { dirOf, joinRelative } from '../core/paths.ts';

type Obj = Record<string, unknown>;

export interface ManifestFile {
  readonly cluster: string;
  readonly file: string;
  readonly text: string;
}

/** A command the analyzer could not follow (reported under `--verbose`). */
export interface SkippedCommand {
  readonly file: string;
  readonly line?: number;
  readonly command: string;
  readonly reason: string;
}

export interface ScenarioInput extends AnalyzeInput {
  readonly skipped: readonly SkippedCommand[];
  readonly execs: readonly ExecCommand[];
}

// ---------------------------------------------------------------- documents

/** A document whose positions are shifted by `lines` (an inline manifest inside a scenario file). */
function shiftDoc(doc: YamlDocument, lines: number, file: string): YamlDocument {
  if (lines === 0 && file === doc.file) return doc;
  const shift = (p: SourcePosition | undefined): SourcePosition | undefined => (p ? { line: p.line + lines, column: p.column } : undefined);
  return {
    file,
    index: doc.index,
    start: shift(doc.start)!,
    object: doc.object,
    positionOf: (path: string | readonly PathSegment[]) => shift(doc.positionOf(path)),
    locate: (path: string | readonly PathSegment[]) => {
      const l = doc.locate(path);
      return { position: shift(l.position)!, exact: l.exact };
    },
  };
}

/** `kind: List` and `*List` documents hold their objects in `items`. */
function objectsOf(doc: YamlDocument): Obj[] {
  const o = doc.object;
  if (typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items)) return o.items.filter((i): i is Obj => !!i && typeof i === 'object' && !Array.isArray(i));
  return [o];
}

function parseDocs(text: string, file: string, cluster: string, lineOffset = 0, displayFile = file): Result<AnalyzedObject[], SimError> {
  const docs = parseYamlDocuments(text, displayFile);
  if (!docs.ok) return lineOffset === 0 ? docs : err(simError('analyze/yaml', docs.error.message.replace(/:(\d+)(:\d+)?:/, (_m, l: string, c: string | undefined) => `:${Number(l) + lineOffset}${c ?? ''}:`)));
  const out: AnalyzedObject[] = [];
  for (const d of docs.value) {
    const doc = shiftDoc(d, lineOffset, displayFile);
    for (const object of objectsOf(d)) {
      if (typeof object.kind !== 'string') continue;
      out.push({ cluster, file: displayFile, line: doc.start.line, doc, object });
    }
  }
  return ok(out);
}

/** Directory mode: every document of every file, grouped by cluster in the order given. */
export function inputFromFiles(files: readonly ManifestFile[]): Result<AnalyzeInput, SimError> {
  const clusters = new Map<string, ClusterState>();
  for (const f of files) {
    const state = clusters.get(f.cluster) ?? new ClusterState(f.cluster);
    clusters.set(f.cluster, state);
    const objs = parseDocs(f.text, f.file, f.cluster);
    if (!objs.ok) return objs;
    for (const o of objs.value) state.put(o);
  }
  return ok({ clusters: [...clusters.values()].map((s) => ({ name: s.name, objects: s.list() })) });
}

// ---------------------------------------------------------------- scenario mode


export interface ScenarioInputOptions {
  readonly variant: Variant;
  /** Reads a file relative to the scenario file (manifests, workspace files, `extends`). */
  readonly readFile: (path: string) => string | undefined;
  /** The scenario file's own text, for the lines of inline manifests (optional). */
  readonly text?: string;
}

/** The file (display path and text) each of the scenario's steps is written in: bases of `extends` first. */
function stepFiles(scenario: Scenario, opts: ScenarioInputOptions): { steps: { file: string; text?: string }[]; root: { file: string; text?: string } } {
  const chain: { file: string; text?: string; own: number }[] = [];
  let text = opts.text;
  let file = scenario.file;
  let rel = '';
  for (let depth = 0; depth < 5 && text !== undefined; depth++) {
    const docs = parseYamlDocuments(text, file);
    const root = docs.ok ? docs.value[0]?.object : undefined;
    const own = Array.isArray(root?.steps) ? root.steps.length : 0;
    chain.unshift({ file, text, own });
    const ext = typeof root?.extends === 'string' ? root.extends : undefined;
    if (!ext) break;
    rel = joinRelative(dirOf(rel), ext);
    file = joinRelative(dirOf(file), ext);
    text = opts.readFile(rel);
  }
  const out: { file: string; text?: string }[] = [];
  for (const c of chain) for (let i = 0; i < c.own; i++) out.push({ file: c.file, ...(c.text !== undefined ? { text: c.text } : {}) });
  while (out.length < scenario.steps.length) out.unshift({ file: scenario.file, ...(opts.text !== undefined ? { text: opts.text } : {}) });
  // The clusters (and their inline manifests) are written in the deepest base.
  const root = chain[0] ?? { file: scenario.file, ...(opts.text !== undefined ? { text: opts.text } : {}) };
  return { steps: out.slice(out.length - scenario.steps.length), root: { file: root.file, ...(root.text !== undefined ? { text: root.text } : {}) } };
}

/** The line where an inline block scalar's content starts, searching from the step's line. */
function inlineOffset(text: string | undefined, fromLine: number | undefined): number {
  if (text === undefined || fromLine === undefined) return 0;
  const lines = text.split('\n');
  for (let i = fromLine - 1; i < lines.length && i < fromLine + 20; i++) if (/\binline:\s*[|>]/.test(lines[i] ?? '')) return i + 1;
  return fromLine;
}

const metaOf = (o: Obj): { name?: string; namespace?: string; labels?: Record<string, string> } => (o.metadata && typeof o.metadata === 'object' ? (o.metadata as never) : {});


/** Recording kubectl/oc/istioctl for the analyzer's shell. */
class Recorder {
  readonly skipped: SkippedCommand[] = [];
  readonly execs: ExecCommand[] = [];
  where: { file: string; line?: number } = { file: '' };
  currentContext: string;
  /** Workspace path on the virtual workstation → the file's display path. */
  readonly workspace = new Map<string, string>();

  constructor(
    readonly states: Map<string, ClusterState>,
    readonly istioVersion: string | undefined,
    private readonly readScenarioFile: (p: string) => string | undefined,
    private readonly scenarioDir: string,
  ) {
    this.currentContext = [...states.keys()][0] ?? '';
  }

  skip(command: string, reason: string): void {
    this.skipped.push({ ...this.where, command, reason });
  }

  /** The objects of a manifest text read by `-f`: file positions when it is a known file, the step's line otherwise. */
  docs(text: string, path: string | undefined, cluster: string): Result<AnalyzedObject[], SimError> {
    const display = path !== undefined ? this.workspace.get(path) : undefined;
    if (display !== undefined) return parseDocs(text, display, cluster);
    const r = parseDocs(text, this.where.file, cluster);
    if (!r.ok) return r;
    // Piped or generated text: no document positions in any file; point at the step.
    return ok(r.value.map((o) => ({ cluster: o.cluster, file: this.where.file, ...(this.where.line !== undefined ? { line: this.where.line } : {}), object: o.object })));
  }

  readPath(io: ProgramIo, f: string): { text: string; path: string } | undefined {
    const path = f.startsWith('/') ? f : `${io.cwd.replace(/\/$/, '')}/${f}`;
    const text = io.fs.read(path);
    if (text !== undefined) return { text, path };
    const rel = this.readScenarioFile(f);
    if (rel !== undefined) {
      this.workspace.set(path, joinRelative(this.scenarioDir, f));
      return { text: rel, path };
    }
    return undefined;
  }

  kubectl(name: string): Program {
    return (argv, io) => this.runKubectl(name, argv, io);
  }

  private runKubectl(name: string, argv: readonly string[], io: ProgramIo) {
    const line = argv.join(' ');
    const valued = new Set(['--context', '-n', '--namespace', '-f', '--filename', '-l', '--selector', '--type', '-p', '--patch', '-o', '--output', '-c', '--container', '--kubeconfig', '--replicas', '--field-manager', '--timeout', '--for', '--from-literal', '--from-file', '--tail', '--since', '--template', '--image', '--server']);
    const pos: string[] = [];
    const flags = new Map<string, string[]>();
    const args = argv.slice(1);
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === '--') {
        pos.push(...args.slice(i));
        break;
      }
      const eq = a.indexOf('=');
      if (a.startsWith('--') && eq > 0) flags.set(a.slice(0, eq), [...(flags.get(a.slice(0, eq)) ?? []), a.slice(eq + 1)]);
      else if (valued.has(a)) flags.set(a, [...(flags.get(a) ?? []), args[++i] ?? '']);
      else if (a.startsWith('-') && a.length > 1) flags.set(a, ['true']);
      else pos.push(a);
    }
    const flag = (...n: string[]): string | undefined => n.map((x) => flags.get(x)?.[0]).find((v) => v !== undefined);
    const cluster = flag('--context') ?? this.currentContext;
    const state = this.states.get(cluster);
    const ns = flag('-n', '--namespace');
    const [verb, ...rest] = pos;
    const readOnly = ['get', 'describe', 'logs', 'wait', 'version', 'api-resources', 'explain', 'top', 'events', 'auth', 'cluster-info'];
    if (verb === undefined) return done();
    if (verb === 'config') {
      if (rest[0] === 'use-context' && rest[1]) this.currentContext = rest[1];
      return done();
    }
    // `kubectl get KIND NAME` or `kubectl get KIND/NAME`: the object as the analyzer holds it.
    const getTarget = () => {
      const t: [string, string] = rest[0]?.includes('/') ? [rest[0].split('/')[0]!, rest[0].split('/')[1]!] : [rest[0] ?? '', rest[1] ?? ''];
      return { t, f: t[1] && state ? state.find(resolveKindWord(t[0]), ns, t[1]) : undefined };
    };
    if (verb === 'get' && state && /^(yaml|json)$/.test(flag('-o', '--output') ?? '')) {
      // `kubectl get cm x -o yaml | sed … | kubectl apply -f -`: the object as the analyzer holds it.
      const { t, f } = getTarget();
      if (!f) return done('', `Error from server (NotFound): ${t[0]} "${t[1]}" not found\n`, 1);
      return done(flag('-o', '--output') === 'json' ? `${JSON.stringify(f.value.object, null, 4)}\n` : stringify(f.value.object));
    }
    if (readOnly.includes(verb)) {
      // Values a later step may use: `-o jsonpath` on the object as the analyzer holds it; an address
      // only known at run time (`{.status.loadBalancer.ingress[0].ip}`) is a documentation address.
      const out = flag('-o', '--output') ?? '';
      let value = '';
      const jp = /^jsonpath=(.*)$/s.exec(out);
      if (verb === 'get' && jp && state) {
        const { f } = getTarget();
        const p = parseJsonPath(jp[1]!);
        if (f && p.ok) {
          const r = p.value.execute(f.value.object);
          if (r.ok) value = r.value;
        }
      }
      return done(value === '' && /jsonpath=.*\bip\b/.test(out) ? '192.0.2.1' : value);
    }
    if (!state) {
      this.skip(line, `no cluster (context) named ${JSON.stringify(cluster)}`);
      return done();
    }
    if (verb === 'exec') {
      const dash = pos.indexOf('--');
      const target = rest[0];
      if (target !== undefined && dash > 0) this.execs.push({ cluster, ...this.where, namespace: ns ?? 'default', target, ...(flag('-c', '--container') ? { container: flag('-c', '--container')! } : {}), argv: pos.slice(dash + 1), command: line });
    }
    if (verb === 'exec' || verb === 'rsh') {
      // `spire-server bundle show` output feeds bundle exchanges: a stand-in bundle.
      const shows = line.includes('bundle show');
      if (!shows) this.skip(line, 'runs inside a container: its effect is not visible in manifests');
      return done(shows ? '{\n  "keys": [],\n  "spiffe_refresh_hint": 300\n}\n' : '');
    }
    if (verb === 'apply' || (verb === 'create' && flags.has('-f')) || (verb === 'replace' && flags.has('-f'))) {
      const files = [...(flags.get('-f') ?? []), ...(flags.get('--filename') ?? [])];
      const selector = flag('-l', '--selector');
      const sel = selector !== undefined ? parseSelector(selector) : undefined;
      for (const f of files) {
        const src = f === '-' ? { text: io.stdin, path: undefined } : this.readPath(io, f);
        if (!src) {
          this.skip(line, `cannot read ${f}`);
          continue;
        }
        const objs = this.docs(src.text, src.path, cluster);
        if (!objs.ok) {
          this.skip(line, objs.error.message);
          continue;
        }
        for (const o of objs.value) {
          if (sel?.ok && !sel.value.matches(metaOf(o.object).labels ?? {})) continue;
          state.put(o, ns ?? 'default');
        }
      }
      return done();
    }
    if (verb === 'create' && (rest[0] === 'namespace' || rest[0] === 'ns') && rest[1]) {
      state.put({ cluster, file: this.where.file, ...(this.where.line !== undefined ? { line: this.where.line } : {}), object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: rest[1] } } });
      return done();
    }
    const target = (): { kinds: ReturnType<typeof resolveKindWord>; names: string[] } | undefined => {
      if (rest[0] === undefined) return undefined;
      if (rest[0].includes('/')) {
        const [k, n] = rest[0].split('/', 2) as [string, string];
        return { kinds: resolveKindWord(k), names: [n] };
      }
      return rest[1] === undefined ? undefined : { kinds: resolveKindWord(rest[0]), names: rest.slice(1).filter((x) => !x.includes('=') && !x.endsWith('-')) };
    };
    if (verb === 'patch') {
      const t = target();
      const body = flag('-p', '--patch');
      if (!t || body === undefined) {
        this.skip(line, 'patch without a target or -p');
        return done();
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        const d = parseYamlDocuments(body, 'patch');
        parsed = d.ok ? d.value[0]?.object : undefined;
      }
      for (const n of t.names) {
        const type = flag('--type') ?? 'strategic';
        const r = state.update(t.kinds, ns, n, (o) => patchObject(o, type, parsed));
        if (r.ok && !r.value && type !== 'json' && state.patchUnseen(t.kinds, ns, n, parsed, this.where)) continue;
        if (!r.ok || !r.value) this.skip(line, r.ok ? `${rest[0]} ${n} is not in the manifests the analyzer saw` : r.error.message);
      }
      return done();
    }
    if (verb === 'label' || verb === 'annotate') {
      const t = target();
      const edits = rest.slice(1).filter((x) => x.includes('=') || x.endsWith('-'));
      if (t) {
        for (const n of t.names) {
          const r = state.update(t.kinds, ns, n, (o) => ok(editMetadata(o, verb === 'label' ? 'labels' : 'annotations', edits)));
          // `kubectl label namespace default …`: namespaces exist without a manifest.
          if (r.ok && !r.value && t.kinds.some((k) => k.kind === 'Namespace')) state.put({ cluster, file: this.where.file, ...(this.where.line !== undefined ? { line: this.where.line } : {}), object: editMetadata({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } }, verb === 'label' ? 'labels' : 'annotations', edits) });
          else if (r.ok && !r.value) this.skip(line, `${rest[0]} ${n} is not in the manifests the analyzer saw`);
        }
      }
      return done();
    }
    if (verb === 'scale') {
      const t = target();
      const replicas = Number(flag('--replicas'));
      if (t && Number.isInteger(replicas)) for (const n of t.names) state.update(t.kinds, ns, n, (o) => ok(applyMergePatch(o, { spec: { replicas } }) as Obj));
      return done();
    }
    if (verb === 'delete') {
      if (flags.has('-l') || flags.has('--selector') || rest[0] === 'pod' || rest[0] === 'pods' || rest[0]?.startsWith('pod/')) return done();
      const files = flags.get('-f') ?? [];
      for (const f of files) {
        const src = f === '-' ? { text: io.stdin, path: undefined } : this.readPath(io, f);
        const objs = src ? this.docs(src.text, src.path, cluster) : undefined;
        for (const o of objs?.ok ? objs.value : []) state.delete(resolveKindWord(String(o.object.kind)), metaOf(o.object).namespace ?? ns, metaOf(o.object).name ?? '');
      }
      const t = files.length === 0 ? target() : undefined;
      for (const n of t?.names ?? []) state.delete(t!.kinds, ns, n);
      return done();
    }
    if (verb === 'rollout') return done();
    this.skip(line, `${name} ${verb} is not followed by the analyzer`);
    return done();
  }

  istioctl(): Program {
    const version = (() => {
      const v = this.istioVersion ? parseIstioVersion(this.istioVersion) : undefined;
      return v?.ok ? v.value : DEFAULT_ISTIO_VERSION;
    })();
    const install = makeIstioctlInstall({
      version,
      target: (context) => {
        const cluster = context ?? this.currentContext;
        const state = this.states.get(cluster);
        if (!state) return err(simError('analyze/context', `context "${cluster}" does not exist`));
        return ok({
          apply: (manifests) => {
            for (const m of manifests) state.put({ cluster, file: this.where.file, ...(this.where.line !== undefined ? { line: this.where.line } : {}), object: m as unknown as Obj });
            return ok(undefined);
          },
          hasNamespace: (n) => state.find(resolveKindWord('namespace'), undefined, n) !== undefined,
        });
      },
    });
    // `istioctl install` also leaves the merged IstioOperator, as the object mesh rules read
    // (`spec.meshConfig`, `spec.values`), written where the step is.
    const recordIop: Program = (argv, io) => {
      const files: { file: string; text: string }[] = [];
      const sets: string[] = [];
      let context: string | undefined;
      for (let i = 1; i < argv.length; i++) {
        const a = argv[i]!;
        const [f, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
        const value = () => inline ?? argv[++i] ?? '';
        if (f === '-f' || f === '--filename') {
          for (const x of value().split(',')) {
            if (x === '-') files.push({ file: '<stdin>', text: io.stdin });
            else {
              const src = this.readPath(io, x);
              if (src) files.push({ file: x, text: src.text });
            }
          }
        } else if (f === '-s' || f === '--set') sets.push(value());
        else if (f === '--context') context = value();
      }
      const merged = mergeIstioOperator(files, sets, version);
      const cluster = context ?? this.currentContext;
      const state = this.states.get(cluster);
      if (merged.ok && state) {
        const m = (merged.value.metadata ?? {}) as Record<string, unknown>;
        const name = typeof m.name === 'string' && m.name ? m.name : 'installed-state';
        state.put({ cluster, file: this.where.file, ...(this.where.line !== undefined ? { line: this.where.line } : {}), object: { ...merged.value, metadata: { ...m, name, namespace: (m.namespace as string | undefined) ?? 'istio-system' } } });
      }
      return install(argv, io.stdin === '' ? { ...io, stdin: 'y\n' } : io);
    };
    return (argv, io) => {
      const words = argv.slice(1);
      const valued = new Set(['--context', '-n', '--namespace', '-f', '--filename', '-s', '--set', '--name', '--server', '-i', '--istioNamespace', '-r', '--revision', '-o', '--output', '--kubeconfig']);
      const pos: string[] = [];
      let context: string | undefined;
      let name: string | undefined;
      let server: string | undefined;
      for (let i = 0; i < words.length; i++) {
        const a = words[i]!;
        const eq = a.startsWith('--') ? a.indexOf('=') : -1;
        const f = eq > 0 ? a.slice(0, eq) : a;
        const v = eq > 0 ? a.slice(eq + 1) : valued.has(a) ? words[++i] : undefined;
        if (f === '--context') context = v;
        else if (f === '--name') name = v;
        else if (f === '--server') server = v;
        else if (!a.startsWith('-')) pos.push(a);
      }
      const cmd = pos[0];
      if (cmd === 'install' || cmd === 'apply') return recordIop(argv, io);
      if (cmd === 'create-remote-secret') {
        const cluster = context ?? this.currentContext;
        // A stand-in API server and token: rules check the remote secret's presence, not its content.
        const r = createRemoteSecret({ name: name ?? cluster, server: server ?? `https://${cluster}.invalid:6443`, caData: '', token: '', istioctlVersion: this.istioVersion ?? '1.27.0', serverOverridden: true });
        return r.ok ? done(r.value.stdout) : done('', `${r.error.message}\n`, 1);
      }
      if (cmd !== 'proxy-config' && cmd !== 'pc' && cmd !== 'remote-clusters' && cmd !== 'version' && cmd !== 'analyze' && cmd !== 'x') this.skip(argv.join(' '), `istioctl ${cmd ?? ''} is not followed by the analyzer`);
      return done();
    };
  }
}

/**
 * Scenario mode: the variant's manifests and steps, followed statically. Errors are problems with the
 * scenario's files (a manifest that cannot be read or parsed), as `file:line: reason`.
 */
export async function inputFromScenario(scenario: Scenario, opts: ScenarioInputOptions): Promise<Result<ScenarioInput, SimError>> {
  const dir = dirOf(scenario.file);
  const states = new Map(scenario.clusters.map((c) => [c.name, new ClusterState(c.name)]));
  const files = stepFiles(scenario, opts);
  const display = (src: ManifestSource, inlineFile = scenario.file): string => ('file' in src ? joinRelative(dir, src.file) : inlineFile);
  const fixPatches = opts.variant === 'fixed' ? (scenario.fix?.patches ?? []) : [];

  // Initial manifests, in cluster order, with their own patches and the fix's.
  for (const c of scenario.clusters) {
    const state = states.get(c.name)!;
    // OpenShift's cluster DNS config (`oc get dns cluster -o jsonpath='{.spec.baseDomain}'`), as the platform has it.
    if (c.platform === 'openshift') state.put({ cluster: c.name, file: scenario.file, object: { apiVersion: 'config.openshift.io/v1', kind: 'DNS', metadata: { name: 'cluster' }, spec: { baseDomain: c.baseDomain ?? `${c.name}.example.com` } }, partial: true });
    for (const src of c.manifests) {
      const text = 'inline' in src ? src.inline : opts.readFile(src.file);
      if (text === undefined) return err(simError('analyze/missing-file', `${scenario.file}: clusters[${c.name}].manifests: cannot read manifest file ${display(src)}`));
      const offset = 'inline' in src ? inlineManifestOffset(files.root.text, src.inline) : 0;
      const objs = parseDocs(text, display(src, files.root.file), c.name, offset);
      if (!objs.ok) return objs;
      const patches = [...(src.patches ?? []), ...fixPatches.filter((p) => (p.cluster ?? scenario.clusters[0]!.name) === c.name)];
      for (const o of objs.value) {
        let object = o.object;
        for (const p of patches) {
          if (!patchTargets(object, p)) continue;
          const r = applyManifestPatch(object, p);
          if (!r.ok) return r;
          object = r.value;
        }
        state.put({ ...o, object });
      }
    }
  }

  const recorder = new Recorder(states, scenario.clusters[0]?.versions.istio ?? scenario.clusters.find((c) => c.versions.istio)?.versions.istio, opts.readFile, dir);
  const shell = new Shell({
    programs: {
      kubectl: recorder.kubectl('kubectl'),
      oc: recorder.kubectl('oc'),
      istioctl: recorder.istioctl(),
      'gen-eastwest-gateway.sh': makeGenEastwestGateway((() => {
        const v = recorder.istioVersion ? parseIstioVersion(recorder.istioVersion) : undefined;
        return v?.ok ? v.value : DEFAULT_ISTIO_VERSION;
      })()),
      ...Object.fromEntries(['curl', 'openssl', 'helm', 'docker', 'kind', 'ssh', 'watch', 'sleep'].map((p) => [p, ((argv) => {
        recorder.skip(argv.join(' '), `${p} is not followed by the analyzer`);
        return done();
      }) as Program])),
    },
    env: { USER: 'trainee' },
  });
  for (const w of scenario.workspace) {
    const text = opts.readFile(w.file);
    if (text === undefined) continue;
    const path = `${shell.cwd}/${w.path}`;
    shell.fs.write(path, text);
    recorder.workspace.set(path, joinRelative(dir, w.file));
  }

  const captures: Record<string, string> = {};
  const tctx = () => ({
    clusters: Object.fromEntries(scenario.clusters.map((c) => [c.name, { name: c.name, trustDomain: c.trustDomain, network: c.network ?? '', platform: c.platform }])),
    captures,
    variant: opts.variant,
    scenario: { id: scenario.id },
  });
  const render = (text: string, where: string): string => {
    const r = renderTemplate(text, tctx(), where);
    // An undefined capture (a skipped command's output) renders as nothing rather than stopping the analysis.
    return r.ok ? r.value : text.replace(/\{\{\s*captures\.[^}]*\}\}/g, '');
  };
  const planned: { step: Step; file: string; text?: string }[] = [
    ...scenario.steps.map((step, i) => ({ step, ...(files.steps[i] ?? { file: scenario.file }) })).filter((s) => s.step.when === 'both' || s.step.when === opts.variant),
    ...(opts.variant === 'fixed' ? (scenario.fix?.steps ?? []).map((step) => ({ step, file: scenario.file, ...(opts.text !== undefined ? { text: opts.text } : {}) })) : []),
  ];
  for (const [i, { step, file, text }] of planned.entries()) {
    for (const st of states.values()) st.revision = i + 1;
    recorder.where = { file, ...(step.line !== undefined ? { line: step.line } : {}) };
    const where = `${file}:${step.line ?? '?'}: ${step.at}`;
    switch (step.type) {
      case 'apply': {
        const state = states.get(step.cluster ?? scenario.clusters[0]!.name);
        if (!state) break;
        const src = step.source;
        const raw = 'inline' in src ? src.inline : opts.readFile(src.file);
        if (raw === undefined) return err(simError('analyze/missing-file', `${where}: cannot read manifest file ${display(src)}`));
        const objs = parseDocs(render(raw, where), display(src), state.name, 'inline' in src ? inlineOffset(text, step.line) : 0);
        if (!objs.ok) return objs;
        for (const o of objs.value) state.put(o);
        break;
      }
      case 'patch': {
        const state = states.get(step.target.cluster ?? scenario.clusters[0]!.name);
        if (!state) break;
        const body = render(step.patch, where);
        let parsed: unknown;
        try {
          parsed = JSON.parse(body);
        } catch {
          const d = parseYamlDocuments(body, where);
          parsed = d.ok ? d.value[0]?.object : undefined;
        }
        const kinds = resolveKindWord(step.target.kind);
        const r = state.update(kinds, step.target.namespace, step.target.name, (o) => patchObject(o, step.patchType, parsed));
        if (r.ok && !r.value && step.patchType !== 'json' && state.patchUnseen(kinds, step.target.namespace, step.target.name, parsed, recorder.where)) break;
        if (!r.ok || !r.value) recorder.skip(`patch ${step.target.kind} ${step.target.name}`, r.ok ? 'the object is not in the manifests the analyzer saw' : r.error.message);
        break;
      }
      case 'delete': {
        const state = states.get(step.target.cluster ?? scenario.clusters[0]!.name);
        state?.delete(resolveKindWord(step.target.kind), step.target.namespace, step.target.name);
        break;
      }
      case 'run': {
        const saved = recorder.currentContext;
        if (step.cluster) recorder.currentContext = step.cluster;
        const r = await shell.run(render(step.command, where), step.stdin === undefined ? '' : render(step.stdin, where));
        recorder.currentContext = saved;
        if (step.capture) captures[step.capture] = r.stdout.replace(/\n$/, '');
        // A step that expects its command to fail shows a rejected input: what it wrote never exists.
        if (step.expect?.exitCode !== undefined && step.expect.exitCode !== 0) for (const st of states.values()) st.markRefused(i + 1, step.expect.exitCode);
        break;
      }
      default:
        // advance, restart, stop/start, partition/heal, dnsFailure, rotateCA: no manifest changes.
        break;
    }
  }

  const clusters: ClusterInput[] = scenario.clusters.map((c) => ({
    name: c.name,
    trustDomain: c.trustDomain,
    platform: c.platform,
    profile: c.profile,
    ...(c.network !== undefined ? { network: c.network } : {}),
    // `kubelet`: the lowest node kubelet, when nodes name one (native sidecars under ENABLE_NATIVE_SIDECARS=auto need every node ≥ 1.33).
    versions: { ...c.versions, ...(c.nodes.some((n) => n.kubelet) ? { kubelet: c.nodes.map((n) => n.kubelet ?? `v${c.versions.kubernetes ?? '0.0'}`).sort((a, b) => Number(/\.(\d+)/.exec(a)?.[1]) - Number(/\.(\d+)/.exec(b)?.[1]))[0]! } : {}) },
    objects: states.get(c.name)!.list(),
  }));
  return ok({ clusters, skipped: recorder.skipped, execs: recorder.execs, label: `${scenario.id}${scenario.fix ? ` (${opts.variant})` : ''}` });
}

/** Where an initial inline manifest's text starts in the scenario file (0 when unknown). */
function inlineManifestOffset(text: string | undefined, inline: string): number {
  if (text === undefined) return 0;
  const first = inline.split('\n').find((l) => l.trim() !== '')?.trim();
  if (!first) return 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (/\binline:\s*[|>]/.test(l) && (lines[i + 1] ?? '').trim() === first) return i + 1;
    if (/\binline:\s*["']/.test(l) && l.includes(JSON.stringify(first).slice(1, -1))) return i;
  }
  return 0;
}
