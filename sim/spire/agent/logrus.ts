/**
 * Log lines as SPIRE and spiffe-helper print them: logrus's text formatter without a TTY —
 * `time="…" level=info msg="…" key=value …`, fields sorted by key, values quoted only when they hold
 * characters outside `[A-Za-z0-9-._/@^+]` (`sirupsen/logrus:text_formatter.go`, `needsQuoting`).
 * Time is RFC 3339 in UTC, from the injected clock.
 */
export type LogLevel = 'debug' | 'info' | 'warning' | 'error' | 'fatal';
export type LogFields = Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;

const PLAIN = /^[A-Za-z0-9\-._/@^+]+$/;

function fieldValue(v: string | number | boolean | readonly string[]): string {
  // logrus prints a []string with fmt's %v: `[a b]`.
  const s = Array.isArray(v) ? `[${v.join(' ')}]` : String(v);
  return PLAIN.test(s) ? s : JSON.stringify(s);
}

/** RFC 3339 with seconds, as Go's time.RFC3339 prints a UTC time. */
export const rfc3339Seconds = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export function logrusLine(now: number, level: LogLevel, msg: string, fields: LogFields = {}): string {
  const parts = [`time=${JSON.stringify(rfc3339Seconds(now))}`, `level=${level}`, `msg=${JSON.stringify(msg)}`];
  for (const k of Object.keys(fields).sort()) {
    const v = fields[k];
    if (v !== undefined) parts.push(`${k}=${fieldValue(v)}`);
  }
  return parts.join(' ');
}

/** Go's `%q` of a `[]string`: `["a" "b"]` (space-separated, each strconv.Quote'd). */
export const goQuoteList = (items: readonly string[]): string => `[${items.map((s) => JSON.stringify(s)).join(' ')}]`;
