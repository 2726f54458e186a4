/**
 * `kubectl exec` (kubectl:pkg/cmd/exec/exec.go): `(POD | TYPE/NAME) [-c CONTAINER] [-i] [-t] -- COMMAND…`;
 * the container's stdout and stderr come back as they are; a non-zero exit is reported as
 * client-go remotecommand's `command terminated with exit code N` with that exit code
 * (kubectl:pkg/cmd/util/helpers.go checkErr, ExitError branch). Completed pods are refused, the
 * container is picked as podFor.ts describes, `-t` with redirected input prints kubectl's
 * `Unable to use a TTY - input is not a terminal or the right kind of file`.
 * Simplified: a TTY does not merge stderr into stdout nor translate line endings; stdin is passed
 * only with -i, as kubectl does.
 */
import type { ProgramResult } from '../shell/program.ts';
import { flagBool, flagString } from './flags.ts';
import { containerFor, podFor } from './podFor.ts';
import { CommandError, Output, usageError, type Session } from './session.ts';

export async function runExec(s: Session): Promise<ProgramResult> {
  const out = new Output();
  const { positional, afterDash, argsLenAtDash } = s.args;
  let command: string[];
  if (argsLenAtDash === 0 || argsLenAtDash === 1) command = afterDash;
  else if (argsLenAtDash < 0 && positional.length > 1) throw usageError(s, `exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead`);
  else if (argsLenAtDash > 1) throw usageError(s, `exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead`);
  else command = [];
  const target = flagString(s.args, 'pod') ?? (argsLenAtDash === 0 ? undefined : positional[0]);
  if (target === undefined) throw new CommandError('error: pod, type/name or --filename must be specified');
  if (command.length === 0) throw new CommandError('error: you must specify at least one command for the container');
  const choice = podFor(s, target);
  if (choice instanceof CommandError) throw choice;
  const pod = choice.pod;
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw new CommandError(`error: cannot exec into a container in a completed pod; current phase is ${phase}`);
  const quiet = flagBool(s.args, 'quiet');
  const container = containerFor(pod, flagString(s.args, 'container'), (l) => {
    if (!quiet) out.err(l);
  });
  if (container instanceof CommandError) throw container;
  // The kubelet refuses a container that is not running (kubelet server.go getExec → "container not found").
  const statuses = [...((pod.status as { containerStatuses?: unknown[] } | undefined)?.containerStatuses ?? []), ...((pod.status as { initContainerStatuses?: unknown[] } | undefined)?.initContainerStatuses ?? [])] as {
    name?: string;
    state?: { running?: unknown };
  }[];
  const st = statuses.find((c) => c.name === container);
  if (phase === 'Pending' || (st !== undefined && st.state?.running === undefined)) throw new CommandError(`error: unable to upgrade connection: container not found ("${container}")`);
  const stdinWanted = flagBool(s.args, 'stdin');
  if (flagBool(s.args, 'tty') && stdinWanted && s.io.stdin !== '' && !quiet) out.err('Unable to use a TTY - input is not a terminal or the right kind of file');
  const r = await s.cluster.exec(pod.metadata.namespace ?? s.namespace, pod.metadata.name, container, command, stdinWanted ? s.io.stdin : '');
  out.out(r.stdout);
  if (r.stderr !== '') out.stderr += r.stderr;
  if (r.exitCode !== 0) {
    out.err(`command terminated with exit code ${r.exitCode}`);
    return out.result(r.exitCode);
  }
  return out.result(0);
}
