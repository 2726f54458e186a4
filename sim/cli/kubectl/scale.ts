/**
 * `kubectl scale TYPE NAME --replicas=N` (kubectl:pkg/cmd/scale/scale.go) and `kubectl rollout restart
 * TYPE/NAME` (pkg/cmd/rollout/rollout_restart.go, which sets the template annotation
 * `kubectl.kubernetes.io/restartedAt`). Output: `deployment.apps/NAME scaled`, `… restarted`.
 * Simplified: no --current-replicas/--resource-version preconditions, no --timeout waiting.
 */
import { objectName } from '../../kube/builtinKinds.ts';
import { restartWorkload } from '../../kube/controllers/deployment.ts';
import { done, type ProgramResult } from '../shell/program.ts';
import { flagString } from './flags.ts';
import { CommandError, resolveKind, type Session } from './session.ts';

const SCALABLE = new Set(['Deployment', 'ReplicaSet', 'StatefulSet']);

function targets(s: Session, verb: string): { kind: string; group: string; plural: string; name: string }[] {
  const pos = s.args.positional;
  const pairs = pos[0]?.includes('/') ? pos.map((p) => p.split('/', 2) as [string, string]) : pos.slice(1).map((n) => [pos[0]!, n] as [string, string]);
  if (pairs.length === 0) throw new CommandError(`error: required resource not specified`);
  return pairs.map(([type, name]) => {
    const k = resolveKind(s, type);
    if (k instanceof CommandError) throw k;
    if (!SCALABLE.has(k.kind)) throw new CommandError(verb === 'scale' ? `error: no objects passed to scale` : `error: ${k.plural}${k.group ? `.${k.group}` : ''} "${name}" restarting is not supported`);
    return { kind: k.kind, group: k.group, plural: k.plural, name };
  });
}

export function runScale(s: Session): ProgramResult {
  const replicas = flagString(s.args, 'replicas');
  if (replicas === undefined || !/^\d+$/.test(replicas)) throw new CommandError('error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
  let out = '';
  for (const t of targets(s, 'scale')) {
    const r = s.store.patch(t.kind, s.namespace, t.name, 'merge', { spec: { replicas: Number(replicas) } });
    if (!r.ok) throw new CommandError(`Error from server (NotFound): ${t.plural}${t.group ? `.${t.group}` : ''} "${t.name}" not found`);
    out += `${objectName(t, t.name)} scaled\n`;
  }
  s.store.settle();
  return done(out);
}

export function runRollout(s: Session): ProgramResult {
  const [sub, ...rest] = s.args.positional;
  if (sub !== 'restart') throw new CommandError(`error: unknown command "${sub ?? ''}" for "kubectl rollout"`);
  let out = '';
  for (const t of targets({ ...s, args: { ...s.args, positional: rest } }, 'restart')) {
    const r = restartWorkload(s.store, { now: () => s.now() }, t.kind, s.namespace, t.name);
    if (!r.ok) throw new CommandError(`Error from server (NotFound): ${t.plural}${t.group ? `.${t.group}` : ''} "${t.name}" not found`);
    out += `${objectName(t, t.name)} restarted\n`;
  }
  s.store.settle();
  return done(out);
}
