/**
 * Seed walkthroughs (`seed:` on a run step, docs/scenario-format.md): the lab's output either equals what
 * the user's guide shows after the command — after the normalizers and per-line trailing-whitespace
 * trimming — or the step names the guide claim (G-id) that explains the difference. A G-id on an output
 * that does equal the guide fails too, so a stale explanation is caught.
 */
import { normalize } from '../core/match.ts';
import type { SeedCheck } from './format.ts';

export interface SeedOutcome {
  /** Whether the lab's output equals the guide's; absent when the guide shows no output. */
  readonly matched?: boolean;
  readonly differs?: string;
  readonly note?: string;
}

export interface SeedVerdict {
  readonly outcome: SeedOutcome;
  /** Why the step fails, with a compact diff; undefined when the comparison holds. */
  readonly problem?: string;
}

/** Normalizers, then trailing whitespace per line and trailing blank lines, as a reader compares. */
function canonical(text: string, check: SeedCheck): string {
  const t = check.normalize.length > 0 ? normalize(text, check.normalize) : text;
  return t.split('\n').map((l) => l.replace(/\s+$/, '')).join('\n').replace(/\n+$/, '');
}

/** The first line where the two texts differ: `line N: expected "…", got "…"`. */
export function firstDifference(expected: string, actual: string): string {
  const e = expected.split('\n');
  const a = actual.split('\n');
  for (let i = 0; i < Math.max(e.length, a.length); i++) {
    if (e[i] === a[i]) continue;
    const show = (l: string | undefined) => (l === undefined ? 'end of output' : JSON.stringify(l.length > 160 ? `${l.slice(0, 157)}...` : l));
    return `line ${i + 1}: expected ${show(e[i])}, got ${show(a[i])}`;
  }
  return 'no difference';
}

/**
 * Compares a command's output with the guide's. The guide shows a terminal, so when stdout alone does
 * not match and the command wrote to stderr, stdout followed by stderr is compared too (an error the
 * guide prints).
 */
export function compareWithSeed(check: SeedCheck, r: { readonly stdout: string; readonly stderr: string }): SeedVerdict {
  const meta = { ...(check.differs ? { differs: check.differs } : {}), ...(check.note ? { note: check.note } : {}) };
  if (check.shows === undefined) return { outcome: meta };
  const expected = canonical(check.shows, check);
  const out = canonical(r.stdout, check);
  const both = r.stderr === '' ? out : canonical(`${r.stdout}${r.stdout === '' || r.stdout.endsWith('\n') ? '' : '\n'}${r.stderr}`, check);
  const matched = out === expected || both === expected;
  const outcome = { matched, ...meta };
  if (check.differs) return matched ? { outcome, problem: `seed: output equals what the guide shows, but the step says it differs (${check.differs}): drop "differs" or fix the lab` } : { outcome };
  if (matched) return { outcome };
  return { outcome, problem: `seed: output differs from what the guide shows (${firstDifference(expected, r.stderr !== '' && r.stdout === '' ? both : out)})` };
}
