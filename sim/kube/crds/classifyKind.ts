/**
 * What a real cluster's API server does with an apiVersion+kind, and what the lab does with it:
 * - `modelled`: a built-in kind the lab models (its controllers act on it).
 * - `crd`: a custom resource whose CRD the cluster has (validated against the generated schema).
 * - `stored-with-warning`: the real cluster serves it (Kubernetes built-in API, an OpenShift built-in API,
 *   or a CRD every OpenShift cluster has installed, such as `monitoring.coreos.com` from cluster monitoring
 *   or `operators.coreos.com/v1 OperatorGroup` from OLM) but the lab has no model and no schema:
 *   it is stored as given, with a warning that nothing acts on it and it was not validated.
 * - `no-match`: the real cluster has no such kind/version → kubectl's
 *   `resource mapping not found … no matches for kind … ensure CRDs are installed first`.
 *
 * Built-in versions are those served by Kubernetes 1.30–1.33 (OpenShift 4.17–4.20): removed betas such as
 * `policy/v1beta1 PodDisruptionBudget`, `extensions/v1beta1 Ingress` or `apps/v1beta2` are `no-match`,
 * as on the real cluster. On vanilla Kubernetes `monitoring.coreos.com`, `operators.coreos.com`,
 * `route.openshift.io`, `security.openshift.io`… are CRDs that are only there if someone installed them:
 * `no-match` (the seeds' kind clusters do not have them).
 * Simplified: the lists cover the kinds a SPIRE/Istio lab meets, not every built-in API of every release.
 */
import { splitApiVersion, type CrdRegistry } from './registry.ts';

export type KindClass = 'modelled' | 'crd' | 'stored-with-warning' | 'no-match';

export interface KindInfo {
  readonly class: KindClass;
  /** `Namespaced` or `Cluster` when known. */
  readonly scope?: 'Namespaced' | 'Cluster';
  /** Why the kind got its class (shown with `stored-with-warning`). */
  readonly note?: string;
}

type Table = Record<string, Record<string, Record<string, 'N' | 'C'>>>;

/** group → version → kind → scope (N namespaced, C cluster). Kubernetes built-ins. */
const KUBERNETES: Table = {
  '': {
    v1: {
      Namespace: 'C', Node: 'C', PersistentVolume: 'C', ComponentStatus: 'C',
      Pod: 'N', Service: 'N', Endpoints: 'N', ConfigMap: 'N', Secret: 'N', ServiceAccount: 'N',
      PersistentVolumeClaim: 'N', ReplicationController: 'N', LimitRange: 'N', ResourceQuota: 'N',
      Event: 'N', PodTemplate: 'N', Binding: 'N',
    },
  },
  apps: { v1: { Deployment: 'N', ReplicaSet: 'N', StatefulSet: 'N', DaemonSet: 'N', ControllerRevision: 'N' } },
  batch: { v1: { Job: 'N', CronJob: 'N' } },
  autoscaling: { v1: { HorizontalPodAutoscaler: 'N' }, v2: { HorizontalPodAutoscaler: 'N' } },
  policy: { v1: { PodDisruptionBudget: 'N', Eviction: 'N' } },
  'networking.k8s.io': { v1: { NetworkPolicy: 'N', Ingress: 'N', IngressClass: 'C' } },
  'discovery.k8s.io': { v1: { EndpointSlice: 'N' } },
  'rbac.authorization.k8s.io': { v1: { Role: 'N', RoleBinding: 'N', ClusterRole: 'C', ClusterRoleBinding: 'C' } },
  'admissionregistration.k8s.io': {
    v1: {
      MutatingWebhookConfiguration: 'C', ValidatingWebhookConfiguration: 'C',
      ValidatingAdmissionPolicy: 'C', ValidatingAdmissionPolicyBinding: 'C',
    },
  },
  'apiextensions.k8s.io': { v1: { CustomResourceDefinition: 'C' } },
  'apiregistration.k8s.io': { v1: { APIService: 'C' } },
  'storage.k8s.io': { v1: { StorageClass: 'C', CSIDriver: 'C', CSINode: 'C', VolumeAttachment: 'C', CSIStorageCapacity: 'N' } },
  'scheduling.k8s.io': { v1: { PriorityClass: 'C' } },
  'coordination.k8s.io': { v1: { Lease: 'N' } },
  'node.k8s.io': { v1: { RuntimeClass: 'C' } },
  'certificates.k8s.io': { v1: { CertificateSigningRequest: 'C' } },
  'events.k8s.io': { v1: { Event: 'N' } },
  'flowcontrol.apiserver.k8s.io': { v1: { FlowSchema: 'C', PriorityLevelConfiguration: 'C' } },
};

/**
 * OpenShift: APIs of the aggregated openshift-apiserver and CRDs every OpenShift 4.x cluster installs
 * (cluster monitoring, OLM, config/operator APIs). `route.openshift.io` and `operators.coreos.com`
 * Subscription are validated from their CRDs when those sets are installed (see registry), so they are
 * not listed here.
 */
const OPENSHIFT: Table = {
  'security.openshift.io': { v1: { SecurityContextConstraints: 'C' } },
  'project.openshift.io': { v1: { Project: 'C', ProjectRequest: 'C' } },
  'image.openshift.io': { v1: { ImageStream: 'N', ImageStreamTag: 'N' } },
  'apps.openshift.io': { v1: { DeploymentConfig: 'N' } },
  'build.openshift.io': { v1: { BuildConfig: 'N', Build: 'N' } },
  'template.openshift.io': { v1: { Template: 'N' } },
  'config.openshift.io': {
    v1: { DNS: 'C', Ingress: 'C', Network: 'C', Proxy: 'C', Infrastructure: 'C', ClusterVersion: 'C', ClusterOperator: 'C', APIServer: 'C', OAuth: 'C', Image: 'C' },
  },
  'operator.openshift.io': { v1: { IngressController: 'N', Network: 'C', DNS: 'C' } },
  'operators.coreos.com': {
    v1: { OperatorGroup: 'N', Operator: 'C' },
    v1alpha1: { CatalogSource: 'N', ClusterServiceVersion: 'N', InstallPlan: 'N' },
  },
  'monitoring.coreos.com': {
    v1: { ServiceMonitor: 'N', PodMonitor: 'N', PrometheusRule: 'N', Prometheus: 'N', Alertmanager: 'N', Probe: 'N', ThanosRuler: 'N' },
    v1beta1: { AlertmanagerConfig: 'N' },
    v1alpha1: { ScrapeConfig: 'N', PrometheusAgent: 'N' },
  },
  'k8s.cni.cncf.io': { v1: { NetworkAttachmentDefinition: 'N' } },
  'machineconfiguration.openshift.io': { v1: { MachineConfig: 'C', MachineConfigPool: 'C' } },
};

/** Built-in kinds the lab models by default (DESIGN.md "kube": namespaces, nodes, service accounts…). */
export const MODELLED_KINDS: ReadonlySet<string> = new Set([
  'v1/Namespace', 'v1/Node', 'v1/ServiceAccount', 'v1/Pod', 'v1/Service', 'v1/Endpoints', 'v1/ConfigMap', 'v1/Secret',
  'apps/v1/Deployment', 'apps/v1/ReplicaSet', 'apps/v1/StatefulSet', 'apps/v1/DaemonSet',
  'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration',
]);

function lookup(table: Table, group: string, version: string, kind: string): 'N' | 'C' | undefined {
  return table[group]?.[version]?.[kind];
}

export interface ClassifyOptions {
  readonly platform?: 'openshift' | 'kubernetes';
  /** Override the modelled built-ins (`apiVersion/Kind`, e.g. `apps/v1/Deployment`). */
  readonly modelled?: ReadonlySet<string>;
}

/** Classifies an apiVersion+kind for a cluster with `registry`'s CRDs on `platform` (default openshift). */
export function classifyKind(apiVersion: string, kind: string, registry: CrdRegistry, opts: ClassifyOptions = {}): KindInfo {
  const { group, version } = splitApiVersion(apiVersion);
  const platform = opts.platform ?? 'openshift';
  const modelled = opts.modelled ?? MODELLED_KINDS;
  const builtin = lookup(KUBERNETES, group, version, kind);
  const scope = (s: 'N' | 'C'): 'Namespaced' | 'Cluster' => (s === 'N' ? 'Namespaced' : 'Cluster');
  if (builtin) {
    if (modelled.has(`${apiVersion}/${kind}`)) return { class: 'modelled', scope: scope(builtin) };
    return { class: 'stored-with-warning', scope: scope(builtin), note: `${kind} (${apiVersion}) is a Kubernetes built-in the lab does not model` };
  }
  const crd = registry.resolve(apiVersion, kind);
  if (crd.ok) return { class: 'crd', scope: crd.value.crd.scope };
  if (platform === 'openshift') {
    const os = lookup(OPENSHIFT, group, version, kind);
    if (os) return { class: 'stored-with-warning', scope: scope(os), note: `${kind} (${apiVersion}) is served by every OpenShift cluster; the lab stores it without a model or schema` };
  }
  return { class: 'no-match' };
}
