/**
 * `kubectl run NAME --image=IMAGE [--labels=k=v,…] [--restart=Always|OnFailure|Never] [--port=N]
 * [--env=K=V…] [-- ARGS…]` (kubectl:pkg/cmd/run/run.go, generate/versioned/run.go BasicPod): one Pod,
 * container named after the pod, labels `run=NAME` unless --labels is given, the service account left to
 * the API server (`default`). Prints `pod/NAME created`.
 * Simplified: no --attach/-i/-t/--rm, --overrides, --dry-run or -o.
 */
import type { KubeManifest } from '../../kube/object.ts';
import type { ProgramResult } from '../shell/program.ts';
import { flagString, flagStrings } from './flags.ts';
import { CommandError, Output, usageError, type Session } from './session.ts';

/** run.go parseLabels: `k=v,k2=v2`. */
function parseLabels(spec: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of spec.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CommandError(`error: invalid label spec: ${pair}`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

export function runRun(s: Session): ProgramResult {
  const [name, ...args] = s.args.positional;
  if (!name) throw usageError(s, 'NAME is required for run');
  const image = flagString(s.args, 'image');
  if (!image) throw new CommandError('error: --image is required');
  const restart = flagString(s.args, 'restart') ?? 'Always';
  if (!['Always', 'OnFailure', 'Never'].includes(restart)) throw new CommandError(`error: invalid restart policy: ${restart}`);
  const labelSpec = flagString(s.args, 'labels');
  const labels = labelSpec ? parseLabels(labelSpec) : { run: name };
  const port = flagString(s.args, 'port');
  const env = flagStrings(s.args, 'env').map((e) => ({ name: e.slice(0, e.indexOf('=')), value: e.slice(e.indexOf('=') + 1) }));
  const container: Record<string, unknown> = { name, image, resources: {} };
  if (args.length > 0) container.args = args;
  if (port) container.ports = [{ containerPort: Number(port) }];
  if (env.length > 0) container.env = env;
  const pod: KubeManifest = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: s.namespace, labels },
    spec: { containers: [container], restartPolicy: restart, dnsPolicy: 'ClusterFirst' },
  };
  const r = s.store.create(pod, { dryRun: false });
  if (!r.ok) throw new CommandError(r.error.message);
  const out = new Output();
  out.out(`pod/${name} created\n`);
  return out.result(0);
}
