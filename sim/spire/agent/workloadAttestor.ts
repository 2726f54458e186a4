/**
 * The `k8s` workload attestor: the selectors SPIRE derives for a calling container from its pod
 * (`spire:pkg/agent/plugin/workloadattestor/k8s/k8s.go`: `getSelectorValuesFromPodInfo`,
 * `getSelectorValuesFromWorkloadContainerStatus`, `getPodImageIdentifiers`,
 * `getSelectorValuesFromNamespaceLabels`; `spire:doc/plugin_agent_workloadattestor_k8s.md`).
 *
 * Order as upstream: sa, ns, node-name, pod-uid, pod-name, pod-image-count, pod-init-image-count,
 * pod-image (image ID and image of every container status), pod-init-image, pod-label (one per label),
 * pod-owner + pod-owner-uid (per ownerReference), then container-name + container-image (unless
 * `disable_container_selectors`), then ns-label (with `enable_namespace_labels`).
 * The calling container is looked up in `containerStatuses` and `initContainerStatuses` (native
 * sidecars are init containers). Not found: no selectors (upstream retries, then gives up), except
 * with `disable_container_selectors`, where the pod's selectors are used.
 * Simplified: Go's map iteration (labels, image set) is random upstream; here labels keep object order
 * and images are deduplicated in status order. Sigstore selectors are not modelled.
 */
import type { Pod } from '../../kube/builtinKinds.ts';
import type { Selector } from '../api.ts';
import type { K8sWorkloadAttestorConfig } from './config.ts';

type Status = Readonly<Record<string, unknown>>;

const statusesOf = (pod: Pod, key: 'containerStatuses' | 'initContainerStatuses'): Status[] => {
  const v = (pod.status as Record<string, unknown> | undefined)?.[key];
  return Array.isArray(v) ? (v as Status[]) : [];
};

/** Image ID then image of each status, deduplicated (an empty image ID is a value too, as upstream). */
function imageIdentifiers(statuses: readonly Status[]): string[] {
  const out = new Set<string>();
  for (const s of statuses) {
    out.add(String(s.imageID ?? ''));
    out.add(String(s.image ?? ''));
  }
  return [...out];
}

export function podSelectorValues(pod: Pod): string[] {
  const containers = statusesOf(pod, 'containerStatuses');
  const inits = statusesOf(pod, 'initContainerStatuses');
  const values = [
    `sa:${pod.spec.serviceAccountName ?? ''}`,
    `ns:${pod.metadata.namespace ?? ''}`,
    `node-name:${pod.spec.nodeName ?? ''}`,
    `pod-uid:${pod.metadata.uid}`,
    `pod-name:${pod.metadata.name}`,
    `pod-image-count:${containers.length}`,
    `pod-init-image-count:${inits.length}`,
  ];
  for (const image of imageIdentifiers(containers)) values.push(`pod-image:${image}`);
  for (const image of imageIdentifiers(inits)) values.push(`pod-init-image:${image}`);
  for (const [k, v] of Object.entries(pod.metadata.labels ?? {})) values.push(`pod-label:${k}:${v}`);
  for (const o of pod.metadata.ownerReferences ?? []) values.push(`pod-owner:${o.kind}:${o.name}`, `pod-owner-uid:${o.kind}:${o.uid}`);
  return values;
}

export interface AttestOptions extends Partial<K8sWorkloadAttestorConfig> {
  /** The pod's namespace labels, needed when `enableNamespaceLabels`. */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
}

/**
 * The `k8s:` selectors for `containerName` in `pod`. Empty when the container has no status yet and
 * container selectors are enabled (the real agent then fails attestation after its poll attempts).
 */
export function attestK8sWorkload(pod: Pod, containerName: string, opts: AttestOptions = {}): Selector[] {
  const status = [...statusesOf(pod, 'containerStatuses'), ...statusesOf(pod, 'initContainerStatuses')].find((s) => s.name === containerName);
  const values: string[] = [];
  if (status) {
    values.push(...podSelectorValues(pod));
    if (!opts.disableContainerSelectors) {
      values.push(`container-name:${containerName}`);
      for (const image of imageIdentifiers([status])) values.push(`container-image:${image}`);
    }
  } else if (opts.disableContainerSelectors) {
    values.push(...podSelectorValues(pod));
  }
  if (values.length > 0 && opts.enableNamespaceLabels) for (const [k, v] of Object.entries(opts.namespaceLabels ?? {})) values.push(`ns-label:${k}:${v}`);
  return values.map((value) => ({ type: 'k8s', value }));
}

/** `k8s:pod-label:app:foo` → `{ type: 'k8s', value: 'pod-label:app:foo' }` (the type is up to the first colon). */
export function parseSelector(text: string): Selector | undefined {
  const i = text.indexOf(':');
  if (i <= 0 || i === text.length - 1) return undefined;
  return { type: text.slice(0, i), value: text.slice(i + 1) };
}

export const selectorString = (s: Selector): string => `${s.type}:${s.value}`;
