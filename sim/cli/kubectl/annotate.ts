/**
 * `kubectl annotate` / `oc annotate` (kubectl:pkg/cmd/annotate/annotate.go): the same arguments as
 * label, but every visited object prints `… annotated` (the PrintFlags operation is fixed, changed
 * or not), values are free text (`KEY=VAL` splits at the first `=`, cmdutil.ParsePairs), and the
 * refusal without --overwrite lists every clashing key (validateNoAnnotationOverwrites;
 * `kubernetes.io/change-cause` may always be overwritten).
 * Simplified: no --local, --field-selector or --resource-version.
 */
import type { ProgramResult } from '../shell/program.ts';
import { flagBool, flagString, flagStrings } from './flags.ts';
import { resourcesAndPairs, runMetaEdit, type MetaEdit } from './metaEdit.ts';
import { CommandError, type Session } from './session.ts';

const CHANGE_CAUSE = 'kubernetes.io/change-cause';

/** cmdutil.ParsePairs(args, "annotation", true). */
function parseAnnotations(pairs: readonly string[]): { set: Map<string, string>; remove: string[] } {
  const set = new Map<string, string>();
  const remove: string[] = [];
  const invalid: string[] = [];
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq > 0) set.set(p.slice(0, eq), p.slice(eq + 1));
    else if (p.endsWith('-') && p !== '-') remove.push(p.slice(0, -1));
    else invalid.push(p);
  }
  if (invalid.length > 0) throw new CommandError(`error: invalid annotation format: ${invalid.join(', ')}`);
  return { set, remove };
}

export function runAnnotate(s: Session): ProgramResult {
  const { resources, pairs } = resourcesAndPairs(s.args.positional, 'annotation');
  const { set, remove } = parseAnnotations(pairs);
  const list = flagBool(s.args, 'list');
  // AnnotateFlags.ToOptions, in its order.
  if (list && (flagString(s.args, 'output') ?? '') !== '') throw new CommandError('error: --list and --output may not be specified together');
  if (flagBool(s.args, 'all') && (flagString(s.args, 'selector') ?? '') !== '') throw new CommandError('error: cannot set --all and --selector at the same time');
  if (resources.length < 1 && flagStrings(s.args, 'filename').length === 0) throw new CommandError('error: one or more resources must be specified as <resource> <name> or <resource>/<name>');
  if (set.size < 1 && remove.length < 1 && !list) throw new CommandError('error: at least one annotation update is required');
  const both = remove.filter((k) => set.has(k));
  if (both.length > 0) throw new CommandError(`error: can not both modify and remove the following annotation(s) in the same command: ${both.join(', ')}`);
  const edit: MetaEdit = {
    field: 'annotations',
    set,
    remove,
    conflict: (current) => {
      const clashes = [...set].filter(([k, v]) => k !== CHANGE_CAUSE && k in current && current[k] !== v).map(([k]) => `'${k}' already has a value (${current[k]})`);
      return clashes.length === 0 ? [] : [`--overwrite is false but found the following declared annotation(s): ${clashes.join('; ')}`];
    },
    operation: () => 'annotated',
    listNoun: 'annotations',
  };
  return runMetaEdit(s, resources, edit);
}
