import { describe, expect, it } from 'vitest';
import { decodeGoBase64, goInteger, parseGoJson, stdField } from '../../../sim/spiffe/goJson.ts';

describe('Go encoding/json behaviour', () => {
  it('words the common syntax errors as Go does', () => {
    expect(parseGoJson('')).toEqual({ ok: false, error: 'unexpected end of JSON input' });
    expect(parseGoJson('{"keys": [')).toEqual({ ok: false, error: 'unexpected end of JSON input' });
    expect(parseGoJson('Not PEM encoded file')).toEqual({ ok: false, error: "invalid character 'N' looking for beginning of value" });
    expect(parseGoJson("'x'")).toEqual({ ok: false, error: "invalid character '\\'' looking for beginning of value" });
  });

  it('matches struct members case-insensitively, exact name first, last one wins', () => {
    expect(stdField({ KEYS: 1 }, 'keys')).toBe(1);
    expect(stdField({ keys: 1, Keys: 2 }, 'keys')).toBe(2);
    expect(stdField({ other: 1 }, 'keys')).toBeUndefined();
  });

  it('decodes integers with Go type errors', () => {
    expect(goInteger({ n: 5 }, 'n', 'bundleDoc', 'uint64')).toEqual({ ok: true, value: 5 });
    expect(goInteger({}, 'n', 'bundleDoc', 'uint64')).toEqual({ ok: true, value: undefined });
    expect(goInteger({ n: -1 }, 'n', 'bundleDoc', 'uint64')).toEqual({ ok: false, error: 'json: cannot unmarshal number -1 into Go struct field bundleDoc.n of type uint64' });
    expect(goInteger({ n: '60' }, 'n', 'bundleDoc', 'int64')).toEqual({ ok: false, error: 'json: cannot unmarshal string into Go struct field bundleDoc.n of type int64' });
    expect(goInteger({ n: 1.5 }, 'n', 'bundleDoc', 'int64').ok).toBe(false);
  });

  it('decodes base64 strictly', () => {
    expect(decodeGoBase64('AQAB', 'rawurl').bytes).toEqual(Uint8Array.of(1, 0, 1));
    expect(decodeGoBase64('AQAB=', 'rawurl').badIndex).toBe(4);
    expect(decodeGoBase64('A', 'rawurl').badIndex).toBe(0);
    expect(decodeGoBase64('Q09SUlVQVA==', 'std').bytes).toEqual(new TextEncoder().encode('CORRUPT'));
    expect(decodeGoBase64('Q09SUlVQVA', 'std').badIndex).toBe(8);
    expect(decodeGoBase64('Q0_S', 'std').badIndex).toBe(2);
  });
});
