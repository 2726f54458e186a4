import { describe, expect, it } from 'vitest';
import { loadProgress, recordCheck, saveProgress, score, showHint, showSolution, startProgress, verdict } from '../../../../ui/views/training/grade.ts';

describe('training grade', () => {
  it('costs 10 per hint and 20 for the solution, never below 0', () => {
    let p = startProgress('s');
    expect(score(p)).toBe(100);
    p = showHint(showHint(p, 3), 3);
    expect(score(p)).toBe(80);
    expect(showHint(showHint(p, 2), 2).hintsShown).toBe(2);
    expect(score(showSolution(p))).toBe(60);
    expect(score({ hintsShown: 12, solutionShown: true })).toBe(0);
  });

  it('passes on a passing check and keeps the score it passed with', () => {
    let p = recordCheck(showHint(startProgress('s'), 3), false);
    expect(verdict(p)).toBe('not-yet');
    p = recordCheck(p, true);
    expect(p.passedScore).toBe(90);
    p = recordCheck(showHint(p, 3), false);
    expect(p.passedScore).toBe(90);
    expect(verdict(p)).toBe('passed');
    expect(verdict(recordCheck(showSolution(startProgress('t')), true))).toBe('passed-with-solution');
    // Showing the solution after passing does not change how it passed.
    expect(verdict(showSolution(p))).toBe('passed');
  });

  it('survives a reload', () => {
    const map = new Map<string, string>();
    const store = { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), removeItem: (k: string) => void map.delete(k) };
    const p = recordCheck(showHint(startProgress('s'), 3), true);
    saveProgress(store, p);
    expect(loadProgress(store, 's')).toEqual(p);
    expect(loadProgress(store, 'other')).toEqual(startProgress('other'));
  });
});
