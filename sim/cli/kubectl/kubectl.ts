/**
 * `kubectl` and `oc` as programs of the workstation shell: global flags (`--context`, `-n`), the
 * subcommands the lab's guides use, and kubectl's wording for everything that goes wrong
 * (unknown command or flag, missing context). Subcommands live in their own files.
 * Upstream: kubectl:pkg/cmd/cmd.go (command tree), pkg/cmd/util/helpers.go (errors and exit codes),
 * client-go tools/clientcmd (`context was not found for specified context`).
 */
import { done, type Program, type ProgramIo, type ProgramResult } from '../shell/program.ts';
import { runAnnotate } from './annotate.ts';
import { runApply, runCreate } from './apply.ts';
import { runConfig } from './config.ts';
import { runDelete } from './delete.ts';
import { runDescribe } from './describe.ts';
import { runExec } from './exec.ts';
import { parseFlags, flagString, type FlagSpec, type ParsedArgs } from './flags.ts';
import { runGet } from './get.ts';
import { kubeconfigTarget, runConfigOnFile } from './kubeconfigFile.ts';
import { runLabel } from './label.ts';
import { runLogs } from './logs.ts';
import { ensureOpenShiftDnsKind, runProject, runWhoami } from './openshift.ts';
import { runPatch } from './patch.ts';
import { runRollout, runScale } from './scale.ts';
import { runWait } from './wait.ts';
import { runRun } from './run.ts';
import { CommandError, type ClusterHandle, type Flavor, type KubeconfigState, type KubectlEnv, type Session } from './session.ts';

export type { ClusterHandle, KubectlEnv, Flavor } from './session.ts';

/** The Kubernetes version kubectl and the servers report (OpenShift 4.19's). */
export const KUBE_VERSION = 'v1.32.5';

const b = (long: string, short?: string): FlagSpec => ({ long, short, type: 'bool' });
const str = (long: string, short?: string, noOptDefault?: string): FlagSpec => ({ long, short, type: 'string', noOptDefault });
const strs = (long: string, short?: string): FlagSpec => ({ long, short, type: 'strings' });

const GLOBAL: FlagSpec[] = [
  str('context'),
  str('namespace', 'n'),
  str('kubeconfig'),
  str('cluster'),
  str('user'),
  str('v', 'v'),
  str('request-timeout'),
  b('insecure-skip-tls-verify'),
  b('help', 'h'),
];
const GLOBAL_WITH_VALUE = new Set(['--context', '--namespace', '-n', '--kubeconfig', '--cluster', '--user', '-v', '--v', '--request-timeout']);

const FILES = [strs('filename', 'f'), b('recursive', 'R')];
const DRY_RUN = str('dry-run', undefined, 'unchanged');
/** label and annotate (pkg/cmd/label/label.go, pkg/cmd/annotate/annotate.go NewCmd…). */
const META_EDIT = [...FILES, str('selector', 'l'), b('all'), b('all-namespaces', 'A'), b('overwrite'), b('list'), DRY_RUN, str('output', 'o'), str('field-manager')];

interface Command {
  readonly flags: FlagSpec[];
  /** Needs a cluster (everything but `config`). */
  readonly cluster: boolean;
  readonly run: (s: Session) => ProgramResult | Promise<ProgramResult>;
}

const COMMANDS: Record<string, Command> = {
  get: {
    cluster: true,
    flags: [str('output', 'o'), str('selector', 'l'), b('all-namespaces', 'A'), b('show-labels'), b('no-headers'), b('ignore-not-found'), b('watch', 'w'), b('watch-only'), ...FILES],
    run: runGet,
  },
  describe: { cluster: true, flags: [str('selector', 'l'), b('all-namespaces', 'A'), b('show-events'), ...FILES], run: runDescribe },
  apply: { cluster: true, flags: [...FILES, str('selector', 'l'), DRY_RUN, str('output', 'o'), b('server-side'), b('force-conflicts'), str('validate', undefined, 'strict'), str('field-manager')], run: runApply },
  create: { cluster: true, flags: [...FILES, DRY_RUN, str('output', 'o'), str('validate', undefined, 'strict'), b('save-config')], run: runCreate },
  delete: {
    cluster: true,
    flags: [...FILES, str('selector', 'l'), b('all'), b('all-namespaces', 'A'), b('ignore-not-found'), str('wait', undefined, 'true'), str('grace-period'), b('force'), b('now'), str('cascade', undefined, 'background'), DRY_RUN, str('output', 'o')],
    run: runDelete,
  },
  patch: { cluster: true, flags: [strs('filename', 'f'), str('patch', 'p'), str('patch-file'), str('type'), DRY_RUN, str('output', 'o'), str('subresource'), b('local')], run: runPatch },
  label: { cluster: true, flags: META_EDIT, run: runLabel },
  annotate: { cluster: true, flags: META_EDIT, run: runAnnotate },
  scale: { cluster: true, flags: [str('replicas'), str('current-replicas'), str('timeout')], run: runScale },
  rollout: { cluster: true, flags: [], run: runRollout },
  logs: { cluster: true, flags: [str('container', 'c'), str('selector', 'l'), b('follow', 'f'), str('tail'), b('previous', 'p'), b('all-containers'), b('prefix'), b('timestamps'), str('since')], run: runLogs },
  exec: { cluster: true, flags: [str('container', 'c'), b('stdin', 'i'), b('tty', 't'), b('quiet', 'q'), str('pod', 'p'), strs('filename', 'f')], run: runExec },
  config: { cluster: false, flags: [str('output', 'o'), b('no-headers'), b('current'), b('minify'), b('raw')], run: () => done() },
  version: { cluster: true, flags: [str('output', 'o'), b('client')], run: runVersion },
  run: { cluster: true, flags: [str('image'), str('labels', 'l'), str('restart'), str('port'), strs('env')], run: runRun },
  wait: { cluster: true, flags: [str('for'), str('selector', 'l'), str('timeout'), b('all'), b('all-namespaces', 'A'), ...FILES], run: runWait },
};
COMMANDS.log = COMMANDS.logs!;

const OC_COMMANDS: Record<string, Command> = {
  project: { cluster: true, flags: [b('short', 'q')], run: runProject },
  whoami: { cluster: true, flags: [b('show-server'), b('show-context'), b('show-token', 't')], run: runWhoami },
};

function runVersion(s: Session): ProgramResult {
  const client = `Client Version: ${KUBE_VERSION}\nKustomize Version: v5.5.0\n`;
  return done(flagString(s.args, 'client' as never) === 'true' ? client : `${client}Server Version: ${KUBE_VERSION}\n`);
}

function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

/** cobra's "unknown command" with its suggestions (distance ≤ 2 or prefix). */
function unknownCommand(flavor: Flavor, name: string, known: readonly string[]): ProgramResult {
  const suggestions = known.filter((k) => levenshtein(k, name) <= 2 || k.startsWith(name)).sort();
  const hint = suggestions.length ? `\n\nDid you mean this?\n${suggestions.map((x) => `\t${x}\n`).join('')}` : '\n';
  return done('', `error: unknown command "${name}" for "${flavor}"${hint}`, 1);
}

function help(flavor: Flavor): string {
  return `${flavor} controls the Kubernetes cluster manager.\n\nBasic Commands:\n  create        Create a resource from a file or from stdin\n  get           Display one or many resources\n  delete        Delete resources by file names, stdin, resources and names, or by resources and label selector\n\nTroubleshooting and Debugging Commands:\n  describe      Show details of a specific resource or group of resources\n  logs          Print the logs for a container in a pod\n  exec          Execute a command in a container\n\nAdvanced Commands:\n  apply         Apply a configuration to a resource by file name or stdin\n  patch         Update fields of a resource\n\nSettings Commands:\n  label         Update the labels on a resource\n  annotate      Update the annotations on a resource\n\nOther Commands:\n  config        Modify kubeconfig files\n\nUsage:\n  ${flavor} [flags] [options]\n`;
}

/** Finds the subcommand: the first word that is not a global flag or its value. */
function splitCommand(args: readonly string[]): { index: number; name: string | undefined } {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return { index: -1, name: undefined };
    if (a.startsWith('-')) {
      if (GLOBAL_WITH_VALUE.has(a)) i++;
      continue;
    }
    return { index: i, name: a };
  }
  return { index: -1, name: undefined };
}

/** One kubeconfig per environment: `oc project x` is seen by `kubectl` too, as they share ~/.kube/config. */
const KUBECONFIGS = new WeakMap<KubectlEnv, KubeconfigState>();

/**
 * The `kubectl` (or `oc`) program over the lab's clusters. Kubeconfig state (each context's namespace,
 * set by `oc project` or `kubectl config set-context --current --namespace`) is kept per `env`.
 */
export function makeKubectl(env: KubectlEnv, flavor: Flavor): Program {
  let state = KUBECONFIGS.get(env);
  if (!state) {
    state = { namespaces: new Map() };
    KUBECONFIGS.set(env, state);
  }
  const kubeconfig = state;
  return (argv, io) => run(env, flavor, kubeconfig, argv.slice(1), io);
}

async function run(env: KubectlEnv, flavor: Flavor, state: KubeconfigState, args: readonly string[], io: ProgramIo): Promise<ProgramResult> {
  const commands = flavor === 'oc' ? { ...COMMANDS, ...OC_COMMANDS } : COMMANDS;
  const { index, name } = splitCommand(args);
  if (name === undefined) {
    const p = parseFlags(args, GLOBAL);
    if (!p.ok) return done('', `error: ${p.error}\nSee '${flavor} -h' for help and examples\n`, 1);
    return done(help(flavor));
  }
  const cmd = commands[name];
  if (!cmd) return unknownCommand(flavor, name, Object.keys(commands).filter((k) => k !== 'log'));
  const rest = [...args.slice(0, index), ...args.slice(index + 1)];
  const parsed = parseFlags(rest, [...GLOBAL, ...cmd.flags.filter((f) => !GLOBAL.some((g) => g.long === f.long))]);
  if (!parsed.ok) return done('', `error: ${parsed.error}\nSee '${flavor} ${name} -h' for help and examples\n`, 1);
  const p = parsed.value;
  if (flagString(p, 'help') === 'true') return done(`Usage:\n  ${flavor} ${name} [options]\n`);
  try {
    if (name === 'config') {
      const file = flagString(p, 'kubeconfig') || undefined;
      return file !== undefined ? runConfigOnFile(flavor, file, p, io) : runConfig(flavor, env, state, p);
    }
    const session = makeSession(env, flavor, state, name, p, io);
    if (session instanceof CommandError) throw session;
    return await cmd.run(session);
  } catch (e) {
    if (e instanceof CommandError) return done('', e.message.endsWith('\n') ? e.message : `${e.message}\n`, e.exitCode);
    throw e;
  }
}

function makeSession(env: KubectlEnv, flavor: Flavor, state: KubeconfigState, command: string, args: ParsedArgs, io: ProgramIo): Session | CommandError {
  // --kubeconfig: the file's context (or --context in it) and the lab cluster its server names.
  // An empty path (`--kubeconfig=$UNSET`) is no explicit path: clientcmd loads the default one (loader.go `len(rules.ExplicitPath) > 0`).
  const kubeconfig = flagString(args, 'kubeconfig') || undefined;
  const fromFile = kubeconfig !== undefined ? kubeconfigTarget(kubeconfig, flagString(args, 'context'), io, env.clusters()) : undefined;
  if (fromFile instanceof CommandError) return fromFile;
  const contextName = fromFile?.contextName ?? flagString(args, 'context') ?? env.currentContext();
  const cluster: ClusterHandle | undefined = fromFile?.cluster ?? env.clusters().find((c) => c.name === contextName);
  if (!cluster) {
    if (!contextName) return new CommandError('error: current-context is not set');
    return new CommandError(`Error in configuration: context was not found for specified context: ${contextName}`);
  }
  if (cluster.platform === 'openshift') ensureOpenShiftDnsKind(cluster.store);
  const nsFlag = flagString(args, 'namespace');
  const namespace = nsFlag ?? (fromFile ? fromFile.namespace : state.namespaces.get(contextName)) ?? 'default';
  return {
    flavor,
    env,
    state,
    contextName,
    cluster,
    store: cluster.store,
    namespace,
    explicitNamespace: nsFlag !== undefined,
    args,
    io,
    command,
    now: () => cluster.store.now(),
  };
}
