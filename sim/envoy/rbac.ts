/**
 * Envoy's RBAC filters as Istio configures them (pilot/pkg/security/authz/builder/builder.go): CUSTOM
 * first, then DENY, then ALLOW; no ALLOW policy on the workload ⇒ allowed; otherwise a request must
 * match some ALLOW rule. An ALLOW policy without rules matches nothing. AUDIT never decides.
 * Principals are the peer's SPIFFE ID, matched exactly, by prefix/suffix (`*` rules) or by the regex
 * `namespaces` become (any trust domain, then `/ns/<ns>/`).
 * Simplified: CUSTOM providers are not modelled (a CUSTOM policy denies, as an unreachable provider does).
 */
import type { PrincipalMatcher, RbacPolicy, RbacRule } from './config.ts';

export interface RbacRequest {
  /** Peer SPIFFE ID from the mTLS handshake; undefined for plaintext. */
  readonly principal: string | undefined;
  readonly path: string;
  readonly method: string;
  readonly port: number;
}

export type RbacVerdict = { readonly allowed: true; readonly policy?: string } | { readonly allowed: false; readonly matchedPolicy: string; readonly why: string };

const policyId = (p: RbacPolicy, rule: number): string => `ns[${p.namespace}]-policy[${p.name}]-rule[${rule}]`;

function principalMatches(m: PrincipalMatcher, principal: string | undefined): boolean {
  if (principal === undefined) return false;
  if (m.exact !== undefined) return principal === m.exact;
  if (m.prefix !== undefined) return principal.startsWith(m.prefix);
  if (m.suffix !== undefined) return principal.endsWith(m.suffix);
  if (m.regex !== undefined) return new RegExp(`^(?:${m.regex})$`).test(principal);
  return false;
}

function ruleMatches(r: RbacRule, req: RbacRequest): boolean {
  if (r.principals.length && !r.principals.some((m) => principalMatches(m, req.principal))) return false;
  if (r.notPrincipals.some((m) => principalMatches(m, req.principal))) return false;
  if (r.paths.length && !r.paths.some((p) => (p.endsWith('*') ? req.path.startsWith(p.slice(0, -1)) : p.startsWith('*') ? req.path.endsWith(p.slice(1)) : p === req.path))) return false;
  if (r.methods.length && !r.methods.includes(req.method)) return false;
  if (r.ports.length && !r.ports.includes(req.port)) return false;
  return true;
}

const firstMatch = (p: RbacPolicy, req: RbacRequest): number => p.rules.findIndex((r) => ruleMatches(r, req));

export function evaluateRbac(policies: readonly RbacPolicy[], req: RbacRequest): RbacVerdict {
  for (const p of policies.filter((x) => x.action === 'CUSTOM'))
    if (firstMatch(p, req) >= 0) return { allowed: false, matchedPolicy: policyId(p, firstMatch(p, req)), why: `CUSTOM policy ${p.namespace}/${p.name} (Simplified: no ext_authz provider in the lab)` };
  for (const p of policies.filter((x) => x.action === 'DENY')) {
    const i = firstMatch(p, req);
    if (i >= 0) return { allowed: false, matchedPolicy: policyId(p, i), why: `DENY policy ${p.namespace}/${p.name} rule ${i} matches ${req.principal ?? 'a plaintext peer'}` };
  }
  const allows = policies.filter((x) => x.action === 'ALLOW');
  if (allows.length === 0) return { allowed: true };
  for (const p of allows) {
    const i = firstMatch(p, req);
    if (i >= 0) return { allowed: true, policy: policyId(p, i) };
  }
  return { allowed: false, matchedPolicy: 'none', why: `no ALLOW rule of ${allows.map((p) => `${p.namespace}/${p.name}`).join(', ')} matches principal ${req.principal ?? '(none: plaintext)'}` };
}
