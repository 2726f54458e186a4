/**
 * `kubectl logs` (kubectl:pkg/cmd/logs/logs.go, pkg/polymorphichelpers/logsforobject.go): `POD` or
 * `TYPE/NAME` (`Found 2 pods, using pod/web-…` on stderr), `-c`, the default-container annotation
 * (an annotation naming no container is reported and ignored), `--all-containers`, `--prefix`,
 * `--tail`; a container that has not started answers the kubelet's BadRequest
 * (`container "x" in pod "y" is waiting to start: ContainerCreating`).
 * `-l SELECTOR` prints each matching pod's logs. Simplified: -f prints what there is and returns; no
 * --previous, --since, --timestamps, --max-log-requests.
 */
import { isPlainObject, type KubeObject } from '../../kube/object.ts';
import type { ProgramResult } from '../shell/program.ts';
import { flagBool, flagString } from './flags.ts';
import { allContainerNames, containerFor, containerNames, DEFAULT_CONTAINER_ANNOTATION, hasContainer, podFor } from './podFor.ts';
import { CommandError, Output, usageError, type Session } from './session.ts';

export function runLogs(s: Session): ProgramResult {
  const out = new Output();
  const [target, legacyContainer, ...extra] = s.args.positional;
  const selector = flagString(s.args, 'selector');
  if (selector !== undefined && target === undefined) return logsBySelector(s, out, selector);
  if (target === undefined) throw usageError(s, `expected POD or TYPE/NAME is a required argument for the logs command`);
  if (extra.length > 0) throw usageError(s, `expected POD or TYPE/NAME is a required argument for the logs command`);
  const choice = podFor(s, target);
  if (choice instanceof CommandError) throw choice;
  if (choice.matched > 1) out.err(`Found ${choice.matched} pods, using pod/${choice.pod.metadata.name}`);
  return podLogs(s, out, choice.pod, legacyContainer);
}

/**
 * `-l SELECTOR` (logs.go Complete/RunLogs): every matching pod in the namespace, one after the other (no
 * -f: sequentialConsumeRequest), each pod's container chosen as for a single pod; --tail defaults to 10
 * (selectorTail); none matching prints `No resources found in NS namespace.`.
 */
function logsBySelector(s: Session, out: Output, selector: string): ProgramResult {
  const pods = s.store.list('Pod', { namespace: s.namespace, labelSelector: selector });
  if (!pods.ok) throw new CommandError(pods.error.message);
  if (pods.value.length === 0) {
    out.err(`No resources found in ${s.namespace} namespace.`);
    return out.result(0);
  }
  let code = 0;
  for (const pod of pods.value) code = Math.max(code, podLogs(s, out, pod, undefined, 10).exitCode);
  return out.result(code);
}

function podLogs(s: Session, out: Output, pod: KubeObject, legacyContainer: string | undefined, defaultTail = -1): ProgramResult {
  if (flagBool(s.args, 'previous')) throw new CommandError(`Error from server (BadRequest): previous terminated container "${containerNames(pod, 'containers')[0]}" in pod "${pod.metadata.name}" not found`);
  const requested = flagString(s.args, 'container') ?? legacyContainer;
  let containers: string[];
  if (flagBool(s.args, 'all-containers')) containers = [...containerNames(pod, 'initContainers'), ...containerNames(pod, 'containers')];
  else {
    let req = requested;
    const annotated = pod.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
    if (req === undefined && annotated && !hasContainer(pod, annotated)) {
      out.err(`Default container name "${annotated}" not found in pod ${pod.metadata.name}`);
      req = containerNames(pod, 'containers')[0];
      if (containerNames(pod, 'containers').length > 1) out.err(`Defaulted container "${req}" out of: ${allContainerNames(pod)}`);
    }
    const c = containerFor(pod, req, (l) => out.err(l));
    if (c instanceof CommandError) throw c;
    containers = [c];
  }
  const tail = flagString(s.args, 'tail');
  const tailN = tail === undefined ? defaultTail : Number(tail);
  const prefix = flagBool(s.args, 'prefix');
  for (const c of containers) {
    const text = s.cluster.logs(pod.metadata.namespace ?? s.namespace, pod.metadata.name, c);
    if (text === undefined) {
      const statuses = [...arr(rec(pod.status).containerStatuses), ...arr(rec(pod.status).initContainerStatuses)].map(rec);
      const st = statuses.find((x) => x.name === c);
      const reason = String(rec(rec(st?.state).waiting).reason ?? 'ContainerCreating');
      out.err(`Error from server (BadRequest): container "${c}" in pod "${pod.metadata.name}" is waiting to start: ${reason}`);
      return out.result(1);
    }
    let lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    if (tailN >= 0) lines = lines.slice(Math.max(0, lines.length - tailN));
    if (prefix) lines = lines.map((l) => `[pod/${pod.metadata.name}/${c}] ${l}`);
    out.out(lines.length ? `${lines.join('\n')}\n` : '');
  }
  return out.result(0);
}

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (isPlainObject(v) ? v : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
