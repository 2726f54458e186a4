import { describe, expect, it } from 'vitest';
import { TaskTracker } from '../../../sim/core/tasks.ts';

describe('TaskTracker', () => {
  it('waits for tracked work, including work started by work', async () => {
    const tasks = new TaskTracker();
    const order: string[] = [];
    tasks.track(
      (async () => {
        await Promise.resolve();
        order.push('first');
        tasks.track((async () => order.push('second'))());
      })(),
    );
    expect(tasks.size).toBe(1);
    await tasks.idle();
    expect(order).toEqual(['first', 'second']);
    expect(tasks.size).toBe(0);
  });

  it('keeps failures from escaping idle()', async () => {
    const tasks = new TaskTracker();
    const failing = tasks.track(Promise.reject(new Error('boom')));
    await expect(failing).rejects.toThrow('boom');
    await tasks.idle();
    expect(tasks.size).toBe(0);
  });
});
