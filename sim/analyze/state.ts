/**
 * The analyzer's view of one cluster while it follows a scenario statically: the objects as the
 * manifests and steps leave them (apply replaces, patch merges, delete removes, label/annotate edit
 * metadata), each keeping the file, line and YAML document it was written in, so findings point there.
 * No API server, no controllers: what controllers would create (pods, entries) is not here.
 */
import { ok, err, simError, type Result, type SimError } from '../core/result.ts';
import { BUILTIN_KINDS } from '../kube/builtinKinds.ts';
import { applyJsonPatch } from '../kube/patch/jsonPatch.ts';
import { applyMergePatch } from '../kube/patch/mergePatch.ts';
import { applyStrategicMergePatch } from '../kube/patch/strategicMerge.ts';
import type { AnalyzedObject } from './types.ts';
import { kindOfObject, sameKind, type KindRef } from './kinds.ts';

type Obj = Record<string, unknown>;

const meta = (o: Obj): { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } => (o.metadata && typeof o.metadata === 'object' ? (o.metadata as never) : {});

export class ClusterState {
  private readonly objects = new Map<string, AnalyzedObject>();
  /** The input step being followed (0: initial manifests); stamped on every object written. */
  revision = 0;

  constructor(readonly name: string) {}

  private static key(k: KindRef, ns: string | undefined, name: string): string {
    return `${k.group}/${k.kind}/${ns ?? ''}/${name}`;
  }

  /** `kubectl apply`: stores the object (replacing one of the same kind, namespace and name). */
  put(o: AnalyzedObject, defaultNamespace = 'default'): void {
    const k = kindOfObject(o.object.apiVersion, o.object.kind);
    const m = meta(o.object);
    if (typeof m.name !== 'string' || m.name === '') return;
    let object = o.object;
    if (k.namespaced && !m.namespace) object = { ...object, metadata: { ...m, namespace: defaultNamespace } };
    const ns = k.namespaced ? (meta(object).namespace as string) : undefined;
    const key = ClusterState.key(k, ns, m.name);
    const existed = this.objects.has(key);
    this.objects.delete(key);
    this.objects.set(key, { ...o, cluster: this.name, object, revision: this.revision, ...(existed ? { changed: true } : {}) });
  }

  /** The stored object a kubectl resource reference names (any of the candidate kinds). */
  find(kinds: readonly KindRef[], namespace: string | undefined, name: string): { key: string; value: AnalyzedObject } | undefined {
    for (const [key, value] of this.objects) {
      const k = kindOfObject(value.object.apiVersion, value.object.kind);
      if (!kinds.some((c) => sameKind(c, k))) continue;
      const m = meta(value.object);
      if (m.name !== name) continue;
      if (k.namespaced && (m.namespace ?? 'default') !== (namespace ?? 'default')) continue;
      return { key, value };
    }
    return undefined;
  }

  delete(kinds: readonly KindRef[], namespace: string | undefined, name: string): boolean {
    const f = this.find(kinds, namespace, name);
    if (f) this.objects.delete(f.key);
    return f !== undefined;
  }

  /** Replaces an object's content in place (keeping where it was written). */
  update(kinds: readonly KindRef[], namespace: string | undefined, name: string, change: (o: Obj) => Result<Obj, SimError>): Result<boolean, SimError> {
    const f = this.find(kinds, namespace, name);
    if (!f) return ok(false);
    const r = change(f.value.object);
    if (!r.ok) return r;
    this.objects.set(f.key, { ...f.value, object: r.value, changed: true, revision: this.revision });
    return ok(true);
  }

  /**
   * A merge patch on an object the manifests do not hold (one an operator renders): kept as a partial
   * object with only what the patch wrote, so rules can see the edit.
   */
  patchUnseen(kinds: readonly KindRef[], namespace: string | undefined, name: string, body: unknown, where: { file: string; line?: number }): boolean {
    const k = kinds.length === 1 ? kinds[0]! : kinds.find((x) => x.group === '') ?? kinds[0];
    if (!k || k.group === '*' || !body || typeof body !== 'object' || Array.isArray(body)) return false;
    // Workloads and Services an operator renders are not judged from a patch alone; configs and CRs are.
    if (BUILTIN_KINDS.some((b) => b.kind === k.kind && b.group === k.group) && k.kind !== 'ConfigMap' && k.kind !== 'Secret') return false;
    const apiVersion = k.group === '' ? 'v1' : `${k.group}/${BUILTIN_KINDS.find((b) => b.kind === k.kind && b.group === k.group)?.version ?? 'v1alpha1'}`;
    const base: Obj = { apiVersion, kind: k.kind, metadata: { name, ...(k.namespaced ? { namespace: namespace ?? 'default' } : {}) } };
    const object = applyMergePatch(base, body) as Obj;
    object.metadata = { ...meta(object), name, ...(k.namespaced ? { namespace: namespace ?? 'default' } : {}) };
    this.objects.set(ClusterState.key(k, k.namespaced ? (namespace ?? 'default') : undefined, name), { cluster: this.name, ...where, object, partial: true, changed: true, revision: this.revision });
    return true;
  }

  /**
   * Marks what the given step created as refused (the step expects its command to fail) — only a single
   * new object: of several applied together the API server may have refused some and created the others,
   * and an object that existed before the step still exists.
   */
  markRefused(revision: number, exitCode: number): void {
    const written = [...this.objects].filter(([, value]) => value.revision === revision);
    if (written.some(([, value]) => value.changed)) return;
    if (written.length === 1) this.objects.set(written[0]![0], { ...written[0]![1], refused: { exitCode } });
  }

  list(): AnalyzedObject[] {
    return [...this.objects.values()];
  }
}

/** A patch of the given type on a plain object: strategic on built-in kinds (their merge keys), merge otherwise. */
export function patchObject(o: Obj, type: string, body: unknown): Result<Obj, SimError> {
  if (type === 'json') {
    const r = applyJsonPatch(o, body);
    return r.ok ? ok(r.value) : err(simError('analyze/patch', r.error.message));
  }
  if (type === 'strategic') {
    const k = kindOfObject(o.apiVersion, o.kind);
    const schema = BUILTIN_KINDS.find((b) => b.kind === k.kind && b.group === k.group)?.patchSchema;
    if (schema) {
      const r = applyStrategicMergePatch(o, body, schema);
      return r.ok ? ok(r.value) : err(simError('analyze/patch', r.error.message));
    }
  }
  return ok(applyMergePatch(o, body) as Obj);
}

/** `kubectl label|annotate`: `k=v` sets, `k-` removes. */
export function editMetadata(o: Obj, field: 'labels' | 'annotations', edits: readonly string[]): Obj {
  const m = { ...meta(o) } as Record<string, unknown>;
  const map = { ...((m[field] as Record<string, string> | undefined) ?? {}) };
  for (const e of edits) {
    if (e.endsWith('-') && !e.includes('=')) delete map[e.slice(0, -1)];
    else {
      const i = e.indexOf('=');
      if (i > 0) map[e.slice(0, i)] = e.slice(i + 1);
    }
  }
  m[field] = map;
  return { ...o, metadata: m };
}
