/**
 * The provider's logger (`spire:pkg/common/log/log.go`, `options.go`): logrus to stdout, level from
 * `log_level` (`logrus.ParseLevel`), format from `log_format` — "" → logrus's default text formatter
 * (RFC 3339 seconds), `text` → text with RFC3339Nano timestamps, `json` → JSON (keys sorted,
 * RFC3339Nano). Time is the injected clock's (UTC; the image has no TZ).
 */
import { err, ok, type Result } from '../../core/result.ts';
import { logrusLine, rfc3339Seconds, type LogFields } from '../agent/logrus.ts';

type Level = 'trace' | 'debug' | 'info' | 'warning' | 'error' | 'fatal' | 'panic';
const RANK: Record<Level, number> = { panic: 0, fatal: 1, error: 2, warning: 3, info: 4, debug: 5, trace: 6 };

export interface OidcLogger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/** Go's time.RFC3339Nano of a UTC millisecond time: fraction without trailing zeros. */
export function rfc3339Nano(ms: number): string {
  const frac = ((ms % 1000) + 1000) % 1000;
  const base = rfc3339Seconds(ms).replace(/Z$/, '');
  return frac === 0 ? `${base}Z` : `${base}.${String(frac).padStart(3, '0').replace(/0+$/, '')}Z`;
}

/** `logrus.ParseLevel`. */
function parseLevel(text: string): Result<Level, string> {
  const l = text.toLowerCase();
  if (l === 'warn') return ok('warning');
  if (l in RANK) return ok(l as Level);
  return err(`not a valid logrus Level: ${JSON.stringify(text)}`);
}

function fieldText(v: NonNullable<LogFields[string]>): string {
  return Array.isArray(v) ? `[${v.join(' ')}]` : String(v);
}

/** `log.NewLogger(WithLevel, WithFormat)`; the error is what `run` returns (printed, exit 1). */
export function makeOidcLogger(level: string, format: string, now: () => number, out: (line: string) => void): Result<OidcLogger, string> {
  const lv = parseLevel(level);
  if (!lv.ok) return lv;
  const f = format.toUpperCase();
  if (f !== '' && f !== 'TEXT' && f !== 'JSON') return err(`unknown logger format: ${JSON.stringify(format)}`);
  const emit = (l: Level, msg: string, fields: LogFields = {}): void => {
    if (RANK[l] > RANK[lv.value]) return;
    const t = now();
    if (f === 'JSON') {
      const data: Record<string, string> = { level: l, msg, time: rfc3339Nano(t) };
      for (const [k, v] of Object.entries(fields)) if (v !== undefined) data[k] = fieldText(v);
      out(JSON.stringify(Object.fromEntries(Object.entries(data).sort(([a], [b]) => (a < b ? -1 : 1)))));
      return;
    }
    const line = logrusLine(t, l === 'trace' ? 'debug' : l === 'panic' ? 'fatal' : l, msg, fields);
    out(f === 'TEXT' ? line.replace(/^time="[^"]*"/, `time=${JSON.stringify(rfc3339Nano(t))}`) : line);
  };
  return ok({
    debug: (m, fl) => emit('debug', m, fl),
    info: (m, fl) => emit('info', m, fl),
    warn: (m, fl) => emit('warning', m, fl),
    error: (m, fl) => emit('error', m, fl),
  });
}
