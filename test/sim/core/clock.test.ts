import { describe, expect, it } from 'vitest';
import { ClockLimitError, VirtualClock } from '../../../sim/core/clock.ts';
import { MINUTE } from '../../../sim/core/duration.ts';

const T0 = Date.UTC(2026, 10, 22, 12);

describe('VirtualClock', () => {
  it('moves only when told and fires timers in due order, each at its own time', () => {
    const clock = new VirtualClock(T0);
    const seen: [string, number][] = [];
    clock.setTimeout(() => seen.push(['refresh', clock.now()]), 5 * MINUTE);
    clock.setTimeout(() => seen.push(['sync', clock.now()]), 5_000);
    expect(clock.now()).toBe(T0);
    const report = clock.advance(10 * MINUTE);
    expect(seen).toEqual([['sync', T0 + 5_000], ['refresh', T0 + 5 * MINUTE]]);
    expect(report).toEqual({ fired: 2, from: T0, to: T0 + 10 * MINUTE });
    expect(clock.now()).toBe(T0 + 10 * MINUTE);
  });

  it('breaks ties by insertion order', () => {
    const clock = new VirtualClock(T0);
    const order: number[] = [];
    for (let i = 0; i < 20; i++) clock.setTimeout(() => order.push(i), 1000);
    clock.advance(1000);
    expect(order).toEqual([...Array(20).keys()]);
  });

  it('runs timers scheduled by timers within the same advance, and honours cancellation', () => {
    const clock = new VirtualClock(T0);
    const log: string[] = [];
    const cancelled = clock.setTimeout(() => log.push('cancelled'), 10);
    clock.setTimeout(() => {
      log.push('a');
      clock.setTimeout(() => log.push('b'), 10);
    }, 10);
    clock.clearTimeout(cancelled);
    clock.advance(25);
    expect(log).toEqual(['a', 'b']);
    expect(clock.pending).toBe(0);
  });

  it('runUntilIdle jumps to each timer, stops at a horizon, and refuses to spin forever', () => {
    const clock = new VirtualClock(T0);
    let ticks = 0;
    const tick = () => {
      ticks++;
      clock.setTimeout(tick, MINUTE);
    };
    clock.setTimeout(tick, MINUTE);
    clock.runUntilIdle({ until: T0 + 10 * MINUTE });
    expect(ticks).toBe(10);
    expect(clock.now()).toBe(T0 + 10 * MINUTE);
    expect(() => clock.runUntilIdle({ maxTimers: 50 })).toThrow(ClockLimitError);
  });

  it('rejects going backwards', () => {
    expect(() => new VirtualClock(T0).advance(-1)).toThrow(RangeError);
  });
});
