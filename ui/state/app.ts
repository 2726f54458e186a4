/**
 * The app: which scenario is loading or loaded, what is selected (the inspector shows it), which
 * bottom tab is open, and the last error. Pure: the app provides `loadScenario` (call the driver,
 * then send LOADED or FAILED).
 */
import { assign, setup } from 'xstate';
import type { InspectTarget, Variant } from '../../sim/driver.ts';

export type BottomTab = 'timeline' | 'events' | 'terminal' | 'calls' | 'editor' | 'training';

export interface AppContext {
  readonly file: string | undefined;
  readonly variant: Variant;
  readonly selected: InspectTarget | undefined;
  readonly tab: BottomTab;
  readonly error: string | undefined;
}

export type AppEvent =
  | { type: 'LOAD'; file: string; variant?: Variant }
  | { type: 'LOADED' }
  | { type: 'FAILED'; message: string }
  | { type: 'SELECT'; target: InspectTarget | undefined }
  | { type: 'TAB'; tab: BottomTab };

export const appMachine = setup({
  types: { context: {} as AppContext, events: {} as AppEvent, input: {} as { file?: string; variant?: Variant } },
  actions: {
    loadScenario: (_: unknown, _params: { file: string; variant: Variant }) => undefined,
  },
}).createMachine({
  id: 'app',
  initial: 'starting',
  context: ({ input }) => ({ file: input.file, variant: input.variant ?? 'broken', selected: undefined, tab: 'timeline', error: undefined }),
  on: {
    SELECT: { actions: assign(({ event }) => ({ selected: event.target })) },
    TAB: { actions: assign(({ event }) => ({ tab: event.tab })) },
    LOAD: { target: '.loading', actions: assign(({ event, context }) => ({ file: event.file, variant: event.variant ?? context.variant, selected: undefined, error: undefined })) },
  },
  states: {
    starting: {},
    loading: {
      entry: { type: 'loadScenario', params: ({ context }) => ({ file: context.file ?? '', variant: context.variant }) },
      on: {
        LOADED: { target: 'ready' },
        FAILED: { target: 'failed', actions: assign(({ event }) => ({ error: event.message })) },
      },
    },
    ready: {},
    failed: {},
  },
});
