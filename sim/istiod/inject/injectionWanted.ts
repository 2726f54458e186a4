/**
 * Whether a Pod CREATE reaches istiod's injector and istiod decides to inject.
 * 1. The MutatingWebhookConfiguration selectors (istio: manifests/charts/istio-control/istio-discovery/
 *    templates/mutatingwebhook.yaml), for istiod's revision:
 *    - `rev.namespace`: namespace `istio.io/rev=<rev>` and no `istio-injection` label; pod not `sidecar.istio.io/inject=false`;
 *    - `rev.object`: namespace has neither label; pod `istio.io/rev=<rev>` and not `sidecar.istio.io/inject=false`;
 *    - default revision only: `namespace` (namespace `istio-injection=enabled`, pod not inject=false) and
 *      `object` (namespace has neither label; pod `sidecar.istio.io/inject=true`, no `istio.io/rev` label);
 *    - `enableNamespacesByDefault`: namespaces with neither label except kube-system, kube-public,
 *      kube-node-lease, local-path-storage (pod not inject=false).
 * 2. istio: pkg/kube/inject/inject.go `injectRequired`: never with hostNetwork, never in the ignored
 *    namespaces (pkg/kube/inject/initializer.go), then the pod's `sidecar.istio.io/inject` label (or
 *    annotation; label wins) `true`/`false`, else the policy (`global.proxy.autoInject`, default enabled).
 * Simplified: neverInjectSelector / alwaysInjectSelector are not modelled.
 */
import { isPlainObject } from '../../kube/object.ts';
import { mergeValues, str, valueAt, CHART_DEFAULT_VALUES, type InjectionConfig } from './values.ts';
import type { PodLike } from './templateData.ts';

const IGNORED_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage'];

/** The name of the first webhook of istiod's MutatingWebhookConfiguration whose selectors match, if any. */
export function matchingWebhook(pod: PodLike, namespace: string, namespaceLabels: Readonly<Record<string, string>>, config: Pick<InjectionConfig, 'values'>): string | undefined {
  const values = mergeValues(CHART_DEFAULT_VALUES, config.values);
  const rev = str(valueAt(values, 'revision')) || 'default';
  const labels = pod.metadata?.labels ?? {};
  const notDisabled = labels['sidecar.istio.io/inject'] !== 'false';
  const nsRev = namespaceLabels['istio.io/rev'];
  const nsInjection = namespaceLabels['istio-injection'];
  const name = (prefix: string) => `${prefix}sidecar-injector.istio.io`;
  if (nsRev === rev && nsInjection === undefined && notDisabled) return name('rev.namespace.');
  if (nsRev === undefined && nsInjection === undefined && labels['istio.io/rev'] === rev && notDisabled) return name('rev.object.');
  if (rev === 'default') {
    if (nsInjection === 'enabled' && notDisabled) return name('namespace.');
    if (nsInjection === undefined && nsRev === undefined && labels['sidecar.istio.io/inject'] === 'true' && labels['istio.io/rev'] === undefined) return name('object.');
    if (valueAt(values, 'sidecarInjectorWebhook.enableNamespacesByDefault') === true && nsInjection === undefined && nsRev === undefined && !IGNORED_NAMESPACES.includes(namespace) && notDisabled)
      return name('auto.');
  }
  return undefined;
}

export function webhookSelects(pod: PodLike, namespace: string, namespaceLabels: Readonly<Record<string, string>>, config: Pick<InjectionConfig, 'values'>): boolean {
  return matchingWebhook(pod, namespace, namespaceLabels, config) !== undefined;
}

export function injectRequired(pod: PodLike, namespace: string, config: Pick<InjectionConfig, 'values'>): boolean {
  if (isPlainObject(pod.spec) && pod.spec.hostNetwork === true) return false;
  if (IGNORED_NAMESPACES.includes(namespace)) return false;
  const meta = pod.metadata ?? {};
  let selector = meta.annotations?.['sidecar.istio.io/inject'] ?? '';
  const label = meta.labels?.['sidecar.istio.io/inject'];
  if (label !== undefined) selector = label;
  if (selector === 'true') return true;
  if (selector === 'false') return false;
  const policy = str(valueAt(mergeValues(CHART_DEFAULT_VALUES, config.values), 'global.proxy.autoInject'), 'enabled');
  return policy === 'enabled';
}

/** Both gates: the webhook is called for the pod, and istiod injects it. */
export function injectionWanted(pod: PodLike, namespace: string, namespaceLabels: Readonly<Record<string, string>>, config: Pick<InjectionConfig, 'values'>): boolean {
  return webhookSelects(pod, namespace, namespaceLabels, config) && injectRequired(pod, namespace, config);
}
