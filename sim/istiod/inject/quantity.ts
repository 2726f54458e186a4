/**
 * Kubernetes resource quantities as a Go round trip prints them: the injector marshals the pod through
 * corev1 types, so `2000m` becomes `"2"` and `1024Mi` becomes `1Gi` (apimachinery
 * pkg/api/resource/quantity.go `CanonicalizeBytes`: binary suffixes stay binary when the value is a
 * whole number of bytes ≥ 1024, otherwise decimal with the largest exponent that keeps an integer).
 * Simplified: exponent forms (`1e3`) are returned unchanged.
 */
const BINARY: Readonly<Record<string, number>> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const DECIMAL_BY_EXP = new Map(Object.entries(DECIMAL).map(([s, e]) => [e, s]));

export function canonicalQuantity(q: string | number): string {
  const text = String(q);
  const m = /^([+-]?)(\d*)(?:\.(\d*))?([a-zA-Z]*)$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return text;
  const sign = m[1] === '-' ? -1n : 1n;
  const frac = m[3] ?? '';
  // value = num / 10^fracLen (in units of the suffix)
  const num = BigInt((m[2] ?? '') + frac || '0') * sign;
  const suffix = m[4] ?? '';
  if (suffix in BINARY) {
    const bytesScaled = num * 1024n ** BigInt(BINARY[suffix] ?? 0);
    const div = 10n ** BigInt(frac.length);
    if (bytesScaled % div === 0n) {
      const bytes = bytesScaled / div;
      const abs = bytes < 0n ? -bytes : bytes;
      if (abs >= 1024n) {
        let k = 6;
        while (k > 0 && bytes % 1024n ** BigInt(k) !== 0n) k--;
        const name = Object.keys(BINARY).find((s) => BINARY[s] === k) ?? '';
        return `${bytes / 1024n ** BigInt(k)}${name}`;
      }
      return decimal(bytes * 10n ** 9n);
    }
    // Not a whole number of bytes: Go falls back to DecimalSI.
    return decimal((bytesScaled * 10n ** 9n) / div);
  }
  if (!(suffix in DECIMAL)) return text;
  const nanoScaled = num * 10n ** BigInt((DECIMAL[suffix] ?? 0) + 9);
  const div = 10n ** BigInt(frac.length);
  // Go rounds sub-nano values up; the lab's inputs never have them.
  return decimal(nanoScaled / div);
}

/** DecimalSI text of a value given in nano units: largest 10^3k exponent keeping an integer mantissa. */
function decimal(nano: bigint): string {
  if (nano === 0n) return '0';
  let exp = 18;
  while (exp > -9 && nano % 10n ** BigInt(exp + 9) !== 0n) exp -= 3;
  return `${nano / 10n ** BigInt(exp + 9)}${DECIMAL_BY_EXP.get(exp) ?? ''}`;
}
