/**
 * What the controller's reconcilers share: the CR kinds it reads, listing them (sorted by name, as the
 * API returns them), the age-based preference order (scm:pkg/spireentry/reconciler.go objectCmp), and
 * log lines in the controller's zap console format.
 */
import type { ClusterStore } from '../../kube/store.ts';
import type { KubeObject } from '../../kube/object.ts';

export const GROUP = 'spire.spiffe.io';
export const CLUSTER_SPIFFE_ID = { group: GROUP, kind: 'ClusterSPIFFEID' } as const;
export const CLUSTER_STATIC_ENTRY = { group: GROUP, kind: 'ClusterStaticEntry' } as const;
export const CLUSTER_FEDERATED_TRUST_DOMAIN = { group: GROUP, kind: 'ClusterFederatedTrustDomain' } as const;

/**
 * Lists a kind; undefined when the kind is not served (CRD not installed). The stored objects, not
 * copies (every reconcile re-lists): callers read them and write through the store.
 */
export function listKind(store: ClusterStore, kind: { group: string; kind: string }): readonly KubeObject[] | undefined {
  return store.listView(kind);
}

/** creationTimestamp has one-second resolution on the wire: ties are common and fall to the UID. */
const seconds = (ts: string | undefined) => (ts ? Math.floor(Date.parse(ts) / 1000) : 0);

/** objectCmp: oldest first; then not-being-deleted first (later deletion first); then smaller UID. */
export function objectCmp(a: KubeObject, b: KubeObject): number {
  const c = seconds(a.metadata.creationTimestamp) - seconds(b.metadata.creationTimestamp);
  if (c !== 0) return c < 0 ? -1 : 1;
  const ad = a.metadata.deletionTimestamp;
  const bd = b.metadata.deletionTimestamp;
  if (ad !== undefined && bd === undefined) return 1;
  if (ad === undefined && bd !== undefined) return -1;
  if (ad !== undefined && bd !== undefined) {
    const d = seconds(ad) - seconds(bd);
    if (d !== 0) return d < 0 ? 1 : -1;
  }
  return a.metadata.uid < b.metadata.uid ? -1 : a.metadata.uid > b.metadata.uid ? 1 : 0;
}

/** Creation second, then UID (scm sortClusterFederatedTrustDomainsByCreationDate). */
export function byCreationThenUid(a: KubeObject, b: KubeObject): number {
  const c = seconds(a.metadata.creationTimestamp) - seconds(b.metadata.creationTimestamp);
  if (c !== 0) return c < 0 ? -1 : 1;
  return a.metadata.uid < b.metadata.uid ? -1 : a.metadata.uid > b.metadata.uid ? 1 : 0;
}

/** types.NamespacedName.String() of a cluster-scoped object: `/name`. */
export const objectName = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export type Logger = (level: 'INFO' | 'ERROR', logger: string, msg: string, fields?: Record<string, unknown>) => void;

/** zap development console encoding: `TIME\tLEVEL\tLOGGER\tMESSAGE\t{fields}`. */
export function zapLogger(now: () => number, sink: (line: string) => void): Logger {
  return (level, logger, msg, fields) => {
    const time = new Date(now()).toISOString().replace(/\.(\d{3})Z$/, '.$1Z');
    const f = fields && Object.keys(fields).length > 0 ? `\t${JSON.stringify(fields).replace(/","/g, '", "').replace(/":/g, '": ')}` : '';
    sink(`${time}\t${level}\t${logger}\t${msg}${f}`);
  };
}

/** A version 4 UUID from the given bytes (github.com/google/uuid New). */
export function uuidV4(b: Uint8Array): string {
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
