// What training hides (ui/views/training/spoilers.ts): challenge titles in the header's picker while
// a challenge is worked on, and analyze's diagnostics (they name the cause) until the last hint, the
// solution or a pass; loader, YAML and apply diagnostics always show.
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../../sim/driver.ts';
import { diagnosticsHidden, DIAGNOSTICS_HIDDEN, followLoad, isChallenge, scenarioLabel, spoiled, spoilerFolds, titleHidden, visibleDiagnostics } from '../../../../ui/views/training/spoilers.ts';
import { recordCheck, showHint, showSolution, startProgress } from '../../../../ui/views/training/grade.ts';

const M08 = { file: 'scenarios/catalogue/m08.yaml', catalogue: 'M08', level: 'beginner', title: 'AuthorizationPolicy names the foreign principal with spiffe://', variants: ['broken', 'fixed'] as const };
const F07 = { ...M08, catalogue: 'F07', title: "Istio's federated-SPIRE sample" };
const fresh = startProgress(M08.file);

describe('training spoilers', () => {
  it('offers S and M rows with a fix as challenges', () => {
    expect(isChallenge(M08)).toBe(true);
    expect(isChallenge({ catalogue: 'S02', variants: ['broken', 'fixed'] })).toBe(true);
    expect(isChallenge(F07)).toBe(false);
    expect(isChallenge({ catalogue: 'M08', variants: ['broken'] })).toBe(false);
    expect(isChallenge({ variants: ['broken', 'fixed'] })).toBe(false);
  });

  it('hides a challenge title in training until it is solved or its solution shown', () => {
    expect(titleHidden(true, M08, fresh)).toBe(true);
    expect(scenarioLabel(M08, true)).toBe('Challenge M08 · beginner');
    expect(scenarioLabel({ ...M08, level: undefined }, true)).toBe('Challenge M08 · unrated');
    // Hints do not give the title away; a pass or the solution does.
    expect(titleHidden(true, M08, showHint(showHint(fresh, 3), 3))).toBe(true);
    expect(titleHidden(true, M08, recordCheck(fresh, true))).toBe(false);
    expect(titleHidden(true, M08, showSolution(fresh))).toBe(false);
    expect(spoiled(recordCheck(fresh, false))).toBe(false);
    // Outside training, and for scenarios that are not challenges, the title shows.
    expect(titleHidden(false, M08, fresh)).toBe(false);
    expect(titleHidden(true, F07, fresh)).toBe(false);
    expect(scenarioLabel(M08, false)).toBe(`M08 · ${M08.title}`);
    expect(scenarioLabel({ title: 'Golden path' }, false)).toBe('Golden path');
  });

  it("holds analyze's diagnostics back until the last hint, the solution or a pass", () => {
    expect(diagnosticsHidden(true, fresh, 3)).toBe(true);
    expect(diagnosticsHidden(true, showHint(fresh, 3), 3)).toBe(true);
    expect(diagnosticsHidden(true, showHint(showHint(showHint(fresh, 3), 3), 3), 3)).toBe(false);
    expect(diagnosticsHidden(true, showSolution(fresh), 3)).toBe(false);
    expect(diagnosticsHidden(true, recordCheck(fresh, true), 3)).toBe(false);
    expect(diagnosticsHidden(true, fresh, 0)).toBe(false);
    expect(diagnosticsHidden(false, fresh, 3)).toBe(false);
  });

  it('filters only the analyze diagnostics and counts them', () => {
    const d = (source: Diagnostic['source'], code: string): Diagnostic => ({ file: 'x.yaml', line: 1, severity: 'error', code, message: code, source });
    const all = [d('analyze', 'FL0007'), d('loader', 'scenario/invalid'), d('apply', 'apply'), d('analyze', 'FL0012')];
    expect(visibleDiagnostics(all, false)).toEqual({ shown: all, held: 0 });
    const v = visibleDiagnostics(all, true);
    expect(v.shown.map((x) => x.code)).toEqual(['scenario/invalid', 'apply']);
    expect(v.held).toBe(2);
    expect(DIAGNOSTICS_HIDDEN).toBe('diagnostics hidden in training — use a hint');
  });
});

describe('training mode across loads', () => {
  it('starts with a challenge, survives its own reloads and ends on another scenario', () => {
    const started = { file: M08.file, starting: true };
    // A push of the previous scenario before the challenge's load arrives does not end it.
    expect(followLoad(started, 'scenarios/golden-path.yaml')).toEqual(started);
    const on = followLoad(started, M08.file);
    expect(on).toEqual({ file: M08.file, starting: false });
    expect(followLoad(on, M08.file)).toEqual(on);
    expect(followLoad(on, 'scenarios/golden-path.yaml')).toEqual({ starting: false });
    expect(followLoad({ starting: false }, M08.file)).toEqual({ starting: false });
  });
});

describe('folding the scenario file in training', () => {
  it('folds the blocks that name the cause and leaves the steps open', () => {
    const text = 'apiVersion: fedlab.dev/v1\nmetadata:\n  id: m08-x\n  title: T\nextends: ../f07.yaml\nsteps:\n  - advance: 10s\nhints:\n  - one\n\n  - two\ncause: { kind: A, name: b, field: c }\nfix:\n  patches: []\n# end\n';
    const folds = spoilerFolds(text);
    expect(folds.map((f) => f.key)).toEqual(['metadata', 'hints', 'cause', 'fix']);
    const cut = (f: { from: number; to: number }): string => text.slice(f.from, f.to);
    expect(cut(folds[0]!)).toBe('\n  id: m08-x\n  title: T');
    expect(cut(folds[1]!)).toBe('\n  - one\n\n  - two');
    expect(cut(folds[2]!)).toBe(' { kind: A, name: b, field: c }');
    expect(cut(folds[3]!)).toBe('\n  patches: []');
    expect(text.slice(0, folds[0]!.from)).toBe('apiVersion: fedlab.dev/v1\nmetadata:');
  });
});
