/**
 * A call's stages in the order a request meets them (DNS/route → endpoint → gateway/SNI → client TLS
 * → server TLS → PeerAuthentication → RBAC → app), pure: the strip the call view draws for the
 * attempt that decided the answer, each stage ok / failed / not reached, and which one failed.
 * Earlier attempts (retries on another endpoint) stay listed beside it.
 */
import type { CallView } from '../../../sim/driver.ts';

type Trace = CallView['trace'];
export type TraceStage = Trace['stages'][number];

export const PIPELINE = ['route', 'endpoint', 'connect', 'gateway', 'client-tls', 'server-tls', 'wire', 'peer-authn', 'rbac', 'app'] as const;
export type PipelineStage = (typeof PIPELINE)[number];

export const STAGE_LABEL: Record<PipelineStage, string> = {
  route: 'DNS / route',
  endpoint: 'endpoint',
  connect: 'connect',
  gateway: 'gateway / SNI',
  'client-tls': 'client TLS',
  'server-tls': 'server TLS',
  wire: 'wire (sockets)',
  'peer-authn': 'PeerAuthentication',
  rbac: 'RBAC',
  app: 'app',
};

/** Stages every call shows even when the trace has no entry for them (not reached, or not on the path). */
const ALWAYS: readonly PipelineStage[] = ['route', 'endpoint', 'client-tls', 'server-tls', 'rbac', 'app'];

export interface StripCell {
  readonly stage: PipelineStage;
  readonly label: string;
  readonly status: 'ok' | 'fail' | 'not-reached';
  /** Index into `rows` of the stage's entry. */
  readonly row?: number;
}

export interface StageRow {
  readonly stage: string;
  readonly label: string;
  readonly ok: boolean;
  readonly detail: string;
  readonly refs: readonly { readonly cluster?: string; readonly kind: string; readonly namespace?: string; readonly name: string }[];
  /** Attempt number (1-based), absent for the stages before any attempt (route, endpoint). */
  readonly attempt?: number;
  readonly endpoint?: string;
  readonly wire?: unknown;
}

export interface CallStages {
  readonly rows: readonly StageRow[];
  /** The deciding attempt's strip (the last attempt, or the pre-attempt stages when none was made). */
  readonly strip: readonly StripCell[];
  /** Index into rows of the first failing stage on the deciding path. */
  readonly failing?: number;
  readonly attempts: number;
  readonly summary: string;
}

const label = (s: string): string => STAGE_LABEL[s as PipelineStage] ?? s;

export function callStages(call: CallView): CallStages {
  const t = call.trace;
  const rows: StageRow[] = [];
  const push = (s: TraceStage, attempt?: number, endpoint?: string): number => {
    rows.push({ stage: s.stage, label: label(s.stage), ok: s.ok, detail: s.detail, refs: s.refs ?? [], ...(attempt !== undefined ? { attempt, endpoint } : {}), ...(s.wire ? { wire: s.wire } : {}) });
    return rows.length - 1;
  };
  const deciding: number[] = t.stages.map((s) => push(s));
  t.attempts.forEach((a, i) => {
    const idx = a.stages.map((s) => push(s, i + 1, a.endpoint));
    if (i === t.attempts.length - 1) deciding.push(...idx);
  });
  const failing = deciding.find((i) => !rows[i]!.ok);
  const present = new Set(deciding.map((i) => rows[i]!.stage));
  const cells: StripCell[] = [];
  let failed = false;
  for (const stage of PIPELINE) {
    const i = deciding.find((r) => rows[r]!.stage === stage);
    if (i === undefined) {
      if (ALWAYS.includes(stage) && !present.has(stage)) cells.push({ stage, label: label(stage), status: 'not-reached' });
      continue;
    }
    const ok = rows[i]!.ok && !failed;
    cells.push({ stage, label: label(stage), status: failed ? 'not-reached' : ok ? 'ok' : 'fail', row: i });
    if (!rows[i]!.ok) failed = true;
  }
  // A 2xx from the app has no `app` stage in some traces: mark it reached when the app answered.
  const appCell = cells.find((c) => c.stage === 'app');
  const strip = appCell && appCell.status === 'not-reached' && call.ok && t.servedBy ? cells.map((c) => (c.stage === 'app' ? { ...c, status: 'ok' as const } : c)) : cells;
  const status = `${t.response.status}${t.localReply ? ` ${t.localReply.responseCodeDetails}` : ''}`;
  const summary = failing !== undefined ? `${status}: failed at ${rows[failing]!.label} — ${rows[failing]!.detail}` : `${status}${t.servedBy ? ` from ${t.servedBy.cluster}/${t.servedBy.pod}` : ''}`;
  return { rows, strip, ...(failing !== undefined ? { failing } : {}), attempts: t.attempts.length, summary };
}

/** `east/default/curl-… → GET helloworld:5000/hello`. */
export const callTitle = (c: CallView): string => `${c.client.cluster}/${c.client.pod} → ${c.trace.request.method} ${c.trace.request.authority}${c.trace.request.path}`;
