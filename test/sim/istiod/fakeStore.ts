// A read-only store over plain objects, for istiod's pure functions.
import type { KubeObject } from '../../../sim/kube/object.ts';
import type { ReadStore } from '../../../sim/istiod/registry.ts';

export function fakeStore(objects: readonly Partial<KubeObject>[]): ReadStore {
  const all = objects as KubeObject[];
  const kindName = (k: unknown): { kind: string; group?: string } => (typeof k === 'string' ? { kind: k } : (k as { kind: string; group?: string }));
  const matches = (o: KubeObject, k: unknown) => {
    const { kind, group } = kindName(k);
    return o.kind === kind && (group === undefined || String(o.apiVersion).startsWith(`${group}/`));
  };
  return {
    scan: (k, ns) => all.filter((o) => matches(o, k) && (ns === undefined || o.metadata.namespace === ns)),
    find: (k, ns, name) => all.find((o) => matches(o, k) && o.metadata.name === name && (ns === undefined || o.metadata.namespace === ns)),
  };
}

let n = 0;
export const obj = (apiVersion: string, kind: string, name: string, namespace: string | undefined, rest: Record<string, unknown> = {}): Partial<KubeObject> =>
  ({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}), uid: `u${++n}`, creationTimestamp: `2026-01-15T09:00:${String(n % 60).padStart(2, '0')}Z`, ...((rest.metadata as object) ?? {}) }, ...Object.fromEntries(Object.entries(rest).filter(([k]) => k !== 'metadata')) }) as Partial<KubeObject>;

/** A Service with one port and its Endpoints pointing at pods. */
export function service(name: string, ns: string, port: number, pods: { name: string; ip: string; sa?: string; labels?: Record<string, string> }[]): Partial<KubeObject>[] {
  return [
    obj('v1', 'Service', name, ns, { spec: { ports: [{ port, name: 'http' }] } }),
    obj('v1', 'Endpoints', name, ns, { subsets: [{ addresses: pods.map((p) => ({ ip: p.ip, targetRef: { name: p.name, namespace: ns } })) }] }),
    ...pods.map((p) => obj('v1', 'Pod', p.name, ns, { metadata: { labels: { 'security.istio.io/tlsMode': 'istio', ...(p.labels ?? {}) } }, spec: { serviceAccountName: p.sa ?? 'default' }, status: { podIP: p.ip, phase: 'Running' } })),
  ];
}
