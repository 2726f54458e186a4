/**
 * Go-style durations ("24h", "1h30m", "300ms"), as SPIRE's config and CLI use them
 * (Go `time.ParseDuration` / `Duration.String`).
 */
import { err, ok, simError, type Result, type SimError } from './result.ts';

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

export function parseDuration(text: string): Result<number, SimError<'core/bad-duration'>> {
  const bad = (why: string) => err(simError('core/bad-duration', `time: ${why} "${text}"`, { text }));
  let s = text.trim();
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return ok(0);
  if (s === '') return bad('invalid duration');
  let total = 0;
  const re = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;
  while (s.length > 0) {
    const m = re.exec(s);
    if (!m) {
      // Go: a number followed by something that is not a unit names the unit it could not read.
      const num = /^(\d+(?:\.\d*)?|\.\d+)(.*)$/.exec(s);
      if (!num) return bad('invalid duration');
      const unit = /^[^\d.]*/.exec(num[2]!)![0];
      return unit === '' ? bad('missing unit in duration') : err(simError('core/bad-duration', `time: unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(text)}`, { text }));
    }
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    s = s.slice(m[0].length);
  }
  return ok(sign * total);
}

/** Go's Duration.String(): `24h0m0s`, `5m0s`, `1.5s`, `300ms`, `0s`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let rest = Math.abs(ms);
  let out: string;
  if (rest < 1000) {
    out = `${trim(rest)}ms`;
  } else {
    const h = Math.floor(rest / 3_600_000);
    rest -= h * 3_600_000;
    const m = Math.floor(rest / 60_000);
    rest -= m * 60_000;
    const s = `${trim(rest / 1000)}s`;
    out = h > 0 ? `${h}h${m}m${s}` : m > 0 ? `${m}m${s}` : s;
  }
  return neg ? `-${out}` : out;
}

const trim = (n: number): string => String(Number(n.toFixed(9)));

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
