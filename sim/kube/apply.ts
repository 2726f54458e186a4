/**
 * `kubectl apply` (client-side): create with the last-applied-configuration annotation, or a three-way
 * merge of last-applied (original), the file (modified) and the live object (current), sent as a
 * strategic merge patch for built-in kinds and a JSON merge patch for custom resources; and the lines
 * kubectl prints for apply, create, patch, delete and rollout restart.
 * Upstream: kubectl/pkg/cmd/apply/apply.go (applyOneObject, "unchanged" when the patch is `{}`),
 * kubectl/pkg/cmd/apply/patcher.go (patchSimple: strategic for registered types, JSON merge otherwise),
 * kubectl/pkg/util/apply.go (GetModifiedConfiguration), cli-runtime/pkg/printers/name.go.
 * Simplified: no `--prune`, no `--force` (delete and re-create on conflict), no server-side apply.
 */
import { err, ok, type Result, type SimError } from '../core/result.ts';
import { objectName, qualifiedResource, type KindInfo } from './builtinKinds.ts';
import { canonicalJson, deepClone, isPlainObject, LAST_APPLIED_ANNOTATION, parseApiVersion, type KubeManifest, type KubeObject } from './object.ts';
import { createThreeWayMergePatch as threeWayJsonMerge } from './patch/mergePatch.ts';
import { createThreeWayMergePatch as threeWayStrategic } from './patch/strategicMerge.ts';
import type { ClusterStore } from './store.ts';

export type ApplyOperation = 'created' | 'configured' | 'unchanged';

export interface ApplyResult {
  readonly object: KubeObject;
  readonly operation: ApplyOperation;
  /** What kubectl prints: `deployment.apps/web configured`. */
  readonly message: string;
  /** Lines kubectl writes to stderr first (missing last-applied annotation). */
  readonly warnings: readonly string[];
  /** The patch sent on re-apply (`{}` when unchanged); undefined on create. */
  readonly patch?: Record<string, unknown>;
}

export interface ApplyOptions {
  /** Namespace for namespaced objects that do not name one (`kubectl apply -n`); default `default`. */
  readonly namespace?: string;
  /** `--dry-run=server`: everything runs, nothing is stored; the line ends with `(server dry run)`. */
  readonly dryRun?: boolean;
}

/** The annotation value kubectl writes: the file's object without the annotation, as compact JSON
 * with sorted keys and a trailing newline (runtime.Encode), including `"annotations":{}`. */
export function lastAppliedConfiguration(manifest: KubeManifest): string {
  const copy = deepClone(manifest) as KubeManifest & { metadata: Record<string, unknown> };
  copy.metadata = isPlainObject(copy.metadata) ? copy.metadata : {};
  const ann = isPlainObject(copy.metadata.annotations) ? { ...(copy.metadata.annotations as Record<string, string>) } : {};
  delete ann[LAST_APPLIED_ANNOTATION];
  copy.metadata.annotations = ann;
  return `${canonicalJson(copy)}\n`;
}

/** The last-applied configuration stored on a live object, parsed; undefined if absent or unreadable. */
export function readLastApplied(obj: KubeObject): Record<string, unknown> | undefined {
  const text = obj.metadata.annotations?.[LAST_APPLIED_ANNOTATION];
  if (text === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return isPlainObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function withNamespace(manifest: KubeManifest, info: KindInfo, namespace: string | undefined): KubeManifest {
  const m = deepClone(manifest);
  const meta = (m.metadata = isPlainObject(m.metadata) ? m.metadata : {});
  if (info.namespaced) meta.namespace = meta.namespace ?? namespace ?? 'default';
  return m;
}

/** `kubectl apply -f` for one object. */
export function applyManifest(store: ClusterStore, manifest: KubeManifest, opts: ApplyOptions = {}): Result<ApplyResult, SimError> {
  const k = store.kindOf({ apiVersion: manifest.apiVersion, kind: manifest.kind });
  if (!k.ok) return k;
  const info = k.value;
  const file = withNamespace(manifest, info, opts.namespace);
  const name = file.metadata?.name;
  if (typeof name !== 'string' || name === '') {
    // Let the server word the refusal (metadata.name: Required value …).
    const r = store.create(file, { dryRun: true });
    return err(r.ok ? missingName() : r.error);
  }
  const modified = deepClone(file) as KubeManifest & { metadata: Record<string, unknown> };
  modified.metadata.annotations = {
    ...(isPlainObject(modified.metadata.annotations) ? (modified.metadata.annotations as Record<string, string>) : {}),
    [LAST_APPLIED_ANNOTATION]: lastAppliedConfiguration(file),
  };
  const suffix = opts.dryRun ? ' (server dry run)' : '';
  const label = objectName({ group: info.group, kind: info.kind }, name);

  const current = store.find(info, file.metadata?.namespace, name);
  if (!current) {
    const created = store.create(modified, { dryRun: opts.dryRun === true });
    if (!created.ok) return created;
    return ok({ object: created.value, operation: 'created', message: `${label} created${suffix}`, warnings: [] });
  }

  const warnings: string[] = [];
  const original = readLastApplied(current);
  if (current.metadata.annotations?.[LAST_APPLIED_ANNOTATION] === undefined) {
    // kubectl/pkg/cmd/apply/apply.go warningNoLastAppliedConfigAnnotation
    warnings.push(
      `Warning: resource ${qualifiedResource(info)}/${name} is missing the ${LAST_APPLIED_ANNOTATION} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.`,
    );
  }
  const patch = info.patchSchema ? threeWayStrategic(original, modified, current, info.patchSchema) : threeWayJsonMerge(original, modified, current);
  if (Object.keys(patch).length === 0) {
    return ok({ object: current, operation: 'unchanged', message: `${label} unchanged${suffix}`, warnings, patch });
  }
  const patched = store.patch(info, current.metadata.namespace, name, info.patchSchema ? 'strategic' : 'merge', patch, { dryRun: opts.dryRun === true });
  if (!patched.ok) return patched;
  return ok({ object: patched.value.object, operation: 'configured', message: `${label} configured${suffix}`, warnings, patch });
}

function missingName(): SimError {
  return { code: 'kube/invalid', message: 'error: resource name may not be empty' };
}

/** Applies several manifests in order, stopping at nothing: each gets its own result. */
export function applyAll(store: ClusterStore, manifests: readonly KubeManifest[], opts: ApplyOptions = {}): Result<ApplyResult, SimError>[] {
  return manifests.map((m) => applyManifest(store, m, opts));
}

// ---------------------------------------------------------------- kubectl's lines

const gkOf = (obj: { apiVersion: string; kind: string }) => ({ group: parseApiVersion(obj.apiVersion).group, kind: obj.kind });

/** `deployment.apps/web`: kubectl's name printer (`-o name`). */
export function kubectlName(obj: KubeObject | KubeManifest): string {
  return objectName(gkOf(obj), String(obj.metadata?.name ?? ''));
}

/** `kubectl create`: `deployment.apps/web created`. */
export function createdMessage(obj: KubeObject): string {
  return `${kubectlName(obj)} created`;
}

/** `kubectl patch`: `… patched` or `… patched (no change)` (kubectl/pkg/cmd/patch/patch.go). */
export function patchedMessage(obj: KubeObject, changed: boolean): string {
  return `${kubectlName(obj)} ${changed ? 'patched' : 'patched (no change)'}`;
}

/** `kubectl delete`: `deployment.apps "web" deleted` (kubectl/pkg/cmd/delete/delete.go PrintObj
 * with the "deleted" operation uses the quoted, resource-less form). */
export function deletedMessage(obj: KubeObject): string {
  const { group, kind } = gkOf(obj);
  const k = kind.toLowerCase();
  return `${group === '' ? k : `${k}.${group}`} "${obj.metadata.name}" deleted`;
}

/** `kubectl rollout restart`: `deployment.apps/web restarted`. */
export function restartedMessage(obj: KubeObject): string {
  return `${kubectlName(obj)} restarted`;
}
