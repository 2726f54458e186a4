/**
 * The server's answer to "which entries is this agent authorised for", kept per agent between syncs.
 * Every agent syncs each 5 s and the crawl walks all stored entries once per level; in a long scenario
 * the stored entries rarely change. The datastore replaces an entry object on every write, so the
 * same entry objects in the same order (and the same attested-node record) mean the crawl would
 * return the same list: it is reused, as the same array. A pure cache: nothing visible changes.
 */
import type { RegistrationEntry } from '../api.ts';

interface Crawl {
  readonly node: unknown;
  readonly all: readonly RegistrationEntry[];
  readonly entries: RegistrationEntry[];
}

export class AuthorizedEntriesMemo {
  private readonly byAgent = new Map<string, Crawl>();

  /** The crawl's result for `agentId` over `all`, computed by `crawl` unless the inputs are unchanged. */
  get(agentId: string, node: unknown, all: readonly RegistrationEntry[], crawl: () => RegistrationEntry[]): RegistrationEntry[] {
    const last = this.byAgent.get(agentId);
    if (last && last.node === node && sameRefs(last.all, all)) return last.entries;
    const entries = crawl();
    this.byAgent.set(agentId, { node, all, entries });
    return entries;
  }
}

function sameRefs(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
