/**
 * JUnit XML as CI systems read it (Jenkins/GitLab/GitHub reporters): one `<testsuite>` per group, one
 * `<testcase>` per check, a `<failure>` carrying the message and its details.
 */
export interface JUnitCase {
  readonly name: string;
  readonly classname: string;
  /** Seconds. */
  readonly time?: number;
  readonly failure?: { readonly message: string; readonly details?: string };
  readonly skipped?: string;
}

export interface JUnitSuite {
  readonly name: string;
  readonly cases: readonly JUnitCase[];
}

const escapeXml = (s: string): string =>
  // XML 1.0 forbids most control characters even when escaped; drop them.
  // eslint-disable-next-line no-control-regex
  s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function junitXml(suites: readonly JUnitSuite[]): string {
  const count = (pred: (c: JUnitCase) => boolean) => suites.reduce((n, s) => n + s.cases.filter(pred).length, 0);
  const lines = [`<?xml version="1.0" encoding="UTF-8"?>`, `<testsuites tests="${count(() => true)}" failures="${count((c) => !!c.failure)}" skipped="${count((c) => c.skipped !== undefined)}">`];
  for (const suite of suites) {
    const failures = suite.cases.filter((c) => c.failure).length;
    const skipped = suite.cases.filter((c) => c.skipped !== undefined).length;
    lines.push(`  <testsuite name="${escapeXml(suite.name)}" tests="${suite.cases.length}" failures="${failures}" skipped="${skipped}">`);
    for (const c of suite.cases) {
      const attrs = `name="${escapeXml(c.name)}" classname="${escapeXml(c.classname)}"${c.time !== undefined ? ` time="${c.time.toFixed(3)}"` : ''}`;
      if (c.failure) {
        lines.push(`    <testcase ${attrs}>`, `      <failure message="${escapeXml(c.failure.message)}">${escapeXml(c.failure.details ?? c.failure.message)}</failure>`, `    </testcase>`);
      } else if (c.skipped !== undefined) {
        lines.push(`    <testcase ${attrs}>`, `      <skipped message="${escapeXml(c.skipped)}"/>`, `    </testcase>`);
      } else {
        lines.push(`    <testcase ${attrs}/>`);
      }
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
