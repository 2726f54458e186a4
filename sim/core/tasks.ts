import type { VirtualClock } from './clock.ts';

/**
 * Asynchronous work in flight (a bundle fetch over the network, a signature). The virtual clock
 * fires timers synchronously; before it moves on, the world waits for the work those timers started,
 * so a fetch started at t=75 s completes at t=75 s and its follow-up timer is scheduled from there.
 */
export class TaskTracker {
  private readonly pending = new Set<Promise<unknown>>();

  /** Tracks `work` until it settles; returns it unchanged. */
  track<T>(work: Promise<T>): Promise<T> {
    const p = work.finally(() => this.pending.delete(p));
    // The caller handles `work`'s failure; the tracking copy must not surface it a second time.
    p.catch(() => undefined);
    this.pending.add(p);
    return work;
  }

  get size(): number {
    return this.pending.size;
  }

  /** Resolves when nothing is in flight, including work started by work that finished meanwhile. */
  async idle(maxRounds = 10_000): Promise<void> {
    for (let round = 0; this.pending.size > 0; round++) {
      if (round >= maxRounds) throw new Error(`TaskTracker.idle: work keeps starting more work after ${maxRounds} rounds`);
      await Promise.allSettled([...this.pending]);
    }
  }
}

/**
 * Moves `clock` forward by `ms`, stopping at every due timer and awaiting `settle` there, so that
 * the asynchronous work a timer starts (a fetch begun at t+75 s) finishes at that instant, before the
 * clock moves on.
 */
export async function advanceSettled(clock: VirtualClock, ms: number, settle: () => Promise<void>): Promise<void> {
  const target = clock.now() + ms;
  await settle();
  for (let next = clock.nextDue(); next !== undefined && next <= target; next = clock.nextDue()) {
    clock.advanceTo(next);
    await settle();
  }
  clock.advanceTo(target);
  await settle();
}
