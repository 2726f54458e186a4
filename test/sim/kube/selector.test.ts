import { describe, expect, it } from 'vitest';
import { labelSelectorAsSelector, parseSelector, selectorListErrorMessage } from '../../../sim/kube/selector.ts';

const parse = (s: string) => {
  const r = parseSelector(s);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const parseErr = (s: string) => {
  const r = parseSelector(s);
  return r.ok ? undefined : r.error.message;
};

describe('label selectors', () => {
  it('parses the -l syntax and matches like kube', () => {
    const s = parse('a=b,c!=d,e in (x,y),!f,g');
    expect(s.toString()).toBe('a=b,c!=d,e in (x,y),!f,g'); // sorted by key, as upstream
    expect(s.matches({ a: 'b', e: 'x', g: '' })).toBe(true);
    expect(s.matches({ a: 'b', c: 'd', e: 'x', g: '' })).toBe(false);
    expect(s.matches({ a: 'b', e: 'z', g: '' })).toBe(false);
    expect(s.matches({ a: 'b', e: 'x', g: '', f: '1' })).toBe(false);
    expect(parse('x notin (a)').matches({})).toBe(true);
    expect(parse('').matches({ any: 'thing' })).toBe(true);
    expect(parse('n>3').matches({ n: '4' })).toBe(true);
    expect(parse('value in (in, notin)').matches({ value: 'notin' })).toBe(true);
  });

  it('reports upstream parse errors', () => {
    expect(parseErr('a=b c')).toBe("found 'c', expected: ',' or 'end of string'");
    expect(parseErr('a b')).toBe("unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt");
    expect(parseErr('a,')).toBe("found '', expected: identifier after ','");
    expect(parseErr('x in a')).toBe("unable to parse requirement: found 'a' expected: '('");
    expect(parseErr('env IN (a)')).toBe("unable to parse requirement: found 'IN', expected: in, notin, =, ==, !=, gt, lt");
    expect(parseErr('x in (a b)')).toBe("unable to parse requirement: found 'b', expected: ',' or ')'");
    expect(parseErr('app:monolith')).toBe(
      "unable to parse requirement: <nil>: Invalid value: \"app:monolith\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    );
    expect(parseErr('=x')).toBe("found '=', expected: !, identifier, or 'end of string'");
  });

  it('formats the list error kubectl shows', () => {
    expect(selectorListErrorMessage('', 'v1', 'pods', 'a b', "found 'b', expected: ',' or 'end of string'")).toBe(
      'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "a b", field selector "": found \'b\', expected: \',\' or \'end of string\'',
    );
  });

  it('metav1.LabelSelector: matchLabels and matchExpressions', () => {
    const r = labelSelectorAsSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe', 'be'] }, { key: 'canary', operator: 'DoesNotExist' }, { key: 'team', operator: 'Exists' }] });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.matches({ app: 'web', tier: 'fe', team: 'x' })).toBe(true);
    expect(r.value.matches({ app: 'web', tier: 'fe', team: 'x', canary: '1' })).toBe(false);
    expect(r.value.matches({ app: 'web', tier: 'qa', team: 'x' })).toBe(false);
    const bad = labelSelectorAsSelector({ matchExpressions: [{ key: 'a', operator: 'Equals', values: ['b'] }] });
    expect(!bad.ok && bad.error.message).toBe('"Equals" is not a valid label selector operator');
    const emptyIn = labelSelectorAsSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] });
    expect(!emptyIn.ok && emptyIn.error.message).toBe("values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty");
    expect(labelSelectorAsSelector(undefined).ok && labelSelectorAsSelector(undefined)).toMatchObject({ value: { nothing: true } });
  });
});
