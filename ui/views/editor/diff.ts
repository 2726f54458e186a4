/**
 * The what-if diff as rows to draw, pure: the expectation tally before → after, each expectation that
 * changed (with why), and the calls grouped by how they changed (`403 → 200 served by west/helloworld-v2`),
 * so sixteen curls read as two lines instead of sixteen.
 */
import type { WhatIfResult } from '../../../sim/driver.ts';

export interface CallChange {
  readonly before: string;
  readonly after: string;
  readonly count: number;
  readonly request: string;
  readonly changed: boolean;
}

export interface WhatIfSummary {
  readonly headline: string;
  /** Every run held before and after, or the edit changed the verdict. */
  readonly verdictChanged: boolean;
  readonly expectations: readonly { readonly at: string; readonly line?: number; readonly before: string; readonly after: string; readonly message: string; readonly changed: boolean }[];
  readonly calls: readonly CallChange[];
  readonly changedCalls: number;
  readonly totalCalls: number;
}

const mark = (s: { readonly ok: boolean } | undefined): string => (s === undefined ? '—' : s.ok ? '✓' : '✗');
/** Pod names without their replica-set and pod hashes, so the same deployment groups together. */
export const workloadOf = (pod: string): string => pod.replace(/-[a-z0-9]{6,10}-[a-z0-9]{5}$/, '');

function side(s: { readonly status: number; readonly servedBy?: string } | undefined): string {
  if (!s) return 'no call';
  return s.servedBy ? `${s.status} from ${workloadOf(s.servedBy)}` : String(s.status);
}

export function summariseWhatIf(r: WhatIfResult): WhatIfSummary {
  const b = r.before;
  const a = r.after;
  const headline = `expectations holding: ${b.passed}/${b.total} → ${a.passed}/${a.total}${b.ok !== a.ok ? ` (the run now ${a.ok ? 'passes' : 'fails'})` : ''}`;
  const expectations = r.expectations.map((e) => ({ at: e.at, ...(e.line !== undefined ? { line: e.line } : {}), before: mark(e.before), after: mark(e.after), message: (e.after ?? e.before)?.message ?? '', changed: e.changed }));
  const groups = new Map<string, CallChange>();
  for (const c of r.calls) {
    const before = side(c.before);
    const after = side(c.after);
    const k = `${c.changed}|${c.request}|${before}|${after}`;
    const g = groups.get(k);
    groups.set(k, g ? { ...g, count: g.count + 1 } : { before, after, count: 1, request: c.request, changed: c.changed });
  }
  const calls = [...groups.values()].sort((x, y) => Number(y.changed) - Number(x.changed) || y.count - x.count);
  return { headline, verdictChanged: b.ok !== a.ok, expectations, calls, changedCalls: r.calls.filter((c) => c.changed).length, totalCalls: r.calls.length };
}
