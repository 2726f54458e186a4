/**
 * The failed stages of a call, one line per failed stage in attempt order (`client-tls: curl-… rejects
 * helloworld-v2-…'s certificate …: verify cert failed: no trust bundle store …`). The world puts them on
 * its `mesh.call` event, so a scenario can point at the stage that failed even when curl only shows
 * Envoy's generic CERTIFICATE_VERIFY_FAILED, or when a retry hid the failure.
 */
import type { CallTrace } from './call.ts';

export function callFailures(trace: Pick<CallTrace, 'stages' | 'attempts'>): string[] {
  return [...trace.stages, ...trace.attempts.flatMap((a) => a.stages)].filter((s) => !s.ok).map((s) => `${s.stage}: ${s.detail}`);
}
