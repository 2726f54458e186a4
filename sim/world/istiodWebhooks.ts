/**
 * What istiod does to the cluster it runs in, besides pushing config: the sidecar-injector webhook on
 * Pod CREATE (followed by the API server's validation of the result) and the namespace controller that
 * publishes its root certificate.
 */
import type { EventLog } from '../core/events.ts';
import { err, ok, simError, type Result, type SimError } from '../core/result.ts';
import type { TaskTracker } from '../core/tasks.ts';
import { admitPod, type InjectionConfig, type NativeSidecarMode, type PodLike } from '../istiod/inject/index.ts';
import type { KubeObject } from '../kube/object.ts';
import { podInvalidMessage, validatePodSpec } from '../kube/podValidation.ts';
import { parseYamlDocuments } from '../kube/yaml.ts';
import { encodePem } from '../pki/index.ts';
import type { ClusterRuntime } from './cluster.ts';
import { versionAtLeast, type IstiodRuntime } from './istiod.ts';

/**
 * istiod's namespace controller (pilot/pkg/bootstrap/namespacecontroller.go): the `istio-ca-root-cert`
 * ConfigMap with istiod's root in every namespace, which injected pods mount (`istiod-ca-cert`) —
 * without it they stay ContainerCreating. Simplified: kube-system, kube-public and kube-node-lease
 * are skipped (Unverified: the exact exclusion list).
 */
export function publishRootCert(cluster: ClusterRuntime, istiod: IstiodRuntime, tasks: TaskTracker): () => void {
  const skip = new Set(['kube-system', 'kube-public', 'kube-node-lease']);
  let pem: string | undefined;
  const publish = (ns: string) => {
    if (pem === undefined || skip.has(ns) || cluster.store.find('ConfigMap', ns, 'istio-ca-root-cert')) return;
    cluster.store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio-ca-root-cert', namespace: ns, labels: { 'istio.io/config': 'true' } }, data: { 'root-cert.pem': pem } });
  };
  const unwatch = cluster.store.watch({ kind: 'Namespace' }, (e) => {
    if (e.type === 'ADDED') publish(e.object.metadata.name);
  });
  void tasks.track(
    istiod.ca.roots().then((roots) => {
      pem = roots.map((r) => encodePem('CERTIFICATE', r.der)).join('');
      for (const n of cluster.store.scan('Namespace')) publish(n.metadata.name);
      cluster.store.settle();
      cluster.controllers.kubelet.resync();
    }),
  );
  return unwatch;
}

/**
 * The injector's configuration from the `istio-sidecar-injector` ConfigMap its install rendered
 * (`data.values` JSON, `data.config` YAML with the templates) and the mesh config.
 */
export function injectionConfig(cluster: ClusterRuntime, istiod: IstiodRuntime): InjectionConfig | undefined {
  const name = istiod.revision ? `istio-sidecar-injector-${istiod.revision}` : 'istio-sidecar-injector';
  const cm = cluster.store.find('ConfigMap', istiod.namespace, name);
  if (!cm) return undefined;
  const data = (cm.data ?? {}) as Record<string, string>;
  let values: Record<string, unknown>;
  try {
    values = JSON.parse(data.values ?? '{}') as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const config = parseYamlDocuments(data.config ?? '', `ConfigMap ${istiod.namespace}/${name}[data.config]`);
  const cfg = (config.ok ? config.value[0]?.object : {}) as { templates?: Record<string, string>; defaultTemplates?: string[] } | undefined;
  const templates = Object.fromEntries(Object.entries(cfg?.templates ?? {}).filter(([, v]) => v !== '<built-in>'));
  const meshCm = cluster.store.find('ConfigMap', istiod.namespace, istiod.revision ? `istio-${istiod.revision}` : 'istio');
  const mesh = parseYamlDocuments(((meshCm?.data ?? {}) as Record<string, string>).mesh ?? '', 'mesh');
  const env = ((values.pilot as { env?: Record<string, unknown> } | undefined)?.env ?? {}) as Record<string, unknown>;
  const native = String(env.ENABLE_NATIVE_SIDECARS ?? (versionAtLeast(istiod.version, 1, 27) ? 'auto' : 'false')) as NativeSidecarMode;
  return { istioVersion: istiod.version, templates, ...(cfg?.defaultTemplates ? { defaultTemplates: cfg.defaultTemplates } : {}), values, meshConfig: mesh.ok ? (mesh.value[0]?.object ?? {}) : {}, nativeSidecars: native };
}

/** The webhook on Pod CREATE, then the API server's validation of what it returned (where M10 is refused). */
export function injectOnCreate(cluster: ClusterRuntime, istiod: IstiodRuntime, obj: KubeObject, events: EventLog): Result<KubeObject, SimError> {
  const config = injectionConfig(cluster, istiod);
  if (!config) return ok(obj);
  const ns = obj.metadata.namespace ?? 'default';
  const nodes = cluster.store.scan('Node').map((n) => ({ name: n.metadata.name, kubeletVersion: (n.status as { nodeInfo?: { kubeletVersion?: string } } | undefined)?.nodeInfo?.kubeletVersion ?? '' }));
  const nodeName = (obj.spec as { nodeName?: string } | undefined)?.nodeName;
  const r = admitPod(obj as unknown as PodLike, { config, namespace: ns, namespaceLabels: cluster.store.find('Namespace', undefined, ns)?.metadata.labels ?? {}, nodes, ...(nodeName ? { nodeName } : {}) });
  if (!r.ok) return err(r.error);
  if (!r.value.injected) return ok(obj);
  const problems = validatePodSpec(r.value.pod);
  if (problems.length) return err(simError('kube/invalid', podInvalidMessage(obj.metadata.name || `${obj.metadata.generateName ?? ''}`, problems)));
  events.emit('istiod.injected', `${cluster.name}/istiod`, { pod: `${ns}/${obj.metadata.name}` });
  return ok(r.value.pod as unknown as KubeObject);
}
