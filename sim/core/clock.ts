/**
 * The one source of time. The engine reads `now()` and schedules work only through a Clock passed
 * in; this is the only file in sim/ allowed to touch the wall clock or real timers (lint enforces it).
 * The shape (now/setTimeout/clearTimeout) is what xstate's `clock` option expects.
 */
import { TimerQueue } from './scheduler.ts';

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  setTimeout(fn: () => void, ms: number, label?: string): number;
  clearTimeout(id: number): void;
}

export interface AdvanceReport {
  readonly fired: number;
  readonly from: number;
  readonly to: number;
}

export class ClockLimitError extends Error {}

/**
 * A clock that moves only when told. Timers fire in due order (ties in insertion order), each with
 * `now()` equal to its due time, so "5 minutes later the bundle refreshes" runs in microseconds.
 */
export class VirtualClock implements Clock {
  private current: number;
  private readonly queue = new TimerQueue();

  constructor(startMs: number) {
    if (!Number.isFinite(startMs)) throw new RangeError(`VirtualClock: start time must be finite, got ${startMs}`);
    this.current = Math.floor(startMs);
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number, label = ''): number {
    const delay = Number.isFinite(ms) && ms > 0 ? ms : 0;
    return this.queue.push(this.current + delay, fn, label);
  }

  clearTimeout(id: number): void {
    this.queue.cancel(id);
  }

  /** Schedules at an absolute time (clamped to now). */
  at(timeMs: number, fn: () => void, label = ''): number {
    return this.queue.push(Math.max(timeMs, this.current), fn, label);
  }

  get pending(): number {
    return this.queue.size;
  }

  /** Time of the next pending timer, if any. */
  nextDue(): number | undefined {
    return this.queue.peek()?.due;
  }

  /** Moves time forward by `ms`, firing every timer due on the way (including ones they schedule). */
  advance(ms: number): AdvanceReport {
    if (!(ms >= 0)) throw new RangeError(`VirtualClock.advance: duration must be >= 0, got ${ms}`);
    return this.advanceTo(this.current + ms);
  }

  advanceTo(target: number): AdvanceReport {
    const from = this.current;
    let fired = 0;
    for (let next = this.queue.peek(); next !== undefined && next.due <= target; next = this.queue.peek()) {
      this.queue.pop();
      this.current = Math.max(this.current, next.due);
      next.fn();
      fired++;
    }
    this.current = Math.max(this.current, target);
    return { fired, from, to: this.current };
  }

  /**
   * Fires timers until none is left, jumping time to each. Bounded: periodic work (a refresh every
   * few minutes) never goes idle, so callers give a horizon and a step limit.
   */
  runUntilIdle(opts: { maxTimers?: number; until?: number } = {}): AdvanceReport {
    const maxTimers = opts.maxTimers ?? 100_000;
    const from = this.current;
    let fired = 0;
    for (let next = this.queue.peek(); next !== undefined; next = this.queue.peek()) {
      if (opts.until !== undefined && next.due > opts.until) break;
      if (fired >= maxTimers) throw new ClockLimitError(`VirtualClock.runUntilIdle: more than ${maxTimers} timers fired; is something rescheduling itself forever?`);
      this.queue.pop();
      this.current = Math.max(this.current, next.due);
      next.fn();
      fired++;
    }
    return { fired, from, to: this.current };
  }
}

/** Wall-clock time and real timers, for the live server and the cluster adapter. */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms) as unknown as number,
  clearTimeout: (id) => globalThis.clearTimeout(id),
};

/** ASN.1 times have one-second resolution: certificate dates are cut to whole seconds. */
export const toWholeSeconds = (ms: number): number => Math.floor(ms / 1000) * 1000;
