import { describe, expect, it } from 'vitest';
import { canonicalQuantity } from '../../../../sim/istiod/inject/quantity.ts';

describe('canonicalQuantity (Go round trip of resource.Quantity)', () => {
  it('matches what upstream goldens print', () => {
    expect(canonicalQuantity('2000m')).toBe('2');
    expect(canonicalQuantity('1024Mi')).toBe('1Gi');
    expect(canonicalQuantity('100m')).toBe('100m');
    expect(canonicalQuantity('128Mi')).toBe('128Mi');
    expect(canonicalQuantity('1')).toBe('1');
    expect(canonicalQuantity('1.5')).toBe('1500m');
    expect(canonicalQuantity('0.5Gi')).toBe('512Mi');
    expect(canonicalQuantity('1000')).toBe('1k');
    expect(canonicalQuantity('512')).toBe('512');
    expect(canonicalQuantity(0)).toBe('0');
  });
});
