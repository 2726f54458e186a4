/**
 * M08 / G07: AuthorizationPolicy principals are written `<trust-domain>/ns/<ns>/sa/<sa>`; istiod prepends
 * `spiffe://` itself, so `spiffe://td/…` becomes `spiffe://spiffe://td/…` and never matches
 * (istio: pilot/pkg/security/authz/model/generator.go `srcPrincipalGenerator`). Validation accepts it.
 * With it in the only ALLOW rule every request gets `RBAC: access denied` (seed 003 §2).
 */
import type { Finding, Rule } from '../../types.ts';
import { arr, describe, finding, obj, ofKind, specOf, str } from './facts.ts';

export const principalSpiffePrefix: Rule = {
  code: 'FL0112',
  severity: 'error',
  title: 'AuthorizationPolicy principal written with spiffe:// never matches',
  refs: ['M08', 'G07'],
  check(input) {
    const out: Finding[] = [];
    for (const c of input.clusters) {
      for (const ap of ofKind(c, 'AuthorizationPolicy')) {
        const action = str(specOf(ap).action) ?? 'ALLOW';
        arr(specOf(ap).rules).forEach((r, i) => {
          arr(obj(r).from).forEach((f, j) => {
            for (const key of ['principals', 'notPrincipals'] as const) {
              arr(obj(obj(f).source)[key]).forEach((p, k) => {
                if (typeof p !== 'string' || !p.startsWith('spiffe://')) return;
                const fixed = p.slice('spiffe://'.length);
                const effect = key === 'principals'
                  ? action === 'ALLOW'
                    ? 'the rule never matches, so callers it was meant to admit get "RBAC: access denied" (403) — with no other ALLOW rule, every request does'
                    : `the ${action} rule never matches, so it never applies`
                  : 'the exclusion never matches, so it excludes nobody';
                out.push(finding(principalSpiffePrefix, ap, `spec.rules[${i}].from[${j}].source.${key}[${k}]`,
                  `${describe(ap)}: ${key} entry "${p}" carries the spiffe:// scheme; istiod prepends spiffe:// itself (the matcher becomes "spiffe://${p}"), so ${effect}. Write "${fixed}".`));
              });
            }
          });
        });
      }
    }
    return out;
  },
};
