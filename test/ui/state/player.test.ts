import { createActor, SimulatedClock } from 'xstate';
import { describe, expect, it } from 'vitest';
import { playerMachine } from '../../../ui/state/player.ts';

/** A player whose moves are recorded; the test answers them with REACHED. */
function harness() {
  const moves: number[] = [];
  const clock = new SimulatedClock();
  const actor = createActor(playerMachine.provide({ actions: { requestMove: (_, { target }) => void moves.push(target) } }), { clock });
  actor.start();
  const reach = (position: number, total = 5) => actor.send({ type: 'REACHED', position, total });
  return { actor, moves, clock, reach, state: () => actor.getSnapshot() };
}

describe('player machine', () => {
  it('steps forward and back one move at a time', () => {
    const h = harness();
    h.actor.send({ type: 'LOADED', position: 0, total: 5 });
    expect(h.state().matches('paused')).toBe(true);
    h.actor.send({ type: 'STEP' });
    expect(h.moves).toEqual([1]);
    expect(h.state().matches('moving')).toBe(true);
    h.reach(1);
    expect(h.state().context.position).toBe(1);
    h.actor.send({ type: 'BACK' });
    expect(h.moves).toEqual([1, 0]);
    h.reach(0);
    expect(h.state().matches('paused')).toBe(true);
  });

  it('queues moves asked for while one is in flight, never doubling a request', () => {
    const h = harness();
    h.actor.send({ type: 'LOADED', position: 0, total: 5 });
    h.actor.send({ type: 'STEP' });
    h.actor.send({ type: 'STEP' });
    h.actor.send({ type: 'STEP' });
    expect(h.moves).toEqual([1]);
    h.reach(1);
    expect(h.moves).toEqual([1, 3]);
    h.reach(3);
    expect(h.state().matches('paused')).toBe(true);
    expect(h.state().context.position).toBe(3);
  });

  it('plays at the chosen speed on the injected clock and stops at the end', () => {
    const h = harness();
    h.actor.send({ type: 'LOADED', position: 3, total: 5 });
    h.actor.send({ type: 'SPEED', speed: 2 });
    h.actor.send({ type: 'PLAY' });
    expect(h.moves).toEqual([]);
    h.clock.increment(499);
    expect(h.moves).toEqual([]);
    h.clock.increment(1);
    expect(h.moves).toEqual([4]);
    h.reach(4);
    h.clock.increment(500);
    expect(h.moves).toEqual([4, 5]);
    h.reach(5);
    expect(h.state().matches('paused')).toBe(true);
  });

  it('pauses, seeks, and replays from the start when played at the end', () => {
    const h = harness();
    h.actor.send({ type: 'LOADED', position: 0, total: 5 });
    h.actor.send({ type: 'PLAY' });
    h.actor.send({ type: 'PAUSE' });
    h.clock.increment(5000);
    expect(h.moves).toEqual([]);
    h.actor.send({ type: 'SEEK', position: 9 });
    expect(h.moves).toEqual([5]);
    h.reach(5);
    h.actor.send({ type: 'PLAY' });
    expect(h.moves).toEqual([5, 0]);
    h.reach(0);
    expect(h.state().matches('playing')).toBe(true);
  });

  it('a move that lands after PAUSE still updates the position', () => {
    const h = harness();
    h.actor.send({ type: 'LOADED', position: 0, total: 5 });
    h.actor.send({ type: 'PLAY' });
    h.clock.increment(1000);
    expect(h.moves).toEqual([1]);
    h.actor.send({ type: 'PAUSE' });
    h.reach(1);
    expect(h.state().context.position).toBe(1);
    expect(h.state().matches('paused')).toBe(true);
  });
});
