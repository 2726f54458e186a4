import { describe, expect, it } from 'vitest';
import { applyJsonPatch } from '../../../../sim/kube/patch/jsonPatch.ts';

const doc = { metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 2, args: ['a', 'b'] } };

describe('JSON patch (RFC 6902)', () => {
  it('add, remove, replace, move, copy and test', () => {
    const r = applyJsonPatch(doc, [
      { op: 'test', path: '/spec/replicas', value: 2 },
      { op: 'add', path: '/spec/args/-', value: 'c' },
      { op: 'add', path: '/spec/args/0', value: 'z' },
      { op: 'replace', path: '/spec/replicas', value: 3 },
      { op: 'remove', path: '/metadata/labels/app' },
      { op: 'copy', from: '/metadata/name', path: '/metadata/labels/copied' },
      { op: 'move', from: '/spec/args', path: '/spec/command' },
      { op: 'add', path: '/metadata/annotations', value: { 'a~b/c': 'x' } },
      { op: 'test', path: '/metadata/annotations/a~0b~1c', value: 'x' },
    ]);
    expect(r.ok && r.value).toEqual({
      metadata: { name: 'web', labels: { copied: 'web' }, annotations: { 'a~b/c': 'x' } },
      spec: { replicas: 3, command: ['z', 'a', 'b', 'c'] },
    });
    expect(doc.spec.replicas).toBe(2); // input untouched
  });

  it('a failing test refuses the whole patch with kube\'s 422 wording', () => {
    const r = applyJsonPatch(doc, [
      { op: 'replace', path: '/spec/replicas', value: 5 },
      { op: 'test', path: '/spec/replicas', value: 9 },
    ]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('kube/json-patch-failed');
    expect(r.error.message).toBe('The request is invalid: the server rejected our request due to an error in our request');
    expect(r.error.detail?.cause).toBe('testing value /spec/replicas failed: test failed');
  });

  it('paths that do not exist fail (remove, replace, add under a missing parent)', () => {
    for (const [op, cause] of [
      [{ op: 'remove', path: '/spec/affinity' }, 'remove operation does not apply: doc is missing path: "/spec/affinity": missing value'],
      [{ op: 'replace', path: '/spec/paused', value: true }, 'replace operation does not apply: doc is missing key: /spec/paused: missing value'],
      [{ op: 'add', path: '/metadata/annotations/x', value: 'y' }, 'add operation does not apply: doc is missing path: "/metadata/annotations/x": missing value'],
    ] as const) {
      const r = applyJsonPatch(doc, [op]);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.message).toBe('The request is invalid: the server rejected our request due to an error in our request');
        expect(r.error.detail?.cause).toBe(cause);
      }
    }
  });

  it('a patch that is not a list is a bad request', () => {
    const r = applyJsonPatch(doc, { op: 'add' });
    expect(!r.ok && r.error.message).toBe('Error from server (BadRequest): json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  });
});
