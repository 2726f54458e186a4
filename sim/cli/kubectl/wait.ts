/**
 * `kubectl wait` / `oc wait` (kubectl:pkg/cmd/wait/wait.go, condition.go, delete.go):
 * `TYPE NAME… | TYPE -l SEL | TYPE/NAME… --for=condition=C[=V] | --for=delete [--timeout=D]`.
 * Each object that meets the condition prints `pod/NAME condition met`; none matching the selector is
 * `error: no matching resources found`; an unmet condition `error: timed out waiting for the condition
 * on pods/NAME`. Simplified: a workstation command runs at one instant of the virtual clock, so the
 * condition is judged now — a scenario advances the clock before it (as the real wait would have waited).
 */
import { objectName } from '../../kube/builtinKinds.ts';
import type { KubeObject } from '../../kube/object.ts';
import type { ProgramResult } from '../shell/program.ts';
import { flagString } from './flags.ts';
import { CommandError, errorsText, Output, resourceArgs, type Session } from './session.ts';

type For = { kind: 'condition'; type: string; value: string } | { kind: 'delete' };

/** wait.go conditionFuncFor: `delete`, `condition=NAME[=VALUE]` (VALUE defaults to true, compared case-insensitively). */
function parseFor(v: string | undefined): For | CommandError {
  if (v === undefined || v === '') return new CommandError('error: --for must be specified');
  if (v.toLowerCase() === 'delete') return { kind: 'delete' };
  if (v.toLowerCase().startsWith('condition=')) {
    const rest = v.slice('condition='.length);
    const eq = rest.indexOf('=');
    return eq < 0 ? { kind: 'condition', type: rest, value: 'true' } : { kind: 'condition', type: rest.slice(0, eq), value: rest.slice(eq + 1) };
  }
  return new CommandError(`error: unrecognized condition: "${v}"`);
}

function conditionMet(o: KubeObject, f: Extract<For, { kind: 'condition' }>): boolean {
  const conditions = (o.status as { conditions?: { type?: string; status?: string }[] } | undefined)?.conditions ?? [];
  return conditions.some((c) => c.type?.toLowerCase() === f.type.toLowerCase() && c.status?.toLowerCase() === f.value.toLowerCase());
}

export function runWait(s: Session): ProgramResult {
  const f = parseFor(flagString(s.args, 'for'));
  if (f instanceof CommandError) throw f;
  const selector = flagString(s.args, 'selector');
  const requests = resourceArgs(s, s.args.positional);
  if (requests instanceof CommandError) throw requests;
  if (requests.length === 0) throw new CommandError('error: resource(s) were provided, but no name was specified');
  const out = new Output();
  const errors: string[] = [];
  const targets: { label: string; plural: string; name: string; object: KubeObject }[] = [];
  for (const req of requests) {
    if (req.names.length === 0) {
      const listed = s.store.list(req.kind, { namespace: req.kind.namespaced ? s.namespace : undefined, labelSelector: selector ?? '' });
      if (!listed.ok) throw new CommandError(errorsText([listed.error.message]));
      for (const o of listed.value) targets.push({ label: objectName(req.kind, o.metadata.name), plural: req.kind.plural, name: o.metadata.name, object: o });
    } else {
      for (const name of req.names) {
        const got = s.store.get(req.kind, s.namespace, name);
        if (got.ok) targets.push({ label: objectName(req.kind, name), plural: req.kind.plural, name, object: got.value });
        else if (f.kind === 'delete' && got.error.code === 'kube/not-found') continue;
        else errors.push(got.error.message);
      }
    }
  }
  if (targets.length === 0 && errors.length === 0 && f.kind !== 'delete') throw new CommandError('error: no matching resources found');
  for (const t of targets) {
    // Every target exists now: `--for=delete` on one that is still there times out (an absent one was skipped above).
    if (f.kind === 'condition' && conditionMet(t.object, f)) out.out(`${t.label} condition met\n`);
    else errors.push(`error: timed out waiting for the condition on ${t.plural}/${t.name}`);
  }
  if (errors.length > 0) out.err(errorsText(errors));
  return out.result(errors.length > 0 ? 1 : 0);
}
