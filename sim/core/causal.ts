/**
 * Causal chains as data: a failed expectation or call explains itself as stages, each pointing at
 * the objects and fields (and, when known, the manifest file and line) that produced it. The UI draws
 * them; `fedlab run` prints and JUnit-reports them. Models record provenance as they run, so a chain
 * is assembled from recorded facts, not reconstructed after the fact.
 */
export interface ObjectRef {
  readonly cluster?: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** Field path inside the object (`spec.federatesWith[0]`). */
  readonly field?: string;
  /** Manifest file and line the object (or field) came from. */
  readonly file?: string;
  readonly line?: number;
}

export interface CausalStage {
  /** What was checked: `expectation`, `command`, `object`, `cause`, `apply`, `dns`, `tls`… */
  readonly stage: string;
  readonly ok: boolean;
  readonly message: string;
  readonly refs: readonly ObjectRef[];
}

export interface CausalChain {
  readonly summary: string;
  readonly stages: readonly CausalStage[];
}

export function formatRef(r: ObjectRef): string {
  const obj = `${r.cluster ? `${r.cluster}/` : ''}${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
  const where = r.file ? ` (${r.file}${r.line !== undefined ? `:${r.line}` : ''})` : '';
  return `${obj}${r.field ? ` ${r.field}` : ''}${where}`;
}

/** A chain as indented text, for terminals and JUnit failure messages. */
export function formatChain(chain: CausalChain): string {
  const lines = [chain.summary];
  chain.stages.forEach((s, i) => {
    lines.push(`  ${i + 1}. [${s.ok ? 'ok' : 'FAILED'}] ${s.stage}: ${s.message}`);
    for (const r of s.refs) lines.push(`       ↳ ${formatRef(r)}`);
  });
  return lines.join('\n');
}
