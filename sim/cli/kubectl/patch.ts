/**
 * `kubectl patch` (kubectl:pkg/cmd/patch/patch.go): `TYPE NAME` or `TYPE/NAME` or `-f FILE`,
 * `--type strategic|merge|json`, `-p`/`--patch-file` (JSON or YAML), `--subresource status`,
 * `--dry-run`; prints `deployment.apps/web patched` or `patched (no change)`. A strategic merge patch
 * on a custom resource is refused by the server with 415, which kubectl words as
 * `application/strategic-merge-patch+json is not supported by <GVK>: <server message>`.
 */
import { parse as parseYaml } from 'yaml';
import { patchedMessage } from '../../kube/apply.ts';
import { objectName, type KindInfo } from '../../kube/builtinKinds.ts';
import type { PatchType } from '../../kube/store.ts';
import { isPlainObject } from '../../kube/object.ts';
import { resolvePath } from '../shell/fs.ts';
import type { ProgramResult } from '../shell/program.ts';
import { dryRunFlag } from './apply.ts';
import { flagString, flagStrings } from './flags.ts';
import { CommandError, errorsText, Output, readManifests, resourceArgs, usageError, type Session } from './session.ts';

const MEDIA_TYPES: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

/** schema.GroupVersionKind.String(): `apps/v1, Kind=Deployment`, `/v1, Kind=Pod`. */
function gvkString(k: KindInfo): string {
  return `${k.group}/${k.version}, Kind=${k.kind}`;
}

export function runPatch(s: Session): ProgramResult {
  const out = new Output();
  const typeFlag = flagString(s.args, 'type') ?? 'strategic';
  if (typeFlag !== 'json' && typeFlag !== 'merge' && typeFlag !== 'strategic') throw new CommandError(`error: --type must be one of [json merge strategic], not "${typeFlag}"`);
  const type: PatchType = typeFlag;
  let text = flagString(s.args, 'patch');
  const patchFile = flagString(s.args, 'patch-file');
  if (text !== undefined && patchFile !== undefined) throw new CommandError('error: cannot specify --patch and --patch-file together');
  if (patchFile !== undefined) {
    text = s.io.fs.read(resolvePath(s.io.cwd, patchFile));
    if (text === undefined) throw new CommandError(`error: unable to read patch file: open ${patchFile}: no such file or directory`);
  }
  if (text === undefined || text === '') throw new CommandError('error: must specify --patch or --patch-file containing the contents of the patch');
  let patch: unknown;
  try {
    patch = JSON.parse(text);
  } catch {
    try {
      patch = parseYaml(text, { version: '1.1' });
    } catch (e) {
      throw new CommandError(`error: unable to parse "${text}": yaml: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  if (!isPlainObject(patch) && !Array.isArray(patch)) throw new CommandError(`error: unable to parse "${text}": json: cannot unmarshal ${typeof patch} into Go value of type map[string]interface {}`);

  const targets: { kind: KindInfo; namespace: string | undefined; name: string }[] = [];
  const files = flagStrings(s.args, 'filename');
  if (files.length > 0) {
    const ms = readManifests(s, files, false);
    if (ms instanceof CommandError) throw ms;
    for (const m of ms) {
      const k = s.store.kindOf({ apiVersion: m.manifest.apiVersion, kind: m.manifest.kind });
      if (!k.ok) throw new CommandError(k.error.message);
      targets.push({ kind: k.value, namespace: m.manifest.metadata?.namespace ?? s.namespace, name: String(m.manifest.metadata?.name ?? '') });
    }
  } else {
    if (s.args.positional.length === 0) throw usageError(s, 'must specify a resource type and name, or a file');
    const reqs = resourceArgs(s, s.args.positional);
    if (reqs instanceof CommandError) throw reqs;
    for (const r of reqs) {
      if (r.names.length === 0) throw new CommandError('error: resource(s) were provided, but no name was specified');
      for (const n of r.names) targets.push({ kind: r.kind, namespace: s.namespace, name: n });
    }
  }
  const dryRun = dryRunFlag(s);
  const sub = flagString(s.args, 'subresource');
  const errors: string[] = [];
  for (const t of targets) {
    const r = s.store.patch(t.kind, t.namespace, t.name, type, patch, { dryRun: dryRun !== 'none', ...(sub === 'status' ? { subresource: 'status' as const } : {}) });
    if (!r.ok) {
      if (r.error.code === 'kube/unsupported-media-type') {
        const status = (r.error.detail?.status ?? {}) as { message?: string };
        errors.push(`${MEDIA_TYPES[type]} is not supported by ${gvkString(t.kind)}: ${status.message ?? r.error.message}`);
      } else errors.push(r.error.message);
      continue;
    }
    const suffix = dryRun === 'server' ? ' (server dry run)' : dryRun === 'client' ? ' (dry run)' : '';
    out.out(flagString(s.args, 'output') === 'name' ? `${objectName(t.kind, t.name)}\n` : `${patchedMessage(r.value.object, r.value.changed)}${suffix}\n`);
  }
  if (errors.length > 0) out.err(errorsText(errors));
  return out.result(errors.length > 0 ? 1 : 0);
}
