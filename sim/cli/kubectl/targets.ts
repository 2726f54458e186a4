/**
 * The objects a mutating command such as `kubectl label` / `annotate` visits, found the way
 * cli-runtime's resource.Builder finds them (pkg/resource/builder.go): `-f FILE` (visitByPaths,
 * RequireNamespace, then the live object — `Latest()`), `-l`/`--all` (visitBySelector: a list per
 * type), `TYPE NAME…` (visitByName) or `TYPE/NAME…` (visitByResource). Errors of single objects are
 * collected, not fatal (ContinueOnError); errors of the arguments themselves are thrown.
 */
import type { KindInfo } from '../../kube/builtinKinds.ts';
import type { KubeObject } from '../../kube/object.ts';
import { parseSelector, selectorListErrorMessage } from '../../kube/selector.ts';
import { flagBool, flagString, flagStrings } from './flags.ts';
import { CommandError, mappingNotFound, readManifests, resourceArgs, type Session } from './session.ts';

export interface Target {
  readonly kind: KindInfo;
  readonly object: KubeObject;
}

export interface Targets {
  readonly found: Target[];
  /** Per-object errors, in visiting order (printed after the output, exit 1). */
  readonly errors: string[];
  /** Result.IntoSingleItemImplied: one name, one TYPE/NAME or one file. */
  readonly single: boolean;
}

/** `the namespace from the provided object …`: the builder's RequireNamespace (visitor.go). */
export function namespaceMismatchText(objectNs: string, ns: string): string {
  return `the namespace from the provided object "${objectNs}" does not match the namespace "${ns}". You must pass '--namespace=${objectNs}' to perform this operation.`;
}

/** Finds what `resources` (the positional TYPE/NAME arguments), `-f`, `-l`, `--all` and `-A` name. */
export function findTargets(s: Session, resources: readonly string[]): Targets {
  const files = flagStrings(s.args, 'filename');
  const selector = (flagString(s.args, 'selector') ?? '').trim();
  const all = flagBool(s.args, 'all');
  const allNs = flagBool(s.args, 'all-namespaces');
  if (files.length > 0) {
    if (resources.length > 0) throw new CommandError('error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well');
    return fromFiles(s, files, selector);
  }
  if (resources.length === 0) throw new CommandError("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
  const tuples = resources.some((r) => r.includes('/'));
  const reqs = resourceArgs(s, resources);
  if (reqs instanceof CommandError) throw reqs;
  const found: Target[] = [];
  const errors: string[] = [];
  if (selector !== '' || all) {
    if (tuples) throw new CommandError('error: selectors and the all flag cannot be used when passing resource/name arguments');
    if (reqs.some((r) => r.names.length > 0)) throw new CommandError('error: name cannot be provided when a selector is specified');
    for (const req of reqs) {
      const listed = s.store.list(req.kind, { namespace: req.kind.namespaced && !allNs ? s.namespace : undefined, labelSelector: selector });
      if (!listed.ok) {
        errors.push(selectorListErrorMessage(req.kind.group, req.kind.version, req.kind.plural, selector, listed.error.message));
        continue;
      }
      for (const o of listed.value) found.push({ kind: req.kind, object: o });
    }
    return { found, errors, single: false };
  }
  if (!tuples) {
    if (reqs.every((r) => r.names.length === 0)) throw new CommandError('error: resource(s) were provided, but no name was specified');
    if (reqs.length > 1) throw new CommandError('error: you must specify only one resource');
    if (reqs[0]!.kind.namespaced && allNs) throw new CommandError('error: a resource cannot be retrieved by name across all namespaces');
  }
  let count = 0;
  for (const req of reqs)
    for (const name of req.names) {
      count++;
      const got = s.store.get(req.kind, req.kind.namespaced ? s.namespace : undefined, name);
      if (got.ok) found.push({ kind: req.kind, object: got.value });
      else errors.push(got.error.message);
    }
  return { found, errors, single: count === 1 };
}

function fromFiles(s: Session, files: readonly string[], selector: string): Targets {
  const parsed = selector === '' ? undefined : parseSelector(selector);
  if (parsed && !parsed.ok) throw new CommandError(`error: the provided selector "${selector}" is not valid: ${parsed.error.message}`);
  const ms = readManifests(s, files, flagBool(s.args, 'recursive'));
  if (ms instanceof CommandError) throw ms;
  const found: Target[] = [];
  const errors: string[] = [];
  for (const m of ms) {
    const k = s.store.kindOf({ apiVersion: m.manifest.apiVersion, kind: m.manifest.kind });
    if (!k.ok) {
      errors.push(mappingNotFound(m, k.error));
      continue;
    }
    const fileNs = k.value.namespaced ? m.manifest.metadata?.namespace : undefined;
    const ns = k.value.namespaced ? (fileNs ?? s.namespace) : undefined;
    // The label filter sees the live object (Latest() runs first), RequireNamespace the filtered ones.
    const got = s.store.get(k.value, ns, String(m.manifest.metadata?.name ?? ''));
    if (!got.ok) {
      errors.push(got.error.message);
      continue;
    }
    if (parsed && !parsed.value.matches(got.value.metadata.labels)) continue;
    if (s.explicitNamespace && fileNs !== undefined && fileNs !== '' && fileNs !== s.namespace) {
      errors.push(namespaceMismatchText(fileNs, s.namespace));
      continue;
    }
    found.push({ kind: k.value, object: got.value });
  }
  const single = files.length === 1 && files[0] !== '-' && ms.length <= 1;
  return { found, errors, single };
}
