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
  /**
   * Only what a patch wrote: the object itself is created by an operator or controller (a ConfigMap the
   * ZTWIM operator renders), not by the manifests analyzed. Rules that judge a whole object skip these.
   */
  readonly partial?: boolean;
  /** Changed (patched, labelled or re-applied) after it was first created: a later step, not the initial manifests. */
  readonly changed?: boolean;
  /** When it was last written, in input order (0: the initial manifests; scenario steps count up). */
  readonly revision?: number;
  /**
   * The scenario step that wrote it expects the command to fail (`expect: { exitCode: 1 }`): it shows a
   * rejected input, nothing is created. Findings on it say so at info severity.
   */
  readonly refused?: { readonly exitCode: number };
}

export interface ClusterInput {
  readonly name: string;
  /** From the scenario's cluster spec when known; rules otherwise infer it from the manifests. */
  readonly trustDomain?: string;
  readonly platform?: string;
  /** How SPIRE is provisioned (`plain`, `helm`, `ztwim`), from the scenario's cluster spec. */
  readonly profile?: string;
  /** Istio network (`topology.istio.io/network`), from the scenario's cluster spec. */
  readonly network?: string;
  readonly versions?: Readonly<Record<string, string>>;
  readonly objects: readonly AnalyzedObject[];
}

/** A `kubectl|oc exec` a scenario step runs (rules check what a command relies on, e.g. a binary's path). */
export interface ExecCommand {
  readonly cluster: string;
  readonly file: string;
  readonly line?: number;
  readonly namespace: string;
  /** The pod as written: `spire-server-0`, `deploy/x`. */
  readonly target: string;
  readonly container?: string;
  /** The command after `--`. */
  readonly argv: readonly string[];
  readonly command: string;
}

export interface AnalyzeInput {
  readonly clusters: readonly ClusterInput[];
  /** `exec` commands of a scenario's steps, in order. */
  readonly execs?: readonly ExecCommand[];
  /** What the input is (`s01-… (broken)`, a directory), for reports. */
  readonly label?: string;
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
