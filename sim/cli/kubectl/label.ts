/**
 * `kubectl label` / `oc label` (kubectl:pkg/cmd/label/label.go): `TYPE NAME KEY=VAL… KEY-…`,
 * `TYPE/NAME`, `-f`, `-l`, `--all`, `-A`, `--overwrite`, `--dry-run`, `--list`, `-o name|yaml|json`.
 * Prints `namespace/default labeled`, `not labeled` (nothing changed), `unlabeled` (only removals),
 * `modified` (both) — updateDataChangeMsg; refuses to change an existing value without
 * --overwrite (validateNoOverwrites). Values are checked client-side (parseLabels:
 * validation.IsValidLabelValue); keys are left to the server's metadata validation.
 * Simplified: no --local, --field-selector or --resource-version.
 */
import { isValidLabelValue } from '../../kube/validation.ts';
import type { ProgramResult } from '../shell/program.ts';
import { flagBool, flagString, flagStrings } from './flags.ts';
import { resourcesAndPairs, runMetaEdit, type MetaEdit } from './metaEdit.ts';
import { CommandError, type Session } from './session.ts';

/** label.go parseLabels: `k=v` (exactly one `=`), `k-`. */
function parseLabels(specs: readonly string[]): { set: Map<string, string>; remove: string[] } {
  const set = new Map<string, string>();
  const remove: string[] = [];
  for (const spec of specs) {
    if (spec.includes('=')) {
      const parts = spec.split('=');
      if (parts.length !== 2) throw new CommandError(`error: invalid label spec: ${spec}`);
      const errs = isValidLabelValue(parts[1]!);
      if (errs.length > 0) throw new CommandError(`error: invalid label value: ${JSON.stringify(spec)}: ${errs.join(';')}`);
      set.set(parts[0]!, parts[1]!);
    } else if (spec.endsWith('-')) remove.push(spec.slice(0, -1));
    else throw new CommandError(`error: unknown label spec: ${spec}`);
  }
  if (remove.some((k) => set.has(k))) throw new CommandError('error: can not both modify and remove a label in the same command');
  return { set, remove };
}

export function runLabel(s: Session): ProgramResult {
  const { resources, pairs } = resourcesAndPairs(s.args.positional, 'label');
  const { set, remove } = parseLabels(pairs);
  const list = flagBool(s.args, 'list');
  if (list && (flagString(s.args, 'output') ?? '') !== '') throw new CommandError('error: --list and --output may not be specified together');
  // LabelOptions.Validate, in its order.
  if (flagBool(s.args, 'all') && (flagString(s.args, 'selector') ?? '') !== '') throw new CommandError('error: cannot set --all and --selector at the same time');
  if (resources.length < 1 && flagStrings(s.args, 'filename').length === 0) throw new CommandError('error: one or more resources must be specified as <resource> <name> or <resource>/<name>');
  if (set.size < 1 && remove.length < 1 && !list) throw new CommandError('error: at least one label update is required');
  const edit: MetaEdit = {
    field: 'labels',
    set,
    remove,
    // validateNoOverwrites: an aggregate of one error per clashing key (in argument order here; Go's map order is random).
    conflict: (current) => [...set].filter(([k, v]) => k in current && current[k] !== v).map(([k]) => `'${k}' already has a value (${current[k]}), and --overwrite is false`),
    operation: (added, removed) => (added > 0 && removed > 0 ? 'modified' : added > 0 ? 'labeled' : removed > 0 ? 'unlabeled' : 'not labeled'),
    reportMissing: 'label',
    listNoun: 'labels',
  };
  return runMetaEdit(s, resources, edit);
}
