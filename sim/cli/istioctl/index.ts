/**
 * `istioctl` on the workstation, against the cluster of the current (or `--context`) kubeconfig
 * context: `proxy-config` (`pc`) `secret` / `endpoint`, `remote-clusters`, `create-remote-secret`,
 * and the commands other modules add (`install`). Pod targets are `POD[.NS]` or `TYPE/NAME` (`deploy/curl`),
 * resolved to the first running pod as istioctl's handlers.InferPodInfoFromTypedResource does.
 * Messages and exit codes follow istioctl (cobra: `Error: …`, exit 1).
 */
import type { KubeObject } from '../../kube/object.ts';
import type { ClusterStore } from '../../kube/store.ts';
import { done, type Program, type ProgramResult } from '../shell/program.ts';
import { createRemoteSecret } from './createRemoteSecret.ts';
import { endpointJson, endpointSummary, type EndpointHost } from './proxyConfigEndpoint.ts';
import { secretDumpJson, secretsConfigDump, secretSummary } from './proxyConfigSecret.ts';
import { NO_ISTIOD_ERROR, remoteClustersTable, type RemoteClusterRow } from './remoteClusters.ts';

export interface IstioctlEnv {
  currentContext(): string;
  store(cluster: string): ClusterStore | undefined;
  now(): number;
  /** Envoy admin `/config_dump` of the pod's proxy; undefined when the pod has none. */
  configDump(cluster: string, namespace: string, pod: string): Record<string, unknown> | undefined;
  /** Envoy admin `/clusters` hosts of the pod's proxy. */
  endpoints(cluster: string, namespace: string, pod: string): EndpointHost[] | undefined;
  /** istiod's `debug/clusterz`; undefined when no istiod runs. */
  remoteClusters(cluster: string): RemoteClusterRow[] | undefined;
  /** The API server and reader token `create-remote-secret` embeds. */
  apiServer(cluster: string): { server: string; caData: string; token: string } | undefined;
  istioctlVersion(cluster: string): string;
  /** Extra subcommands (`install`), given the target cluster. */
  readonly subcommands?: Readonly<Record<string, (cluster: string) => Program>>;
}

const fail = (msg: string, code = 1): ProgramResult => done('', `${msg.startsWith('Error') ? msg : `Error: ${msg}`}\n`, code);

function flags(args: readonly string[]): { positional: string[]; opts: Map<string, string> } {
  const positional: string[] = [];
  const opts = new Map<string, string>();
  const takesValue = new Set(['-n', '--namespace', '-o', '--output', '--context', '--name', '--server', '--cluster', '--address', '--port', '--status', '-i', '--istioNamespace', '-f', '--filename', '--set', '-r', '--revision']);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.indexOf('=');
    if (a.startsWith('-') && eq > 0) opts.set(a.slice(0, eq), a.slice(eq + 1));
    else if (takesValue.has(a)) opts.set(a, args[++i] ?? '');
    else if (a.startsWith('-')) opts.set(a, 'true');
    else positional.push(a);
  }
  return { positional, opts };
}

const opt = (o: Map<string, string>, ...names: string[]): string | undefined => names.map((n) => o.get(n)).find((v) => v !== undefined);

/** The pod a target names (istioctl handlers.InferPodInfoFromTypedResource). */
function resolvePod(store: ClusterStore, target: string, namespace: string): KubeObject | string {
  const running = (p: KubeObject) => (p.status as { phase?: string } | undefined)?.phase === 'Running';
  if (target.includes('/')) {
    const [type, name] = target.split('/', 2) as [string, string];
    const kind = /^(deploy|deployment|deployments)$/.test(type) ? 'Deployment' : /^(po|pod|pods)$/.test(type) ? 'Pod' : /^(svc|service|services)$/.test(type) ? 'Service' : undefined;
    if (!kind) return `Error: failed to get resource: the server doesn't have a resource type "${type}"`;
    if (kind === 'Pod') return store.find('Pod', namespace, name) ?? `Error: pods "${name}" not found`;
    const owner = store.find(kind, namespace, name);
    if (!owner) return `Error: ${kind.toLowerCase()}s.${kind === 'Deployment' ? 'apps' : ''} "${name}" not found`.replace('s. "', 's "');
    const spec = owner.spec as { selector?: { matchLabels?: Record<string, string> } | Record<string, string> };
    const sel = (kind === 'Deployment' ? (spec.selector as { matchLabels?: Record<string, string> })?.matchLabels : (spec.selector as Record<string, string>)) ?? {};
    const pods = store.scan('Pod', namespace).filter((p) => running(p) && Object.entries(sel).every(([k, v]) => p.metadata.labels?.[k] === v));
    pods.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    return pods[0] ?? `Error: no running pods found for ${target}`;
  }
  const dot = target.lastIndexOf('.');
  const [name, ns] = dot > 0 && !store.find('Pod', namespace, target) ? [target.slice(0, dot), target.slice(dot + 1)] : [target, namespace];
  return store.find('Pod', ns, name) ?? `Error: pods "${name}" not found`;
}

export function makeIstioctl(env: IstioctlEnv): Program {
  return async (argv, io) => {
    const { positional, opts } = flags(argv.slice(1));
    const cluster = opt(opts, '--context') ?? env.currentContext();
    const store = env.store(cluster);
    if (!store) return fail(`context "${cluster}" does not exist`);
    const namespace = opt(opts, '-n', '--namespace') ?? 'default';
    const [cmd, sub, target] = positional;
    switch (cmd) {
      case 'proxy-config':
      case 'pc': {
        if (!target) return fail(`${sub ?? 'secret'} requires pod name or --file parameter`);
        const pod = resolvePod(store, target, namespace);
        if (typeof pod === 'string') return fail(pod);
        const ns = pod.metadata.namespace ?? namespace;
        if (sub === 'secret' || sub === 'secrets' || sub === 's') {
          const dump = env.configDump(cluster, ns, pod.metadata.name);
          if (!dump) return fail(`failed to execute command on sidecar: error execing into ${pod.metadata.name}/${ns} istio-proxy container: container istio-proxy is not valid for pod ${pod.metadata.name}`);
          const secrets = secretsConfigDump(dump);
          if (!secrets.ok) return fail(secrets.error.message);
          const o = opt(opts, '-o', '--output');
          return done(o === 'json' ? secretDumpJson(secrets.value) : secretSummary(secrets.value, env.now()), '', 0);
        }
        if (sub === 'endpoint' || sub === 'endpoints' || sub === 'ep') {
          const hosts = env.endpoints(cluster, ns, pod.metadata.name);
          if (!hosts) return fail(`failed to execute command on sidecar: error execing into ${pod.metadata.name}/${ns} istio-proxy container: container istio-proxy is not valid for pod ${pod.metadata.name}`);
          const port = opt(opts, '--port');
          const filter = { ...(opt(opts, '--cluster') ? { cluster: opt(opts, '--cluster')! } : {}), ...(opt(opts, '--address') ? { address: opt(opts, '--address')! } : {}), ...(port ? { port: Number(port) } : {}), ...(opt(opts, '--status') ? { status: opt(opts, '--status')! } : {}) };
          return done(opt(opts, '-o', '--output') === 'json' ? endpointJson(hosts, filter) : endpointSummary(hosts, filter), '', 0);
        }
        return fail(`unknown command "${sub ?? ''}" for "istioctl proxy-config"`);
      }
      case 'remote-clusters': {
        const rows = env.remoteClusters(cluster);
        if (!rows) return done('', `${NO_ISTIOD_ERROR}\n`, 1);
        return done(remoteClustersTable(rows, { istioctlVersion: env.istioctlVersion(cluster) }), '', 0);
      }
      case 'create-remote-secret': {
        const api = env.apiServer(cluster);
        if (!api) return fail(`context "${cluster}" does not exist`);
        const server = opt(opts, '--server');
        const r = createRemoteSecret({ name: opt(opts, '--name') ?? cluster, server: server ?? api.server, caData: api.caData, token: api.token, istioctlVersion: env.istioctlVersion(cluster), serverOverridden: server !== undefined });
        return r.ok ? done(r.value.stdout, r.value.stderr, 0) : fail(r.error.message);
      }
      default: {
        const extra = cmd ? env.subcommands?.[cmd] : undefined;
        if (extra) return extra(cluster)(argv, io);
        return fail(`unknown command "${cmd ?? ''}" for "istioctl"`);
      }
    }
  };
}
