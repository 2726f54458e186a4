import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../sim/core/duration.ts';

describe('Go durations', () => {
  it.each([
    ['24h', 86_400_000],
    ['1h30m', 5_400_000],
    ['5m', 300_000],
    ['300ms', 300],
    ['1.5s', 1500],
    ['-2m', -120_000],
    ['0', 0],
  ])('parses %s', (text, ms) => expect(parseDuration(text)).toEqual({ ok: true, value: ms }));

  it('reports Go\'s errors', () => {
    expect(parseDuration('10')).toMatchObject({ ok: false, error: { code: 'core/bad-duration', message: 'time: missing unit in duration "10"' } });
    expect(parseDuration('ten minutes')).toMatchObject({ ok: false, error: { message: 'time: invalid duration "ten minutes"' } });
    expect(parseDuration('')).toMatchObject({ ok: false });
    expect(parseDuration('5 minutes')).toMatchObject({ ok: false, error: { message: 'time: unknown unit " minutes" in duration "5 minutes"' } });
  });

  it.each([
    [86_400_000, '24h0m0s'],
    [3_600_000, '1h0m0s'],
    [300_000, '5m0s'],
    [1500, '1.5s'],
    [300, '300ms'],
    [0, '0s'],
  ])('formats %d ms as %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});
