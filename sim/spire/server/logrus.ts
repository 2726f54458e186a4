/**
 * Log lines in logrus' default text format, as SPIRE prints them in a container (no TTY):
 * `time="2024-05-01T10:00:00Z" level=info msg="Bundle refreshed" subsystem_name=bundle_client trust_domain=east.local`.
 * Fields follow `time`, `level`, `msg`, sorted by key; a value is quoted (Go `%q`) when it holds anything
 * outside `[A-Za-z0-9-._/@^+]` (`sirupsen/logrus:text_formatter.go` needsQuoting). Times are RFC 3339 in UTC.
 */
export type LogLevel = 'debug' | 'info' | 'warning' | 'error';

const needsQuoting = (s: string): boolean => !/^[A-Za-z0-9\-._/@^+]+$/.test(s);
const quote = (s: string): string => (needsQuoting(s) ? JSON.stringify(s) : s);

/** Go `time.RFC3339` in UTC: whole seconds, `Z`. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function logrusLine(at: number, level: LogLevel, msg: string, fields: Readonly<Record<string, string | number | boolean>> = {}): string {
  const parts = [`time=${quote(rfc3339(at))}`, `level=${level}`, `msg=${quote(msg)}`];
  for (const key of Object.keys(fields).sort()) parts.push(`${key}=${quote(String(fields[key]))}`);
  return parts.join(' ');
}
