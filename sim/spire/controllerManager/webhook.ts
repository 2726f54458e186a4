/**
 * The controller's validating admission webhook for ClusterSPIFFEID (`vclusterspiffeid.kb.io`) and
 * ClusterFederatedTrustDomain (`vclusterfederatedtrustdomain.kb.io`), on CREATE and UPDATE, with no
 * className check (scm:api/v1alpha1/clusterspiffeid_webhook.go, clusterfederatedtrustdomain_webhook.go).
 * Denials reach kubectl as `Error from server (Forbidden): admission webhook "…" denied the request: …`
 * (apiserver webhook errors: no code from controller-runtime's Denied → 403).
 * ClusterStaticEntry has no webhook. Only template syntax is checked, never rendering.
 */
import { err, ok, simError } from '../../core/result.ts';
import type { AdmissionHook } from '../../kube/store.ts';
import { parseClusterSpiffeIdSpec, type ClusterSpiffeIdSpec } from './clusterSpiffeId.ts';
import { parseClusterFederatedTrustDomainSpec, type ClusterFederatedTrustDomainSpec } from './federation.ts';
import { GROUP } from './resources.ts';

function denied(webhook: string, message: string) {
  const status = { code: 403, reason: 'Forbidden', message: `admission webhook ${JSON.stringify(webhook)} denied the request: ${message}` };
  return err(simError('kube/forbidden', `Error from server (Forbidden): ${status.message}`, { status, webhook }));
}

/** Install with `store.addAdmission(...)` while the controller-manager (and so its webhook) is up. */
export function controllerManagerWebhook(): AdmissionHook {
  return (obj, _old, _op, ctx) => {
    if (ctx.subresource !== undefined || ctx.kind.group !== GROUP) return ok(obj);
    if (ctx.kind.kind === 'ClusterSPIFFEID') {
      const r = parseClusterSpiffeIdSpec((obj.spec ?? {}) as ClusterSpiffeIdSpec);
      if (!r.ok) return denied('vclusterspiffeid.kb.io', r.error.message);
    } else if (ctx.kind.kind === 'ClusterFederatedTrustDomain') {
      const r = parseClusterFederatedTrustDomainSpec((obj.spec ?? {}) as ClusterFederatedTrustDomainSpec);
      if (!r.ok) return denied('vclusterfederatedtrustdomain.kb.io', r.error.message);
    }
    return ok(obj);
  };
}
