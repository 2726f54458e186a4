/**
 * `kubectl apply -f` and `kubectl create -f` (kubectl:pkg/cmd/apply/apply.go, pkg/cmd/create/create.go):
 * every object of every file in order, one line each (`deployment.apps/web created|configured|unchanged`),
 * errors collected and printed at the end (ContinueOnError) with the file named
 * (cmdutil.AddSourceToErr: `Error from server (AlreadyExists): error when creating "web.yaml": …`),
 * unknown kinds as `resource mapping not found … ensure CRDs are installed first`. The three-way merge
 * itself is sim/kube/apply.ts.
 * `-l SELECTOR` applies only the documents whose labels match.
 * Simplified: no --prune, --server-side, --force; `--dry-run=client` runs the server dry run.
 */
import { apiVersionOf, objectName, type KindInfo } from '../../kube/builtinKinds.ts';
import { applyManifest, createdMessage, lastAppliedConfiguration, readLastApplied } from '../../kube/apply.ts';
import { canonicalJson, deepClone, isPlainObject, LAST_APPLIED_ANNOTATION, type KubeManifest } from '../../kube/object.ts';
import { createThreeWayMergePatch as threeWayJsonMerge } from '../../kube/patch/mergePatch.ts';
import { createThreeWayMergePatch as threeWayStrategic } from '../../kube/patch/strategicMerge.ts';
import { parseSelector, type Selector } from '../../kube/selector.ts';
import type { SimError } from '../../core/result.ts';
import type { ProgramResult } from '../shell/program.ts';
import { flagBool, flagString, flagStrings } from './flags.ts';
import { CommandError, errorsText, mappingNotFound, Output, readManifests, usageError, withSource, type Session, type SourcedManifest } from './session.ts';

type DryRun = 'none' | 'client' | 'server';

export function dryRunFlag(s: Session): DryRun {
  const v = flagString(s.args, 'dry-run');
  if (v === undefined || v === 'none' || v === 'false') return 'none';
  if (v === 'client' || v === 'server') return v;
  if (v === 'true') return 'client';
  throw new CommandError(`error: Invalid dry-run value (${v}). Must be "none", "server", or "client".`);
}

function needFiles(s: Session): string[] {
  const files = flagStrings(s.args, 'filename');
  if (files.length === 0) throw usageError(s, 'must specify one of -f and -k');
  return files;
}

/** The namespace check of the resource builder (FilenameParam with enforceNamespace). */
function namespaceMismatch(s: Session, info: KindInfo, m: KubeManifest): string | undefined {
  const ns = m.metadata?.namespace;
  if (!info.namespaced || !s.explicitNamespace || typeof ns !== 'string' || ns === '' || ns === s.namespace) return undefined;
  return `the namespace from the provided object "${ns}" does not match the namespace "${s.namespace}". You must pass '--namespace=${ns}' to perform this operation.`;
}

/** `Resource: "apps/v1, Resource=deployments", …`: resource.Info's String() in apply's patch errors. */
function infoString(info: KindInfo, name: string, namespace: string | undefined): string {
  const gv = apiVersionOf(info);
  return `Resource: "${gv}, Resource=${info.plural}", GroupVersionKind: "${gv}, Kind=${info.kind}"\nName: "${name}", Namespace: "${namespace ?? ''}"`;
}

function patchFor(s: Session, info: KindInfo, manifest: KubeManifest, namespace: string): string {
  const current = s.store.find(info, namespace, String(manifest.metadata?.name ?? ''));
  if (!current) return '{}';
  const modified = deepClone(manifest) as KubeManifest & { metadata: Record<string, unknown> };
  modified.metadata = { ...(isPlainObject(modified.metadata) ? modified.metadata : {}) };
  if (info.namespaced) modified.metadata.namespace = namespace;
  modified.metadata.annotations = { ...(isPlainObject(modified.metadata.annotations) ? modified.metadata.annotations : {}), [LAST_APPLIED_ANNOTATION]: lastAppliedConfiguration(modified) };
  const original = readLastApplied(current);
  const patch = info.patchSchema ? threeWayStrategic(original, modified, current, info.patchSchema) : threeWayJsonMerge(original, modified, current);
  return canonicalJson(patch);
}

export function runApply(s: Session): ProgramResult {
  const out = new Output();
  const files = needFiles(s);
  const dryRun = dryRunFlag(s);
  const nameOnly = flagString(s.args, 'output') === 'name';
  if (flagBool(s.args, 'server-side')) throw new CommandError('error: --server-side is not supported in this lab (Simplified: client-side apply only)');
  const read = readManifests(s, files, flagBool(s.args, 'recursive'));
  if (read instanceof CommandError) throw read;
  const selector = selectorFlag(s);
  const manifests = selector ? read.filter((m) => !s.store.kindOf({ apiVersion: m.manifest.apiVersion, kind: m.manifest.kind }).ok || selector.matches(m.manifest.metadata?.labels)) : read;
  if (manifests.length === 0) throw new CommandError('error: no objects passed to apply');
  const errors: string[] = [];
  for (const m of manifests) {
    const k = kindFor(s, m, errors);
    if (!k) continue;
    const namespace = (k.namespaced ? m.manifest.metadata?.namespace : undefined) ?? s.namespace;
    const existed = s.store.find(k, namespace, String(m.manifest.metadata?.name ?? '')) !== undefined;
    const r = applyManifest(s.store, m.manifest, { namespace: s.namespace, dryRun: dryRun !== 'none' });
    if (!r.ok) {
      errors.push(applyError(s, k, m, namespace, existed, r.error));
      continue;
    }
    for (const w of r.value.warnings) out.err(w);
    let line = nameOnly ? objectName(k, r.value.object.metadata.name) : r.value.message;
    if (dryRun === 'client') line = line.replace(' (server dry run)', ' (dry run)');
    out.out(`${line}\n`);
  }
  if (errors.length > 0) out.err(errorsText(errors));
  return out.result(errors.length > 0 ? 1 : 0);
}

/**
 * `-l`: the builder's LabelSelectorParam over files (cli-runtime visitByPaths: FilterByLabelSelector)
 * keeps only the documents whose own labels match, silently. A document whose kind no API serves
 * still fails (the mapping error comes before the filter); if nothing is left, apply.go's
 * `no objects passed to apply`.
 */
function selectorFlag(s: Session): Selector | undefined {
  const text = (flagString(s.args, 'selector') ?? '').trim();
  if (text === '') return undefined;
  const parsed = parseSelector(text);
  if (!parsed.ok) throw new CommandError(`error: the provided selector "${text}" is not valid: ${parsed.error.message}`);
  return parsed.value;
}

function applyError(s: Session, info: KindInfo, m: SourcedManifest, namespace: string, existed: boolean, e: SimError): string {
  if (!existed) return withSource(e, 'creating', m.source);
  const name = String(m.manifest.metadata?.name ?? '');
  const verb = `applying patch:\n${patchFor(s, info, m.manifest, namespace)}\nto:\n${infoString(info, name, info.namespaced ? namespace : undefined)}\nfor:`;
  const inner = withSource(e, 'patching', m.source);
  if (e.code === 'kube/invalid') return inner;
  const status = isPlainObject(e.detail) && isPlainObject(e.detail.status) ? (e.detail.status as { reason?: string; message?: string }) : undefined;
  const innerMessage = status ? `error when patching "${m.source}": ${status.message ?? ''}` : inner;
  return status ? `Error from server${status.reason ? ` (${status.reason})` : ''}: error when ${verb} "${m.source}": ${innerMessage}` : `error when ${verb} "${m.source}": ${inner}`;
}

export function runCreate(s: Session): ProgramResult {
  const out = new Output();
  const [sub, name] = s.args.positional;
  const dryRun = dryRunFlag(s);
  if (sub === 'namespace' || sub === 'ns') {
    if (!name) throw usageError({ flavor: s.flavor, command: 'create namespace' }, 'NAME is required for namespace');
    const r = s.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { dryRun: dryRun !== 'none' });
    if (!r.ok) throw new CommandError(r.error.message);
    out.out(`namespace/${name} created${dryRun === 'server' ? ' (server dry run)' : dryRun === 'client' ? ' (dry run)' : ''}\n`);
    return out.result(0);
  }
  if (sub !== undefined) throw new CommandError(`error: unknown command "${sub}" for "${s.flavor} create"`);
  const files = needFiles(s);
  const manifests = readManifests(s, files, flagBool(s.args, 'recursive'));
  if (manifests instanceof CommandError) throw manifests;
  const errors: string[] = [];
  for (const m of manifests) {
    const k = kindFor(s, m, errors);
    if (!k) continue;
    const manifest = deepClone(m.manifest);
    if (k.namespaced) manifest.metadata = { ...(manifest.metadata ?? {}), namespace: manifest.metadata?.namespace ?? s.namespace };
    const r = s.store.create(manifest, { dryRun: dryRun !== 'none' });
    if (!r.ok) {
      errors.push(withSource(r.error, 'creating', m.source));
      continue;
    }
    const suffix = dryRun === 'server' ? ' (server dry run)' : dryRun === 'client' ? ' (dry run)' : '';
    out.out(flagString(s.args, 'output') === 'name' ? `${objectName(k, r.value.metadata.name)}\n` : `${createdMessage(r.value)}${suffix}\n`);
  }
  if (errors.length > 0) out.err(errorsText(errors));
  return out.result(errors.length > 0 ? 1 : 0);
}

/** The manifest's kind, or undefined after recording kubectl's error (unknown kind, namespace mismatch). */
function kindFor(s: Session, m: SourcedManifest, errors: string[]): KindInfo | undefined {
  const k = s.store.kindOf({ apiVersion: m.manifest.apiVersion, kind: m.manifest.kind });
  if (!k.ok) {
    errors.push(mappingNotFound(m, k.error));
    return undefined;
  }
  const mismatch = namespaceMismatch(s, k.value, m.manifest);
  if (mismatch) {
    errors.push(mismatch);
    return undefined;
  }
  return k.value;
}
