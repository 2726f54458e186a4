/**
 * `--kubeconfig PATH`: kubectl reads PATH from the workstation's files, picks `--context` or the file's
 * current-context, and talks to that context's cluster server. The lab maps the server URL to a lab
 * cluster (its API server address, `https://172.18.0.N:6443`; `https://<name>-control-plane:6443`; or
 * `https://api.<name>.lab:6443`, what `config view` prints).
 * Upstream: client-go tools/clientcmd loader.go (`ClientConfigLoadingRules.Load`: a missing ExplicitPath is
 * `stat PATH: no such file or directory`; a file that does not parse is `error loading config file "PATH": …`),
 * client_config.go (`DirectClientConfig.ConfirmUsable`: `context was not found for specified context: X`),
 * validation.go; kubectl pkg/cmd/util/helpers.go (`Error in configuration: ` for invalid configurations).
 * Missing cluster entries and servers fall back to kubectl's ClusterDefaults (`http://localhost:8080`).
 * Simplified: YAML syntax errors carry the lab parser's text; users and credentials are not checked
 * (the lab's clusters accept any); KUBECONFIG lists are not read.
 */
import { parseYamlDocuments } from '../../kube/yaml.ts';
import { resolvePath } from '../shell/fs.ts';
import type { ProgramIo, ProgramResult } from '../shell/program.ts';
import type { ParsedArgs } from './flags.ts';
import { CommandError, Output, type ClusterHandle, type Flavor } from './session.ts';
import { getContexts } from './config.ts';

type Obj = Readonly<Record<string, unknown>>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export interface KubeconfigFile {
  readonly currentContext: string;
  /** Context name → its cluster name and namespace. */
  readonly contexts: ReadonlyMap<string, { readonly cluster: string; readonly user: string; readonly namespace?: string }>;
  /** Cluster name → server URL ('' when it has none). */
  readonly clusters: ReadonlyMap<string, string>;
}

/** What a context of the file resolves to: a lab cluster and the context's namespace. */
export interface KubeconfigTarget {
  readonly contextName: string;
  readonly cluster: ClusterHandle;
  readonly namespace?: string;
}

/** kubectl's answer when no server is configured: client-go's ClusterDefaults point at localhost:8080. */
const NO_SERVER = 'The connection to the server localhost:8080 was refused - did you specify the right host or port?';

/** Reads and parses PATH as kubectl's loader does (errors in kubectl's words). */
export function readKubeconfig(path: string, io: ProgramIo): KubeconfigFile | CommandError {
  const abs = resolvePath(io.cwd, path);
  const text = io.fs.read(abs);
  if (text === undefined) {
    if (io.fs.listDir(abs).length > 0) return new CommandError(`error: error loading config file "${path}": read ${path}: is a directory`);
    return new CommandError(`error: stat ${path}: no such file or directory`);
  }
  const docs = parseYamlDocuments(text, path);
  if (!docs.ok) return new CommandError(`error: error loading config file "${path}": ${docs.error.message}`);
  const root = obj(docs.value[0]?.object);
  const contexts = new Map<string, { cluster: string; user: string; namespace?: string }>();
  for (const e of Array.isArray(root.contexts) ? root.contexts : []) {
    const c = obj(obj(e).context);
    const ns = str(c.namespace);
    contexts.set(str(obj(e).name), { cluster: str(c.cluster), user: str(c.user), ...(ns ? { namespace: ns } : {}) });
  }
  const clusters = new Map<string, string>();
  for (const e of Array.isArray(root.clusters) ? root.clusters : []) clusters.set(str(obj(e).name), str(obj(obj(e).cluster).server));
  return { currentContext: str(root['current-context']), contexts, clusters };
}

/** The lab cluster a server URL reaches, by its API server address, its kind node name or `api.<name>.lab`. */
export function clusterAtServer(server: string, clusters: readonly ClusterHandle[]): ClusterHandle | undefined {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return undefined;
  }
  return clusters.find((c) => (c.server !== undefined && c.server.replace(/\/$/, '') === server.replace(/\/$/, '')) || url.hostname === `${c.name}-control-plane` || url.hostname === `api.${c.name}.lab`);
}

/** `--kubeconfig PATH [--context NAME]`: the context and lab cluster kubectl would talk to. */
export function kubeconfigTarget(path: string, contextFlag: string | undefined, io: ProgramIo, clusters: readonly ClusterHandle[]): KubeconfigTarget | CommandError {
  const file = readKubeconfig(path, io);
  if (file instanceof CommandError) return file;
  const contextName = contextFlag ?? file.currentContext;
  if (contextName === '') return new CommandError(NO_SERVER);
  const ctx = file.contexts.get(contextName);
  if (!ctx) return new CommandError(`Error in configuration: context was not found for specified context: ${contextName}`);
  const server = file.clusters.get(ctx.cluster) ?? '';
  if (server === '') return new CommandError(NO_SERVER);
  const cluster = clusterAtServer(server, clusters);
  if (!cluster) {
    // Nothing in the lab answers there: a name does not resolve, an address does not answer.
    const host = /^[a-z]+:\/\/([^/]+)/i.exec(server)?.[1] ?? server;
    const hostname = host.replace(/:\d+$/, '');
    const port = /:(\d+)$/.exec(host)?.[1] ?? (server.startsWith('http://') ? '80' : '443');
    return new CommandError(/^[\d.]+$/.test(hostname) ? `Unable to connect to the server: dial tcp ${hostname}:${port}: i/o timeout` : `Unable to connect to the server: dial tcp: lookup ${hostname}: no such host`);
  }
  return { contextName, cluster, ...(ctx.namespace ? { namespace: ctx.namespace } : {}) };
}

/**
 * `kubectl config current-context|get-contexts --kubeconfig PATH` over the file (kubectl pkg/cmd/config).
 * The other config subcommands would write the file: the lab refuses them rather than ignore the flag.
 */
export function runConfigOnFile(flavor: Flavor, path: string, args: ParsedArgs, io: ProgramIo): ProgramResult {
  const file = readKubeconfig(path, io);
  if (file instanceof CommandError) throw file;
  const out = new Output();
  const [sub, ...rest] = args.positional;
  switch (sub) {
    case 'current-context':
      if (file.currentContext === '') throw new CommandError('error: current-context is not set');
      out.out(`${file.currentContext}\n`);
      return out.result(0);
    case 'get-contexts':
      return getContexts(args, rest, [...file.contexts.keys()].sort(), (n) => {
        const c = file.contexts.get(n)!;
        return [n === file.currentContext ? '*' : '', n, c.cluster, c.user, c.namespace ?? ''];
      });
    default:
      throw new CommandError(`error: the lab's ${flavor} reads a --kubeconfig file for current-context and get-contexts only; "${flavor} config ${sub ?? ''}" on ${path} is not modelled (use the lab's contexts: ${flavor} config get-contexts)`);
  }
}
