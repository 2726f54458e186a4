/**
 * Where each object came from: the manifest file and YAML document it was applied from, so any
 * field of it can be traced back to a file and line in a causal chain.
 */
import type { ObjectRef } from '../core/causal.ts';
import type { YamlDocument } from '../kube/yaml.ts';

export interface Origin {
  readonly file: string;
  readonly doc: YamlDocument;
}

const key = (kind: string, namespace: string | undefined, name: string): string => `${kind.toLowerCase()}/${namespace ?? ''}/${name}`;

export class Provenance {
  private readonly origins = new Map<string, Origin>();

  record(kind: string, namespace: string | undefined, name: string, origin: Origin): void {
    this.origins.set(key(kind, namespace, name), origin);
  }

  originOf(kind: string, namespace: string | undefined, name: string): Origin | undefined {
    return this.origins.get(key(kind, namespace, name));
  }

  /** A reference with the file and line of `field` (or of its nearest present parent). */
  locate(cluster: string, kind: string, namespace: string | undefined, name: string, field?: string): ObjectRef {
    const origin = this.originOf(kind, namespace, name);
    const base: ObjectRef = { cluster, kind, name, ...(namespace ? { namespace } : {}), ...(field ? { field } : {}) };
    if (!origin) return base;
    const line = field ? origin.doc.locate(field).position.line : origin.doc.start.line;
    return { ...base, file: origin.file, line };
  }
}
