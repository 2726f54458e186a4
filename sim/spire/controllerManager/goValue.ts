/**
 * Go values as a template sees them: the controller's `templateData` struct with Kubernetes'
 * `metav1.ObjectMeta`, `corev1.PodSpec` and `corev1.NodeSpec` behind pointers, built from the objects'
 * wire JSON (scm:pkg/spireentry/entries.go templateData; k8s.io/api core/v1 types.go,
 * k8s.io/apimachinery pkg/apis/meta/v1 types.go). Field names are Go's (`ServiceAccountName` ←
 * `serviceAccountName`), type names are what Go's reflection prints in template errors
 * (`*v1.ObjectMeta`, `*spireentry.templateData`).
 * Printing follows fmt's `%v`: maps as `map[k:v …]` with sorted keys, slices as `[a b]`, times as
 * `2006-01-02 15:04:05 +0000 UTC`.
 * Simplified: nested structs without a model here (containers, volumes, taints, owner references…)
 * are opaque values printed as their JSON; methods are not modelled.
 */
import { err, ok, type Result } from '../../core/result.ts';

export type GoValue =
  | { readonly k: 'invalid' }
  | { readonly k: 'nil' }
  | { readonly k: 'string'; readonly type: string; readonly v: string }
  | { readonly k: 'int'; readonly type: string; readonly v: number }
  | { readonly k: 'bool'; readonly v: boolean }
  | { readonly k: 'map'; readonly type: string; readonly v: Readonly<Record<string, string>> | null }
  | { readonly k: 'slice'; readonly type: string; readonly v: readonly GoValue[] | null }
  | { readonly k: 'ptr'; readonly type: string; readonly elem: GoStruct | null }
  | GoStruct
  | { readonly k: 'opaque'; readonly type: string; readonly text: string; readonly zero: boolean };

export interface GoStruct {
  readonly k: 'struct';
  readonly type: string;
  readonly fields: ReadonlyMap<string, () => GoValue>;
}

export function goTypeName(v: GoValue): string {
  switch (v.k) {
    case 'invalid':
      return '<invalid reflect.Value>';
    case 'nil':
      return 'nil';
    case 'bool':
      return 'bool';
    default:
      return v.type;
  }
}

export type FieldLookup =
  | { readonly kind: 'value'; readonly value: GoValue }
  | { readonly kind: 'mapMissing' }
  | { readonly kind: 'nilPointer' }
  | { readonly kind: 'noField' };

/** Field `name` of a struct (through a pointer) or key `name` of a map[string]… (exec.go evalField). */
export function lookupField(v: GoValue, name: string): FieldLookup {
  if (v.k === 'ptr') {
    if (v.elem === null) return { kind: 'nilPointer' };
    return lookupField(v.elem, name);
  }
  if (v.k === 'struct') {
    const f = v.fields.get(name);
    return f ? { kind: 'value', value: f() } : { kind: 'noField' };
  }
  if (v.k === 'map') {
    if (v.v === null || !Object.prototype.hasOwnProperty.call(v.v, name)) return { kind: 'mapMissing' };
    return { kind: 'value', value: str(v.v[name]!) };
  }
  return { kind: 'noField' };
}

/** funcs.go index: maps give the zero value for a missing key, slices check bounds. */
export function goIndex(item: GoValue, key: GoValue): Result<GoValue, string> {
  if (item.k === 'map') {
    if (key.k !== 'string') return err(`value has type ${goTypeName(key)}; should be string`);
    if (item.v === null || !Object.prototype.hasOwnProperty.call(item.v, key.v)) return ok(str(''));
    return ok(str(item.v[key.v]!));
  }
  if (item.k === 'slice' || item.k === 'string') {
    if (key.k !== 'int') return err(`cannot index slice/array with type ${goTypeName(key)}`);
    const len = item.k === 'string' ? item.v.length : (item.v?.length ?? 0);
    if (key.v < 0 || key.v >= len) return err(`index out of range: ${key.v}`);
    return ok(item.k === 'string' ? { k: 'int', type: 'uint8', v: item.v.charCodeAt(key.v) } : item.v![key.v]!);
  }
  return err(`can't index item of type ${goTypeName(item)}`);
}

/** exec.go isTrue: zero values are false; undefined when the value has no truth (structs). */
export function isTrue(v: GoValue): boolean | undefined {
  switch (v.k) {
    case 'invalid':
    case 'nil':
      return false;
    case 'string':
      return v.v !== '';
    case 'int':
      return v.v !== 0;
    case 'bool':
      return v.v;
    case 'map':
      return v.v !== null && Object.keys(v.v).length > 0;
    case 'slice':
      return v.v !== null && v.v.length > 0;
    case 'ptr':
      return v.elem !== null;
    case 'struct':
      return true;
    case 'opaque':
      return !v.zero;
  }
}

/** fmt `%v`. */
export function formatGoValue(v: GoValue): string {
  switch (v.k) {
    case 'invalid':
      return '<invalid reflect.Value>';
    case 'nil':
      return '<nil>';
    case 'string':
      return v.v;
    case 'int':
    case 'bool':
      return String(v.v);
    case 'map':
      return `map[${Object.keys(v.v ?? {})
        .sort()
        .map((k) => `${k}:${v.v![k]}`)
        .join(' ')}]`;
    case 'slice':
      return `[${(v.v ?? []).map(formatGoValue).join(' ')}]`;
    case 'ptr':
      return v.elem === null ? '<nil>' : `&${formatGoValue(v.elem)}`;
    case 'struct':
      return `{${[...v.fields.values()].map((f) => formatGoValue(f())).join(' ')}}`;
    case 'opaque':
      return v.text;
  }
}

// ------------------------------------------------------------------ builders

export const str = (s: string, type = 'string'): GoValue => ({ k: 'string', type, v: s });
const int = (n: unknown, type: string): GoValue => ({ k: 'int', type, v: typeof n === 'number' ? n : 0 });
const bool = (b: unknown): GoValue => ({ k: 'bool', v: b === true });
const strMap = (m: unknown): GoValue => ({ k: 'map', type: 'map[string]string', v: isRecord(m) ? (m as Record<string, string>) : null });
const strSlice = (s: unknown, type = '[]string'): GoValue => ({ k: 'slice', type, v: Array.isArray(s) ? s.map((x) => str(String(x))) : null });
const opaque = (type: string, v: unknown): GoValue => ({ k: 'opaque', type, text: v === undefined ? (type.startsWith('[]') ? '[]' : type.startsWith('*') ? '<nil>' : '{}') : JSON.stringify(v), zero: v === undefined });
const optPtr = (type: string, v: unknown, make: (x: unknown) => GoValue): GoValue => (v === undefined || v === null ? { k: 'ptr', type, elem: null } : make(v));

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** metav1.Time printed as time.Time.String() (UTC). */
function goTime(rfc3339: unknown): GoValue {
  if (typeof rfc3339 !== 'string') return { k: 'opaque', type: 'v1.Time', text: '0001-01-01 00:00:00 +0000 UTC', zero: true };
  const d = new Date(rfc3339);
  const p = (n: number) => String(n).padStart(2, '0');
  const text = `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000 UTC`;
  return { k: 'opaque', type: 'v1.Time', text, zero: false };
}

type FieldSpec = readonly [goName: string, jsonName: string, make: (v: unknown) => GoValue];

function struct(type: string, json: unknown, specs: readonly FieldSpec[]): GoStruct {
  const obj = isRecord(json) ? json : {};
  const fields = new Map<string, () => GoValue>();
  for (const [goName, jsonName, make] of specs) fields.set(goName, () => make(obj[jsonName]));
  return { k: 'struct', type, fields };
}

const s = (v: unknown) => str(typeof v === 'string' ? v : '');
const typedStr = (type: string) => (v: unknown) => str(typeof v === 'string' ? v : '', type);

/** metav1.ObjectMeta (k8s.io/apimachinery/pkg/apis/meta/v1/types.go). */
const OBJECT_META: readonly FieldSpec[] = [
  ['Name', 'name', s],
  ['GenerateName', 'generateName', s],
  ['Namespace', 'namespace', s],
  ['SelfLink', 'selfLink', s],
  ['UID', 'uid', typedStr('types.UID')],
  ['ResourceVersion', 'resourceVersion', s],
  ['Generation', 'generation', (v) => int(v, 'int64')],
  ['CreationTimestamp', 'creationTimestamp', goTime],
  ['DeletionTimestamp', 'deletionTimestamp', (v) => optPtr('*v1.Time', v, goTime)],
  ['DeletionGracePeriodSeconds', 'deletionGracePeriodSeconds', (v) => optPtr('*int64', v, (x) => int(x, 'int64'))],
  ['Labels', 'labels', strMap],
  ['Annotations', 'annotations', strMap],
  ['OwnerReferences', 'ownerReferences', (v) => opaque('[]v1.OwnerReference', v)],
  ['Finalizers', 'finalizers', (v) => strSlice(v)],
  ['ManagedFields', 'managedFields', (v) => opaque('[]v1.ManagedFieldsEntry', v)],
];

/** corev1.PodSpec (k8s.io/api/core/v1/types.go); only scalar fields are modelled in detail. */
const POD_SPEC: readonly FieldSpec[] = [
  ['Volumes', 'volumes', (v) => opaque('[]v1.Volume', v)],
  ['InitContainers', 'initContainers', (v) => opaque('[]v1.Container', v)],
  ['Containers', 'containers', (v) => opaque('[]v1.Container', v)],
  ['EphemeralContainers', 'ephemeralContainers', (v) => opaque('[]v1.EphemeralContainer', v)],
  ['RestartPolicy', 'restartPolicy', typedStr('v1.RestartPolicy')],
  ['TerminationGracePeriodSeconds', 'terminationGracePeriodSeconds', (v) => optPtr('*int64', v, (x) => int(x, 'int64'))],
  ['ActiveDeadlineSeconds', 'activeDeadlineSeconds', (v) => optPtr('*int64', v, (x) => int(x, 'int64'))],
  ['DNSPolicy', 'dnsPolicy', typedStr('v1.DNSPolicy')],
  ['NodeSelector', 'nodeSelector', strMap],
  ['ServiceAccountName', 'serviceAccountName', s],
  ['DeprecatedServiceAccount', 'serviceAccount', s],
  ['AutomountServiceAccountToken', 'automountServiceAccountToken', (v) => optPtr('*bool', v, bool)],
  ['NodeName', 'nodeName', s],
  ['HostNetwork', 'hostNetwork', bool],
  ['HostPID', 'hostPID', bool],
  ['HostIPC', 'hostIPC', bool],
  ['ShareProcessNamespace', 'shareProcessNamespace', (v) => optPtr('*bool', v, bool)],
  ['SecurityContext', 'securityContext', (v) => opaque('*v1.PodSecurityContext', v)],
  ['ImagePullSecrets', 'imagePullSecrets', (v) => opaque('[]v1.LocalObjectReference', v)],
  ['Hostname', 'hostname', s],
  ['Subdomain', 'subdomain', s],
  ['Affinity', 'affinity', (v) => opaque('*v1.Affinity', v)],
  ['SchedulerName', 'schedulerName', s],
  ['Tolerations', 'tolerations', (v) => opaque('[]v1.Toleration', v)],
  ['HostAliases', 'hostAliases', (v) => opaque('[]v1.HostAlias', v)],
  ['PriorityClassName', 'priorityClassName', s],
  ['Priority', 'priority', (v) => optPtr('*int32', v, (x) => int(x, 'int32'))],
  ['DNSConfig', 'dnsConfig', (v) => opaque('*v1.PodDNSConfig', v)],
  ['ReadinessGates', 'readinessGates', (v) => opaque('[]v1.PodReadinessGate', v)],
  ['RuntimeClassName', 'runtimeClassName', (v) => optPtr('*string', v, s)],
  ['EnableServiceLinks', 'enableServiceLinks', (v) => optPtr('*bool', v, bool)],
  ['PreemptionPolicy', 'preemptionPolicy', (v) => optPtr('*v1.PreemptionPolicy', v, typedStr('v1.PreemptionPolicy'))],
  ['Overhead', 'overhead', (v) => opaque('v1.ResourceList', v)],
  ['TopologySpreadConstraints', 'topologySpreadConstraints', (v) => opaque('[]v1.TopologySpreadConstraint', v)],
  ['SetHostnameAsFQDN', 'setHostnameAsFQDN', (v) => optPtr('*bool', v, bool)],
  ['OS', 'os', (v) => opaque('*v1.PodOS', v)],
  ['HostUsers', 'hostUsers', (v) => optPtr('*bool', v, bool)],
  ['SchedulingGates', 'schedulingGates', (v) => opaque('[]v1.PodSchedulingGate', v)],
  ['ResourceClaims', 'resourceClaims', (v) => opaque('[]v1.PodResourceClaim', v)],
];

/** corev1.NodeSpec. */
const NODE_SPEC: readonly FieldSpec[] = [
  ['PodCIDR', 'podCIDR', s],
  ['PodCIDRs', 'podCIDRs', (v) => strSlice(v)],
  ['ProviderID', 'providerID', s],
  ['Unschedulable', 'unschedulable', bool],
  ['Taints', 'taints', (v) => opaque('[]v1.Taint', v)],
  ['ConfigSource', 'configSource', (v) => opaque('*v1.NodeConfigSource', v)],
  ['DoNotUseExternalID', 'externalID', s],
];

const ptrTo = (type: string, json: unknown, specs: readonly FieldSpec[]): GoValue => ({ k: 'ptr', type: `*${type}`, elem: struct(type, json, specs) });
const nilPtr = (type: string): GoValue => ({ k: 'ptr', type: `*${type}`, elem: null });

export interface TemplateDataInput {
  readonly trustDomain: string;
  readonly clusterName: string;
  readonly clusterDomain: string;
  /** The Node object (JSON); its metadata and spec become `.NodeMeta` / `.NodeSpec`. */
  readonly node?: { readonly metadata?: unknown; readonly spec?: unknown };
  /** The Pod object; absent when rendering the parent ID (`.PodMeta` is then a nil pointer). */
  readonly pod?: { readonly metadata?: unknown; readonly spec?: unknown };
}

/** scm:pkg/spireentry/entries.go templateData. */
export function templateData(input: TemplateDataInput): GoValue {
  const fields = new Map<string, () => GoValue>([
    ['TrustDomain', () => str(input.trustDomain)],
    ['ClusterName', () => str(input.clusterName)],
    ['ClusterDomain', () => str(input.clusterDomain)],
    ['PodMeta', () => (input.pod ? ptrTo('v1.ObjectMeta', input.pod.metadata, OBJECT_META) : nilPtr('v1.ObjectMeta'))],
    ['PodSpec', () => (input.pod ? ptrTo('v1.PodSpec', input.pod.spec, POD_SPEC) : nilPtr('v1.PodSpec'))],
    ['NodeMeta', () => (input.node ? ptrTo('v1.ObjectMeta', input.node.metadata, OBJECT_META) : nilPtr('v1.ObjectMeta'))],
    ['NodeSpec', () => (input.node ? ptrTo('v1.NodeSpec', input.node.spec, NODE_SPEC) : nilPtr('v1.NodeSpec'))],
  ]);
  return { k: 'ptr', type: '*spireentry.templateData', elem: { k: 'struct', type: 'spireentry.templateData', fields } };
}
