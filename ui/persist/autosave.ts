/**
 * The autosave between the editor and localStorage: the edits of the loaded scenario (files whose
 * text differs from what the lab ships), saved 400 ms after the last keystroke and on page hide;
 * when a scenario loads, its saved edits are put back into the driver (and edits the session still
 * holds from another scenario are dropped), then `restored` reports how many files came back.
 */
import type { Driver, PlayerState } from '../../sim/driver.ts';
import { debounce, editsToRestore, loadEdits, saveEdits, type KeyValueStore } from './store.ts';

export interface Autosave {
  /** Call on every player state (the driver's pushes): restores a scenario's edits when it loads. */
  onState(state: PlayerState): void;
  /** The editor's text for `path` (null: back to the shipped text). */
  record(path: string, text: string | null): void;
  /** The edits of the loaded scenario (path → text). */
  edits(): Readonly<Record<string, string>>;
  scenario(): string | undefined;
  /** Replaces the saved edits of `scenario` (an import) and, when it is loaded, the driver's. */
  replace(scenario: string, files: Readonly<Record<string, string>>, driverEdited: readonly string[]): Promise<void>;
  flush(): void;
  /** The last storage problem (full, unavailable), for the editor to show. */
  problem(): string | undefined;
}

export function createAutosave(driver: Driver, store: KeyValueStore, restored: (scenario: string, files: number) => void, wallNow: () => number = () => Date.now()): Autosave {
  let scenario: string | undefined;
  let files: Record<string, string> = {};
  let problem: string | undefined;
  const save = debounce(() => {
    if (scenario) problem = saveEdits(store, scenario, files, wallNow());
  }, 400);
  if (typeof window !== 'undefined') window.addEventListener('pagehide', () => save.flush());

  const restore = async (file: string, driverEdited: readonly string[]): Promise<void> => {
    files = { ...(loadEdits(store, file)?.files ?? {}) };
    const edits = editsToRestore(files, driverEdited);
    if (Object.keys(edits).length > 0) await driver.setManifests(edits);
    restored(file, Object.keys(files).length);
  };

  return {
    onState(state) {
      const file = state.scenario?.file;
      if (!file || file === scenario) return;
      save.flush();
      scenario = file;
      void restore(file, state.edited);
    },
    record(path, text) {
      if (!scenario) return;
      if (text === null) delete files[path];
      else files[path] = text;
      save.schedule();
    },
    edits: () => files,
    scenario: () => scenario,
    async replace(target, next, driverEdited) {
      save.flush();
      problem = saveEdits(store, target, next, wallNow());
      if (target === scenario) {
        files = { ...next };
        await driver.setManifests(editsToRestore(files, driverEdited));
        restored(target, Object.keys(files).length);
      }
    },
    flush: () => save.flush(),
    problem: () => problem,
  };
}
