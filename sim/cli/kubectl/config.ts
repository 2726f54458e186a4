/**
 * `kubectl config current-context|use-context|get-contexts|set-context --current --namespace`
 * (kubectl:pkg/cmd/config/*.go) over the lab's clusters: one context per cluster, named after it.
 * Simplified: no kubeconfig file (`config view` prints a synthesized one), users are `admin`.
 */
import type { ProgramResult } from '../shell/program.ts';
import { flagBool, flagString } from './flags.ts';
import { CommandError, Output, type KubeconfigState, type KubectlEnv, type Flavor } from './session.ts';
import { formatTable } from './tabWriter.ts';
import type { ParsedArgs } from './flags.ts';

export function runConfig(flavor: Flavor, env: KubectlEnv, state: KubeconfigState, args: ParsedArgs): ProgramResult {
  const out = new Output();
  const [sub, ...rest] = args.positional;
  const names = env.clusters().map((c) => c.name);
  const current = env.currentContext();
  switch (sub) {
    case 'current-context':
      if (!current) throw new CommandError('error: current-context is not set');
      out.out(`${current}\n`);
      return out.result(0);
    case 'use-context':
    case 'use': {
      const name = rest[0];
      if (name === undefined) throw new CommandError(`error: Unexpected args: []\nSee '${flavor} config use-context -h' for help and examples`);
      if (!names.includes(name)) throw new CommandError(`error: no context exists with the name: "${name}"`);
      if (!env.setCurrentContext) throw new CommandError('error: the lab does not allow switching contexts here');
      env.setCurrentContext(name);
      out.out(`Switched to context "${name}".\n`);
      return out.result(0);
    }
    case 'get-contexts':
      return getContexts(args, rest, names, (n) => [n === current ? '*' : '', n, n, 'admin', state.namespaces.get(n) ?? '']);
    case 'set-context': {
      const target = flagBool(args, 'current') ? current : rest[0];
      if (!target) throw new CommandError('error: you must specify a non-empty context name or --current');
      if (!names.includes(target)) throw new CommandError(`error: no context exists with the name: "${target}"`);
      const ns = flagString(args, 'namespace');
      if (ns !== undefined) state.namespaces.set(target, ns);
      out.out(`Context "${target}" modified.\n`);
      return out.result(0);
    }
    case 'get-clusters':
      out.out(`NAME\n${names.map((n) => `${n}\n`).join('')}`);
      return out.result(0);
    case 'view': {
      const ctx = names.map((n) => `- context:\n    cluster: ${n}\n${state.namespaces.get(n) ? `    namespace: ${state.namespaces.get(n)}\n` : ''}    user: admin\n  name: ${n}\n`).join('');
      const cl = names.map((n) => `- cluster:\n    certificate-authority-data: DATA+OMITTED\n    server: https://api.${n}.lab:6443\n  name: ${n}\n`).join('');
      out.out(`apiVersion: v1\nclusters:\n${cl}contexts:\n${ctx}current-context: ${current}\nkind: Config\npreferences: {}\nusers:\n- name: admin\n  user:\n    client-certificate-data: DATA+OMITTED\n    client-key-data: DATA+OMITTED\n`);
      return out.result(0);
    }
    case undefined:
      throw new CommandError(`error: Missing or incomplete configuration info.  Please point to an existing, complete config file:\n\n  1. Via the command-line flag --kubeconfig\n  2. Via the KUBECONFIG environment variable\n  3. In your home directory as ~/.kube/config\n\nTo view or setup config directly use the 'config' command.`);
    default:
      throw new CommandError(`error: unknown command "${sub}" for "${flavor} config"`);
  }
}

/**
 * `config get-contexts [NAME…] [-o name] [--no-headers]` over a set of contexts, each row
 * CURRENT NAME CLUSTER AUTHINFO NAMESPACE (kubectl pkg/cmd/config/get_contexts.go).
 */
export function getContexts(args: ParsedArgs, rest: readonly string[], names: readonly string[], row: (name: string) => string[]): ProgramResult {
  const out = new Output();
  const nameOnly = flagString(args, 'output') === 'name';
  const rows: string[][] = [];
  const errors: string[] = [];
  if (!nameOnly && !flagBool(args, 'no-headers')) rows.push(['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE']);
  for (const n of rest.length ? rest : names) {
    if (!names.includes(n)) {
      errors.push(`error: context ${n} not found`);
      continue;
    }
    if (nameOnly) out.out(`${n}\n`);
    else rows.push(row(n));
  }
  if (!nameOnly) out.out(formatTable(rows).replace(/ +\n/g, '\n'));
  for (const e of errors) out.err(e);
  return out.result(errors.length ? 1 : 0);
}
