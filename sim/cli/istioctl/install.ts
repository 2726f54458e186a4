/**
 * `istioctl install` (alias `apply`): `[-y|--skip-confirmation] [-f FILE|-]… [--set k=v]… [-r|--revision R]
 * [--context C]` — merges the IstioOperator inputs, renders, applies component by component into the
 * context's cluster and prints what istioctl prints (istio:operator/cmd/mesh/install.go, shared.go
 * `Confirm`, operator/pkg/util/progress/progress.go, operator/pkg/component/component.go, pkg/art).
 *
 * Output, with stdout/stderr not a terminal (the workstation shell pipes them):
 * - stderr: the Istio ASCII art and an empty line (`p.Printf("%v\n", art)`, colour off without a TTY);
 * - stdout, without `-y`: `This will install the Istio <tag> profile "<profile>" into the cluster.
 *   Proceed? (y/N) `; the answer is a line of stdin (`fmt.Scanln`): y/yes proceeds, anything else or EOF
 *   (always the case with `-f -`, which has read stdin) prints `Cancelled.` on stderr and exits 1;
 * - stderr, per component in install order (Base → Pilot → CNI/gateways), the progress bar's non-terminal
 *   lines: `- Processing resources for <name>.`, `- Processing resources for <name>. Waiting for
 *   Deployment/<ns>/<name>` when the component has Deployments/DaemonSets, `✔ <name> installed <icon>`;
 *   then `- Pruning removed resources`, `✔ Installation complete`; for profile ambient one more line.
 * - errors: `Error: generate config: …` (cobra's `Error: ` prefix), exit 1.
 * The namespace is created first when absent, labelled `topology.istio.io/network` from
 * `values.global.network` (operator/pkg/util/k8s.go CreateNamespace).
 * Simplified: no pruning, no webhook checks, no waiting (readiness is not awaited; "Waiting for" lines
 * name the workloads a real run waits for), no EOL warning, no version-diff warning.
 */
import type { Result, SimError } from '../../core/result.ts';
import type { KubeManifest } from '../../kube/object.ts';
import { installInputFromIop, mergeIstioOperator, type IopFile } from '../../istiod/install/istioOperator.ts';
import { renderInstall, type ComponentName } from '../../istiod/install/render.ts';
import { getPath } from '../../istiod/install/values.ts';
import { formatVersion, type IstioVersion } from '../../istiod/install/versions.ts';
import { done, fail, type Program, type ProgramIo } from '../shell/program.ts';

export interface InstallTarget {
  /** Applies objects into the cluster (server-side apply semantics, e.g. istiod/install `applyInstallObject`). */
  apply(manifests: readonly KubeManifest[]): Result<void, SimError>;
  hasNamespace(name: string): boolean;
}

export interface IstioctlInstallDeps {
  /** The istioctl binary's version (its tag and the images it installs). */
  readonly version: IstioVersion;
  /** The cluster of `--context`, or of the current context when undefined. */
  target(context: string | undefined): Result<InstallTarget, SimError>;
}

const ART = [
  '        |\\          ',
  '        | \\         ',
  '        |  \\        ',
  '        |   \\       ',
  '      /||    \\      ',
  '     / ||     \\     ',
  '    /  ||      \\    ',
  '   /   ||       \\   ',
  '  /    ||        \\  ',
  ' /     ||         \\ ',
  '/______||__________\\',
  '____________________',
  '  \\__       _____/  ',
  '     \\_____/        ',
].join('\n');

const USER_FACING: Record<ComponentName, { name: string; icon: string }> = {
  Base: { name: 'Istio core', icon: '⛵️' },
  Pilot: { name: 'Istiod', icon: '🧠' },
  Cni: { name: 'CNI', icon: '🪢' },
  IngressGateways: { name: 'Ingress gateways', icon: '🛬' },
  EgressGateways: { name: 'Egress gateways', icon: '🛫' },
};

interface Args {
  files: string[];
  sets: string[];
  yes: boolean;
  revision?: string;
  context?: string;
  dryRun: boolean;
}

function parseArgs(args: readonly string[]): Args | string {
  const out: Args = { files: [], sets: [], yes: false, dryRun: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const inline = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : undefined;
    const value = (): string | undefined => inline ?? args[++i];
    switch (flag) {
      case '-y':
      case '--skip-confirmation':
        out.yes = true;
        break;
      case '--dry-run':
        out.dryRun = true;
        break;
      case '-f':
      case '--filename': {
        const v = value();
        if (v === undefined) return `flag needs an argument: '${flag.replace(/^-+/, '')}' in ${flag}`;
        out.files.push(...v.split(','));
        break;
      }
      case '-s':
      case '--set': {
        const v = value();
        if (v === undefined) return `flag needs an argument: ${flag}`;
        out.sets.push(v);
        break;
      }
      case '-r':
      case '--revision': {
        const v = value();
        if (v === undefined) return `flag needs an argument: ${flag}`;
        out.revision = v;
        break;
      }
      case '--context':
      case '--kubeconfig':
      case '-c':
      case '-i':
      case '--istioNamespace':
      case '--readiness-timeout': {
        const v = value();
        if (v === undefined) return `flag needs an argument: ${flag}`;
        if (flag === '--context') out.context = v;
        break;
      }
      case '--force':
      case '--verify':
        break;
      default:
        if (a.startsWith('-')) return `unknown flag: ${flag}`;
        return `unknown command "${a}" for "istioctl install"`;
    }
  }
  return out;
}

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** `istioctl install …`: argv is the whole command line (`istioctl [globals] install|apply …`). */
export function makeIstioctlInstall(deps: IstioctlInstallDeps): Program {
  return (argv, io) => run(deps, argv, io);
}

function run(deps: IstioctlInstallDeps, argv: readonly string[], io: ProgramIo) {
  const at = argv.findIndex((a, i) => i > 0 && (a === 'install' || a === 'apply'));
  const args = parseArgs([...argv.slice(1, at < 0 ? 1 : at), ...argv.slice(at < 0 ? 1 : at + 1)]);
  if (typeof args === 'string') return fail(`Error: ${args}`);
  if (args.revision !== undefined && !dns1123Label.test(args.revision)) return fail(`Error: invalid revision specified: ${args.revision}`);
  let stderr = `${ART}\n\n`;
  let stdout = '';
  const files: IopFile[] = [];
  let stdinUsed = false;
  for (const [i, f] of args.files.entries()) {
    if (f === '-') {
      if (i !== args.files.length - 1) return fail(`${stderr}Error: generate config: merge inputs: stdin is only allowed as the last filename`);
      files.push({ file: '<stdin>', text: io.stdin });
      stdinUsed = true;
      continue;
    }
    const path = f.trim().startsWith('/') ? f.trim() : `${io.cwd.replace(/\/$/, '')}/${f.trim()}`;
    const text = io.fs.read(path);
    if (text === undefined) return fail(`${stderr}Error: generate config: merge inputs: open ${f.trim()}: no such file or directory`);
    files.push({ file: f.trim(), text });
  }
  // applyFlagAliases: --revision is `--set revision=` (not for "default").
  const sets = [...args.sets, ...(args.revision && args.revision !== 'default' ? [`revision=${args.revision}`] : [])];
  const merged = mergeIstioOperator(files, sets, deps.version);
  if (!merged.ok) {
    const upstream = (merged.error.detail?.upstream as string | undefined) ?? (merged.error.code === 'istio/iop-unknown-field' ? merged.error.message : `merge inputs: ${merged.error.message}`);
    return fail(`${stderr}Error: generate config: ${upstream}\n${merged.error.code === 'istio/iop-unknown-field' ? `  at ${merged.error.message}\n` : ''}`);
  }
  const input = installInputFromIop(merged.value, deps.version);
  const rendered = renderInstall(input);
  if (!rendered.ok) return fail(`${stderr}Error: generate config: ${rendered.error.message}`);
  const target = deps.target(args.context);
  if (!target.ok) return fail(`${stderr}Error: ${target.error.message}`);

  if (!args.dryRun && !args.yes) {
    stdout += `This will install the Istio ${formatVersion(deps.version)} profile ${JSON.stringify(input.profile)} into the cluster. Proceed? (y/N) `;
    const answer = stdinUsed ? undefined : io.stdin.split('\n')[0]?.trim().split(/\s+/)[0];
    if (!answer || !['Y', 'YES'].includes(answer.toUpperCase())) return done(stdout, `${stderr}Cancelled.\n`, 1);
  }
  if (args.dryRun) return done(stdout, stderr);

  if (!target.value.hasNamespace(input.namespace)) {
    const network = getPath(input.values, ['global', 'network']);
    const labels: Record<string, string> = typeof network === 'string' && network !== '' ? { 'topology.istio.io/network': network } : {};
    const ns = target.value.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: input.namespace, labels } }]);
    if (!ns.ok) return fail(`${stderr}Error: failed to install manifests: failed to create namespace ${input.namespace}: ${ns.error.message}`, 1, stdout);
  }
  for (const c of rendered.value) {
    const ui = USER_FACING[c.component];
    stderr += `- Processing resources for ${ui.name}.\n`;
    const r = target.value.apply(c.manifests);
    if (!r.ok) {
      stderr += `✘ ${ui.name} encountered an error: ${r.error.message}\n`;
      return done(stdout, `${stderr}Error: failed to install manifests: ${r.error.message}\n`, 1);
    }
    const waits = c.manifests.filter((m) => m.kind === 'Deployment' || m.kind === 'DaemonSet').map((m) => `${m.kind}/${m.metadata?.namespace ?? ''}/${m.metadata?.name ?? ''}`);
    if (waits.length > 0) stderr += `- Processing resources for ${ui.name}. Waiting for ${waits.sort().join(', ')}\n`;
    stderr += `✔ ${ui.name} installed ${ui.icon}\n`;
  }
  stderr += '- Pruning removed resources\n✔ Installation complete\n';
  if (input.profile === 'ambient') stderr += 'The ambient profile has been installed successfully, enjoy Istio without sidecars!\n';
  return done(stdout, stderr);
}
