/**
 * What every kubectl/oc subcommand works with: the cluster the context names, the namespace, the
 * parsed flags, the workstation's files and stdin; plus the shared pieces of kubectl's behaviour —
 * how errors are printed (kubectl:pkg/cmd/util/helpers.go checkErr / StandardErrorMessage /
 * MultipleErrors / AddSourceToErr), resource arguments (cli-runtime resource.Builder
 * ResourceTypeOrNameArgs) and reading `-f FILE|DIR|-` (cli-runtime FileVisitor / StreamVisitor).
 */
import { isPlainObject, type KubeManifest } from '../../kube/object.ts';
import type { KindInfo } from '../../kube/builtinKinds.ts';
import type { ClusterStore } from '../../kube/store.ts';
import { parseYamlDocuments } from '../../kube/yaml.ts';
import type { SimError } from '../../core/result.ts';
import { resolvePath } from '../shell/fs.ts';
import type { ProgramIo, ProgramResult } from '../shell/program.ts';
import type { ParsedArgs } from './flags.ts';

export interface ClusterHandle {
  /** Also the kubeconfig context name. */
  readonly name: string;
  readonly store: ClusterStore;
  readonly platform: 'kubernetes' | 'openshift';
  /** The API server URL kubeconfigs name (`https://172.18.0.N:6443`), when the lab has one: `--kubeconfig` maps a file's server to it. */
  readonly server?: string;
  /** Logs of a container, or undefined when it has none yet. */
  logs(namespace: string, pod: string, container: string): string | undefined;
  /** Runs argv inside a container (the world decides which binaries that image has). */
  exec(namespace: string, pod: string, container: string, argv: readonly string[], stdin: string): Promise<ProgramResult>;
}

export interface KubectlEnv {
  clusters(): readonly ClusterHandle[];
  currentContext(): string;
  setCurrentContext?(name: string): void;
}

export type Flavor = 'kubectl' | 'oc';

/** Kubeconfig state the program keeps between runs: the namespace each context defaults to. */
export interface KubeconfigState {
  readonly namespaces: Map<string, string>;
}

export interface Session {
  readonly flavor: Flavor;
  readonly env: KubectlEnv;
  readonly state: KubeconfigState;
  readonly contextName: string;
  readonly cluster: ClusterHandle;
  readonly store: ClusterStore;
  /** `-n`, or the context's namespace, or `default`. */
  readonly namespace: string;
  /** `-n` was given (kubectl's EnforceNamespace). */
  readonly explicitNamespace: boolean;
  readonly args: ParsedArgs;
  readonly io: ProgramIo;
  /** `kubectl get` etc.: the command path for usage errors. */
  readonly command: string;
  now(): number;
}

/** Accumulates a command's output like kubectl's streams. */
export class Output {
  stdout = '';
  stderr = '';
  out(s: string): void {
    this.stdout += s;
  }
  err(s: string): void {
    this.stderr += s.endsWith('\n') ? s : `${s}\n`;
  }
  result(exitCode: number): ProgramResult {
    return { stdout: this.stdout, stderr: this.stderr, exitCode };
  }
}

/** A user error: printed as kubectl prints errors, exit 1 unless given. */
export class CommandError {
  constructor(
    readonly message: string,
    readonly exitCode = 1,
  ) {}
}

/** kubectl's text for one error (checkErr): server errors as the store words them, the rest `error: …`. */
export function errorText(e: SimError | string): string {
  const msg = typeof e === 'string' ? e : e.message;
  if (msg.startsWith('error: ') || msg.startsWith('Error from server') || msg.startsWith('The ') || msg.startsWith('Error in configuration')) return msg;
  return `error: ${msg}`;
}

/** MultipleErrors: with several, each line bare (no `error: ` added); one is printed as checkErr would. */
export function errorsText(errors: readonly (SimError | string)[]): string {
  if (errors.length === 1) return errorText(errors[0]!);
  return errors.map((e) => (typeof e === 'string' ? e : e.message)).join('\n');
}

/** cmdutil.UsageErrorf. */
export function usageError(s: Session | { flavor: Flavor; command: string }, message: string): CommandError {
  return new CommandError(`error: ${message}\nSee '${s.flavor} ${s.command} -h' for help and examples`);
}

/** cmdutil.AddSourceToErr: a server error keeps its reason, its message gains `error when VERB "SOURCE": `. */
export function withSource(e: SimError, verb: string, source: string): string {
  if (e.code === 'kube/invalid') return e.message;
  const status = isPlainObject(e.detail) && isPlainObject(e.detail.status) ? (e.detail.status as { reason?: string; message?: string }) : undefined;
  if (status && typeof status.message === 'string') {
    const reason = status.reason ? ` (${status.reason})` : '';
    return `Error from server${reason}: error when ${verb} "${source}": ${status.message}`;
  }
  // A status the server already worded as kubectl prints it (strict decoding's 400): AddSourceToErr puts
  // the source into the status message, after the `Error from server (Reason): ` prefix
  // (kubectl pkg/cmd/util/helpers.go).
  const worded = /^Error from server(?: \([A-Za-z]+\))?: /.exec(e.message);
  if (worded) return e.message.startsWith(`${worded[0]}error when `) ? e.message : `${worded[0]}error when ${verb} "${source}": ${e.message.slice(worded[0].length)}`;
  const bare = e.message.replace(/^error: /, '');
  return `error when ${verb} "${source}": ${bare}`;
}

// ---------------------------------------------------------------- resource arguments

export interface ResourceRequest {
  readonly kind: KindInfo;
  /** Empty: all of the kind. */
  readonly names: string[];
}

/** kubectl's `all` category (the order `kubectl get all` prints in). */
export const ALL_CATEGORY = ['pods', 'replicationcontrollers', 'services', 'daemonsets.apps', 'deployments.apps', 'replicasets.apps', 'statefulsets.apps', 'horizontalpodautoscalers.autoscaling', 'cronjobs.batch', 'jobs.batch'];

export function resolveKind(s: Session, resource: string): KindInfo | CommandError {
  const k = s.store.kinds.resolve(resource);
  if (!k) return new CommandError(`error: the server doesn't have a resource type "${resource}"`);
  return k;
}

/** ResourceTypeOrNameArgs: `TYPE[,TYPE…] [NAME…]` or `TYPE/NAME…`. `all` expands to the served kinds of the category. */
export function resourceArgs(s: Session, args: readonly string[]): ResourceRequest[] | CommandError {
  if (args.some((a) => a.includes('/'))) {
    const out: ResourceRequest[] = [];
    for (const a of args) {
      const slash = a.indexOf('/');
      if (slash < 0)
        return new CommandError(
          `error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. '${s.flavor} get resource/<resource_name>' instead of '${s.flavor} get resource resource/<resource_name>'`,
        );
      const type = a.slice(0, slash);
      const name = a.slice(slash + 1);
      if (name === '') return new CommandError(`error: arguments in resource/name form must have a single resource and name`);
      const k = resolveKind(s, type);
      if (k instanceof CommandError) return k;
      const prev = out.find((r) => r.kind === k);
      if (prev) prev.names.push(name);
      else out.push({ kind: k, names: [name] });
    }
    return out;
  }
  const [types, ...names] = args;
  if (types === undefined) return [];
  const out: ResourceRequest[] = [];
  for (const t of types.split(',').filter((x) => x !== '')) {
    if (t === 'all') {
      for (const r of ALL_CATEGORY) {
        const k = s.store.kinds.resolve(r);
        if (k && !out.some((o) => o.kind === k)) out.push({ kind: k, names: [...names] });
      }
      continue;
    }
    const k = resolveKind(s, t);
    if (k instanceof CommandError) return k;
    if (!out.some((o) => o.kind === k)) out.push({ kind: k, names: [...names] });
  }
  return out;
}

// ---------------------------------------------------------------- -f FILE|DIR|-

export interface SourcedManifest {
  readonly manifest: KubeManifest;
  /** The file as kubectl names it in messages (`STDIN` for `-`). */
  readonly source: string;
}

const MANIFEST_EXT = /\.(ya?ml|json)$/;

/** Reads every object of the `-f` arguments in order; a `kind: List` is flattened. */
export function readManifests(s: Session, filenames: readonly string[], recursive: boolean): SourcedManifest[] | CommandError {
  const out: SourcedManifest[] = [];
  for (const f of filenames) {
    let files: { path: string; source: string; text: string }[];
    if (f === '-') files = [{ path: '-', source: 'STDIN', text: s.io.stdin }];
    else if (/^https?:\/\//.test(f)) return new CommandError(`error: unable to read URL "${f}", server reported 404 Not Found, status code=404`);
    else {
      const abs = resolvePath(s.io.cwd, f);
      const text = s.io.fs.read(abs);
      if (text !== undefined) files = [{ path: abs, source: f, text }];
      else {
        const prefix = `${abs}/`;
        const inDir = s.io.fs
          .list()
          .filter((p) => p.startsWith(prefix) && MANIFEST_EXT.test(p) && (recursive || !p.slice(prefix.length).includes('/')));
        if (inDir.length === 0 && !s.io.fs.list().some((p) => p.startsWith(prefix))) return new CommandError(`error: the path "${f}" does not exist`);
        files = inDir.map((p) => ({ path: p, source: `${f.replace(/\/$/, '')}/${p.slice(prefix.length)}`, text: s.io.fs.read(p) ?? '' }));
      }
    }
    for (const file of files) {
      const docs = parseYamlDocuments(file.text, file.source);
      if (!docs.ok) return new CommandError(`error: error parsing ${file.source}: ${docs.error.message.replace(`${file.source}:`, 'line ')}`);
      for (const d of docs.value) {
        const o = d.object;
        if (o.kind === 'List' && Array.isArray(o.items)) {
          for (const item of o.items) if (isPlainObject(item)) out.push({ manifest: item as unknown as KubeManifest, source: file.source });
          continue;
        }
        if (typeof o.apiVersion !== 'string' || o.apiVersion === '') return new CommandError(`error: error validating "${file.source}": error validating data: apiVersion not set; if you choose to ignore these errors, turn validation off with --validate=false`);
        if (typeof o.kind !== 'string' || o.kind === '') return new CommandError(`error: error validating "${file.source}": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false`);
        out.push({ manifest: o as unknown as KubeManifest, source: file.source });
      }
    }
  }
  return out;
}

/** `resource mapping not found …` for a manifest whose kind no API serves (apply/create/delete -f);
 * bare (errorsText adds `error: ` when it is the only error). */
export function mappingNotFound(m: SourcedManifest, cause: SimError): string {
  const meta = isPlainObject(m.manifest.metadata) ? m.manifest.metadata : {};
  return `resource mapping not found for name: "${String(meta.name ?? '')}" namespace: "${String(meta.namespace ?? '')}" from "${m.source}": ${cause.message}\nensure CRDs are installed first`;
}
