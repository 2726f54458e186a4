/**
 * The editor's what-if: two complete runs of the same variant and seed (files as they are, files with
 * the edits) compared expectation by expectation (by YAML path) and call by call (in order: the same
 * commands make the same calls). The causal chain of an expectation that changed says why.
 */
import type { CallTrace } from '../envoy/call.ts';
import type { ExpectationOutcome, StepOutcome } from '../scenario/index.ts';
import type { CheckResult, WhatIfResult } from '../driver.ts';

export interface RunSummary {
  readonly ok: boolean;
  readonly error?: string;
  readonly expectations: readonly ExpectationOutcome[];
  readonly calls: readonly { readonly client: string; readonly trace: CallTrace }[];
  readonly steps?: readonly StepOutcome[];
}

const tally = (r: RunSummary): WhatIfResult['before'] => ({ ok: r.ok, passed: r.expectations.filter((e) => e.ok).length, total: r.expectations.length });

export function diffRuns(before: RunSummary, after: RunSummary): WhatIfResult {
  const keys = [...new Set([...before.expectations.map((e) => e.at), ...after.expectations.map((e) => e.at)])];
  const expectations = keys.map((at) => {
    const b = before.expectations.find((e) => e.at === at);
    const a = after.expectations.find((e) => e.at === at);
    const changed = b?.ok !== a?.ok;
    const why = a && !a.ok ? a.chain : b && !b.ok ? b.chain : undefined;
    return {
      at,
      ...((a ?? b)?.line !== undefined ? { line: (a ?? b)!.line! } : {}),
      ...(b ? { before: { ok: b.ok, message: b.message } } : {}),
      ...(a ? { after: { ok: a.ok, message: a.message } } : {}),
      changed,
      ...(changed && why ? { why } : {}),
    };
  });
  const n = Math.max(before.calls.length, after.calls.length);
  const calls: WhatIfResult['calls'][number][] = [];
  for (let i = 0; i < n; i++) {
    const b = before.calls[i];
    const a = after.calls[i];
    const side = (c: typeof a): { status: number; servedBy?: string } | undefined => (c ? { status: c.trace.response.status, ...(c.trace.servedBy ? { servedBy: `${c.trace.servedBy.cluster}/${c.trace.servedBy.pod}` } : {}) } : undefined);
    const sb = side(b);
    const sa = side(a);
    const req = (a ?? b)!.trace.request;
    const changed = sb?.status !== sa?.status || (sb?.servedBy ?? '').replace(/-[a-z0-9]+-[a-z0-9]{5}$/, '') !== (sa?.servedBy ?? '').replace(/-[a-z0-9]+-[a-z0-9]{5}$/, '');
    calls.push({ index: i, client: (a ?? b)!.client, request: `${req.method} ${req.authority}${req.path}`, ...(sb ? { before: sb } : {}), ...(sa ? { after: sa } : {}), changed });
  }
  return { before: tally(before), after: tally(after), expectations, calls, diagnostics: [], ...(after.error ? { error: after.error } : before.error ? { error: before.error } : {}) };
}

/** Training's grade of one run (sim/driver.ts `check`): which expectations hold, with their chains. */
export function checkResult(r: RunSummary): CheckResult {
  const expectations = r.expectations.map((e) => ({ at: e.at, ...(e.line !== undefined ? { line: e.line } : {}), ok: e.ok, message: e.message, ...(e.chain ? { chain: e.chain } : {}) }));
  const passed = expectations.filter((e) => e.ok).length;
  return { ok: !r.error && expectations.length > 0 && passed === expectations.length, passed, total: expectations.length, expectations, ...(r.error ? { error: r.error } : {}) };
}
