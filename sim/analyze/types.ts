/**
 * The contract of `fedlab analyze`: static diagnostics over the manifests of one or more clusters.
 * Rules are pure functions of the input (no engine, no clock); each finding names the object, the field,
 * the file and line it came from, and the catalogue row or guide claim it answers.
 */
import type { YamlDocument } from '../kube/yaml.ts';

export type Severity = 'error' | 'warning' | 'info';

/** One manifest object as the user wrote it, with where it came from. */
export interface AnalyzedObject {
  readonly cluster: string;
  readonly file: string;
  /** 1-based line of the object's document, when known. */
  readonly line?: number;
  /** The parsed document, for field positions (`doc.positionOf('spec.className')`); absent for objects built in code. */
  readonly doc?: YamlDocument;
  readonly object: Record<string, unknown>;
}

export interface ClusterInput {
  readonly name: string;
  /** From the scenario's cluster spec when known; rules otherwise infer it from the manifests. */
  readonly trustDomain?: string;
  readonly platform?: string;
  readonly versions?: Readonly<Record<string, string>>;
  readonly objects: readonly AnalyzedObject[];
}

export interface AnalyzeInput {
  readonly clusters: readonly ClusterInput[];
}

export interface ObjectRef {
  readonly apiVersion?: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

export interface Finding {
  /** Stable code, `FL0001`…; FL00xx SPIRE/ZTWIM/federation, FL01xx mesh. */
  readonly code: string;
  readonly severity: Severity;
  readonly cluster: string;
  readonly object: ObjectRef;
  readonly file?: string;
  readonly line?: number;
  /** Dotted field path inside the object (`spec.federatesWith[0]`). */
  readonly field: string;
  readonly message: string;
  /** Catalogue rows (S01, M08, F07) and guide claims (G07) this finding answers. */
  readonly refs: readonly string[];
}

export interface Rule {
  readonly code: string;
  readonly severity: Severity;
  /** One line, for `fedlab analyze --list` and docs/analyze.md. */
  readonly title: string;
  readonly refs: readonly string[];
  check(input: AnalyzeInput): readonly Finding[];
}
