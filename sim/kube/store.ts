/**
 * One cluster's API server and etcd in memory: objects by kind/namespace/name in wire shape, a
 * monotonic resourceVersion, generation rules, the status subresource, admission hooks, background
 * garbage collection through ownerReferences, namespace deletion, and watches.
 *
 * Rules and where they come from:
 * - resourceVersion: one counter per cluster, bumped by every write (etcd's revision). A write that
 *   changes nothing is a no-op: no new resourceVersion, no event (apiserver GuaranteedUpdate).
 * - generation: 1 on create; +1 when anything outside metadata and status changes
 *   (pkg/registry/<kind>/strategy.go PrepareForUpdate). Simplified: every kind gets a generation,
 *   including those upstream leaves without one (ConfigMap, Secret, Pod before 1.33).
 * - status subresource (KindInfo.hasStatus): create drops the given status (strategies' PrepareForCreate
 *   reset it), update keeps the stored status, updateStatus changes only status.
 * - admission: defaulting, then the strategy's create/update preparation, then the injected hooks in
 *   order (mutating ones may return a changed object), then the kind's validation
 *   (apiserver's admission chain runs mutating before validating; hooks here do both).
 * - deletion: background propagation (pkg/controller/garbagecollector): dependents whose owners are
 *   all gone are deleted, dangling references to a deleted owner are dropped from dependents that
 *   keep another owner; `Orphan` strips the references. Objects with metadata.finalizers get a
 *   deletionTimestamp and go once the last finalizer is removed. Deleting a namespace deletes its
 *   contents first (pkg/controller/namespace). Simplified: no grace periods, deletion is immediate.
 * - watches deliver ADDED/MODIFIED/DELETED synchronously, in commit order, after the write that caused
 *   them; writes made by watch handlers queue their events behind the current ones (no re-entrancy).
 *   Idle hooks (controllers' work queues) run whenever the event queue drains, until nothing is left.
 */
import type { Clock } from '../core/clock.ts';
import type { EventLog } from '../core/events.ts';
import { err, ok, type Result, type SimError } from '../core/result.ts';
import type { Rng } from '../core/rng.ts';
import {
  BUILTIN_KINDS,
  KindRegistry,
  qualifiedResource,
  type KindInfo,
  type RegisterKindInput,
} from './builtinKinds.ts';
import {
  alreadyExists,
  badRequest,
  conflict,
  invalid,
  namespaceNotFound,
  noKindMatch,
  notFound,
  unknownResource,
  unsupportedMediaType,
  type KubeError,
} from './errors.ts';
import { generateName } from './names.ts';
import { fieldErrors, type FieldError } from './schema/fieldError.ts';
import { isDNS1123Subdomain } from './validation.ts';
import { deepClone, deepEqual, isPlainObject, parseApiVersion, rfc3339, type KubeManifest, type KubeObject } from './object.ts';
import { applyJsonPatch } from './patch/jsonPatch.ts';
import { applyMergePatch } from './patch/mergePatch.ts';
import { applyStrategicMergePatch } from './patch/strategicMerge.ts';
import { parseSelector, type Selector } from './selector.ts';

export type AdmissionOperation = 'create' | 'update';

export interface AdmissionContext {
  /** Set for writes through a subresource (`status`). */
  readonly subresource?: 'status';
  readonly kind: KindInfo;
  readonly dryRun: boolean;
}

/**
 * An admission step: returns the object to continue with (possibly mutated) or an error that refuses
 * the write. `oldObj` is the stored object on update. Hooks must not keep or mutate `oldObj`.
 */
export type AdmissionHook = (
  obj: KubeObject,
  oldObj: KubeObject | undefined,
  op: AdmissionOperation,
  ctx: AdmissionContext,
) => Result<KubeObject, SimError>;

/** A kind named by apiVersion+kind, group+kind, a KindInfo, or a kubectl resource string (`deploy`). */
export type KindRef = string | { apiVersion: string; kind: string } | { group: string; kind: string } | KindInfo;

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent {
  readonly type: WatchEventType;
  readonly kind: KindInfo;
  /** The object after the change (for DELETED: as it was, with the deletion's resourceVersion). */
  readonly object: KubeObject;
  /** The object before the change (MODIFIED and DELETED). */
  readonly oldObject?: KubeObject;
}

export interface WatchFilter {
  /** Omit to watch every kind. */
  readonly kind?: KindRef;
  readonly namespace?: string;
  readonly labelSelector?: Selector | string;
}

export type WatchHandler = (e: WatchEvent) => void;

export interface ClusterStoreOptions {
  readonly clock: Pick<Clock, 'now'>;
  readonly rng: Rng;
  /** Defaults to a registry of the built-in kinds. */
  readonly kinds?: KindRegistry;
  readonly admission?: readonly AdmissionHook[];
  /** When given, every committed change is also emitted as `kube.object.{added,modified,deleted}`. */
  readonly events?: EventLog;
  /** The cluster's name, used as the event source (`west/kube-apiserver`). */
  readonly name?: string;
  /** Consulted for an apiVersion+kind nobody registered: return a kind to register, or undefined (no match). */
  readonly discoverKind?: (apiVersion: string, kind: string) => RegisterKindInput | undefined;
}

export interface WriteOptions {
  /** Run everything (defaulting, admission, validation) but store nothing (`--dry-run=server`). */
  readonly dryRun?: boolean;
}

export interface DeleteOptions extends WriteOptions {
  readonly propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
}

export type PatchType = 'strategic' | 'merge' | 'json';

export interface PatchResult {
  readonly object: KubeObject;
  /** False when the patch left the object as it was (`patched (no change)`). */
  readonly changed: boolean;
}

export interface ListOptions {
  readonly namespace?: string;
  readonly labelSelector?: Selector | string;
}

interface Watcher {
  readonly kind?: KindInfo;
  readonly namespace?: string;
  readonly selector?: Selector;
  readonly handler: WatchHandler;
}

const kindKey = (k: KindInfo) => `${k.group}/${k.kind}`;
const objKey = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;
const MAX_DRAIN_STEPS = 1_000_000;

export class ClusterStore {
  readonly kinds: KindRegistry;
  private readonly clock: Pick<Clock, 'now'>;
  private readonly discoverKind: ClusterStoreOptions['discoverKind'];

  /**
   * Kinds the real API server serves but nobody registered here (built-ins the lab does not model):
   * the injected `discoverKind` may register them on first use, as API discovery would find them.
   */
  private discover(apiVersion: string, kind: string): KindInfo | undefined {
    const input = this.discoverKind?.(apiVersion, kind);
    return input ? this.registerKind(input) : undefined;
  }

  /** The cluster's current time (the API server's clock: ages, timestamps). */
  now(): number {
    return this.clock.now();
  }
  private readonly rng: Rng;
  private readonly events?: EventLog;
  private readonly source: string;
  private readonly admission: AdmissionHook[];
  private readonly buckets = new Map<string, Map<string, KubeObject>>();
  private readonly uids = new Map<string, { bucket: string; key: string }>();
  private readonly watchers = new Set<Watcher>();
  private readonly idleHooks: (() => boolean)[] = [];
  private readonly queue: WatchEvent[] = [];
  private draining = false;
  private rv = 0;

  constructor(opts: ClusterStoreOptions) {
    this.clock = opts.clock;
    this.discoverKind = opts.discoverKind;
    this.rng = opts.rng;
    this.kinds = opts.kinds ?? new KindRegistry(BUILTIN_KINDS);
    this.admission = [...(opts.admission ?? [])];
    this.events = opts.events;
    this.source = `${opts.name ?? 'cluster'}/kube-apiserver`;
  }

  /** The latest resourceVersion handed out. */
  get resourceVersion(): string {
    return String(this.rv);
  }

  // ------------------------------------------------------------ kinds and hooks

  /** Makes a kind servable (a CRD was established). Replaces an earlier registration of the same group/kind. */
  registerKind(input: RegisterKindInput): KindInfo {
    return this.kinds.register(input);
  }

  /** Appends an admission hook; returns a function that removes it. */
  addAdmission(hook: AdmissionHook): () => void {
    this.admission.push(hook);
    return () => {
      const i = this.admission.indexOf(hook);
      if (i >= 0) this.admission.splice(i, 1);
    };
  }

  /** Resolves a kind reference, with kubectl's wording when nothing matches. */
  kindOf(ref: KindRef): Result<KindInfo, KubeError> {
    if (typeof ref === 'string') {
      const k = this.kinds.resolve(ref);
      return k ? ok(k) : err(unknownResource(ref));
    }
    if ('plural' in ref) return ok(ref);
    if ('apiVersion' in ref) {
      const k = this.kinds.lookup(ref.apiVersion, ref.kind) ?? this.discover(ref.apiVersion, ref.kind);
      return k ? ok(k) : err(noKindMatch(ref.kind, ref.apiVersion));
    }
    const k = this.kinds.byGroupKind(ref.group, ref.kind);
    return k ? ok(k) : err(noKindMatch(ref.kind, ref.group));
  }

  // ------------------------------------------------------------ reads

  get(kind: KindRef, namespace: string | undefined, name: string): Result<KubeObject, KubeError> {
    const k = this.kindOf(kind);
    if (!k.ok) return k;
    const o = this.bucket(k.value).get(objKey(k.value.namespaced ? namespace ?? 'default' : undefined, name));
    return o ? ok(deepClone(o)) : err(notFound(qualifiedResource(k.value), name));
  }

  /** Like get, but undefined when absent (or the kind is unknown). */
  find(kind: KindRef, namespace: string | undefined, name: string): KubeObject | undefined {
    const r = this.get(kind, namespace, name);
    return r.ok ? r.value : undefined;
  }

  /** Objects of a kind, sorted by namespace then name (etcd key order). */
  list(kind: KindRef, opts: ListOptions = {}): Result<KubeObject[], SimError> {
    const k = this.kindOf(kind);
    if (!k.ok) return k;
    let selector: Selector | undefined;
    if (typeof opts.labelSelector === 'string') {
      const s = parseSelector(opts.labelSelector);
      if (!s.ok) return s;
      selector = s.value;
    } else selector = opts.labelSelector;
    const out: KubeObject[] = [];
    for (const o of this.bucket(k.value).values()) {
      if (opts.namespace !== undefined && k.value.namespaced && o.metadata.namespace !== opts.namespace) continue;
      if (selector && !selector.matches(o.metadata.labels)) continue;
      out.push(deepClone(o));
    }
    out.sort(byNamespaceName);
    return ok(out);
  }

  /**
   * Objects of a kind without copying them, for controllers that read a lot (a 1,000-pod cluster).
   * The objects are the stored ones: callers must not modify them. Unsorted; unknown kinds give [].
   */
  scan(kind: KindRef, namespace?: string): readonly KubeObject[] {
    const k = this.kindOf(kind);
    if (!k.ok) return [];
    const out: KubeObject[] = [];
    for (const o of this.bucket(k.value).values()) if (namespace === undefined || o.metadata.namespace === namespace) out.push(o);
    return out;
  }

  /**
   * `list` without the copies (and without selectors): the stored objects sorted as the API lists
   * them, for controllers that re-list on every periodic reconcile; undefined when the kind is not
   * served. Callers must not modify the objects.
   */
  listView(kind: KindRef): readonly KubeObject[] | undefined {
    const k = this.kindOf(kind);
    if (!k.ok) return undefined;
    return [...this.bucket(k.value).values()].sort(byNamespaceName);
  }

  /** `find` without the copy: the stored object, which callers must not modify. */
  peek(kind: KindRef, namespace: string | undefined, name: string): KubeObject | undefined {
    const k = this.kindOf(kind);
    if (!k.ok) return undefined;
    return this.bucket(k.value).get(objKey(k.value.namespaced ? namespace ?? 'default' : undefined, name));
  }

  /** Every stored object (all kinds), for snapshots and the UI. */
  all(): KubeObject[] {
    const out: KubeObject[] = [];
    for (const b of this.buckets.values()) for (const o of b.values()) out.push(deepClone(o));
    return out;
  }

  // ------------------------------------------------------------ writes

  create(manifest: KubeManifest, opts: WriteOptions = {}): Result<KubeObject, SimError> {
    const k = this.kindOf({ apiVersion: manifest.apiVersion, kind: manifest.kind });
    if (!k.ok) return k;
    const info = k.value;
    const obj = deepClone(manifest) as unknown as KubeObject;
    const meta = (obj.metadata = (isPlainObject(obj.metadata) ? obj.metadata : {}) as KubeObject['metadata']);
    const loose = meta as Partial<KubeObject['metadata']>;
    if (info.namespaced) meta.namespace = meta.namespace ?? 'default';
    else delete meta.namespace;
    // System fields are the server's to set (rest.FillObjectMetaSystemFields).
    delete loose.uid;
    delete loose.resourceVersion;
    delete loose.deletionTimestamp;
    if (info.namespaced && !this.namespaceExists(meta.namespace!)) return err(namespaceNotFound(meta.namespace!));

    const generated = !meta.name && typeof meta.generateName === 'string' && meta.generateName !== '';
    for (let attempt = 0; ; attempt++) {
      if (generated) meta.name = generateName(meta.generateName!, this.rng);
      const nameErr = this.validateName(info, obj);
      if (nameErr) return err(nameErr);
      const existing = this.bucket(info).get(objKey(meta.namespace, meta.name));
      if (existing) {
        // Generated names are retried a few times (apiserver RetryGenerateName).
        if (generated && attempt < 7) continue;
        return err(alreadyExists(qualifiedResource(info), meta.name));
      }
      break;
    }

    if (info.hasStatus) delete obj.status;
    info.strategy?.defaults?.(obj);
    info.strategy?.prepareForCreate?.(obj);
    meta.uid = this.newUid();
    meta.creationTimestamp = rfc3339(this.clock.now());
    meta.generation = 1;
    const admitted = this.admit(info, obj, undefined, 'create', opts.dryRun === true);
    if (!admitted.ok) return admitted;
    const final = admitted.value;
    // Admission may not move the object.
    final.metadata.name = meta.name;
    final.metadata.namespace = meta.namespace;
    if (!info.namespaced) delete final.metadata.namespace;
    final.metadata.uid = meta.uid;
    if (opts.dryRun) return ok(deepClone({ ...final, metadata: { ...final.metadata, resourceVersion: '' } }));
    final.metadata.resourceVersion = this.nextRv();
    this.bucket(info).set(objKey(final.metadata.namespace, final.metadata.name), final);
    this.uids.set(final.metadata.uid, { bucket: kindKey(info), key: objKey(final.metadata.namespace, final.metadata.name) });
    this.emit({ type: 'ADDED', kind: info, object: deepClone(final) });
    return ok(deepClone(final));
  }

  /** PUT: replaces the object. A non-empty metadata.resourceVersion must match the stored one. */
  update(obj: KubeObject | KubeManifest, opts: WriteOptions = {}): Result<KubeObject, SimError> {
    return this.write(obj, undefined, opts);
  }

  /** PUT …/status: only status changes. */
  updateStatus(obj: KubeObject | KubeManifest, opts: WriteOptions = {}): Result<KubeObject, SimError> {
    return this.write(obj, 'status', opts);
  }

  /**
   * PATCH with the three patch types kubectl sends. Strategic merge needs the kind's patch metadata:
   * custom resources refuse it with 415 UnsupportedMediaType, as the apiserver does.
   */
  patch(kind: KindRef, namespace: string | undefined, name: string, type: PatchType, patch: unknown, opts: WriteOptions & { subresource?: 'status' } = {}): Result<PatchResult, SimError> {
    const k = this.kindOf(kind);
    if (!k.ok) return k;
    const info = k.value;
    if (type === 'strategic' && info.patchSchema === undefined) return err(unsupportedMediaType());
    const cur = this.get(info, namespace, name);
    if (!cur.ok) return cur;
    const current = cur.value;
    let patched: Result<KubeObject, KubeError>;
    if (type === 'json') patched = applyJsonPatch(current, patch);
    else if (type === 'merge') {
      if (!isPlainObject(patch)) return err(badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}'));
      patched = ok(applyMergePatch(current, patch));
    } else patched = applyStrategicMergePatch(current, patch, info.patchSchema);
    if (!patched.ok) return patched;
    const next = patched.value;
    if (!isPlainObject(next) || !isPlainObject(next.metadata)) return err(badRequest('Object \'metadata\' is missing'));
    if (next.metadata.name !== current.metadata.name)
      return err(badRequest(`the name of the object (${String(next.metadata.name)}) does not match the name on the URL (${current.metadata.name})`));
    // A patch carries the stored resourceVersion unless it sets one itself (then it is a precondition).
    const written = this.write(next, opts.subresource, opts);
    if (!written.ok) return written;
    return ok({ object: written.value, changed: written.value.metadata.resourceVersion !== current.metadata.resourceVersion });
  }

  delete(kind: KindRef, namespace: string | undefined, name: string, opts: DeleteOptions = {}): Result<KubeObject, SimError> {
    const k = this.kindOf(kind);
    if (!k.ok) return k;
    const info = k.value;
    const key = objKey(info.namespaced ? namespace ?? 'default' : undefined, name);
    const stored = this.bucket(info).get(key);
    if (!stored) return err(notFound(qualifiedResource(info), name));
    if (opts.dryRun) return ok(deepClone(stored));
    const policy = opts.propagationPolicy ?? 'Background';
    if ((stored.metadata.finalizers?.length ?? 0) > 0) {
      if (stored.metadata.deletionTimestamp === undefined) {
        const old = deepClone(stored);
        stored.metadata.deletionTimestamp = rfc3339(this.clock.now());
        stored.metadata.resourceVersion = this.nextRv();
        this.emit({ type: 'MODIFIED', kind: info, object: deepClone(stored), oldObject: old });
      }
      return ok(deepClone(stored));
    }
    this.remove(info, stored, policy);
    return ok(deepClone(stored));
  }

  // ------------------------------------------------------------ watches

  /** Subscribes to changes; returns the unsubscribe function. With a selector, an object that stops
   * matching is reported DELETED and one that starts matching ADDED (as the watch cache does). */
  watch(filter: WatchFilter, handler: WatchHandler): () => void {
    let kind: KindInfo | undefined;
    if (filter.kind !== undefined) {
      const k = this.kindOf(filter.kind);
      if (!k.ok) throw new Error(`ClusterStore.watch: ${k.error.message}`);
      kind = k.value;
    }
    let selector: Selector | undefined;
    if (typeof filter.labelSelector === 'string') {
      const s = parseSelector(filter.labelSelector);
      if (!s.ok) throw new Error(`ClusterStore.watch: ${s.error.message}`);
      selector = s.value;
    } else selector = filter.labelSelector;
    const w: Watcher = { kind, namespace: filter.namespace, selector, handler };
    this.watchers.add(w);
    return () => this.watchers.delete(w);
  }

  /**
   * Registers work to run when the event queue is empty (a controller's work queue). The hook returns
   * true if it did something; hooks are called again until all return false.
   */
  onIdle(hook: () => boolean): () => void {
    this.idleHooks.push(hook);
    return () => {
      const i = this.idleHooks.indexOf(hook);
      if (i >= 0) this.idleHooks.splice(i, 1);
    };
  }

  /** Runs queued events and idle work now (after a clock timer wrote, or after wiring controllers). */
  settle(): void {
    this.drain();
  }

  // ------------------------------------------------------------ internals

  private bucket(info: KindInfo): Map<string, KubeObject> {
    const key = kindKey(info);
    let b = this.buckets.get(key);
    if (!b) {
      b = new Map();
      this.buckets.set(key, b);
    }
    return b;
  }

  private namespaceExists(ns: string): boolean {
    const nsKind = this.kinds.byGroupKind('', 'Namespace');
    return nsKind !== undefined && this.bucket(nsKind).has(objKey(undefined, ns));
  }

  private nextRv(): string {
    this.rv += 1;
    return String(this.rv);
  }

  /** A random (version 4) UUID from the cluster's rng. */
  private newUid(): string {
    const b = this.rng.bytes(16);
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  private validateName(info: KindInfo, obj: KubeObject): KubeError | undefined {
    const name = obj.metadata.name;
    if (typeof name !== 'string' || name === '')
      return invalid(info.kind, '', [fieldErrors.required('metadata.name', 'name or generateName is required')], qualifiedKind(info));
    const errs = isDNS1123Subdomain(name);
    if (errs.length > 0) return invalid(info.kind, name, [fieldErrors.invalid('metadata.name', name, errs.join('; '))], qualifiedKind(info));
    return undefined;
  }

  private admit(info: KindInfo, obj: KubeObject, old: KubeObject | undefined, op: AdmissionOperation, dryRun: boolean, subresource?: 'status'): Result<KubeObject, SimError> {
    let cur = obj;
    const ctx: AdmissionContext = subresource ? { kind: info, dryRun, subresource } : { kind: info, dryRun };
    for (const hook of this.admission) {
      // Hooks must not keep or mutate `old` (AdmissionHook): the stored object goes uncopied.
      const r = hook(cur, old, op, ctx);
      if (!r.ok) return r;
      cur = r.value;
    }
    if (subresource === undefined) {
      const errs: FieldError[] = info.strategy?.validate?.(cur, old) ?? [];
      if (errs.length > 0) return err(invalid(info.kind, cur.metadata.name, errs, qualifiedKind(info)));
    }
    return ok(cur);
  }

  private write(input: KubeObject | KubeManifest, subresource: 'status' | undefined, opts: WriteOptions): Result<KubeObject, SimError> {
    const k = this.kindOf({ apiVersion: input.apiVersion, kind: input.kind });
    if (!k.ok) return k;
    const info = k.value;
    const inMeta = isPlainObject(input.metadata) ? input.metadata : {};
    const name = typeof inMeta.name === 'string' ? inMeta.name : '';
    const namespace = info.namespaced ? (typeof inMeta.namespace === 'string' ? inMeta.namespace : 'default') : undefined;
    const key = objKey(namespace, name);
    const stored = this.bucket(info).get(key);
    if (!stored) return err(notFound(qualifiedResource(info), name));
    const rvWanted = inMeta.resourceVersion;
    if (typeof rvWanted === 'string' && rvWanted !== '' && rvWanted !== stored.metadata.resourceVersion) return err(conflict(qualifiedResource(info), name));

    let next: KubeObject;
    if (subresource === 'status') {
      // The stored object with the input's status (in the same key order). Only status and metadata
      // are copied: spec and the rest are shared with the stored object, which nothing changes in
      // place (the validator's admission copies the object; no other hook acts on status writes).
      const status = (input as KubeObject).status;
      const copy: Record<string, unknown> = {};
      for (const key of Object.keys(stored)) {
        if (key === 'status') {
          if (status !== undefined) copy.status = deepClone(status);
        } else if (key === 'metadata') copy.metadata = { ...stored.metadata };
        else if (stored[key] !== undefined) copy[key] = stored[key];
      }
      next = copy as KubeObject;
      if (status !== undefined && !('status' in copy)) next.status = deepClone(status);
    } else {
      next = deepClone(input) as KubeObject;
      next.metadata = { ...(deepClone(inMeta) as KubeObject['metadata']) };
      if (info.hasStatus) {
        if (stored.status === undefined) delete next.status;
        else next.status = deepClone(stored.status);
      }
    }
    // System fields stay the server's.
    const m = next.metadata;
    m.name = stored.metadata.name;
    if (info.namespaced) m.namespace = stored.metadata.namespace;
    else delete m.namespace;
    m.uid = stored.metadata.uid;
    m.creationTimestamp = stored.metadata.creationTimestamp;
    m.generation = stored.metadata.generation;
    m.resourceVersion = stored.metadata.resourceVersion;
    if (stored.metadata.deletionTimestamp !== undefined) m.deletionTimestamp = stored.metadata.deletionTimestamp;
    else delete m.deletionTimestamp;
    if (m.generateName === undefined && stored.metadata.generateName !== undefined) m.generateName = stored.metadata.generateName;

    if (subresource === undefined) {
      info.strategy?.defaults?.(next);
      info.strategy?.prepareForUpdate?.(next, stored);
    }
    const admitted = this.admit(info, next, stored, 'update', opts.dryRun === true, subresource);
    if (!admitted.ok) return admitted;
    const final = admitted.value;
    // Admission may not move the object or touch system fields.
    final.metadata.name = stored.metadata.name;
    final.metadata.uid = stored.metadata.uid;
    final.metadata.resourceVersion = stored.metadata.resourceVersion;
    final.metadata.generation = stored.metadata.generation;
    if (info.namespaced) final.metadata.namespace = stored.metadata.namespace;

    if (deepEqual(final, stored)) return ok(deepClone(stored));
    if (contentChanged(stored, final)) final.metadata.generation = stored.metadata.generation + 1;
    if (opts.dryRun) return ok(deepClone(final));
    final.metadata.resourceVersion = this.nextRv();
    // The last finalizer of an object being deleted is gone: it goes now.
    if (final.metadata.deletionTimestamp !== undefined && (final.metadata.finalizers?.length ?? 0) === 0) {
      this.bucket(info).set(key, final);
      this.remove(info, final, 'Background');
      return ok(deepClone(final));
    }
    this.bucket(info).set(key, final);
    // `stored` left the bucket and the store never changes it again: the event's old object needs no copy.
    this.emit({ type: 'MODIFIED', kind: info, object: deepClone(final), oldObject: stored });
    return ok(deepClone(final));
  }

  /** Removes a stored object, emits DELETED, then collects its dependents. */
  private remove(info: KindInfo, stored: KubeObject, policy: 'Background' | 'Foreground' | 'Orphan'): void {
    if (info.group === '' && info.kind === 'Namespace') this.emptyNamespace(stored);
    const key = objKey(stored.metadata.namespace, stored.metadata.name);
    const b = this.bucket(info);
    if (b.get(key) !== stored) return; // already gone (cascade reached it first)
    const old = deepClone(stored);
    b.delete(key);
    this.uids.delete(stored.metadata.uid);
    const gone = deepClone(stored);
    gone.metadata.resourceVersion = this.nextRv();
    this.emit({ type: 'DELETED', kind: info, object: gone, oldObject: old });
    this.collectDependents(stored.metadata.uid, policy);
  }

  private emptyNamespace(ns: KubeObject): void {
    const name = ns.metadata.name;
    const old = deepClone(ns);
    ns.metadata.deletionTimestamp = ns.metadata.deletionTimestamp ?? rfc3339(this.clock.now());
    ns.status = { ...(isPlainObject(ns.status) ? ns.status : {}), phase: 'Terminating' };
    ns.metadata.resourceVersion = this.nextRv();
    const nsKind = this.kinds.byGroupKind('', 'Namespace')!;
    this.emit({ type: 'MODIFIED', kind: nsKind, object: deepClone(ns), oldObject: old });
    for (const info of this.kinds.all()) {
      if (!info.namespaced) continue;
      const victims = [...this.bucket(info).values()].filter((o) => o.metadata.namespace === name).sort(byNamespaceName);
      for (const v of victims) this.remove(info, v, 'Background');
    }
  }

  private collectDependents(ownerUid: string, policy: 'Background' | 'Foreground' | 'Orphan'): void {
    const dependents: [KindInfo, KubeObject][] = [];
    for (const info of this.kinds.all())
      for (const o of this.bucket(info).values()) if (o.metadata.ownerReferences?.some((r) => r.uid === ownerUid)) dependents.push([info, o]);
    dependents.sort(([, a], [, b]) => byNamespaceName(a, b));
    for (const [info, dep] of dependents) {
      const key = objKey(dep.metadata.namespace, dep.metadata.name);
      if (this.bucket(info).get(key) !== dep) continue;
      const remaining = (dep.metadata.ownerReferences ?? []).filter((r) => r.uid !== ownerUid && this.uids.has(r.uid));
      if (policy !== 'Orphan' && remaining.length === 0) {
        this.remove(info, dep, 'Background');
      } else {
        const old = deepClone(dep);
        const kept = (dep.metadata.ownerReferences ?? []).filter((r) => r.uid !== ownerUid);
        if (kept.length > 0) dep.metadata.ownerReferences = kept;
        else delete dep.metadata.ownerReferences;
        dep.metadata.resourceVersion = this.nextRv();
        this.emit({ type: 'MODIFIED', kind: info, object: deepClone(dep), oldObject: old });
      }
    }
  }

  private emit(e: WatchEvent): void {
    if (this.events) {
      const m = e.object.metadata;
      this.events.emit(`kube.object.${e.type.toLowerCase()}`, this.source, {
        apiVersion: e.object.apiVersion,
        kind: e.object.kind,
        namespace: m.namespace ?? '',
        name: m.name,
        resourceVersion: m.resourceVersion,
      });
    }
    this.queue.push(e);
    this.drain();
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      let steps = 0;
      for (;;) {
        while (this.queue.length > 0) {
          if (++steps > MAX_DRAIN_STEPS) throw new Error('ClusterStore: event loop did not settle; is a controller fighting another writer?');
          this.deliver(this.queue.shift()!);
        }
        let worked = false;
        for (const hook of [...this.idleHooks]) {
          if (hook()) {
            worked = true;
            break;
          }
        }
        if (!worked && this.queue.length === 0) break;
        if (++steps > MAX_DRAIN_STEPS) throw new Error('ClusterStore: idle work did not settle');
      }
    } finally {
      this.draining = false;
    }
  }

  private deliver(e: WatchEvent): void {
    for (const w of [...this.watchers]) {
      if (!this.watchers.has(w)) continue;
      if (w.kind && kindKey(w.kind) !== kindKey(e.kind)) continue;
      if (w.namespace !== undefined && e.object.metadata.namespace !== w.namespace) continue;
      if (!w.selector) {
        w.handler(e);
        continue;
      }
      const now = e.type !== 'DELETED' && w.selector.matches(e.object.metadata.labels);
      const before = e.oldObject !== undefined && w.selector.matches(e.oldObject.metadata.labels);
      if (e.type === 'DELETED') {
        if (before || w.selector.matches(e.object.metadata.labels)) w.handler(e);
      } else if (e.type === 'ADDED') {
        if (now) w.handler(e);
      } else if (now && before) w.handler(e);
      else if (now) w.handler({ type: 'ADDED', kind: e.kind, object: e.object });
      else if (before) w.handler({ type: 'DELETED', kind: e.kind, object: e.object, oldObject: e.oldObject });
    }
  }
}

/** `Deployment.apps`: the kind as the apiserver qualifies it in Invalid errors. */
function qualifiedKind(info: KindInfo): string {
  return info.group === '' ? info.kind : `${info.kind}.${info.group}`;
}

/** Did anything outside metadata and status change (the generation rule)? */
function contentChanged(a: KubeObject, b: KubeObject): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    if (k === 'metadata' || k === 'status' || k === 'apiVersion' || k === 'kind') continue;
    if (!deepEqual(a[k], b[k])) return true;
  }
  return false;
}

function byNamespaceName(a: KubeObject, b: KubeObject): number {
  const an = a.metadata.namespace ?? '';
  const bn = b.metadata.namespace ?? '';
  if (an !== bn) return an < bn ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/** Splits an apiVersion for callers that only hold a manifest. */
export const groupOf = (apiVersion: string): string => parseApiVersion(apiVersion).group;
