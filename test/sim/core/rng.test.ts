import { describe, expect, it } from 'vitest';
import { ALNUM, Rng } from '../../../sim/core/rng.ts';

describe('Rng', () => {
  it('is reproducible from its seed and differs across seeds', () => {
    const a = new Rng(42), b = new Rng(42), c = new Rng(43);
    const draw = (r: Rng) => Array.from({ length: 8 }, () => r.u32());
    const da = draw(a);
    expect(draw(b)).toEqual(da);
    expect(draw(c)).not.toEqual(da);
  });

  it('forks independent streams: one consumer never shifts another', () => {
    const root1 = new Rng('seed'), root2 = new Rng('seed');
    root2.fork('pods').u32(); // another consumer draws in between
    expect(root1.fork('serials').serial()).toBe(root2.fork('serials').serial());
  });

  it('draws in range', () => {
    const r = new Rng(1);
    for (let i = 0; i < 1000; i++) {
      const n = r.int(7);
      expect(n >= 0 && n < 7 && Number.isInteger(n)).toBe(true);
      const s = r.serial();
      expect(s >= 1n && s <= 2n ** 128n).toBe(true);
    }
    expect(r.string(32, ALNUM)).toMatch(/^[a-zA-Z0-9]{32}$/);
    expect(() => r.pick([])).toThrow(RangeError);
  });
});
