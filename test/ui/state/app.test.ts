import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import { appMachine } from '../../../ui/state/app.ts';

describe('app machine', () => {
  it('loads a scenario, keeps the variant, and clears the selection on load', () => {
    const loads: { file: string; variant: string }[] = [];
    const actor = createActor(appMachine.provide({ actions: { loadScenario: (_, p) => void loads.push(p) } }), { input: { file: 'scenarios/golden-path.yaml' } });
    actor.start();
    expect(actor.getSnapshot().value).toBe('starting');
    actor.send({ type: 'LOAD', file: 'a.yaml', variant: 'fixed' });
    expect(loads).toEqual([{ file: 'a.yaml', variant: 'fixed' }]);
    actor.send({ type: 'LOADED' });
    expect(actor.getSnapshot().value).toBe('ready');
    actor.send({ type: 'SELECT', target: { type: 'spire-server', cluster: 'east' } });
    expect(actor.getSnapshot().context.selected).toEqual({ type: 'spire-server', cluster: 'east' });
    actor.send({ type: 'LOAD', file: 'b.yaml' });
    expect(loads[1]).toEqual({ file: 'b.yaml', variant: 'fixed' });
    expect(actor.getSnapshot().context.selected).toBeUndefined();
    actor.send({ type: 'FAILED', message: 'b.yaml:3: bad' });
    expect(actor.getSnapshot().value).toBe('failed');
    expect(actor.getSnapshot().context.error).toBe('b.yaml:3: bad');
    actor.send({ type: 'TAB', tab: 'terminal' });
    expect(actor.getSnapshot().context.tab).toBe('terminal');
  });
});
