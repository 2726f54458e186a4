import { describe, expect, it, vi } from 'vitest';
import type { Driver, FileEdits, PlayerState } from '../../../sim/driver.ts';
import { createAutosave } from '../../../ui/persist/autosave.ts';
import { editsKey, type KeyValueStore } from '../../../ui/persist/store.ts';

const memory = (): KeyValueStore & { map: Map<string, string> } => {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
};
const state = (file: string, edited: string[] = []): PlayerState => ({ run: 1, scenario: { file } as PlayerState['scenario'], variant: 'broken', seed: 1, position: 0, total: 1, time: 0, startTime: 0, steps: [], setup: [], edited });

describe('autosave', () => {
  it('saves edits per scenario after a pause and restores them when the scenario loads again', async () => {
    vi.useFakeTimers();
    try {
      const sent: FileEdits[] = [];
      const driver = { setManifests: async (e: FileEdits) => (sent.push(e), { files: [], diagnostics: [] }) } as unknown as Driver;
      const store = memory();
      const restored: [string, number][] = [];
      const a = createAutosave(driver, store, (s, n) => restored.push([s, n]), () => 7);
      a.onState(state('scenarios/a.yaml'));
      await vi.runAllTimersAsync();
      expect(restored).toEqual([['scenarios/a.yaml', 0]]);
      a.record('scenarios/a.yaml', 'edited: 1\n');
      expect(store.map.size).toBe(0);
      await vi.advanceTimersByTimeAsync(500);
      expect(JSON.parse(store.map.get(editsKey('scenarios/a.yaml'))!)).toMatchObject({ version: 1, savedAt: 7, files: { 'scenarios/a.yaml': 'edited: 1\n' } });

      // Another scenario: its (no) edits, and the driver's leftover edit of a.yaml dropped.
      a.onState(state('scenarios/b.yaml', ['scenarios/a.yaml']));
      await vi.runAllTimersAsync();
      expect(sent.at(-1)).toEqual({ 'scenarios/a.yaml': null });

      // A fresh page (a reload): loading a.yaml puts its edit back.
      const b = createAutosave(driver, store, (s, n) => restored.push([s, n]));
      b.onState(state('scenarios/a.yaml'));
      await vi.runAllTimersAsync();
      expect(sent.at(-1)).toEqual({ 'scenarios/a.yaml': 'edited: 1\n' });
      expect(restored.at(-1)).toEqual(['scenarios/a.yaml', 1]);
      // Reverting forgets the file; with no edits left the key goes.
      b.record('scenarios/a.yaml', null);
      b.flush();
      expect(store.map.has(editsKey('scenarios/a.yaml'))).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});
