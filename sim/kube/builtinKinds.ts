/**
 * The kinds a cluster serves: a registry (group/version/kind ↔ resource names, scope, status
 * subresource, strategic-merge metadata) that custom resources join at run time (`register` from a
 * CRD), and the built-in kinds with their server-side behaviour: defaulting (pkg/apis/<group>/v1/defaults.go),
 * create preparation and a few validations (pkg/registry/<kind>, pkg/apis/<group>/validation), and the
 * `patchStrategy`/`patchMergeKey` tags of k8s.io/api types for the fields our kinds use.
 *
 * Modelled built-ins: Namespace, Node, ServiceAccount, Pod, Deployment, ReplicaSet, DaemonSet,
 * StatefulSet, Service, Endpoints, ConfigMap, Secret. Stored but not modelled: RBAC kinds, webhook
 * configurations, CustomResourceDefinition, PodDisruptionBudget, NetworkPolicy, Lease, Event, Job.
 * Simplified: only the defaults and validations a user would notice in this lab are implemented.
 */
import { fieldErrors, type FieldError } from './schema/fieldError.ts';
import { formatApiVersion, isPlainObject, parseApiVersion, type KubeObject, type OwnerReference } from './object.ts';
import type { PatchField, PatchSchema } from './patch/strategicMerge.ts';
import { labelSelectorAsSelector, type LabelSelector } from './selector.ts';
import { isDNS1035Label, isDNS1123Label } from './validation.ts';

// ---------------------------------------------------------------- typed views of built-in objects

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
  hostPort?: number;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    fieldRef?: { fieldPath: string };
  };
}

export interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  ports?: ContainerPort[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string; optional?: boolean }; secretRef?: { name: string; optional?: boolean }; prefix?: string }[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[];
  [key: string]: unknown;
}

export interface Volume {
  name: string;
  configMap?: { name: string; items?: { key: string; path: string }[]; optional?: boolean };
  secret?: { secretName: string; items?: { key: string; path: string }[]; optional?: boolean };
  [key: string]: unknown;
}

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: string;
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  volumes?: Volume[];
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  serviceAccountName?: string;
  hostname?: string;
  subdomain?: string;
  tolerations?: Toleration[];
  [key: string]: unknown;
}

export interface PodCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastProbeTime?: string | null;
}

export interface PodStatus {
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  conditions?: PodCondition[];
  podIP?: string;
  podIPs?: { ip: string }[];
  hostIP?: string;
  startTime?: string;
  containerStatuses?: Record<string, unknown>[];
  [key: string]: unknown;
}

export interface Pod extends KubeObject {
  spec: PodSpec;
  status?: PodStatus;
}

export interface PodTemplateSpec {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; [key: string]: unknown };
  spec: PodSpec;
}

export interface WorkloadSpec {
  replicas?: number;
  selector?: LabelSelector;
  template: PodTemplateSpec;
  paused?: boolean;
  serviceName?: string;
  podManagementPolicy?: 'OrderedReady' | 'Parallel';
  [key: string]: unknown;
}

export interface Workload extends KubeObject {
  spec: WorkloadSpec;
  status?: Record<string, unknown>;
}

export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
  nodePort?: number;
  appProtocol?: string;
}

export interface ServiceSpec {
  type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  selector?: Record<string, string>;
  ports?: ServicePort[];
  clusterIP?: string;
  clusterIPs?: string[];
  publishNotReadyAddresses?: boolean;
  [key: string]: unknown;
}

export interface Service extends KubeObject {
  spec: ServiceSpec;
}

export interface NodeObject extends KubeObject {
  spec?: { podCIDR?: string; podCIDRs?: string[]; unschedulable?: boolean; taints?: { key: string; value?: string; effect: string }[] };
  status?: {
    conditions?: { type: string; status: string; [key: string]: unknown }[];
    addresses?: { type: string; address: string }[];
    nodeInfo?: Record<string, string>;
    [key: string]: unknown;
  };
}

// ---------------------------------------------------------------- kind registry

/** What the server knows about a kind: served as `plural` in `group`, namespaced or not. */
export interface KindInfo {
  readonly group: string;
  /** The preferred (storage) version. */
  readonly version: string;
  readonly kind: string;
  /** The resource name: `pods`, `clusterspiffeids`. */
  readonly plural: string;
  readonly singular?: string;
  readonly shortNames?: readonly string[];
  readonly namespaced: boolean;
  /** Has a status subresource: normal updates ignore status, updateStatus touches only status. */
  readonly hasStatus: boolean;
  /** All served versions (defaults to [version]). Simplified: no conversion between them. */
  readonly versions?: readonly string[];
  /** Built-in kinds carry strategic-merge metadata; kinds without it (custom resources) refuse
   * strategic merge patches with 415 and apply with JSON merge semantics. */
  readonly patchSchema?: PatchSchema;
  readonly strategy?: KindStrategy;
}

/** Server-side behaviour of a kind (pkg/registry/<kind>/strategy.go + defaulting). */
export interface KindStrategy {
  /** Defaulting: runs on every create and update, before admission. Mutates. */
  defaults?(obj: KubeObject): void;
  /** PrepareForCreate: e.g. a Pod starts with status.phase Pending. Mutates. */
  prepareForCreate?(obj: KubeObject): void;
  /** PrepareForUpdate: runs with the old object. Mutates. */
  prepareForUpdate?(obj: KubeObject, old: KubeObject): void;
  /** Validation after defaulting; field errors make a 422 Invalid. */
  validate?(obj: KubeObject, old: KubeObject | undefined): FieldError[];
}

export interface RegisterKindInput {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  hasStatus: boolean;
  singular?: string;
  shortNames?: string[];
  versions?: string[];
}

const gk = (group: string, kind: string) => `${group}/${kind}`;

/** Does kubectl's lower-cased resource name `n` name this kind (plural, singular, kind or short name)? */
const namesKind = (k: KindInfo, n: string): boolean =>
  k.plural === n || (k.singular ?? k.kind.toLowerCase()) === n || k.kind.toLowerCase() === n || (k.shortNames ?? []).includes(n);

export class KindRegistry {
  private readonly byGK = new Map<string, KindInfo>();
  /** `resolve`'s answers, dropped whenever a kind comes or goes (every kubectl command and controller resolves). */
  private readonly resolved = new Map<string, KindInfo | undefined>();

  constructor(kinds: readonly KindInfo[] = BUILTIN_KINDS) {
    for (const k of kinds) this.byGK.set(gk(k.group, k.kind), k);
  }

  /** Registers (or replaces, e.g. when a CRD changes) a kind. Custom kinds get no patch schema. */
  register(input: RegisterKindInput | KindInfo): KindInfo {
    const info: KindInfo = { ...input };
    this.byGK.set(gk(info.group, info.kind), info);
    this.resolved.clear();
    return info;
  }

  unregister(group: string, kind: string): boolean {
    this.resolved.clear();
    return this.byGK.delete(gk(group, kind));
  }

  all(): KindInfo[] {
    return [...this.byGK.values()];
  }

  byGroupKind(group: string, kind: string): KindInfo | undefined {
    return this.byGK.get(gk(group, kind));
  }

  /** The kind a manifest's apiVersion + kind names, if that version is served. */
  lookup(apiVersion: string, kind: string): KindInfo | undefined {
    const { group, version } = parseApiVersion(apiVersion);
    const info = this.byGK.get(gk(group, kind));
    if (!info) return undefined;
    return (info.versions ?? [info.version]).includes(version) ? info : undefined;
  }

  /**
   * kubectl's resource argument: `pods`, `pod`, `po`, `Pod`, `deployments.apps`, `deploy`,
   * `deployment.apps`, `clusterspiffeids.spire.spiffe.io`, `ClusterSPIFFEID`. Built-ins win ties.
   */
  resolve(resource: string): KindInfo | undefined {
    if (this.resolved.has(resource)) return this.resolved.get(resource);
    const found = this.resolveUncached(resource);
    if (this.resolved.size >= 1024) this.resolved.clear(); // typed names in a long session
    this.resolved.set(resource, found);
    return found;
  }

  private resolveUncached(resource: string): KindInfo | undefined {
    const lower = resource.trim().toLowerCase();
    const all = this.all();
    const exact = all.find((k) => namesKind(k, lower));
    if (exact) return exact;
    // `resource.group` or `resource.version.group`
    const dot = lower.indexOf('.');
    if (dot > 0) {
      const name = lower.slice(0, dot);
      const rest = lower.slice(dot + 1);
      return all.find((k) => namesKind(k, name) && (k.group === rest || `${k.version}.${k.group}` === rest));
    }
    return undefined;
  }
}

/** `pods`, `deployments.apps`, `clusterspiffeids.spire.spiffe.io`: how errors name a resource. */
export function qualifiedResource(info: KindInfo): string {
  return info.group === '' ? info.plural : `${info.plural}.${info.group}`;
}

/** `deployment.apps/web`, `namespace/istio-system`: how kubectl's name printer names an object
 * (cli-runtime/pkg/printers/name.go: lower-cased kind, `.group` when not core). */
export function objectName(gvk: { group: string; kind: string }, name: string): string {
  const k = gvk.kind.toLowerCase();
  return gvk.group === '' ? `${k}/${name}` : `${k}.${gvk.group}/${name}`;
}

export function apiVersionOf(info: KindInfo): string {
  return formatApiVersion(info.group, info.version);
}

// ---------------------------------------------------------------- strategic-merge metadata

const merge = (mergeKey: string, schema?: PatchSchema, retainKeys = false): PatchField => ({ strategy: 'merge', mergeKey, schema, retainKeys });
const nested = (schema: PatchSchema, retainKeys = false): PatchField => ({ schema, retainKeys });
const mergeScalars: PatchField = { strategy: 'merge' };

// k8s.io/api/core/v1/types.go tags.
const ObjectMetaSchema: PatchSchema = { fields: { ownerReferences: merge('uid'), finalizers: mergeScalars } };
const ContainerSchema: PatchSchema = {
  fields: {
    ports: merge('containerPort'),
    env: merge('name'),
    volumeMounts: merge('mountPath'),
    volumeDevices: merge('devicePath'),
  },
};
const PodSpecSchema: PatchSchema = {
  fields: {
    containers: merge('name', ContainerSchema),
    initContainers: merge('name', ContainerSchema),
    ephemeralContainers: merge('name', ContainerSchema),
    volumes: merge('name', undefined, true),
    imagePullSecrets: merge('name'),
    hostAliases: merge('ip'),
    topologySpreadConstraints: merge('topologyKey'),
    resourceClaims: merge('name', undefined, true),
    schedulingGates: merge('name'),
  },
};
const conditions = merge('type');
const PodTemplateSchema: PatchSchema = { fields: { metadata: nested(ObjectMetaSchema), spec: nested(PodSpecSchema) } };
const withMeta = (fields: Record<string, PatchField>): PatchSchema => ({ fields: { metadata: nested(ObjectMetaSchema), ...fields } });
const statusWithConditions = nested({ fields: { conditions } });

const PodPatch = withMeta({
  spec: nested(PodSpecSchema),
  status: nested({ fields: { conditions, podIPs: merge('ip'), hostIPs: merge('ip') } }),
});
const workloadPatch = (specExtra: Record<string, PatchField> = {}) =>
  withMeta({ spec: nested({ fields: { template: nested(PodTemplateSchema), ...specExtra } }), status: statusWithConditions });
const ServicePatch = withMeta({ spec: nested({ fields: { ports: merge('port') } }), status: nested({ fields: { conditions } }) });
const NodePatch = withMeta({ status: nested({ fields: { conditions, addresses: merge('type') } }) });
const plainPatch = withMeta({});
const webhookPatch = withMeta({ webhooks: merge('name') });

// ---------------------------------------------------------------- defaulting and validation

const setDefault = (o: Record<string, unknown>, k: string, v: unknown) => {
  if (o[k] === undefined) o[k] = v;
};

/** SetDefaults_PodSpec / SetDefaults_Container (pkg/apis/core/v1/defaults.go), the parts kubectl shows. */
export function defaultPodSpec(spec: unknown): void {
  if (!isPlainObject(spec)) return;
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'schedulerName', 'default-scheduler');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'securityContext', {});
  for (const list of ['containers', 'initContainers']) {
    const cs = spec[list];
    if (!Array.isArray(cs)) continue;
    for (const c of cs) {
      if (!isPlainObject(c)) continue;
      if (c.imagePullPolicy === undefined && typeof c.image === 'string') {
        const tag = /:([^/:@]+)$/.exec(c.image)?.[1];
        c.imagePullPolicy = c.image.includes('@') ? 'IfNotPresent' : tag === undefined || tag === 'latest' ? 'Always' : 'IfNotPresent';
      }
      setDefault(c, 'terminationMessagePath', '/dev/termination-log');
      setDefault(c, 'terminationMessagePolicy', 'File');
      setDefault(c, 'resources', {});
      if (Array.isArray(c.ports)) for (const p of c.ports) if (isPlainObject(p)) setDefault(p, 'protocol', 'TCP');
    }
  }
}

function validatePodSpec(spec: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isPlainObject(spec)) return [fieldErrors.required(path)];
  const cs = spec.containers;
  if (!Array.isArray(cs) || cs.length === 0) return [fieldErrors.required(`${path}.containers`)];
  cs.forEach((c, i) => {
    const p = `${path}.containers[${i}]`;
    if (!isPlainObject(c)) return;
    if (typeof c.name !== 'string' || c.name === '') errs.push(fieldErrors.required(`${p}.name`));
    else {
      const ne = isDNS1123Label(c.name);
      if (ne.length > 0) errs.push(fieldErrors.invalid(`${p}.name`, c.name, ne.join('; ')));
    }
    if (typeof c.image !== 'string' || c.image === '') errs.push(fieldErrors.required(`${p}.image`));
  });
  return errs;
}

/** Workload selector rules (apps/validation): selector required, non-empty, and matching the template. */
function validateWorkload(obj: KubeObject): FieldError[] {
  const spec = obj.spec;
  if (!isPlainObject(spec)) return [fieldErrors.required('spec')];
  const errs: FieldError[] = [];
  const sel = spec.selector as LabelSelector | undefined;
  const template = isPlainObject(spec.template) ? spec.template : undefined;
  const labels = (isPlainObject(template?.metadata) ? (template.metadata.labels as Record<string, string> | undefined) : undefined) ?? {};
  if (sel === undefined) errs.push(fieldErrors.required('spec.selector'));
  else {
    const s = labelSelectorAsSelector(sel);
    if (!s.ok) errs.push(fieldErrors.invalid('spec.selector', sel, s.error.message));
    else if (s.value.empty) errs.push(fieldErrors.invalid('spec.selector', sel, 'empty selector is invalid for deployment'));
    else if (!s.value.matches(labels)) errs.push(fieldErrors.invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
  }
  if (typeof spec.replicas === 'number' && spec.replicas < 0) errs.push(fieldErrors.invalid('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
  errs.push(...validatePodSpec(template?.spec, 'spec.template.spec'));
  return errs;
}

function defaultTemplate(obj: KubeObject): void {
  const spec = obj.spec;
  if (isPlainObject(spec) && isPlainObject(spec.template)) defaultPodSpec(spec.template.spec);
}

/** UTF-8 → base64 without Node's Buffer (sim/ runs in the browser). */
export function base64Encode(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

export function base64Decode(b64: string): string {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new TextDecoder().decode(bytes);
}

const NamespaceStrategy: KindStrategy = {
  // pkg/registry/core/namespace/strategy.go: the immutable name label, phase Active, finalizer.
  defaults(obj) {
    obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
  },
  prepareForCreate(obj) {
    obj.spec = { finalizers: ['kubernetes'], ...(isPlainObject(obj.spec) ? obj.spec : {}) };
    obj.status = { phase: 'Active' };
  },
  validate(obj) {
    const ne = isDNS1123Label(obj.metadata.name);
    return ne.length > 0 ? [fieldErrors.invalid('metadata.name', obj.metadata.name, ne.join('; '))] : [];
  },
};

const PodStrategy: KindStrategy = {
  defaults(obj) {
    const spec = obj.spec;
    if (!isPlainObject(spec)) return;
    defaultPodSpec(spec);
    // The ServiceAccount admission plugin (plugin/pkg/admission/serviceaccount).
    if (spec.serviceAccountName === undefined) spec.serviceAccountName = typeof spec.serviceAccount === 'string' ? spec.serviceAccount : 'default';
    setDefault(spec, 'serviceAccount', spec.serviceAccountName);
  },
  prepareForCreate(obj) {
    obj.status = { phase: 'Pending', qosClass: 'BestEffort' };
  },
  validate(obj) {
    return validatePodSpec(obj.spec, 'spec');
  },
};

const DeploymentStrategy: KindStrategy = {
  defaults(obj) {
    const spec = obj.spec;
    if (!isPlainObject(spec)) return;
    setDefault(spec, 'replicas', 1);
    setDefault(spec, 'strategy', { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    setDefault(spec, 'revisionHistoryLimit', 10);
    setDefault(spec, 'progressDeadlineSeconds', 600);
    defaultTemplate(obj);
  },
  validate: validateWorkload,
};

const ReplicaSetStrategy: KindStrategy = {
  defaults(obj) {
    if (isPlainObject(obj.spec)) setDefault(obj.spec, 'replicas', 1);
    defaultTemplate(obj);
  },
  validate: validateWorkload,
};

const DaemonSetStrategy: KindStrategy = {
  defaults(obj) {
    if (isPlainObject(obj.spec)) {
      setDefault(obj.spec, 'updateStrategy', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
      setDefault(obj.spec, 'revisionHistoryLimit', 10);
    }
    defaultTemplate(obj);
  },
  validate: validateWorkload,
};

const StatefulSetStrategy: KindStrategy = {
  defaults(obj) {
    if (isPlainObject(obj.spec)) {
      setDefault(obj.spec, 'replicas', 1);
      setDefault(obj.spec, 'podManagementPolicy', 'OrderedReady');
      setDefault(obj.spec, 'updateStrategy', { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
      setDefault(obj.spec, 'revisionHistoryLimit', 10);
    }
    defaultTemplate(obj);
  },
  validate: validateWorkload,
};

const ServiceStrategy: KindStrategy = {
  defaults(obj) {
    const spec = obj.spec;
    if (!isPlainObject(spec)) return;
    setDefault(spec, 'type', 'ClusterIP');
    setDefault(spec, 'sessionAffinity', 'None');
    if (spec.type !== 'ExternalName') setDefault(spec, 'internalTrafficPolicy', 'Cluster');
    if (spec.type === 'LoadBalancer' || spec.type === 'NodePort') setDefault(spec, 'externalTrafficPolicy', 'Cluster');
    if (Array.isArray(spec.ports))
      for (const p of spec.ports)
        if (isPlainObject(p)) {
          setDefault(p, 'protocol', 'TCP');
          setDefault(p, 'targetPort', p.port);
        }
  },
  validate(obj) {
    const ne = isDNS1123Label(obj.metadata.name);
    const errs: FieldError[] = [];
    if (ne.length > 0 || !/^[a-z]/.test(obj.metadata.name))
      errs.push(fieldErrors.invalid('metadata.name', obj.metadata.name, isDNS1035Label(obj.metadata.name).join('; ')));
    const spec = isPlainObject(obj.spec) ? obj.spec : {};
    const ports = Array.isArray(spec.ports) ? spec.ports : [];
    if (ports.length > 1)
      ports.forEach((p, i) => {
        if (isPlainObject(p) && (p.name === undefined || p.name === '')) errs.push(fieldErrors.required(`spec.ports[${i}].name`));
      });
    return errs;
  },
};

const SecretStrategy: KindStrategy = {
  // stringData is write-only: merged into data (base64) on write (pkg/apis/core/v1/conversion.go).
  defaults(obj) {
    setDefault(obj, 'type', 'Opaque');
    if (isPlainObject(obj.stringData)) {
      const data: Record<string, unknown> = isPlainObject(obj.data) ? { ...obj.data } : {};
      for (const [k, v] of Object.entries(obj.stringData)) data[k] = base64Encode(String(v));
      obj.data = data;
      delete obj.stringData;
    }
  },
};

// ---------------------------------------------------------------- the built-in list

const core = (kind: string, plural: string, namespaced: boolean, hasStatus: boolean, extra: Partial<KindInfo> = {}): KindInfo => ({
  group: '',
  version: 'v1',
  kind,
  plural,
  namespaced,
  hasStatus,
  patchSchema: plainPatch,
  ...extra,
});
const grp = (group: string, version: string, kind: string, plural: string, namespaced: boolean, hasStatus: boolean, extra: Partial<KindInfo> = {}): KindInfo => ({
  group,
  version,
  kind,
  plural,
  namespaced,
  hasStatus,
  patchSchema: plainPatch,
  ...extra,
});

export const BUILTIN_KINDS: readonly KindInfo[] = [
  core('Namespace', 'namespaces', false, true, { shortNames: ['ns'], strategy: NamespaceStrategy, patchSchema: withMeta({ status: statusWithConditions }) }),
  core('Node', 'nodes', false, true, { shortNames: ['no'], patchSchema: NodePatch }),
  core('ServiceAccount', 'serviceaccounts', true, false, { shortNames: ['sa'], patchSchema: withMeta({ secrets: merge('name'), imagePullSecrets: merge('name') }) }),
  core('Pod', 'pods', true, true, { shortNames: ['po'], strategy: PodStrategy, patchSchema: PodPatch }),
  core('Service', 'services', true, true, { shortNames: ['svc'], strategy: ServiceStrategy, patchSchema: ServicePatch }),
  core('Endpoints', 'endpoints', true, false, { singular: 'endpoints', shortNames: ['ep'] }),
  core('ConfigMap', 'configmaps', true, false, { shortNames: ['cm'] }),
  core('Secret', 'secrets', true, false, { strategy: SecretStrategy }),
  core('Event', 'events', true, false, { shortNames: ['ev'] }),
  core('PersistentVolumeClaim', 'persistentvolumeclaims', true, true, { shortNames: ['pvc'] }),
  grp('apps', 'v1', 'Deployment', 'deployments', true, true, { shortNames: ['deploy'], strategy: DeploymentStrategy, patchSchema: workloadPatch({ strategy: nested({}, true) }) }),
  grp('apps', 'v1', 'ReplicaSet', 'replicasets', true, true, { shortNames: ['rs'], strategy: ReplicaSetStrategy, patchSchema: workloadPatch() }),
  grp('apps', 'v1', 'DaemonSet', 'daemonsets', true, true, { shortNames: ['ds'], strategy: DaemonSetStrategy, patchSchema: workloadPatch() }),
  grp('apps', 'v1', 'StatefulSet', 'statefulsets', true, true, { shortNames: ['sts'], strategy: StatefulSetStrategy, patchSchema: workloadPatch() }),
  grp('apps', 'v1', 'ControllerRevision', 'controllerrevisions', true, false),
  grp('batch', 'v1', 'Job', 'jobs', true, true, { patchSchema: workloadPatch() }),
  grp('rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', false, false),
  grp('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings', false, false),
  grp('rbac.authorization.k8s.io', 'v1', 'Role', 'roles', true, false),
  grp('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings', true, false),
  grp('admissionregistration.k8s.io', 'v1', 'MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', false, false, { patchSchema: webhookPatch }),
  grp('admissionregistration.k8s.io', 'v1', 'ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', false, false, { patchSchema: webhookPatch }),
  grp('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', false, true, { shortNames: ['crd', 'crds'] }),
  grp('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true, true, { shortNames: ['pdb'], patchSchema: withMeta({ status: statusWithConditions }) }),
  grp('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', true, false, { shortNames: ['netpol'] }),
  grp('networking.k8s.io', 'v1', 'Ingress', 'ingresses', true, true, { shortNames: ['ing'] }),
  grp('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices', true, false),
  grp('coordination.k8s.io', 'v1', 'Lease', 'leases', true, false),
  grp('storage.k8s.io', 'v1', 'CSIDriver', 'csidrivers', false, false),
  grp('storage.k8s.io', 'v1', 'StorageClass', 'storageclasses', false, false, { shortNames: ['sc'] }),
];

/** Owner references helper for typed code. */
export type { OwnerReference };
