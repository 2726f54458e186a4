import { describe, expect, it } from 'vitest';
import { TextMemo } from '../../../sim/core/memo.ts';

describe('TextMemo', () => {
  it('computes once per (key, text), keeps undefined results, and starts over when full', () => {
    const memo = new TextMemo<string | undefined>(3);
    let calls = 0;
    const f = (k: string, t: string) => memo.get(k, t, () => (calls++, t === 'none' ? undefined : `${k}:${t}`));
    expect(f('a', 'x')).toBe('a:x');
    expect(f('a', 'x')).toBe('a:x');
    expect(f('b', 'x')).toBe('b:x');
    expect(f('a', 'none')).toBeUndefined();
    expect(f('a', 'none')).toBeUndefined();
    expect(calls).toBe(3);
    // Full (3 entries): the next new text clears the memo, then everything is computed again once.
    expect(f('c', 'y')).toBe('c:y');
    expect(calls).toBe(4);
    expect(f('a', 'x')).toBe('a:x');
    expect(calls).toBe(5);
  });
});
