import { describe, expect, it } from 'vitest';
import { applyMergePatch, createThreeWayMergePatch } from '../../../../sim/kube/patch/mergePatch.ts';

const doc = { metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 2, args: ['a', 'b'] } };

describe('JSON merge patch (RFC 7386)', () => {
  it('null deletes, objects merge, lists replace', () => {
    const out = applyMergePatch(doc, { metadata: { labels: { app: null, tier: 'fe' } }, spec: { args: ['only'] } });
    expect(out).toEqual({ metadata: { name: 'web', labels: { tier: 'fe' } }, spec: { replicas: 2, args: ['only'] } });
  });

  it('three-way: removed from the file → deleted; set only live → kept; lists whole', () => {
    const original = { spec: { a: 1, b: 2, list: [1, 2] } };
    const modified = { spec: { a: 1, list: [1] } };
    const current = { spec: { a: 1, b: 2, c: 3, list: [1, 2] } };
    const p = createThreeWayMergePatch(original, modified, current);
    expect(p).toEqual({ spec: { b: null, list: [1] } });
    expect(applyMergePatch(current, p)).toEqual({ spec: { a: 1, c: 3, list: [1] } });
  });
});
