/**
 * Training's score and progress, pure: 100 points, 10 off per hint shown, 20 off for showing the
 * solution, never below 0. A challenge passes on behaviour only: the fixed variant's expectations
 * must hold on the trainee's edited broken world (Driver.check), not on any particular edit.
 * Progress is kept per scenario in the page's storage, so a reload does not reset hints or a pass.
 */
import type { KeyValueStore } from '../../persist/store.ts';

export const HINT_COST = 10;
export const SOLUTION_COST = 20;

export interface Progress {
  readonly scenario: string;
  readonly hintsShown: number;
  readonly solutionShown: boolean;
  readonly checks: number;
  /** Set once a check passed (the score at that moment). */
  readonly passedScore?: number;
  /** Whether the solution had been shown when it passed. */
  readonly passedWithSolution?: boolean;
}

export const startProgress = (scenario: string): Progress => ({ scenario, hintsShown: 0, solutionShown: false, checks: 0 });

export function score(p: Pick<Progress, 'hintsShown' | 'solutionShown'>): number {
  return Math.max(0, 100 - HINT_COST * p.hintsShown - (p.solutionShown ? SOLUTION_COST : 0));
}

export function showHint(p: Progress, available: number): Progress {
  return { ...p, hintsShown: Math.min(available, p.hintsShown + 1) };
}

export function showSolution(p: Progress): Progress {
  return { ...p, solutionShown: true };
}

/** Records a check; a pass keeps its score (a later failing check does not take it back). */
export function recordCheck(p: Progress, passed: boolean): Progress {
  const next = { ...p, checks: p.checks + 1 };
  return passed && p.passedScore === undefined ? { ...next, passedScore: score(p), passedWithSolution: p.solutionShown } : next;
}

export type Verdict = 'passed' | 'passed-with-solution' | 'not-yet';

/** What the panel says: a pass after showing the solution is a pass, but says so. */
export function verdict(p: Progress): Verdict {
  if (p.passedScore === undefined) return 'not-yet';
  return p.passedWithSolution ? 'passed-with-solution' : 'passed';
}

const key = (scenario: string): string => `fedlab.training.v1:${scenario}`;

export function loadProgress(store: KeyValueStore, scenario: string): Progress {
  try {
    const raw = store.getItem(key(scenario));
    if (!raw) return startProgress(scenario);
    const v = JSON.parse(raw) as Partial<Progress>;
    return {
      scenario,
      hintsShown: typeof v.hintsShown === 'number' && v.hintsShown >= 0 ? Math.floor(v.hintsShown) : 0,
      solutionShown: v.solutionShown === true,
      checks: typeof v.checks === 'number' ? v.checks : 0,
      ...(typeof v.passedScore === 'number' ? { passedScore: v.passedScore, passedWithSolution: v.passedWithSolution === true } : {}),
    };
  } catch {
    return startProgress(scenario);
  }
}

export function saveProgress(store: KeyValueStore, p: Progress): void {
  try {
    store.setItem(key(p.scenario), JSON.stringify(p));
  } catch {
    // Progress is a convenience; the edits themselves are saved by the autosave.
  }
}
