// The engine's PlayObserver (the browser lab's player hook): the world before anything runs, a stop
// after the initial manifests and after each planned step, and a run held at a stop until released.
import { describe, expect, it } from 'vitest';
import { playScenario, type StepOutcome } from '../../../sim/scenario/index.ts';
import type { World } from '../../../sim/world/world.ts';
import { loadScenario } from '../../helpers/scenario.ts';

describe('PlayObserver', () => {
  it('sees the world first, then each position in order, and can hold the run', async () => {
    const { scenario, readFile } = loadScenario('scenarios/golden-path.yaml');
    const seen: { position: number; ok?: boolean; time: number }[] = [];
    let created: World | undefined;
    let release: (() => void) | undefined;
    let heldAt: number | undefined;
    let setupSeen = -1;
    const running = playScenario(scenario, {
      variant: 'broken',
      crypto: globalThis.crypto,
      readFile,
      observe: {
        created: (w) => {
          created = w;
          expect(seen).toEqual([]);
        },
        at: (position, world, outcome?: StepOutcome, setup?: readonly StepOutcome[]) => {
          expect(world).toBe(created);
          if (position === 0) setupSeen = setup?.length ?? -1;
          else expect(setup).toBeUndefined();
          seen.push({ position, time: world.clock.now(), ...(outcome ? { ok: outcome.ok } : {}) });
          if (position !== 2) return;
          heldAt = position;
          return new Promise<void>((r) => (release = r));
        },
      },
    });
    await new Promise((r) => setTimeout(r, 0));
    for (let i = 0; i < 200 && heldAt === undefined; i++) await new Promise((r) => setTimeout(r, 10));
    expect(heldAt).toBe(2);
    expect(seen.map((s) => s.position)).toEqual([0, 1, 2]);
    release!();
    const report = await running;
    expect(report.world).toBe(created);
    const planned = scenario.steps.filter((s) => s.when !== 'fixed').length;
    expect(seen.map((s) => s.position)).toEqual(Array.from({ length: planned + 1 }, (_, i) => i));
    expect(seen.slice(1).every((s) => s.ok === true)).toBe(true);
    expect(setupSeen).toBe(scenario.clusters.reduce((n, c) => n + c.manifests.length, 0));
    expect(report.ok).toBe(true);
  }, 60_000);
});
