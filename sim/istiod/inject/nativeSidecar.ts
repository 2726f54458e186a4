/**
 * Whether istiod injects istio-proxy as a Kubernetes native sidecar (an init container with
 * `restartPolicy: Always`): `.NativeSidecars` of the template data, before the pod's own
 * `sidecar.istio.io/nativeSidecar` annotation is considered (sidecarTemplate.ts `templateNative`).
 *
 * - 1.27.0+: ENABLE_NATIVE_SIDECARS `true` / `false` / `auto` (default), `auto` = the pod's node runs
 *   kubelet ≥ 1.33, or, when the pod is unscheduled (or its node is unknown), every node does
 *   (istio: pkg/kube/inject/webhook.go `DetectNativeSidecar`, minVersion 33; pilot/pkg/features/pilot.go).
 * - Before 1.27: a boolean env var, default false; `auto` did not exist (treated as not `true`).
 */
import { versionAtLeast, type NativeSidecarMode } from './values.ts';

export interface NodeVersion {
  readonly name: string;
  /** `status.nodeInfo.kubeletVersion`, e.g. `v1.33.1`. */
  readonly kubeletVersion: string;
}

const MIN_MINOR = 33;

/** go-version's Segments()[1] ≥ 33; an unparsable version counts as unsupported. */
function supportsNative(kubeletVersion: string): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(kubeletVersion);
  return m !== null && Number(m[2]) >= MIN_MINOR;
}

export function detectNativeSidecar(opts: {
  readonly istioVersion: string;
  readonly mode: NativeSidecarMode;
  readonly nodes: readonly NodeVersion[];
  readonly nodeName?: string;
}): boolean {
  if (!versionAtLeast(opts.istioVersion, '1.27.0')) return opts.mode === 'true';
  if (opts.mode === 'false') return false;
  if (opts.mode === 'true') return true;
  if (opts.nodeName !== undefined && opts.nodeName !== '') {
    const node = opts.nodes.find((n) => n.name === opts.nodeName);
    if (node !== undefined) return supportsNative(node.kubeletVersion);
    // "pod assigned to node %q but node not found in cluster": fall through to every node.
  }
  return opts.nodes.every((n) => supportsNative(n.kubeletVersion));
}
