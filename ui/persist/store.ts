/**
 * No lost work: the user's file edits per scenario in localStorage, versioned, so a reload (or a
 * crash) restores them. One key per scenario file; the value names the format version so a later
 * format can migrate instead of dropping edits it does not understand. Pure over a `Storage`-like
 * object (tests pass a Map-backed one); a full or unavailable storage is reported, never thrown.
 */

export const EDITS_VERSION = 1;
const PREFIX = 'fedlab.edits.v1:';

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface SavedEdits {
  readonly version: number;
  readonly scenario: string;
  /** ms since the epoch (wall clock: when the user last typed). */
  readonly savedAt: number;
  /** Repo-relative path → the edited text. */
  readonly files: Readonly<Record<string, string>>;
}

export const editsKey = (scenario: string): string => `${PREFIX}${scenario}`;

/** The saved edits of `scenario`, or undefined when none (or unreadable: a foreign value is left alone). */
export function loadEdits(store: KeyValueStore, scenario: string): SavedEdits | undefined {
  let raw: string | null;
  try {
    raw = store.getItem(editsKey(scenario));
  } catch {
    return undefined;
  }
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as Partial<SavedEdits>;
    if (v.version !== EDITS_VERSION || typeof v.files !== 'object' || v.files === null) return undefined;
    const files: Record<string, string> = {};
    for (const [k, t] of Object.entries(v.files)) if (typeof t === 'string') files[k] = t;
    return { version: EDITS_VERSION, scenario, savedAt: typeof v.savedAt === 'number' ? v.savedAt : 0, files };
  } catch {
    return undefined;
  }
}

/** Saves (or, with no files, forgets) the edits of `scenario`; an error message when storage refuses. */
export function saveEdits(store: KeyValueStore, scenario: string, files: Readonly<Record<string, string>>, now: number): string | undefined {
  try {
    if (Object.keys(files).length === 0) store.removeItem(editsKey(scenario));
    else store.setItem(editsKey(scenario), JSON.stringify({ version: EDITS_VERSION, scenario, savedAt: now, files } satisfies SavedEdits));
    return undefined;
  } catch (e) {
    return `could not autosave (${e instanceof Error ? e.message : String(e)}): export your edits to keep them`;
  }
}

/** Keeps a copy of what an import replaces, so importing never loses the current work. */
export function backupEdits(store: KeyValueStore, scenario: string, now: number): void {
  const cur = loadEdits(store, scenario);
  if (!cur) return;
  try {
    store.setItem(`fedlab.edits.backup.v1:${scenario}`, JSON.stringify({ ...cur, savedAt: now }));
  } catch {
    // A full storage keeps the current edits where they are; nothing is lost by skipping the copy.
  }
}

/**
 * What to send `setManifests` so the driver holds exactly `wanted` for this scenario: the wanted
 * texts, and null for files the driver has edited that are not wanted (edits left over from another
 * scenario the session played).
 */
export function editsToRestore(wanted: Readonly<Record<string, string>>, driverEdited: readonly string[]): Record<string, string | null> {
  const out: Record<string, string | null> = { ...wanted };
  for (const p of driverEdited) if (!(p in wanted)) out[p] = null;
  return out;
}

/** Calls `fn` once, `ms` after the last `schedule` (the autosave's debounce); `flush` runs it now. */
export function debounce(fn: () => void, ms: number): { schedule(): void; flush(): void; cancel(): void } {
  let t: ReturnType<typeof setTimeout> | undefined;
  return {
    schedule() {
      if (t !== undefined) clearTimeout(t);
      t = setTimeout(() => {
        t = undefined;
        fn();
      }, ms);
    },
    flush() {
      if (t === undefined) return;
      clearTimeout(t);
      t = undefined;
      fn();
    },
    cancel() {
      if (t !== undefined) clearTimeout(t);
      t = undefined;
    },
  };
}
