/**
 * The editor: the loaded scenario's files in CodeMirror 6 (YAML), picked per cluster and role, with
 * inline diagnostics (the YAML parser as you type; the loader, the apply and `analyze` from the
 * driver once applied). "Apply" plays the scenario with and without the edits (Driver.whatIf) and
 * shows what changed — expectations and calls, before → after, and why — then makes the edits the
 * session's (Driver.setManifests). "Revert file" goes back to the shipped text. Every keystroke is
 * autosaved; export/import move the edits as one YAML bundle.
 */
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { codeFolding, defaultHighlightStyle, foldEffect, syntaxHighlighting } from '@codemirror/language';
import { forceLinting, linter, lintGutter, type Diagnostic as CmDiagnostic } from '@codemirror/lint';
import { EditorSelection, EditorState } from '@codemirror/state';
import { EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view';
import { parseAllDocuments } from 'yaml';
import type { Diagnostic, Driver, ManifestFile, PlayerState, WhatIfResult } from '../../../sim/driver.ts';
import type { Autosave } from '../../persist/autosave.ts';
import { backupEdits, type KeyValueStore } from '../../persist/store.ts';
import { bundleFileName, exportBundle, importBundle } from '../../persist/bundle.ts';
import { chainElement } from '../timeline/view.ts';
import { button, el, links } from '../dom.ts';
import { summariseWhatIf } from './diff.ts';
import { resolveRef, type FileLine } from './locate.ts';
import { DIAGNOSTICS_HIDDEN, spoilerFolds, visibleDiagnostics } from '../training/spoilers.ts';

export interface EditorApi {
  /** Re-reads the files and diagnostics from the driver (after a load, a restore or an apply). */
  refresh(): Promise<void>;
  /** Shows `file` at `line` (a chain's `file#steps[n]` form included). */
  reveal(file: string, line?: number): Promise<boolean>;
  /** The editor became visible (CodeMirror measures lazily). */
  shown(): void;
  restored(files: number): void;
  onState(state: PlayerState): void;
  /** A chain's `file#steps[n]` + inline line as the file's own line. */
  locate(file: string, line?: number): Promise<FileLine>;
  /** The open file and its text as the editor holds it (tests, and the curious). */
  current(): { path?: string; text: string };
  /** Training: hold analyze's diagnostics back (they name the cause; training/spoilers.ts). */
  hideAnalyze(hidden: boolean): void;
  /** Training: fold the scenario file's blocks that name the cause (metadata, hints, cause, fix, explanation) when it opens. */
  foldSpoilers(on: boolean): void;
}

const ROLE_LABEL: Record<ManifestFile['role'], string> = { scenario: 'scenario', cluster: 'cluster manifest', step: 'applied by a step', workspace: 'workspace file' };

function yamlProblems(text: string): { from: number; to: number; message: string }[] {
  try {
    return parseAllDocuments(text).flatMap((d) => ('errors' in d ? d.errors : [])).map((e) => ({ from: e.pos[0], to: Math.max(e.pos[0] + 1, e.pos[1]), message: e.message.split('\n')[0]! }));
  } catch {
    return [];
  }
}

export function createEditor(host: HTMLElement, driver: Driver, autosave: Autosave, store: KeyValueStore, scenarioKnown: () => Promise<(file: string) => boolean>, load: (file: string) => void): EditorApi {
  host.classList.add('editor');
  const bar = el('div', 'editor-bar');
  const picker = el('select', 'file-picker');
  picker.setAttribute('aria-label', 'file');
  const apply = button('Apply ▸ what-if', () => void doApply(), 'btn primary', 'play the scenario with and without your edits, show what changed, then keep the edits');
  apply.id = 'editor-apply';
  const revert = button('Revert file', () => void doRevert(), 'btn', 'back to the file the lab ships');
  revert.id = 'editor-revert';
  const exp = button('Export', () => doExport(), 'btn', 'download the scenario and your edited files as one YAML file');
  exp.id = 'editor-export';
  const fileInput = el('input');
  fileInput.type = 'file';
  fileInput.accept = '.yaml,.yml,text/yaml';
  fileInput.hidden = true;
  fileInput.id = 'editor-import-file';
  const imp = button('Import…', () => fileInput.click(), 'btn', 'load a bundle exported earlier (your current edits are kept as a backup)');
  const status = el('span', 'editor-status');
  status.id = 'editor-status';
  const diagBadge = el('span', 'diag-badge');
  diagBadge.title = 'diagnostics of the applied files (loader, apply, analyze): marks in the gutter';
  bar.append(picker, apply, revert, exp, imp, fileInput, diagBadge, status);
  const main = el('div', 'editor-main');
  const cmHost = el('div', 'cm-host');
  const side = el('div', 'whatif');
  side.id = 'whatif';
  side.append(el('p', 'muted', 'Edit a file and press Apply: the lab plays the scenario with and without your edits and shows which expectations and calls changed, and why.'));
  main.append(cmHost, side);
  host.append(bar, main);

  let files: ManifestFile[] = [];
  let diagnostics: readonly Diagnostic[] = [];
  let analyzeHidden = false;
  let foldSpoilersOn = false;
  /** Scenario files folded since training started (each once: an unfold by the trainee sticks). */
  const folded = new Set<string>();
  const shownDiagnostics = (): readonly Diagnostic[] => visibleDiagnostics(diagnostics, analyzeHidden).shown;
  let current: string | undefined;
  const buffers = new Map<string, EditorState>();
  const originals = new Map<string, string>();
  let loading = false;
  let scenarioFile: string | undefined;
  let variant: PlayerState['variant'] = 'broken';

  const say = (text: string, cls = ''): void => {
    status.textContent = text;
    status.className = `editor-status ${cls}`;
  };

  const fileOf = (path: string): ManifestFile | undefined => files.find((f) => f.path === path);
  const textOf = (path: string): string | undefined => buffers.get(path)?.doc.toString() ?? fileOf(path)?.text;

  const diagnosticsFor = (view: EditorView): CmDiagnostic[] => {
    if (!current) return [];
    const doc = view.state.doc;
    const text = doc.toString();
    const out: CmDiagnostic[] = yamlProblems(text).map((p) => ({ from: Math.min(p.from, doc.length), to: Math.min(p.to, doc.length), severity: 'error', message: `YAML: ${p.message}`, source: 'yaml' }));
    // The driver's diagnostics are for the applied text; shown while the buffer still matches it.
    if (text === fileOf(current)?.text)
      for (const d of shownDiagnostics().filter((x) => x.file === current || x.file.split('#')[0] === current)) {
        const line = doc.line(Math.max(1, Math.min(doc.lines, d.line)));
        const from = Math.min(line.to, line.from + Math.max(0, (d.column ?? 1) - 1));
        out.push({ from, to: Math.max(from, line.to), severity: d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'info', message: `${d.code}: ${d.message}`, source: d.source });
      }
    return out;
  };

  const extensions = [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightActiveLine(),
    history(),
    keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
    yaml(),
    syntaxHighlighting(defaultHighlightStyle),
    codeFolding({ placeholderText: '… (folded in training: it names the cause)' }),
    lintGutter(),
    linter((v) => diagnosticsFor(v), { delay: 300 }),
    EditorView.updateListener.of((u) => {
      if (!current || loading) return;
      // Every state (selection and scroll included), so switching files comes back to the same place.
      buffers.set(current, u.state);
      if (!u.docChanged) return;
      const text = u.state.doc.toString();
      const original = originals.get(current);
      autosave.record(current, original !== undefined && text === original ? null : text);
      markDirty();
    }),
  ];
  const view = new EditorView({ parent: cmHost, state: EditorState.create({ doc: '', extensions }) });

  const drawDiagnostics = (): void => {
    const shown = shownDiagnostics();
    const n = shown.length;
    const here = shown.filter((d) => d.file.split('#')[0] === current).length;
    // In training the note stands whether or not analyze found anything, so its presence tells nothing.
    diagBadge.textContent = [n ? `⚠ ${n} diagnostic${n === 1 ? '' : 's'}${here !== n ? ` (${here} in this file)` : ''}` : '', analyzeHidden ? DIAGNOSTICS_HIDDEN : ''].filter(Boolean).join(' · ');
    diagBadge.hidden = n === 0 && !analyzeHidden;
    diagBadge.dataset.held = String(analyzeHidden);
    diagBadge.onclick = () => {
      const d = shown.find((x) => x.file.split('#')[0] !== current) ?? shown[0];
      if (d && d.file.split('#')[0] !== current) void api.reveal(d.file, d.line);
    };
  };

  const dirtyPaths = (): string[] => files.filter((f) => (buffers.get(f.path)?.doc.toString() ?? f.text) !== f.text).map((f) => f.path);
  const markDirty = (): void => {
    const dirty = dirtyPaths();
    apply.disabled = dirty.length === 0;
    for (const o of picker.querySelectorAll('option')) {
      const f = fileOf(o.value);
      if (!f) continue;
      const mark = dirty.includes(f.path) ? ' ●' : f.edited ? ' ✎' : '';
      o.textContent = `${f.path.replace(/^scenarios\//, '')}${mark}`;
    }
    revert.disabled = !current || !(fileOf(current)?.edited || dirty.includes(current));
  };

  const open = (path: string): void => {
    const f = fileOf(path);
    if (!f) return;
    current = path;
    picker.value = path;
    let st = buffers.get(path);
    if (!st) {
      st = EditorState.create({ doc: f.text, extensions });
      buffers.set(path, st);
    }
    if (view.state !== st) {
      loading = true;
      view.setState(st);
      loading = false;
    }
    foldIfSpoiler();
    markDirty();
    drawDiagnostics();
  };

  const foldIfSpoiler = (): void => {
    if (!foldSpoilersOn || !current || folded.has(current) || fileOf(current)?.role !== 'scenario') return;
    folded.add(current);
    const effects = spoilerFolds(view.state.doc.toString()).map((f) => foldEffect.of({ from: f.from, to: f.to }));
    if (effects.length) view.dispatch({ effects });
  };

  const drawPicker = (): void => {
    picker.replaceChildren();
    const groups = new Map<string, ManifestFile[]>();
    for (const f of files) {
      const g = f.role === 'scenario' ? (f.path === scenarioFile ? 'the scenario' : 'the scenario it extends') : f.role === 'workspace' ? 'workstation files' : `${f.cluster} — ${ROLE_LABEL[f.role]}s`;
      groups.set(g, [...(groups.get(g) ?? []), f]);
    }
    for (const [g, list] of groups) {
      const og = el('optgroup');
      og.label = g;
      for (const f of list) og.append(Object.assign(el('option'), { value: f.path }));
      picker.append(og);
    }
  };
  picker.addEventListener('change', () => open(picker.value));

  const api: EditorApi = {
    async refresh() {
      const set = await driver.manifests();
      const prev = new Map(files.map((f) => [f.path, f.text]));
      files = [...set.files];
      diagnostics = set.diagnostics;
      for (const f of files) {
        if (!f.edited) originals.set(f.path, f.text);
        const st = buffers.get(f.path);
        // Keep unapplied typing; otherwise follow the driver (an apply, a revert, a restore).
        if (st && st.doc.toString() === prev.get(f.path) && st.doc.toString() !== f.text) buffers.set(f.path, st.update({ changes: { from: 0, to: st.doc.length, insert: f.text } }).state);
      }
      for (const p of [...buffers.keys()]) if (!fileOf(p)) buffers.delete(p);
      drawPicker();
      open(current && fileOf(current) ? current : (files[0]?.path ?? ''));
      drawDiagnostics();
    },
    async reveal(file, line) {
      const at = resolveRef(file, line, (p) => textOf(p));
      if (!fileOf(at.file)) await api.refresh();
      if (!fileOf(at.file)) {
        say(`${at.file} is not one of this scenario's editable files`, 'fail');
        return false;
      }
      open(at.file);
      const l = view.state.doc.line(Math.max(1, Math.min(view.state.doc.lines, at.line)));
      view.dispatch({ selection: EditorSelection.cursor(l.from), effects: EditorView.scrollIntoView(l.from, { y: 'center' }) });
      view.focus();
      say(`${at.file.replace(/^scenarios\//, '')}:${at.line}`);
      return true;
    },
    shown() {
      view.requestMeasure();
    },
    restored(n) {
      void api.refresh().then(() => {
        if (n > 0) say(`restored ${n} edited file${n === 1 ? '' : 's'} from this browser`, 'ok');
        host.dataset.restored = String(n);
      });
    },
    async locate(file, line) {
      if (files.length === 0) await api.refresh();
      return resolveRef(file, line, (p) => textOf(p));
    },
    current: () => ({ ...(current ? { path: current } : {}), text: view.state.doc.toString() }),
    foldSpoilers(on) {
      if (on === foldSpoilersOn) return;
      foldSpoilersOn = on;
      folded.clear();
      foldIfSpoiler();
    },
    hideAnalyze(hidden) {
      if (hidden === analyzeHidden) return;
      analyzeHidden = hidden;
      drawDiagnostics();
      forceLinting(view);
    },
    onState(state) {
      variant = state.variant;
      const f = state.scenario?.file;
      if (f && f !== scenarioFile) {
        scenarioFile = f;
        buffers.clear();
        originals.clear();
        current = undefined;
        side.replaceChildren(el('p', 'muted', 'Edit a file and press Apply: the lab plays the scenario with and without your edits and shows which expectations and calls changed, and why.'));
      }
    },
  };

  async function doApply(): Promise<void> {
    const edits: Record<string, string> = {};
    for (const p of dirtyPaths()) edits[p] = buffers.get(p)!.doc.toString();
    if (Object.keys(edits).length === 0) return;
    apply.disabled = true;
    host.dataset.whatif = 'running';
    say('what-if: playing the scenario with and without your edits…', 'busy');
    try {
      const w = await driver.whatIf(edits);
      drawWhatIf(w);
      say('applying your edits to the session (replaying to where the player is)…', 'busy');
      const set = await driver.setManifests(edits);
      files = [...set.files];
      diagnostics = set.diagnostics;
      drawPicker();
      if (current) open(current);
      drawDiagnostics();
      const errs = shownDiagnostics().filter((d) => d.severity === 'error').length;
      say(w.error ? `applied, but the scenario does not load: ${w.error}` : `applied · ${summariseWhatIf(w).headline}${errs ? ` · ${errs} error${errs === 1 ? '' : 's'}` : ''}`, w.error || errs ? 'fail' : 'ok');
    } catch (e) {
      say(`apply failed: ${e instanceof Error ? e.message : String(e)}`, 'fail');
    } finally {
      host.dataset.whatif = 'done';
      markDirty();
    }
  }

  async function doRevert(): Promise<void> {
    if (!current) return;
    const path = current;
    say(`reverting ${path}…`, 'busy');
    const set = await driver.setManifests({ [path]: null });
    files = [...set.files];
    diagnostics = set.diagnostics;
    const f = fileOf(path);
    if (f) {
      originals.set(path, f.text);
      buffers.set(path, EditorState.create({ doc: f.text, extensions }));
    }
    autosave.record(path, null);
    drawPicker();
    open(path);
    say(`${path.replace(/^scenarios\//, '')} is back to the shipped text`, 'ok');
  }

  function doExport(): void {
    const scenario = autosave.scenario();
    if (!scenario) return;
    autosave.flush();
    const text = exportBundle({ scenario, files: autosave.edits() }, new Date().toISOString());
    const a = el('a');
    a.href = URL.createObjectURL(new Blob([text], { type: 'text/yaml' }));
    a.download = bundleFileName(scenario);
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    say(`exported ${Object.keys(autosave.edits()).length} edited file(s) as ${a.download}`, 'ok');
  }

  fileInput.addEventListener('change', () => {
    const f = fileInput.files?.[0];
    fileInput.value = '';
    if (!f) return;
    void f.text().then(async (text) => {
      const known = await scenarioKnown();
      const r = importBundle(text, f.name, known);
      if (!r.ok) {
        say(`import refused, nothing changed — ${r.error}`, 'fail');
        host.dataset.importError = r.error;
        return;
      }
      delete host.dataset.importError;
      backupEdits(store, r.bundle.scenario, Date.now());
      const st = await driver.state();
      await autosave.replace(r.bundle.scenario, r.bundle.files, st.edited);
      if (r.bundle.scenario !== autosave.scenario()) load(r.bundle.scenario);
      say(`imported ${Object.keys(r.bundle.files).length} edited file(s) of ${r.bundle.scenario} (your previous edits are kept as a backup)`, 'ok');
    });
  });

  function drawWhatIf(w: WhatIfResult): void {
    const s = summariseWhatIf(w);
    const out: HTMLElement[] = [el('h4', undefined, 'What-if: your edits vs. before')];
    if (w.error) out.push(el('div', 'fail', w.error));
    out.push(el('div', `headline ${s.verdictChanged ? 'changed' : ''}`, s.headline));
    if (variant === 'broken' && w.after.passed < w.before.passed)
      out.push(el('p', 'note', "This is the broken variant: its expectations assert the failure's symptoms, so fewer of them holding means your edit changed the symptom. Whether it is fixed: Training → Check my fix (the fixed variant's expectations on your world)."));
    const ex = el('ul', 'wi-expectations');
    for (const e of s.expectations) {
      const li = el('li', e.changed ? 'changed' : 'same');
      li.dataset.changed = String(e.changed);
      li.append(el('span', 'flip', `${e.before} → ${e.after}`), el('span', 'at', ` ${e.at}${e.line !== undefined ? `:${e.line}` : ''} `), el('span', 'msg', e.message));
      const why = w.expectations.find((x) => x.at === e.at)?.why;
      if (why) {
        const d = el('details');
        d.append(el('summary', undefined, 'why'), chainElement(why, (r) => links().openRef(r)));
        li.append(d);
      }
      ex.append(li);
    }
    out.push(ex);
    out.push(el('h4', undefined, `Calls: ${s.changedCalls} of ${s.totalCalls} changed`));
    const calls = el('ul', 'wi-calls');
    for (const c of s.calls) {
      const li = el('li', c.changed ? 'changed' : 'same');
      li.dataset.changed = String(c.changed);
      li.append(el('span', 'count', `${c.count}×`), el('span', 'req', ` ${c.request} `), el('span', 'flip', c.changed ? `${c.before} → ${c.after}` : `${c.after} (unchanged)`));
      calls.append(li);
    }
    out.push(calls);
    side.replaceChildren(...out);
  }

  apply.disabled = true;
  return api;
}
