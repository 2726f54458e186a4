import { describe, expect, it } from 'vitest';
import { evaluateRule, isTransitionRule, unescapeProperty } from '../../../../sim/kube/schema/cel.ts';

const ev = (rule: string, self: unknown, oldSelf: unknown = null) => evaluateRule(rule, { self, oldSelf });

describe('CEL subset', () => {
  it('evaluates the ZTWIM rules', () => {
    expect(ev("self.metadata.name == 'cluster'", { metadata: { name: 'cluster' } }).kind).toBe('pass');
    expect(ev("self.metadata.name == 'cluster'", { metadata: { name: 'x' } }).kind).toBe('fail');
    const rule = 'oldSelf == null || !has(oldSelf.spec.federation) || has(self.spec.federation)';
    expect(ev(rule, { spec: {} }, null).kind).toBe('pass');
    expect(ev(rule, { spec: {} }, { spec: { federation: {} } }).kind).toBe('fail');
    expect(ev("self.type != 'hostCert' || (has(self.hostCertBasePath) && self.hostCertBasePath != '')", { type: 'hostCert', hostCertBasePath: '' }).kind).toBe('fail');
    expect(ev("self.profile == 'https_web' ? has(self.httpsWeb) : true", { profile: 'https_spiffe' }).kind).toBe('pass');
  });

  it('evaluates Sail rules: escaped property names, arithmetic on ternaries, size()', () => {
    expect(unescapeProperty('__namespace__')).toBe('namespace');
    expect(unescapeProperty('a__dash__b__dot__c')).toBe('a-b.c');
    const spec = { namespace: 'istio-system', values: { global: { istioNamespace: 'istio-system' } } };
    expect(ev('self.values.global.istioNamespace == self.__namespace__', spec).kind).toBe('pass');
    expect(ev('(has(self.fromCidr)?1:0) + (has(self.fromRegistry)?1:0) <= 1', { fromCidr: 'a', fromRegistry: 'b' }).kind).toBe('fail');
    const rev = "self.metadata.name == 'default' ? (!has(self.spec.values.revision) || size(self.spec.values.revision) == 0) : self.spec.values.revision == self.metadata.name";
    expect(ev(rev, { metadata: { name: 'default' }, spec: { values: { revision: '' } } }).kind).toBe('pass');
  });

  it('supports string functions, in, macros and the URL library', () => {
    expect(ev("self.lowerAscii() != 'cookie'", 'Cookie').kind).toBe('fail');
    expect(ev("self.startsWith('spiffe://') && self.matches('^spiffe://[a-z.]+/')", 'spiffe://a.b/x').kind).toBe('pass');
    expect(ev("self in ['a', 'b']", 'b').kind).toBe('pass');
    expect(ev('self.all(x, x > 0) && self.exists_one(x, x == 2) && self.filter(x, x > 1).size() == 2', [1, 2, 3]).kind).toBe('pass');
    expect(ev("isURL(self) && url(self).getScheme() == 'https' && url(self).getHost() == 'e.com:8443'", 'https://e.com:8443/x').kind).toBe('pass');
    expect(ev("duration(self) >= duration('1ms')", '10s').kind).toBe('pass');
    expect(ev("self.split('/').size() == 3", 'a/b/c').kind).toBe('pass');
  });

  it('reports a missing key as an evaluation error, absorbed by || when decided', () => {
    expect(ev('self.a == 1', {})).toEqual({ kind: 'error', message: 'no such key: a' });
    expect(ev('true || self.a == 1', {}).kind).toBe('pass');
    expect(ev('self.a == 1 || true', {}).kind).toBe('pass');
  });

  it('says which rules it cannot evaluate instead of passing them', () => {
    expect(ev('self.reverse() == 1', 'x').kind).toBe('unsupported');
    expect(ev('self.?a.orValue(1) == 1', {}).kind).toBe('unsupported');
    expect(ev('self ==', {}).kind).toBe('unsupported');
  });

  it('recognises transition rules', () => {
    expect(isTransitionRule('self == oldSelf')).toBe(true);
    expect(isTransitionRule("self.metadata.name == 'cluster'")).toBe(false);
  });
});
