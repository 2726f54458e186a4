import { describe, expect, it } from 'vitest';
import { backupEdits, editsKey, editsToRestore, loadEdits, saveEdits, type KeyValueStore } from '../../../ui/persist/store.ts';

const memory = (): KeyValueStore & { map: Map<string, string> } => {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
};

describe('autosaved edits', () => {
  it('round-trips per scenario with a version, and forgets a scenario with no edits', () => {
    const s = memory();
    expect(saveEdits(s, 'scenarios/a.yaml', { 'scenarios/a.yaml': 'x: 1\n' }, 5)).toBeUndefined();
    expect(loadEdits(s, 'scenarios/a.yaml')).toEqual({ version: 1, scenario: 'scenarios/a.yaml', savedAt: 5, files: { 'scenarios/a.yaml': 'x: 1\n' } });
    expect(loadEdits(s, 'scenarios/b.yaml')).toBeUndefined();
    saveEdits(s, 'scenarios/a.yaml', {}, 6);
    expect(s.map.has(editsKey('scenarios/a.yaml'))).toBe(false);
  });

  it('ignores values of another version or garbage instead of throwing', () => {
    const s = memory();
    s.map.set(editsKey('a'), '{"version":2,"files":{}}');
    expect(loadEdits(s, 'a')).toBeUndefined();
    s.map.set(editsKey('a'), '{not json');
    expect(loadEdits(s, 'a')).toBeUndefined();
  });

  it('reports a full storage as a message, never a throw', () => {
    const s = { ...memory(), setItem: () => { throw new Error('QuotaExceededError'); } };
    expect(saveEdits(s, 'a', { f: 't' }, 1)).toMatch(/could not autosave \(QuotaExceededError\)/);
  });

  it('keeps a backup of what an import replaces', () => {
    const s = memory();
    saveEdits(s, 'a', { f: 'mine' }, 1);
    backupEdits(s, 'a', 2);
    expect(JSON.parse(s.map.get('fedlab.edits.backup.v1:a')!).files).toEqual({ f: 'mine' });
  });

  it('restores exactly the wanted edits, dropping edits left from another scenario', () => {
    expect(editsToRestore({ a: 'A' }, ['a', 'b'])).toEqual({ a: 'A', b: null });
    expect(editsToRestore({}, [])).toEqual({});
  });
});
