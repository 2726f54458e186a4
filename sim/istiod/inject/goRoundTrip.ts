/**
 * What a trip through Go's corev1 types does to a pod. The injector unmarshals the pod into
 * `corev1.Pod` after every template overlay and marshals it again (istio: pkg/kube/inject/webhook.go
 * `applyOverlayYAML`), so the JSON tags of k8s.io/api/core/v1/types.go shape the result:
 * - nil pointers and `omitempty` fields vanish (`emptyDir:` null ⇒ no source at all; env `value: ""` gone;
 *   probe `initialDelaySeconds: 0` gone; volumeMount `readOnly: false` gone);
 * - `resources` is a struct, never omitted (`resources: {}` on every container);
 * - quantities are canonicalised (`2000m` ⇒ `2`, `1024Mi` ⇒ `1Gi`).
 * Also Go's JSON field order for the two places where the injector prints JSON itself
 * (`proxy.istio.io/overrides`, `ISTIO_META_POD_PORTS`).
 * Simplified: only the pod-spec parts an injected pod contains are normalised (containers, init
 * containers, volumes and the spec's top-level keys); other fields pass through as given.
 */
import { isPlainObject } from '../../kube/object.ts';
import { canonicalQuantity } from './quantity.ts';

type Obj = Record<string, unknown>;

/** String fields whose JSON tag has no `omitempty` (kept even when empty). */
const KEEP_EMPTY = new Set(['name', 'mountPath', 'fieldPath', 'resource', 'key']);
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];
const CONTAINER_FALSE_OMITTED = ['stdin', 'stdinOnce', 'tty'];

/** Drops null values and "" strings (omitempty) recursively, keeping list elements as they are. */
function dropEmpty(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropEmpty);
  if (!isPlainObject(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === null || x === undefined) continue;
    if (x === '' && !KEEP_EMPTY.has(k)) continue;
    out[k] = dropEmpty(x);
  }
  return out;
}

function canonicalResources(r: unknown): Obj {
  if (!isPlainObject(r)) return {};
  const out: Obj = {};
  for (const [k, v] of Object.entries(r)) {
    if (!isPlainObject(v)) {
      if (v !== null && v !== undefined) out[k] = v;
      continue;
    }
    const list: Obj = {};
    for (const [name, q] of Object.entries(v)) if (typeof q === 'string' || typeof q === 'number') list[name] = canonicalQuantity(q);
    out[k] = list;
  }
  return out;
}

export function goRoundTripContainer(c: unknown): Obj {
  const out = dropEmpty(c) as Obj;
  out.resources = canonicalResources(out.resources);
  for (const p of PROBES) {
    const probe = out[p];
    if (isPlainObject(probe)) for (const [k, v] of Object.entries(probe)) if (v === 0) delete probe[k];
  }
  for (const k of CONTAINER_FALSE_OMITTED) if (out[k] === false) delete out[k];
  if (Array.isArray(out.volumeMounts)) for (const m of out.volumeMounts) if (isPlainObject(m) && m.readOnly === false) delete m.readOnly;
  if (Array.isArray(out.env))
    for (const e of out.env) {
      const ref = isPlainObject(e) && isPlainObject(e.valueFrom) ? e.valueFrom.resourceFieldRef : undefined;
      if (isPlainObject(ref) && (typeof ref.divisor === 'string' || typeof ref.divisor === 'number')) ref.divisor = canonicalQuantity(ref.divisor);
    }
  return out;
}

function goRoundTripVolume(v: unknown): Obj {
  const out = dropEmpty(v) as Obj;
  const ed = out.emptyDir;
  if (isPlainObject(ed) && (typeof ed.sizeLimit === 'string' || typeof ed.sizeLimit === 'number')) ed.sizeLimit = canonicalQuantity(ed.sizeLimit);
  return out;
}

/** The pod after `json.Unmarshal` into corev1.Pod and `json.Marshal` back. */
export function goRoundTripPod<P extends { spec?: unknown; metadata?: unknown }>(pod: P): P {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const outSpec: Obj = {};
  for (const [k, v] of Object.entries(spec)) {
    if (v === null || v === undefined || v === '') continue;
    if ((k === 'containers' || k === 'initContainers') && Array.isArray(v)) {
      if (v.length > 0 || k === 'containers') outSpec[k] = v.map(goRoundTripContainer);
    } else if (k === 'volumes' && Array.isArray(v)) {
      if (v.length > 0) outSpec[k] = v.map(goRoundTripVolume);
    } else outSpec[k] = v;
  }
  const meta = isPlainObject(pod.metadata) ? { ...pod.metadata } : {};
  for (const k of Object.keys(meta)) if (meta[k] === null || meta[k] === undefined) delete meta[k];
  return { ...pod, metadata: meta, spec: outSpec };
}

// ---------------------------------------------------------------- Go field order

/** k8s.io/api/core/v1 `Container` field order. */
const CONTAINER_ORDER = [
  'name', 'image', 'command', 'args', 'workingDir', 'ports', 'envFrom', 'env', 'resources', 'resizePolicy', 'restartPolicy',
  'restartPolicyRules', 'volumeMounts', 'volumeDevices', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle',
  'terminationMessagePath', 'terminationMessagePolicy', 'imagePullPolicy', 'securityContext', 'stdin', 'stdinOnce', 'tty',
];
const PORT_ORDER = ['name', 'hostPort', 'containerPort', 'protocol', 'hostIP'];
const ENV_ORDER = ['name', 'value', 'valueFrom'];
const MOUNT_ORDER = ['name', 'readOnly', 'recursiveReadOnly', 'mountPath', 'subPath', 'mountPropagation', 'subPathExpr'];

function ordered(o: Obj, order: readonly string[]): Obj {
  const out: Obj = {};
  for (const k of order) if (o[k] !== undefined) out[k] = o[k];
  for (const k of Object.keys(o)) if (!(k in out)) out[k] = o[k];
  return out;
}

const orderList = (v: unknown, order: readonly string[]): unknown => (Array.isArray(v) ? v.map((x) => (isPlainObject(x) ? ordered(x, order) : x)) : v);

/** `json.Marshal(corev1.Container)`. Simplified: nested structs other than ports/env/mounts keep their key order. */
export function goContainerJson(c: Obj): string {
  const rt = goRoundTripContainer(c);
  const o = ordered(rt, CONTAINER_ORDER);
  if (o.ports !== undefined) o.ports = orderList(o.ports, PORT_ORDER);
  if (o.env !== undefined) o.env = orderList(o.env, ENV_ORDER);
  if (o.volumeMounts !== undefined) o.volumeMounts = orderList(o.volumeMounts, MOUNT_ORDER);
  return JSON.stringify(o);
}

/** `structToJSON` of a corev1.ContainerPort (istio: pkg/kube/inject/template.go). */
export function goContainerPortJson(p: Obj): string {
  const out: Obj = {};
  for (const k of PORT_ORDER) {
    const v = p[k];
    if (k === 'containerPort') out[k] = typeof v === 'number' ? v : 0;
    else if (v !== undefined && v !== null && v !== '' && v !== 0) out[k] = v;
  }
  return JSON.stringify(out);
}
