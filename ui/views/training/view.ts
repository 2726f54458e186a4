/**
 * Training mode: a catalogue scenario as a challenge. The trainee starts on the broken variant, reads
 * the symptom, asks for hints one at a time, investigates (terminal, calls, inspectors) and edits the
 * files (editor) until the fixed variant's expectations hold on their edited world — graded by
 * behaviour (Driver.check plays the run to the end and judges it), not by comparing edits. Score:
 * 100, −10 per hint, −20 for "show solution" (which switches to the fixed variant and explains).
 */
import type { CheckResult, Driver, PlayerState, ScenarioInfo, Variant } from '../../../sim/driver.ts';
import type { KeyValueStore } from '../../persist/store.ts';
import { chainElement } from '../timeline/view.ts';
import { button, el, links } from '../dom.ts';
import { diagnosticsHidden, followLoad, spoiled, titleHidden } from './spoilers.ts';
import { HINT_COST, loadProgress, recordCheck, saveProgress, score, showHint, showSolution, SOLUTION_COST, verdict, type Progress } from './grade.ts';

export interface TrainingApi {
  onState(state: PlayerState): void;
  shown(): void;
  /** What the rest of the page hides while a challenge is worked on (spoilers.ts). */
  spoilers(): Spoilers;
  /** Called whenever that may have changed (a challenge started or left, a hint, the solution, a pass). */
  onSpoilers(listener: (s: Spoilers) => void): void;
}

export interface Spoilers {
  /** The challenge being worked on (started from this tab and still loaded). */
  readonly training?: string;
  hideTitle(s: ScenarioInfo): boolean;
  /** analyze's diagnostics in the editor. */
  readonly hideDiagnostics: boolean;
  /** Fold the scenario file's spoiler blocks in the editor (until solved or the solution shown). */
  readonly foldScenario: boolean;
}

/** The challenge in progress survives a reload (the URL reopens the scenario). */
const SESSION_KEY = 'fedlab.training.session.v1';

export function createTraining(host: HTMLElement, driver: Driver, store: KeyValueStore, load: (file: string, variant: Variant) => void, openTab: (tab: 'editor' | 'terminal' | 'calls') => void): TrainingApi {
  host.classList.add('training');
  const left = el('div', 'tr-left');
  const right = el('div', 'tr-right');
  host.append(left, right);
  let challenges: ScenarioInfo[] = [];
  let state: PlayerState | undefined;
  let progress: Progress | undefined;
  let result: CheckResult | undefined;
  let checking = false;
  // Training mode: the file of the challenge started here; left when another scenario is loaded.
  let session: string | undefined = store.getItem(SESSION_KEY) ?? undefined;
  let starting = false;
  let picked: string | undefined;
  const listeners: ((s: Spoilers) => void)[] = [];

  const spoilers = (): Spoilers => {
    const training = session !== undefined && state?.scenario?.file === session ? session : undefined;
    const p = progress && progress.scenario === training ? progress : undefined;
    return {
      ...(training ? { training } : {}),
      hideTitle: (s) => titleHidden(training !== undefined, s, s.file === p?.scenario ? p : loadProgress(store, s.file)),
      hideDiagnostics: training !== undefined && p !== undefined && diagnosticsHidden(true, p, state?.scenario?.hints.length ?? 0),
      foldScenario: training !== undefined && p !== undefined && !spoiled(p),
    };
  };
  const notify = (): void => {
    const s = spoilers();
    for (const l of listeners) l(s);
  };
  const setSession = (file: string | undefined): void => {
    session = file;
    try {
      if (file) store.setItem(SESSION_KEY, file);
      else store.removeItem(SESSION_KEY);
    } catch {
      // Training mode then lasts for this page only.
    }
  };

  const spoilersOk = (file: string): boolean => {
    const p = file === progress?.scenario ? progress : loadProgress(store, file);
    return p.solutionShown || p.passedScore !== undefined;
  };

  const active = (): ScenarioInfo | undefined => (state?.scenario && challenges.some((c) => c.file === state!.scenario!.file) ? state.scenario : undefined);

  const drawPicker = (): HTMLElement => {
    const box = el('div', 'tr-pick');
    const sel = el('select', 'tr-select');
    sel.setAttribute('aria-label', 'challenge');
    // Titles name the cause: the picker shows the row and level only, the title once solved or shown.
    for (const c of challenges) sel.append(Object.assign(el('option', undefined, `${c.catalogue ?? ''} · ${c.level ?? ''} · ${c.clusters.length} cluster${c.clusters.length === 1 ? '' : 's'}${spoilersOk(c.file) ? ` · ${c.title}` : ''}`), { value: c.file }));
    const a = active();
    // The row the trainee picked survives redraws (a redraw builds a new select).
    if (picked && challenges.some((c) => c.file === picked)) sel.value = picked;
    else if (a) sel.value = a.file;
    box.append(
      sel,
      button(a && sel.value === a.file ? 'Restart challenge' : 'Start challenge', () => {
        setSession(sel.value);
        starting = true;
        load(sel.value, 'broken');
      }, 'btn primary'),
    );
    sel.addEventListener('change', () => {
      picked = sel.value;
      draw();
    });
    return box;
  };

  const draw = (): void => {
    const a = active();
    left.replaceChildren(el('h3', undefined, 'Training'), drawPicker());
    if (!a || !progress) {
      left.append(el('p', 'muted', 'Pick a catalogue scenario: you get its broken world and its symptom. Find the cause (terminal, calls, inspectors), fix the files in the editor, and check. Graded by behaviour: the fixed scenario\'s expectations must hold on your edited world.'));
      right.replaceChildren();
      notify();
      return;
    }
    const desc = el('div', 'tr-desc');
    desc.append(
      el('h4', undefined, `Challenge ${a.catalogue ?? ''} (${a.level ?? 'unrated'})`),
      el('p', undefined, 'Something in this world does not work. Play it to the end (▶▶|), look at the failing calls and the logs (Calls, Terminal), find the object and field at fault, fix the files in the Editor, and press "Check my fix": the scenario is played again with your edits and graded by behaviour — the fixed scenario\'s expectations must hold.'),
    );
    const notes = el('details', 'tr-notes');
    notes.append(el('summary', undefined, `Scenario notes (spoilers: they name the cause)`), el('p', undefined, `${a.title}. ${a.description ?? ''}`));
    if (spoilersOk(a.file)) notes.open = true;
    desc.append(notes);
    if (state?.variant === 'fixed') desc.append(el('p', 'warn', 'You are looking at the fixed variant (the solution). Switch back to broken to work on your own fix.'));
    const hints = el('div', 'tr-hints');
    hints.append(el('h4', undefined, `Hints (${progress.hintsShown}/${a.hints.length})`));
    const ol = el('ol');
    a.hints.slice(0, progress.hintsShown).forEach((h) => ol.append(el('li', undefined, h)));
    hints.append(ol);
    if (progress.hintsShown < a.hints.length)
      hints.append(
        button(`Show hint ${progress.hintsShown + 1} (−${HINT_COST})`, () => {
          progress = showHint(progress!, a.hints.length);
          saveProgress(store, progress);
          draw();
        }, 'btn', 'each hint costs 10 points'),
      );
    const how = el('div', 'tr-how');
    how.append(el('span', 'muted', 'Work in: '), button('Terminal', () => openTab('terminal'), 'btn small'), button('Calls', () => openTab('calls'), 'btn small'), button('Editor', () => openTab('editor'), 'btn small'));
    left.append(desc, how, hints);

    const sc = score(progress);
    const v = verdict(progress);
    const board = el('div', `tr-score ${v}`);
    board.dataset.verdict = v;
    board.dataset.score = String(progress.passedScore ?? sc);
    board.append(el('div', 'big', v === 'not-yet' ? `${sc}` : `${progress.passedScore}`), el('div', 'label', v === 'passed' ? 'passed ✓' : v === 'passed-with-solution' ? 'passed, with the solution shown' : 'points available'));
    const check = button(checking ? 'Checking…' : 'Check my fix', () => void doCheck(), 'btn primary', 'plays the scenario to the end with your edits and judges it by the fixed variant\'s expectations');
    check.id = 'training-check';
    check.disabled = checking;
    const sol = button(progress.solutionShown ? 'Solution shown' : `Show solution (−${SOLUTION_COST})`, () => doSolution(), 'btn', 'switches to the fixed variant and explains the cause');
    sol.disabled = progress.solutionShown && state?.variant === 'fixed';
    right.replaceChildren(board, el('div', 'tr-actions'));
    right.lastElementChild!.append(check, sol);
    if (progress.solutionShown) {
      const s = el('div', 'tr-solution');
      s.append(el('h4', undefined, 'Solution'), el('p', undefined, a.fixDescription ?? ''));
      if (a.cause) s.append(el('p', 'muted', `Cause: ${a.cause.cluster ? `${a.cause.cluster}/` : ''}${a.cause.kind}/${a.cause.namespace ? `${a.cause.namespace}/` : ''}${a.cause.name} ${a.cause.field} — ${a.cause.reason ?? ''}`));
      if (a.explanation) s.append(el('p', 'explanation', a.explanation));
      right.append(s);
    }
    if (result) {
      const r = el('div', 'tr-result');
      r.append(el('div', `verdict ${result.ok ? 'ok' : 'fail'}`, `${result.ok ? '✓' : '✗'} ${result.passed}/${result.total} of the fixed scenario's expectations hold on your world`));
      if (result.error) r.append(el('div', 'fail', result.error));
      const ul = el('ul', 'expectations');
      for (const e of result.expectations) {
        const li = el('li', e.ok ? 'ok' : 'fail');
        li.dataset.ok = String(e.ok);
        li.append(el('span', 'msg', e.message));
        if (!e.ok && e.chain) {
          const d = el('details');
          d.append(el('summary', undefined, 'why'), chainElement(e.chain, (ref) => links().openRef(ref)));
          li.append(d);
        }
        ul.append(li);
      }
      r.append(ul);
      right.append(r);
    } else right.append(el('p', 'muted', `${progress.checks} check${progress.checks === 1 ? '' : 's'} so far. A check plays the whole scenario (a few seconds).`));
    notify();
  };

  async function doCheck(): Promise<void> {
    if (!progress || checking) return;
    checking = true;
    host.dataset.checking = 'true';
    draw();
    try {
      result = await driver.check({}, 'fixed');
      progress = recordCheck(progress, result.ok);
      saveProgress(store, progress);
    } catch (e) {
      result = { ok: false, passed: 0, total: 0, expectations: [], error: e instanceof Error ? e.message : String(e) };
    } finally {
      checking = false;
      host.dataset.checking = 'false';
      draw();
    }
  }

  function doSolution(): void {
    const a = active();
    if (!a || !progress) return;
    progress = showSolution(progress);
    saveProgress(store, progress);
    result = undefined;
    if (a.variants.includes('fixed')) load(a.file, 'fixed');
    draw();
  }

  let listed = false;
  const ensureList = async (): Promise<void> => {
    if (listed) return;
    listed = true;
    challenges = (await driver.scenarios()).filter((s) => s.catalogue && /^[SM]\d/.test(s.catalogue) && s.variants.includes('fixed')).sort((x, y) => (x.catalogue ?? '').localeCompare(y.catalogue ?? ''));
    draw();
  };

  return {
    onState(s) {
      const before = state?.scenario?.file;
      state = s;
      const f = s.scenario?.file;
      if (f && f !== before) {
        progress = loadProgress(store, f);
        result = undefined;
      }
      // Another scenario loaded (not the one a Start is loading): training mode ends.
      if (f) {
        const next = followLoad({ ...(session ? { file: session } : {}), starting }, f);
        starting = next.starting;
        if (next.file !== session) setSession(next.file);
      }
      if (listed) draw();
      else notify();
    },
    spoilers,
    onSpoilers(listener) {
      listeners.push(listener);
    },
    shown() {
      void ensureList();
      draw();
    },
  };
}
