/**
 * `kubectl delete` (kubectl:pkg/cmd/delete/delete.go): `TYPE NAME…`, `TYPE/NAME`, `-f FILE`, `-l`,
 * `--all`, `--ignore-not-found`; one line per object, `deployment.apps "web" deleted`
 * (DeleteOptions.PrintObj), `No resources found` when a selector matches nothing.
 * Kept at the pre-1.34 wording: kubectl 1.34 appends ` from NS namespace` (kubernetes/kubectl#126619),
 * which the oc/kubectl versions this lab models (OpenShift 4.19/4.20) do not print.
 * Simplified: no grace periods or --wait; deletion is immediate (the store's rule).
 */
import { deletedMessage } from '../../kube/apply.ts';
import type { KindInfo } from '../../kube/builtinKinds.ts';
import type { ProgramResult } from '../shell/program.ts';
import { dryRunFlag } from './apply.ts';
import { flagBool, flagString, flagStrings } from './flags.ts';
import { CommandError, errorsText, mappingNotFound, Output, readManifests, resourceArgs, withSource, type Session } from './session.ts';

export function runDelete(s: Session): ProgramResult {
  const out = new Output();
  const errors: string[] = [];
  const dryRun = dryRunFlag(s);
  const suffix = dryRun === 'server' ? ' (server dry run)' : dryRun === 'client' ? ' (dry run)' : '';
  const ignoreNotFound = flagBool(s.args, 'ignore-not-found');
  const nameOnly = flagString(s.args, 'output') === 'name';
  const cascade = flagString(s.args, 'cascade');
  const propagationPolicy = cascade === 'orphan' || cascade === 'false' ? 'Orphan' : cascade === 'foreground' ? 'Foreground' : 'Background';
  const del = (kind: KindInfo, namespace: string | undefined, name: string, source?: string): void => {
    const r = s.store.delete(kind, namespace, name, { dryRun: dryRun !== 'none', propagationPolicy });
    if (!r.ok) {
      if (ignoreNotFound && r.error.code === 'kube/not-found') return;
      errors.push(source ? withSource(r.error, 'deleting', source) : r.error.message);
      return;
    }
    const line = deletedMessage(r.value);
    out.out(nameOnly ? `${line.replace(/ "(.*)" deleted$/, '/$1')}\n` : `${line}${suffix}\n`);
  };

  const files = flagStrings(s.args, 'filename');
  if (files.length > 0) {
    const ms = readManifests(s, files, flagBool(s.args, 'recursive'));
    if (ms instanceof CommandError) throw ms;
    for (const m of ms) {
      const k = s.store.kindOf({ apiVersion: m.manifest.apiVersion, kind: m.manifest.kind });
      if (!k.ok) {
        errors.push(mappingNotFound(m, k.error));
        continue;
      }
      const ns = k.value.namespaced ? (m.manifest.metadata?.namespace ?? s.namespace) : undefined;
      del(k.value, ns, String(m.manifest.metadata?.name ?? ''), m.source);
    }
  } else {
    if (s.args.positional.length === 0)
      throw new CommandError(
        "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
      );
    const reqs = resourceArgs(s, s.args.positional);
    if (reqs instanceof CommandError) throw reqs;
    const selector = flagString(s.args, 'selector');
    const all = flagBool(s.args, 'all');
    const allNs = flagBool(s.args, 'all-namespaces');
    let any = false;
    for (const req of reqs) {
      if (req.names.length > 0) {
        if (selector !== undefined || all) throw new CommandError('error: name cannot be provided when a selector is specified');
        for (const n of req.names) del(req.kind, s.namespace, n);
        any = true;
        continue;
      }
      if (selector === undefined && !all) throw new CommandError('error: resource(s) were provided, but no name was specified');
      const listed = s.store.list(req.kind, { namespace: req.kind.namespaced && !allNs ? s.namespace : undefined, labelSelector: selector ?? '' });
      if (!listed.ok) throw new CommandError(listed.error.message);
      for (const o of listed.value) {
        del(req.kind, o.metadata.namespace, o.metadata.name);
        any = true;
      }
    }
    if (!any && errors.length === 0) out.out('No resources found\n');
  }
  if (errors.length > 0) out.err(errorsText(errors));
  return out.result(errors.length > 0 ? 1 : 0);
}
