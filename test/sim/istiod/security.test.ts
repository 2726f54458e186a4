import { describe, expect, it } from 'vitest';
import { evaluateRbac } from '../../../sim/envoy/rbac.ts';
import { DEFAULT_MESH } from '../../../sim/istiod/meshConfig.ts';
import { authorizationPolicies, peerAuthentication } from '../../../sim/istiod/security.ts';
import { fakeStore, obj } from './fakeStore.ts';

const mesh = { ...DEFAULT_MESH, trustDomain: 'east.local' };
const w = { namespace: 'default', labels: { app: 'helloworld' } };
const ap = (name: string, spec: Record<string, unknown>, ns = 'default') => obj('security.istio.io/v1', 'AuthorizationPolicy', name, ns, { spec });
const req = (principal: string | undefined) => ({ principal, path: '/hello', method: 'GET', port: 5000 });

describe('AuthorizationPolicy → RBAC', () => {
  it('a principal written with spiffe:// never matches (G07); without it, it does', () => {
    const bad = authorizationPolicies(fakeStore([ap('allow', { rules: [{ from: [{ source: { principals: ['spiffe://west.local/ns/default/sa/curl'] } }] }] })]), mesh, w, 'east');
    expect(evaluateRbac(bad, req('spiffe://west.local/ns/default/sa/curl'))).toMatchObject({ allowed: false, matchedPolicy: 'none' });
    const good = authorizationPolicies(fakeStore([ap('allow', { rules: [{ from: [{ source: { principals: ['west.local/ns/default/sa/curl'] } }] }] })]), mesh, w, 'east');
    expect(evaluateRbac(good, req('spiffe://west.local/ns/default/sa/curl'))).toMatchObject({ allowed: true, policy: 'ns[default]-policy[allow]-rule[0]' });
  });

  it('trust domain aliases make a local principal admit the alias domain too', () => {
    const store = fakeStore([ap('allow', { rules: [{ from: [{ source: { principals: ['east.local/ns/default/sa/curl'] } }] }] })]);
    expect(evaluateRbac(authorizationPolicies(store, mesh, w, 'east'), req('spiffe://west.local/ns/default/sa/curl')).allowed).toBe(false);
    expect(evaluateRbac(authorizationPolicies(store, { ...mesh, trustDomainAliases: ['west.local'] }, w, 'east'), req('spiffe://west.local/ns/default/sa/curl')).allowed).toBe(true);
  });

  it('namespaces match any trust domain; DENY wins over ALLOW; an empty ALLOW denies all', () => {
    const store = fakeStore([ap('allow-ns', { rules: [{ from: [{ source: { namespaces: ['default'] } }] }] }), ap('deny-curl', { action: 'DENY', rules: [{ from: [{ source: { principals: ['*/sa/curl'] } }] }] })]);
    const policies = authorizationPolicies(store, mesh, w, 'east');
    expect(evaluateRbac(policies, req('spiffe://west.local/ns/default/sa/sleep')).allowed).toBe(true);
    expect(evaluateRbac(policies, req('spiffe://west.local/ns/default/sa/curl'))).toMatchObject({ allowed: false, matchedPolicy: 'ns[default]-policy[deny-curl]-rule[0]' });
    expect(evaluateRbac(authorizationPolicies(fakeStore([ap('deny-all', {})]), mesh, w, 'east'), req('spiffe://east.local/ns/default/sa/curl')).allowed).toBe(false);
  });
});

describe('PeerAuthentication', () => {
  const pa = (name: string, ns: string, spec: Record<string, unknown>) => obj('security.istio.io/v1', 'PeerAuthentication', name, ns, { spec });
  it('workload selector beats namespace beats root namespace; default PERMISSIVE', () => {
    expect(peerAuthentication(fakeStore([]), mesh, w, 'east').mode).toBe('PERMISSIVE');
    const store = fakeStore([pa('mesh', 'istio-system', { mtls: { mode: 'STRICT' } }), pa('ns', 'default', { mtls: { mode: 'PERMISSIVE' } }), pa('hw', 'default', { selector: { matchLabels: { app: 'helloworld' } }, mtls: { mode: 'DISABLE' } })]);
    expect(peerAuthentication(store, mesh, w, 'east')).toMatchObject({ mode: 'DISABLE', source: { name: 'hw' } });
    expect(peerAuthentication(store, mesh, { namespace: 'default', labels: {} }, 'east').mode).toBe('PERMISSIVE');
    expect(peerAuthentication(store, mesh, { namespace: 'other', labels: {} }, 'east').mode).toBe('STRICT');
  });
});
