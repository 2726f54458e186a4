/**
 * The Sail operator (OSSM 3 `servicemeshoperator3`): reconciles `Istio` and `IstioCNI`
 * (sailoperator.io/v1, cluster-scoped) into the istiod and istio-cni charts' objects.
 *
 * Istio (ossm:controllers/istio/istio_controller.go, pkg/revision/values.go `ComputeValues`,
 * pkg/istiovalues/{vendor_defaults.yaml,profiles.go,overrides.go}; research/ztwim-spec.md §9.1):
 * - `spec.version` (`v1.24.3`, `v1.27-latest`…) → Istio version; an unknown one fails reconciliation.
 * - values = vendor defaults (`pilot.env.ENABLE_GATEWAY_API_MANUAL_DEPLOYMENT: "false"` for 1.27.0,
 *   1.26.2/3, 1.24.3–1.24.6) ← profile (`spec.profile`, else the platform default: `openshift` on
 *   OpenShift, which sets `global.platform: openshift`; the istiod chart's profile-platform-openshift then
 *   turns on `pilot.cni.enabled` with provider multus) ← `spec.values` ← overrides (`revision` = the
 *   revision name, `""` for `default`; `global.istioNamespace` = `spec.namespace`; `defaultRevision` cleared).
 * - InPlace strategy: one IstioRevision named like the Istio (owned by it); the chart objects are owned
 *   by the IstioRevision. The base chart (reader ServiceAccount) is installed only for revision `default`.
 * - Status: `Reconciled`, `Ready` (`Healthy` when istiod's Deployment has a ready replica, else
 *   `IstiodNotReady`), `DependenciesHealthy` (`IstioCNINotFound` when the revision needs CNI and there is
 *   no IstioCNI), `state` = the Ready reason, `revisions {total, ready, inUse}`, `activeRevisionName`.
 * IstioCNI (ossm:controllers/istiocni): DaemonSet `istio-cni-node` in `spec.namespace` (default
 * `istio-cni`); Ready `Healthy`, or `DaemonSetNotReady` with `no istio-cni-node pods are currently scheduled`.
 *
 * Images: OSSM ships Red Hat builds; the lab names them
 * `registry.redhat.io/openshift-service-mesh/istio-{pilot,proxyv2,cni}-rhel9:<istio version>`.
 * Unverified: the repository names (not found in the indexed sources) and the tag form — OSSM pins them by
 * digest from the CSV's relatedImages. Unverified as well: the wording of non-Healthy Ready messages.
 * Simplified: no RevisionBased strategy, IstioRevisionTag, ZTunnel, webhooks or Helm release secrets;
 * reconciliation runs when an Istio, IstioCNI, Deployment or DaemonSet changes.
 */
import type { SimError } from '../../core/result.ts';
import { rfc3339, type KubeManifest, type KubeObject } from '../../kube/object.ts';
import type { ClusterStore } from '../../kube/store.ts';
import { applyInstallObject } from './apply.ts';
import { renderCni, renderInstall, type InstallInput } from './render.ts';
import { getPath, isMap, mergeFrom, setPath, type Values } from './values.ts';
import { formatVersion, resolveSailVersion, type IstioVersion } from './versions.ts';

export const SAIL_API_VERSION = 'sailoperator.io/v1';

export interface SailDeps {
  /** `openshift` makes `openshift` the default profile (ossm:cmd/main.go). Default `openshift`. */
  readonly platform?: 'openshift' | 'kubernetes';
  /** `ossm` (Red Hat images) or `upstream` (community Sail, docker.io/istio). Default `ossm`. */
  readonly distribution?: 'ossm' | 'upstream';
  /** Operator log lines. */
  readonly log?: (line: string) => void;
}

export interface SailOperator {
  stop(): void;
}

interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

const VENDOR_MANUAL_DEPLOYMENT_OFF = ['1.27.0', '1.26.2', '1.26.3', '1.24.3', '1.24.4', '1.24.5', '1.24.6'];
const RH = 'registry.redhat.io/openshift-service-mesh';

/** Sail's values pipeline for an Istio CR. */
export function computeSailValues(cr: { name: string; spec: Values }, version: IstioVersion, deps: SailDeps = {}): Values {
  const platform = deps.platform ?? 'openshift';
  const v = formatVersion(version);
  let values: Values;
  if (deps.distribution !== 'upstream') {
    values = { global: { hub: RH, tag: v, proxy: { image: `${RH}/istio-proxyv2-rhel9:${v}` }, proxy_init: { image: `${RH}/istio-proxyv2-rhel9:${v}` } }, pilot: { image: `${RH}/istio-pilot-rhel9:${v}` } };
    if (VENDOR_MANUAL_DEPLOYMENT_OFF.includes(v)) values = mergeFrom(values, { pilot: { env: { ENABLE_GATEWAY_API_MANUAL_DEPLOYMENT: 'false' } } });
  } else values = { global: { hub: 'docker.io/istio', tag: v } };
  const profile = typeof cr.spec.profile === 'string' && cr.spec.profile !== 'default' ? cr.spec.profile : platform === 'openshift' ? 'openshift' : 'default';
  if (profile === 'openshift' || profile === 'openshift-ambient') values = mergeFrom(values, { global: { platform: 'openshift' } });
  if (profile === 'ambient' || profile === 'openshift-ambient') values = mergeFrom(values, { profile: 'ambient' });
  const user = isMap(cr.spec.values) ? cr.spec.values : {};
  values = mergeFrom(values, user);
  // istio-discovery files/profile-platform-openshift.yaml (applied by the chart for global.platform=openshift).
  if (getPath(values, ['global', 'platform']) === 'openshift') values = mergeFrom({ pilot: { cni: { enabled: true, provider: 'multus' } } }, values);
  setPath(values, ['revision'], cr.name === 'default' ? '' : cr.name);
  setPath(values, ['global', 'istioNamespace'], typeof cr.spec.namespace === 'string' ? cr.spec.namespace : 'istio-system');
  delete values.defaultRevision;
  return values;
}

export function startSailOperator(store: ClusterStore, deps: SailDeps = {}): SailOperator {
  const log = deps.log ?? (() => undefined);
  let dirty = true;
  const stopWatch = store.watch({}, (e) => {
    const k = e.object.kind;
    if (k === 'Istio' || k === 'IstioCNI' || k === 'Deployment' || k === 'DaemonSet' || k === 'IstioRevision') dirty = true;
  });
  const stopIdle = store.onIdle(() => {
    if (!dirty) return false;
    dirty = false;
    const before = store.resourceVersion;
    for (const cni of list('IstioCNI')) reconcileCni(cni);
    for (const istio of list('Istio')) reconcileIstio(istio);
    return store.resourceVersion !== before;
  });

  function list(kind: string): KubeObject[] {
    const r = store.list({ apiVersion: SAIL_API_VERSION, kind });
    return r.ok ? r.value.filter((o) => !o.metadata.deletionTimestamp) : [];
  }

  const ownerRef = (o: KubeObject) => [{ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, uid: o.metadata.uid, controller: true, blockOwnerDeletion: true }];

  function applyAll(owner: KubeObject, manifests: KubeManifest[]): SimError | undefined {
    for (const m of manifests) {
      const r = applyInstallObject(store, { ...m, metadata: { ...m.metadata, ownerReferences: ownerRef(owner) } });
      if (!r.ok) return r.error;
      if (r.value.outcome !== 'unchanged') log(`INFO\t${owner.kind}\t${r.value.outcome === 'created' ? 'Created' : 'Updated'} ${m.kind}\t{"name": "${m.metadata?.name}", "namespace": "${m.metadata?.namespace ?? ''}"}`);
    }
    return undefined;
  }

  function setStatus(cr: KubeObject, conditions: Condition[], extra: Values): void {
    const fresh = store.find({ apiVersion: SAIL_API_VERSION, kind: cr.kind }, undefined, cr.metadata.name);
    if (!fresh) return;
    const status = isMap(fresh.status) ? fresh.status : {};
    const old = Array.isArray(status.conditions) ? (status.conditions as Condition[]) : [];
    const now = rfc3339(store.now());
    const conds = conditions.map((c) => {
      const was = old.find((o) => o.type === c.type);
      const out: Condition = { type: c.type, status: c.status, lastTransitionTime: was && was.status === c.status && was.lastTransitionTime ? was.lastTransitionTime : now };
      if (c.reason) out.reason = c.reason;
      if (c.message) out.message = c.message;
      return out;
    });
    const ready = conditions.find((c) => c.type === 'Ready');
    const next: Values = { ...status, ...extra, observedGeneration: fresh.metadata.generation, conditions: conds, state: ready?.reason ?? (ready?.status === 'True' ? 'Healthy' : 'ReconcileError') };
    if (JSON.stringify(next) === JSON.stringify(status)) return;
    store.updateStatus({ ...fresh, status: next });
  }

  function deploymentReady(ns: string, name: string): boolean {
    const d = store.find({ apiVersion: 'apps/v1', kind: 'Deployment' }, ns, name);
    const st = (d?.status ?? {}) as { readyReplicas?: number; availableReplicas?: number };
    return (st.readyReplicas ?? st.availableReplicas ?? 0) > 0;
  }

  function reconcileIstio(cr: KubeObject): void {
    const spec = (isMap(cr.spec) ? cr.spec : {}) as Values;
    const version = resolveSailVersion(typeof spec.version === 'string' ? spec.version : undefined);
    const fail = (message: string) => {
      log(`ERROR\tIstio\treconcile failed\t{"name": "${cr.metadata.name}", "error": ${JSON.stringify(message)}}`);
      setStatus(cr, [{ type: 'Reconciled', status: 'False', reason: 'ReconcileError', message }, { type: 'Ready', status: 'Unknown', reason: 'ReconcileError', message: 'cannot determine readiness due to reconciliation error' }], {});
    };
    if (!version.ok) return fail(version.error.message);
    const namespace = typeof spec.namespace === 'string' ? spec.namespace : 'istio-system';
    // ossm:pkg/validation/validation.go ValidateTargetNamespace (%q).
    if (!store.find('Namespace', undefined, namespace)) return fail(`namespace "${namespace}" doesn't exist`);
    const values = computeSailValues({ name: cr.metadata.name, spec }, version.value, deps);
    const revName = cr.metadata.name;
    const revision: KubeManifest = {
      apiVersion: SAIL_API_VERSION,
      kind: 'IstioRevision',
      metadata: { name: revName, ownerReferences: ownerRef(cr) },
      spec: { version: typeof spec.version === 'string' ? spec.version : `v${formatVersion(version.value)}`, namespace, values },
    };
    const rev = applyInstallObject(store, revision);
    const revOwner = rev.ok ? rev.value.object : cr;
    const input: InstallInput = {
      version: version.value,
      namespace,
      revision: revName === 'default' ? '' : revName,
      profile: typeof spec.profile === 'string' ? spec.profile : '',
      components: { base: revName === 'default', pilot: true, cni: { enabled: false, namespace }, ingressGateways: [], egressGateways: [] },
      values,
      owner: { managedBy: 'sail', name: revName },
      distribution: deps.distribution ?? 'ossm',
    };
    const rendered = renderInstall(input);
    if (!rendered.ok) return fail(rendered.error.message);
    const problem = applyAll(revOwner, rendered.value.flatMap((c) => c.manifests));
    if (problem) return fail(problem.message);
    const istiod = `istiod${revName === 'default' ? '' : `-${revName}`}`;
    const ready = deploymentReady(namespace, istiod);
    const needsCni = getPath(values, ['pilot', 'cni', 'enabled']) === true;
    const cni = needsCni ? store.find({ apiVersion: SAIL_API_VERSION, kind: 'IstioCNI' }, undefined, 'default') : undefined;
    const cniReady = cni ? (cni.status as { state?: string } | undefined)?.state === 'Healthy' : false;
    const deps2: Condition = !needsCni
      ? { type: 'DependenciesHealthy', status: 'True' }
      : !cni
        ? { type: 'DependenciesHealthy', status: 'False', reason: 'IstioCNINotFound', message: 'IstioCNI resource does not exist' }
        : cniReady
          ? { type: 'DependenciesHealthy', status: 'True' }
          : { type: 'DependenciesHealthy', status: 'False', reason: 'IstioCNINotHealthy', message: 'IstioCNI resource status indicates that the component is not healthy' };
    setStatus(
      cr,
      [
        { type: 'Reconciled', status: 'True' },
        ready ? { type: 'Ready', status: 'True', reason: 'Healthy' } : { type: 'Ready', status: 'False', reason: 'IstiodNotReady', message: `not ready: istiod Deployment ${namespace}/${istiod} has no ready replicas` },
        deps2,
      ],
      { activeRevisionName: revName, revisions: { total: 1, ready: ready ? 1 : 0, inUse: 0 } },
    );
    if (rev.ok) setStatus(rev.value.object, [{ type: 'Reconciled', status: 'True' }, ready ? { type: 'Ready', status: 'True', reason: 'Healthy' } : { type: 'Ready', status: 'False', reason: 'IstiodNotReady' }, deps2], {});
  }

  function reconcileCni(cr: KubeObject): void {
    const spec = (isMap(cr.spec) ? cr.spec : {}) as Values;
    const version = resolveSailVersion(typeof spec.version === 'string' ? spec.version : undefined);
    if (!version.ok) {
      setStatus(cr, [{ type: 'Reconciled', status: 'False', reason: 'ReconcileError', message: version.error.message }], {});
      return;
    }
    const namespace = typeof spec.namespace === 'string' ? spec.namespace : 'istio-cni';
    if (!store.find('Namespace', undefined, namespace)) {
      setStatus(cr, [{ type: 'Reconciled', status: 'False', reason: 'ReconcileError', message: `namespace "${namespace}" doesn't exist` }], {});
      return;
    }
    const v = formatVersion(version.value);
    let values: Values = deps.distribution === 'upstream' ? { global: { hub: 'docker.io/istio', tag: v } } : { global: { hub: RH, tag: v }, cni: { image: `${RH}/istio-cni-rhel9:${v}` } };
    if ((deps.platform ?? 'openshift') === 'openshift') values = mergeFrom(values, { global: { platform: 'openshift' }, cni: { provider: 'multus' } });
    values = mergeFrom(values, isMap(spec.values) ? spec.values : {});
    const manifests = renderCni({ version: version.value, namespace, revision: '', owner: { managedBy: 'sail' }, distribution: deps.distribution ?? 'ossm' }, values);
    const problem = applyAll(cr, manifests);
    if (problem) {
      setStatus(cr, [{ type: 'Reconciled', status: 'False', reason: 'ReconcileError', message: problem.message }], {});
      return;
    }
    const ds = store.find({ apiVersion: 'apps/v1', kind: 'DaemonSet' }, namespace, 'istio-cni-node');
    const st = (ds?.status ?? {}) as { desiredNumberScheduled?: number; numberReady?: number };
    const ready: Condition =
      (st.desiredNumberScheduled ?? 0) === 0
        ? { type: 'Ready', status: 'False', reason: 'DaemonSetNotReady', message: 'no istio-cni-node pods are currently scheduled' }
        : (st.numberReady ?? 0) < (st.desiredNumberScheduled ?? 0)
          ? { type: 'Ready', status: 'False', reason: 'DaemonSetNotReady', message: 'not all istio-cni-node pods are ready' }
          : { type: 'Ready', status: 'True', reason: 'Healthy' };
    setStatus(cr, [{ type: 'Reconciled', status: 'True' }, ready], {});
  }

  store.settle();
  return {
    stop() {
      stopWatch();
      stopIdle();
    },
  };
}

