/**
 * The working views around the player: calls (stage by stage, with the failing stage's chain), the
 * inspectors' rich rendering, the editor with what-if, the terminal, training, and the autosave.
 * main.ts mounts it once with what it needs from the shell (open the inspector, switch tabs, load a
 * scenario); everything else comes from the Driver and its pushes.
 */
import type { Driver, InspectTarget, PlayerState, Variant } from '../sim/driver.ts';
import type { BottomTab } from './state/app.ts';
import { createAutosave } from './persist/autosave.ts';
import type { KeyValueStore } from './persist/store.ts';
import { createCallView } from './views/call/view.ts';
import { setLinks } from './views/dom.ts';
import { createEditor } from './views/editor/view.ts';
import { createTerminalView } from './views/terminal/view.ts';
import { createTraining, type Spoilers } from './views/training/view.ts';
import './views/work.css';

export interface WorkbenchHost {
  readonly driver: Driver;
  inspect(target: InspectTarget): void;
  tab(tab: BottomTab): void;
  load(file: string, variant: Variant): void;
  /** Virtual now (ms). */
  now(): number;
  /** Training started, left or progressed: what the shell hides (the header picker's titles). */
  spoilers(s: Spoilers): void;
}

/** Storage that never throws (private windows and disabled storage fall back to memory). */
function browserStore(): KeyValueStore {
  try {
    const s = window.localStorage;
    s.setItem('fedlab.probe', '1');
    s.removeItem('fedlab.probe');
    return s;
  } catch {
    const m = new Map<string, string>();
    return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k) };
  }
}

const panel = (id: string): HTMLElement => document.getElementById(id) as HTMLElement;

export function mountWorkbench(h: WorkbenchHost): { refresh(): void; spoilers(): Spoilers } {
  const { driver } = h;
  const store = browserStore();
  let state: PlayerState | undefined;

  let onRestored: (files: number) => void = () => undefined;
  const autosave = createAutosave(driver, store, (_scenario, n) => onRestored(n));
  const editor = createEditor(
    panel('tab-editor'),
    driver,
    autosave,
    store,
    async () => {
      const files = new Set((await driver.scenarios()).map((s) => s.file));
      return (f: string) => files.has(f);
    },
    (file) => h.load(file, 'broken'),
  );
  onRestored = (n) => editor.restored(n);

  const callsTab = document.querySelector<HTMLButtonElement>('#tabs button[data-tab="calls"]');
  const calls = createCallView(panel('tab-calls'), driver, (_total, failing) => {
    if (!callsTab) return;
    callsTab.replaceChildren('Calls');
    if (failing) callsTab.append(Object.assign(document.createElement('span'), { className: 'tab-badge', textContent: String(failing), title: `${failing} failing call${failing === 1 ? '' : 's'}` }));
  });
  const terminal = createTerminalView(panel('tab-terminal'), driver, store, () => void calls.refresh(state));
  const training = createTraining(panel('tab-training'), driver, store, h.load, (t) => h.tab(t));
  training.onSpoilers((s) => {
    editor.hideAnalyze(s.hideDiagnostics);
    editor.foldSpoilers(s.foldScenario);
    h.spoilers(s);
  });

  setLinks({
    openRef(ref) {
      const target: InspectTarget | undefined = ref.cluster ? { type: 'object', cluster: ref.cluster, kind: ref.kind, ...(ref.namespace ? { namespace: ref.namespace } : {}), name: ref.name } : undefined;
      if (target) h.inspect(target);
      if (ref.file) this.openFile(ref.file, ref.line);
      // A call stage names the object only: where it came from is the object's provenance.
      else if (target)
        void driver.inspect(target).then((i) => {
          if (i.type === 'object' && i.ref.file) this.openFile(i.ref.file, i.ref.line);
        });
    },
    openFile(file, line) {
      h.tab('editor');
      void editor.reveal(file, line);
    },
    inspect: (t) => h.inspect(t),
    now: h.now,
    locate: (file, line) => editor.locate(file, line),
  });

  let callsTimer: ReturnType<typeof setTimeout> | undefined;
  const refreshCalls = (): void => {
    if (callsTimer) clearTimeout(callsTimer);
    callsTimer = setTimeout(() => void calls.refresh(state), 150);
  };

  driver.subscribe((m) => {
    if (m.type === 'state') {
      state = m.state;
      editor.onState(m.state);
      autosave.onState(m.state);
      training.onState(m.state);
      refreshCalls();
    } else if (m.type === 'snapshot') terminal.setClusters(m.snapshot.clusters.map((c) => c.name));
  });

  // Views that measure or fetch lazily learn when their tab opens.
  const watch = (id: string, shown: () => void): void => {
    const p = panel(id);
    new MutationObserver(() => {
      if (!p.hidden) shown();
    }).observe(p, { attributes: true, attributeFilter: ['hidden'] });
  };
  watch('tab-editor', () => {
    editor.shown();
    void editor.refresh();
  });
  watch('tab-training', () => training.shown());
  watch('tab-calls', () => void calls.refresh(state));
  watch('tab-terminal', () => terminal.focus());

  const api = { refresh: () => undefined, spoilers: () => training.spoilers(), calls, editor, terminal, training };
  (window as unknown as { fedlabWork: unknown }).fedlabWork = api;
  return api;
}
