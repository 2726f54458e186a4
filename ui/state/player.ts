/**
 * The player: where the run is (position of total), whether it is playing, how fast, and which move
 * it has asked the driver for. Pure: the machine only decides; the app provides `requestMove`
 * (call the driver, then send REACHED), and delays come from xstate's clock (a SimulatedClock in tests).
 *
 *   empty ─LOADED→ paused ─PLAY→ playing (wait 1/speed s → request next → REACHED → wait … → end → paused)
 *                   paused ─STEP/SEEK/END→ moving ─REACHED→ paused
 * A move in flight is never doubled: PLAY/STEP/SEEK while moving are queued as the next target.
 */
import { assign, setup } from 'xstate';

export const SPEEDS = [0.5, 1, 2, 4, 8] as const;

export interface PlayerContext {
  readonly position: number;
  readonly total: number;
  /** Steps per second while playing. */
  readonly speed: number;
  /** Where the last requested move goes. */
  readonly target: number | undefined;
  /** A move asked for while another was in flight. */
  readonly queued: number | undefined;
}

export type PlayerEvent =
  | { type: 'LOADED'; position: number; total: number }
  | { type: 'PLAY' }
  | { type: 'PAUSE' }
  | { type: 'STEP' }
  | { type: 'BACK' }
  | { type: 'SEEK'; position: number }
  | { type: 'END' }
  | { type: 'SPEED'; speed: number }
  | { type: 'REACHED'; position: number; total: number }
  | { type: 'FAILED' };

const clamp = (n: number, total: number): number => Math.max(0, Math.min(total, n));

export const playerMachine = setup({
  types: { context: {} as PlayerContext, events: {} as PlayerEvent },
  actions: {
    /** Provided by the app: ask the driver to move to `target`. */
    requestMove: (_: unknown, _params: { target: number }) => undefined,
  },
  delays: {
    tick: ({ context }) => Math.round(1000 / context.speed),
  },
  guards: {
    atEnd: ({ context }) => context.position >= context.total,
    hasQueued: ({ context }) => context.queued !== undefined && context.queued !== context.position,
  },
}).createMachine({
  id: 'player',
  initial: 'empty',
  context: { position: 0, total: 0, speed: 1, target: undefined, queued: undefined },
  on: {
    LOADED: { target: '.paused', actions: assign(({ event }) => ({ position: event.position, total: event.total, target: undefined, queued: undefined })) },
    SPEED: { actions: assign(({ event }) => ({ speed: event.speed > 0 ? event.speed : 1 })) },
    // A move that lands after PAUSE still moves the player.
    REACHED: { actions: assign(({ event }) => ({ position: event.position, total: event.total })) },
  },
  states: {
    empty: {},
    paused: {
      on: {
        PLAY: [{ guard: 'atEnd', target: 'moving.replay' }, { target: 'playing' }],
        STEP: { guard: ({ context }) => context.position < context.total, target: 'moving', actions: assign(({ context }) => ({ target: context.position + 1 })) },
        BACK: { guard: ({ context }) => context.position > 0, target: 'moving', actions: assign(({ context }) => ({ target: context.position - 1 })) },
        SEEK: { target: 'moving', actions: assign(({ context, event }) => ({ target: clamp(event.position, context.total) })) },
        END: { target: 'moving', actions: assign(({ context }) => ({ target: context.total })) },
      },
    },
    moving: {
      initial: 'go',
      states: {
        go: { entry: { type: 'requestMove', params: ({ context }) => ({ target: context.target ?? context.position }) } },
        /** PLAY at the end starts over from the beginning. */
        replay: { entry: [assign({ target: 0 }), { type: 'requestMove', params: { target: 0 } }], on: { REACHED: { target: '#player.playing', actions: assign(({ event }) => ({ position: event.position, total: event.total })) } } },
      },
      on: {
        REACHED: [
          { guard: ({ context, event }) => context.queued !== undefined && context.queued !== event.position, target: 'moving', reenter: true, actions: assign(({ context, event }) => ({ position: event.position, total: event.total, target: context.queued, queued: undefined })) },
          { target: 'paused', actions: assign(({ event }) => ({ position: event.position, total: event.total, target: undefined, queued: undefined })) },
        ],
        FAILED: { target: 'paused', actions: assign({ target: undefined, queued: undefined }) },
        SEEK: { actions: assign(({ context, event }) => ({ queued: clamp(event.position, context.total) })) },
        STEP: { actions: assign(({ context }) => ({ queued: clamp((context.queued ?? context.target ?? context.position) + 1, context.total) })) },
        BACK: { actions: assign(({ context }) => ({ queued: clamp((context.queued ?? context.target ?? context.position) - 1, context.total) })) },
        END: { actions: assign(({ context }) => ({ queued: context.total })) },
      },
    },
    playing: {
      initial: 'waiting',
      on: {
        PAUSE: { target: 'paused' },
        SEEK: { target: 'moving', actions: assign(({ context, event }) => ({ target: clamp(event.position, context.total) })) },
        FAILED: { target: 'paused' },
      },
      states: {
        waiting: {
          always: { guard: 'atEnd', target: '#player.paused' },
          after: { tick: 'requesting' },
        },
        requesting: {
          entry: [assign(({ context }) => ({ target: context.position + 1 })), { type: 'requestMove', params: ({ context }) => ({ target: context.position + 1 }) }],
          on: { REACHED: { target: 'waiting', actions: assign(({ event }) => ({ position: event.position, total: event.total, target: undefined })) } },
        },
      },
    },
  },
});
