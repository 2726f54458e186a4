/**
 * Skipping a periodic reconcile pass that would repeat a silent one (a lab optimisation, invisible by
 * construction). The controller manager re-runs each reconciler every gcInterval (10 s); in a long
 * scenario nearly every such pass reads what the previous one read and then writes and logs nothing.
 * A pass is skipped only when
 * 1. the previous full pass was silent: it logged nothing and wrote nothing (store or SPIRE);
 * 2. no store object of a kind the pass reads changed since that pass began (the controller's watches
 *    call `touch`; its own writes would too, but a silent pass made none);
 * 3. its other inputs are the same values, compared by identity: the SPIRE datastore replaces an entry
 *    or relationship object on every write, so equal references mean unchanged rows; flags such as
 *    "server serving" and "probe due" are compared as values.
 * The full pass would then compute the same declared state against the same current state and, like
 * its predecessor, do nothing; a pass that draws randomness (entry IDs) or depends on time (the
 * unsupported-fields probe) is never skipped, because it is never silent or its inputs differ.
 * A gate whose watches could not all be set up (a CRD missing when the controller started) never skips.
 */
export class QuietPassGate {
  private changed = true;
  private lastInputs: readonly unknown[] | undefined;
  private disabled = false;

  /** Something the pass reads changed, or a full pass is wanted. */
  touch(): void {
    this.changed = true;
  }

  /** The watches are incomplete: always run the full pass. */
  disable(): void {
    this.disabled = true;
  }

  /** Whether the pass may be skipped, given its non-store inputs now. */
  canSkip(inputs: readonly unknown[]): boolean {
    const last = this.lastInputs;
    if (this.disabled || this.changed || last === undefined || last.length !== inputs.length) return false;
    for (let i = 0; i < last.length; i++) if (last[i] !== inputs[i]) return false;
    return true;
  }

  /** Right before a full pass: changes seen from now on count against the next one. */
  begin(): void {
    this.changed = false;
    this.lastInputs = undefined;
  }

  /** After a full pass: `silent` when it logged and wrote nothing; `inputs` as read after it. */
  end(silent: boolean, inputs: readonly unknown[]): void {
    this.lastInputs = silent ? inputs : undefined;
  }
}
