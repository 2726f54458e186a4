/**
 * `kubectl get` (kubectl:pkg/cmd/get/get.go): tables per kind with a blank line between kinds, the
 * `kind/name` prefix when several kinds are printed (multipleGVKsRequested), `No resources found in
 * NS namespace.` on stderr, NotFound errors after the output; `-o yaml|json|name|jsonpath=…|wide`,
 * `--show-labels`, `--no-headers`, `-l`, `-A`, `--ignore-not-found`, `-f`. With exactly one named
 * object (`get pod web`) the object itself is printed, otherwise a `kind: List` (printGeneric).
 * `-w` prints the list once (below). Simplified: no --sort-by, --field-selector, custom-columns or go-template.
 */
import { objectName } from '../../kube/builtinKinds.ts';
import type { KubeObject } from '../../kube/object.ts';
import { selectorListErrorMessage } from '../../kube/selector.ts';
import type { ProgramResult } from '../shell/program.ts';
import { flagBool, flagString, flagStrings } from './flags.ts';
import { parseJsonPath } from './jsonPath.ts';
import { CommandError, errorsText, Output, readManifests, resourceArgs, usageError, type ResourceRequest, type Session } from './session.ts';
import { formatTable } from './tabWriter.ts';
import { tableRows } from './tablePrinter.ts';
import { toGoJson, toYaml } from './yamlPrinter.ts';
import type { KindInfo } from '../../kube/builtinKinds.ts';

export type OutputFormat = { kind: 'table'; wide: boolean } | { kind: 'yaml' } | { kind: 'json' } | { kind: 'name' } | { kind: 'jsonpath'; template: string };

/** `-o` values kubectl get accepts (the ones emulated), with kubectl's refusal for the rest. */
export function parseOutput(value: string | undefined): OutputFormat | CommandError {
  if (value === undefined || value === '') return { kind: 'table', wide: false };
  if (value === 'wide') return { kind: 'table', wide: true };
  if (value === 'yaml' || value === 'json' || value === 'name') return { kind: value };
  const m = /^jsonpath=(.*)$/s.exec(value);
  if (m) return { kind: 'jsonpath', template: m[1]! };
  if (value === 'jsonpath') return new CommandError('error: template format specified but no template given');
  return new CommandError(
    `error: unable to match a printer suitable for the output format "${value}", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml`,
  );
}

interface Found {
  readonly kind: KindInfo;
  readonly object: KubeObject;
}

/** Prints objects in a non-table format; `single` when one named object was asked for. */
export function printObjects(found: readonly Found[], format: OutputFormat, single: boolean): { stdout: string; error?: string } {
  if (format.kind === 'name') return { stdout: found.map((f) => `${objectName(f.kind, f.object.metadata.name)}\n`).join('') };
  const data: unknown = single && found.length === 1 ? found[0]!.object : { apiVersion: 'v1', items: found.map((f) => f.object), kind: 'List', metadata: { resourceVersion: '' } };
  if (format.kind === 'yaml') return { stdout: toYaml(data) };
  if (format.kind === 'json') return { stdout: `${toGoJson(data)}\n` };
  if (format.kind === 'jsonpath') {
    const p = parseJsonPath(format.template);
    if (!p.ok) return { stdout: '', error: `error: error parsing jsonpath ${format.template}, ${p.error.message}` };
    const r = p.value.execute(data);
    return r.ok ? { stdout: r.value } : { stdout: '', error: `error: error executing jsonpath ${JSON.stringify(format.template)}: ${r.error.message}` };
  }
  return { stdout: '' };
}

export function runGet(s: Session): ProgramResult {
  const out = new Output();
  const format = parseOutput(flagString(s.args, 'output'));
  if (format instanceof CommandError) throw format;
  const allNs = flagBool(s.args, 'all-namespaces');
  const selector = flagString(s.args, 'selector');
  const ignoreNotFound = flagBool(s.args, 'ignore-not-found');
  // --watch prints the list, then a row per change until the user presses Ctrl+C (kubectl get.go
  // watch). A workstation command runs at one instant of the virtual clock, so nothing changes while it
  // runs: the watch shows the list and ends (Simplified: as if interrupted at once, exit status 0).
  if (flagBool(s.args, 'watch-only')) return { stdout: '', stderr: '', exitCode: 0 };
  const filenames = flagStrings(s.args, 'filename');
  let requests: ResourceRequest[] = [];
  const errors: string[] = [];
  if (filenames.length > 0) {
    const ms = readManifests(s, filenames, flagBool(s.args, 'recursive'));
    if (ms instanceof CommandError) throw ms;
    for (const m of ms) {
      const k = s.store.kindOf({ apiVersion: m.manifest.apiVersion, kind: m.manifest.kind });
      if (!k.ok) {
        errors.push(k.error.message);
        continue;
      }
      const prev = requests.find((r) => r.kind === k.value);
      const name = String(m.manifest.metadata?.name ?? '');
      if (prev) prev.names.push(name);
      else requests.push({ kind: k.value, names: [name] });
    }
  } else {
    if (s.args.positional.length === 0) {
      const usage = usageError(s, `Required resource not specified.\nUse "${s.flavor} explain <resource>" for a detailed description of that resource (e.g. ${s.flavor} explain pods).`);
      throw new CommandError(`You must specify the type of resource to get. Use "${s.flavor} api-resources" for a complete list of supported resources.\n\n${usage.message}`);
    }
    const r = resourceArgs(s, s.args.positional);
    if (r instanceof CommandError) throw r;
    requests = r;
  }
  const singleItemImplied = requests.length === 1 && requests[0]!.names.length === 1 && filenames.length === 0;

  const found: Found[] = [];
  for (const req of requests) {
    const ns = allNs ? undefined : s.namespace;
    if (req.names.length === 0) {
      const listed = s.store.list(req.kind, { namespace: req.kind.namespaced ? ns : undefined, labelSelector: selector ?? '' });
      if (!listed.ok) {
        const reason = listed.error.message;
        errors.push(selectorListErrorMessage(req.kind.group, req.kind.version, req.kind.plural, selector ?? '', reason));
        break;
      }
      for (const o of listed.value) found.push({ kind: req.kind, object: o });
    } else {
      for (const name of req.names) {
        const got = s.store.get(req.kind, s.namespace, name);
        if (got.ok) found.push({ kind: req.kind, object: got.value });
        else if (!(ignoreNotFound && got.error.code === 'kube/not-found')) errors.push(got.error.message);
      }
    }
  }

  if (format.kind !== 'table') {
    if (singleItemImplied && errors.length > 0) throw new CommandError(errorsText(errors));
    if (!(ignoreNotFound && found.length === 0)) {
      const printed = printObjects(found, format, singleItemImplied);
      out.out(printed.stdout);
      if (printed.error) errors.push(printed.error);
    }
    if (errors.length > 0) out.err(errorsText(errors));
    return out.result(errors.length > 0 ? 1 : 0);
  }

  const withKind = new Set(found.map((f) => f.kind)).size > 1;
  let last: KindInfo | undefined;
  let group: KubeObject[] = [];
  const flush = () => {
    if (!last || group.length === 0) return;
    const rows = tableRows(last, group, {
      now: s.now(),
      wide: format.wide,
      withNamespace: allNs,
      withKind,
      showLabels: flagBool(s.args, 'show-labels'),
      noHeaders: flagBool(s.args, 'no-headers'),
    });
    if (out.stdout !== '') out.out('\n');
    out.out(formatTable(rows));
    group = [];
  };
  for (const f of found) {
    if (f.kind !== last) {
      flush();
      last = f.kind;
    }
    group.push(f.object);
  }
  flush();
  if (out.stdout === '' && !ignoreNotFound && errors.length === 0) {
    const allNamespaced = !allNs && requests.every((r) => r.kind.namespaced);
    out.err(allNamespaced ? `No resources found in ${s.namespace} namespace.` : 'No resources found');
  }
  if (errors.length > 0) out.err(errorsText(errors));
  return out.result(errors.length > 0 ? 1 : 0);
}
