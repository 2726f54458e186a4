/**
 * What `kubectl label` and `kubectl annotate` share (kubectl:pkg/cmd/label/label.go,
 * pkg/cmd/annotate/annotate.go): splitting `TYPE NAME KEY=VAL KEY-` (cmdutil.GetResourcesAndPairs,
 * pkg/cmd/util/helpers.go), visiting the objects the resource builder finds, editing one metadata
 * map client-side, sending the difference as a JSON merge patch (jsonpatch.CreateMergePatch of the
 * object before and after), and printing each object with the name printer and the command's
 * operation (`namespace/default labeled`, ` (dry run)` / ` (server dry run)` appended by
 * cmdutil.PrintFlagsWithDryRunStrategy). `--list` prints the map instead.
 */
import { objectName } from '../../kube/builtinKinds.ts';
import { deepClone, type KubeObject } from '../../kube/object.ts';
import type { ProgramResult } from '../shell/program.ts';
import { dryRunFlag } from './apply.ts';
import { flagBool, flagString } from './flags.ts';
import { CommandError, errorsText, Output, type Session } from './session.ts';
import { findTargets } from './targets.ts';
import { toGoJson, toYaml } from './yamlPrinter.ts';

/** cmdutil.GetResourcesAndPairs: resources first, then `KEY=VAL` / `KEY-` pairs. */
export function resourcesAndPairs(args: readonly string[], pairType: string): { resources: string[]; pairs: string[] } {
  const resources: string[] = [];
  const pairs: string[] = [];
  for (const a of args) {
    const isPair = (a.includes('=') && a[0] !== '=') || (a.endsWith('-') && a !== '-');
    if (isPair) pairs.push(a);
    else if (pairs.length === 0) resources.push(a);
    else throw new CommandError(`error: all resources must be specified before ${pairType} changes: ${a}`);
  }
  return { resources, pairs };
}

export interface MetaEdit {
  /** `labels` or `annotations`. */
  readonly field: 'labels' | 'annotations';
  readonly set: ReadonlyMap<string, string>;
  readonly remove: readonly string[];
  /** Without --overwrite: the refusal for keys that already hold another value (an aggregate's members; empty when none). */
  conflict(current: Readonly<Record<string, string>>): string[];
  /** The printed operation, from what actually changed. */
  operation(added: number, removed: number): string;
  /** label.go prints `label "k" not found.` for a removal of an absent key (not on client dry runs). */
  readonly reportMissing?: string;
  /** `Listing labels for …` */
  readonly listNoun: string;
}

type Format = '' | 'name' | 'yaml' | 'json';

/** The -o values of a command with PrintFlags (kubectl 1.32's list, before kyaml). */
export function printFormat(value: string | undefined): Format {
  const v = (value ?? '').toLowerCase();
  if (v === '' || v === 'name' || v === 'yaml' || v === 'json') return v;
  throw new CommandError(
    `error: unable to match a printer suitable for the output format "${value}", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml`,
  );
}

/** Runs the edit over the objects `resources`/`-f`/`-l`/`--all` name; the caller has validated its arguments. */
export function runMetaEdit(s: Session, resources: readonly string[], edit: MetaEdit): ProgramResult {
  const out = new Output();
  const dryRun = dryRunFlag(s);
  const format = printFormat(flagString(s.args, 'output'));
  const list = flagBool(s.args, 'list');
  const overwrite = flagBool(s.args, 'overwrite');
  const targets = findTargets(s, resources);
  const errors: (string | string[])[] = [...targets.errors];
  const suffix = dryRun === 'server' ? ' (server dry run)' : dryRun === 'client' ? ' (dry run)' : '';
  let printed = 0;
  for (const t of targets.found) {
    const before = { ...(t.object.metadata[edit.field] ?? {}) };
    if (edit.reportMissing && dryRun !== 'client' && !list) for (const k of edit.remove) if (!(k in before)) out.out(`${edit.reportMissing} ${JSON.stringify(k)} not found.\n`);
    if (!overwrite) {
      const refusal = edit.conflict(before);
      if (refusal.length > 0) {
        errors.push(refusal);
        continue;
      }
    }
    const after = { ...before };
    let added = 0;
    let removed = 0;
    for (const [k, v] of edit.set)
      if (after[k] !== v) {
        after[k] = v;
        added++;
      }
    for (const k of edit.remove)
      if (k in after) {
        delete after[k];
        removed++;
      }
    let shown: KubeObject = deepClone(t.object);
    shown.metadata[edit.field] = after;
    if (!list && dryRun !== 'client' && (added > 0 || removed > 0)) {
      const patch: Record<string, string | null> = {};
      for (const k of Object.keys(after)) if (before[k] !== after[k]) patch[k] = after[k]!;
      for (const k of Object.keys(before)) if (!(k in after)) patch[k] = null;
      const r = s.store.patch(t.kind, t.object.metadata.namespace, t.object.metadata.name, 'merge', { metadata: { [edit.field]: patch } }, { dryRun: dryRun === 'server' });
      if (!r.ok) {
        errors.push(r.error.message);
        continue;
      }
      shown = r.value.object;
    }
    if (list) {
      const indent = targets.single ? '' : ' ';
      if (!targets.single) out.out(`Listing ${edit.listNoun} for ${t.kind.kind}.${t.kind.group}/${t.object.metadata.name}:\n`);
      for (const [k, v] of Object.entries(shown.metadata[edit.field] ?? {})) out.out(`${indent}${k}=${v}\n`);
      continue;
    }
    if (format === 'yaml') out.out(`${printed > 0 ? '---\n' : ''}${toYaml(shown)}`);
    else if (format === 'json') out.out(`${toGoJson(shown)}\n`);
    else if (format === 'name') out.out(`${objectName(t.kind, t.object.metadata.name)}\n`);
    else out.out(`${objectName(t.kind, t.object.metadata.name)} ${edit.operation(added, removed)}${suffix}\n`);
    printed++;
  }
  if (errors.length > 0) out.err(aggregateText(errors));
  return out.result(errors.length > 0 ? 1 : 0);
}

/**
 * checkErr unwraps the visit's errors: an aggregate of several (one object's clashing keys when it is
 * the only error) prints one bare line each (MultipleErrors); nested inside other errors it prints as
 * utilerrors.Aggregate's `[a, b]`.
 */
function aggregateText(errors: readonly (string | string[])[]): string {
  const only = errors.length === 1 ? errors[0]! : undefined;
  if (Array.isArray(only) && only.length > 1) return only.join('\n');
  return errorsText(errors.map((e) => (typeof e === 'string' ? e : e.length === 1 ? e[0]! : `[${e.join(', ')}]`)));
}
