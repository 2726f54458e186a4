/**
 * Applies rendered install objects the way istioctl (server-side apply with `force`, field manager
 * `istio-operator`, operator/pkg/install/install.go serverSideApply) and Helm (Sail) do: create when
 * absent; otherwise the rendered fields win — labels and annotations are merged (others' keys stay),
 * every other top-level field the rendering sets replaces the stored one (status is left alone).
 * A Service keeps what the API server allocated (clusterIP(s), ipFamilies, nodePorts by port).
 * Simplified: server-side apply's per-field ownership is approximated by "the renderer owns the
 * top-level fields it sets", so a `kubectl patch` of a field istioctl also sets is reverted by a
 * re-install (as with `--force` conflicts upstream) and one it does not set is kept only in metadata.
 */
import { err, ok, type Result, type SimError } from '../../core/result.ts';
import { deepEqual, isPlainObject, type KubeManifest, type KubeObject } from '../../kube/object.ts';
import type { ClusterStore } from '../../kube/store.ts';

export type ApplyOutcome = 'created' | 'configured' | 'unchanged';

const KEEP_SERVICE = ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy', 'internalTrafficPolicy', 'sessionAffinity', 'healthCheckNodePort'];

export function applyInstallObject(store: ClusterStore, manifest: KubeManifest): Result<{ object: KubeObject; outcome: ApplyOutcome }, SimError> {
  const meta = manifest.metadata ?? {};
  const current = store.find({ apiVersion: manifest.apiVersion, kind: manifest.kind }, meta.namespace, meta.name ?? '');
  if (!current) {
    const c = store.create(manifest);
    return c.ok ? ok({ object: c.value, outcome: 'created' }) : err(c.error);
  }
  const next: KubeObject = { ...current, metadata: { ...current.metadata } };
  if (meta.labels) next.metadata.labels = { ...(current.metadata.labels ?? {}), ...meta.labels };
  if (meta.annotations) next.metadata.annotations = { ...(current.metadata.annotations ?? {}), ...meta.annotations };
  if (meta.ownerReferences) next.metadata.ownerReferences = meta.ownerReferences;
  for (const [k, v] of Object.entries(manifest)) {
    if (k === 'apiVersion' || k === 'kind' || k === 'metadata' || k === 'status') continue;
    next[k] = v;
  }
  if (manifest.kind === 'Service' && isPlainObject(current.spec) && isPlainObject(next.spec)) {
    const spec = { ...(next.spec as Record<string, unknown>) };
    const old = current.spec as Record<string, unknown>;
    for (const f of KEEP_SERVICE) if (old[f] !== undefined && spec[f] === undefined) spec[f] = old[f];
    if (Array.isArray(spec.ports) && Array.isArray(old.ports)) {
      spec.ports = spec.ports.map((p: Record<string, unknown>) => {
        const was = (old.ports as Record<string, unknown>[]).find((q) => q.port === p.port);
        return was?.nodePort !== undefined && p.nodePort === undefined ? { ...p, nodePort: was.nodePort } : p;
      });
    }
    next.spec = spec;
  }
  if (deepEqual(next, current)) return ok({ object: current, outcome: 'unchanged' });
  const u = store.update(next);
  return u.ok ? ok({ object: u.value, outcome: 'configured' }) : err(u.error);
}
