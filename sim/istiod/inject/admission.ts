/**
 * istiod's sidecar-injector webhook on Pod CREATE, end to end: selector match, `injectRequired`, then
 * `injectPod`; a failure is a denial the API server words as
 * `admission webhook "<name>" denied the request: <message>` (k8s apiserver:
 * pkg/admission/plugin/webhook/errors/statuserror.go `ToStatusErr`; istio webhook.go returns
 * `Result.Message = err.Error()` with failurePolicy Fail). The injected pod still has to pass the API
 * server's validation (sim/kube/podValidation.ts) — that is where M10 is rejected.
 */
import { err, ok, simError, type Result, type SimError } from '../../core/result.ts';
import { injectPod, type InjectContext, type InjectError } from './injector.ts';
import { injectRequired, matchingWebhook } from './injectionWanted.ts';
import type { PodLike } from './templateData.ts';

export interface AdmissionOutcome {
  /** False when no webhook matched or istiod skipped the pod (the pod is stored as sent). */
  readonly injected: boolean;
  readonly pod: PodLike;
  /** The webhook that was called, if any. */
  readonly webhook?: string;
}

export type AdmissionDenied = SimError<'istiod/admission-denied'>;

export function admitPod(pod: PodLike, ctx: InjectContext & { readonly namespaceLabels: Readonly<Record<string, string>> }): Result<AdmissionOutcome, AdmissionDenied> {
  const webhook = matchingWebhook(pod, ctx.namespace, ctx.namespaceLabels, ctx.config);
  if (webhook === undefined) return ok({ injected: false, pod });
  if (!injectRequired(pod, ctx.namespace, ctx.config)) return ok({ injected: false, pod, webhook });
  const r = injectPod(pod, ctx);
  if (!r.ok) return err(denied(webhook, r.error));
  return ok({ injected: true, pod: r.value, webhook });
}

function denied(webhook: string, cause: InjectError): AdmissionDenied {
  return simError('istiod/admission-denied', `admission webhook "${webhook}" denied the request: ${cause.message}`, { webhook }, cause);
}
