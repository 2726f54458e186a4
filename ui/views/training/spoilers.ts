/**
 * What training hides, pure. A catalogue challenge's title names its cause, and so do `analyze`'s
 * diagnostics on its manifests (FL rules say which field is wrong). While the trainee works on a
 * challenge (started from the Training tab), the header's picker shows "Challenge M08 · beginner"
 * instead of the title (for every challenge not yet solved, so the list does not give them away
 * either) and the editor keeps analyze's diagnostics back until the last hint was used, the solution
 * shown or the challenge passed. The loader's, YAML's and applies' diagnostics stay: they are about
 * the trainee's own edits, not the cause.
 */
import type { Diagnostic, ScenarioInfo } from '../../../sim/driver.ts';
import type { Progress } from './grade.ts';

export const DIAGNOSTICS_HIDDEN = 'diagnostics hidden in training — use a hint';

/** A scenario the Training tab offers: an S or M catalogue row with a fix to be judged by. */
export const isChallenge = (s: Pick<ScenarioInfo, 'catalogue' | 'variants'>): boolean => !!s.catalogue && /^[SM]\d/.test(s.catalogue) && s.variants.includes('fixed');

/** Solved or given up: nothing left to spoil. */
export const spoiled = (p: Pick<Progress, 'solutionShown' | 'passedScore'>): boolean => p.solutionShown || p.passedScore !== undefined;

/** Whether the picker hides `s`'s title: in training, a challenge the trainee has not solved or been shown. */
export function titleHidden(training: boolean, s: Pick<ScenarioInfo, 'catalogue' | 'variants'>, p: Pick<Progress, 'solutionShown' | 'passedScore'>): boolean {
  return training && isChallenge(s) && !spoiled(p);
}

/** The picker's (and the status bar's) name for a scenario. */
export function scenarioLabel(s: Pick<ScenarioInfo, 'catalogue' | 'level' | 'title'>, hideTitle: boolean): string {
  if (hideTitle) return `Challenge ${s.catalogue ?? ''} · ${s.level ?? 'unrated'}`;
  return `${s.catalogue ? `${s.catalogue} · ` : ''}${s.title}`;
}

/** Whether analyze's diagnostics stay hidden: in training on this challenge, until the last hint, the solution or a pass. */
export function diagnosticsHidden(training: boolean, p: Pick<Progress, 'hintsShown' | 'solutionShown' | 'passedScore'>, hints: number): boolean {
  return training && !spoiled(p) && p.hintsShown < hints;
}

/** The diagnostics the editor shows, and how many it holds back. */
export function visibleDiagnostics(all: readonly Diagnostic[], hidden: boolean): { shown: readonly Diagnostic[]; held: number } {
  if (!hidden) return { shown: all, held: 0 };
  const shown = all.filter((d) => d.source !== 'analyze');
  return { shown, held: all.length - shown.length };
}

/** Training mode across loads: Start sets the challenge (`starting` until its load arrives); a load of another scenario ends it. */
export interface TrainingSession {
  readonly file?: string;
  readonly starting: boolean;
}

export function followLoad(s: TrainingSession, loaded: string): TrainingSession {
  if (s.file === undefined) return s;
  if (loaded === s.file) return { file: s.file, starting: false };
  return s.starting ? s : { starting: false };
}

/** The scenario file's blocks that name the cause (its id and title, hints, cause, fix, explanation). */
export const SPOILER_BLOCKS = ['metadata', 'hints', 'cause', 'fix', 'explanation'] as const;

/**
 * Where the editor folds the scenario file in training: each spoiler block from the end of its key's
 * line to the end of its last line (offsets in `text`). Folded, not removed: the trainee can open one
 * on purpose, and the inline manifests they edit (in `steps`) stay in view.
 */
export function spoilerFolds(text: string): { key: string; from: number; to: number }[] {
  const out: { key: string; from: number; to: number }[] = [];
  const lines = text.split('\n');
  const starts: number[] = [];
  let at = 0;
  for (const l of lines) {
    starts.push(at);
    at += l.length + 1;
  }
  for (let i = 0; i < lines.length; i++) {
    const m = /^([A-Za-z_][\w-]*)\s*:/.exec(lines[i]!);
    if (!m || !(SPOILER_BLOCKS as readonly string[]).includes(m[1]!)) continue;
    let last = i;
    for (let j = i + 1; j < lines.length && !/^\S/.test(lines[j]!); j++) if (lines[j]!.trim() !== '') last = j;
    const from = starts[i]! + lines[i]!.length;
    const to = starts[last]! + lines[last]!.length;
    // A one-line value (`explanation: text`) is folded from after the key.
    if (last === i) {
      const colon = lines[i]!.indexOf(':') + 1;
      if (lines[i]!.length > colon + 1) out.push({ key: m[1]!, from: starts[i]! + colon, to: from });
    } else out.push({ key: m[1]!, from, to });
  }
  return out;
}
