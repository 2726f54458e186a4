import { describe, expect, it } from 'vitest';
import { humanDuration } from '../../../../sim/cli/kubectl/humanDuration.ts';
import { parseJsonPath } from '../../../../sim/cli/kubectl/jsonPath.ts';
import { toGoJson, toYaml } from '../../../../sim/cli/kubectl/yamlPrinter.ts';
import { formatTable, tabwrite } from '../../../../sim/cli/kubectl/tabWriter.ts';

const S = 1000;

describe('HumanDuration', () => {
  it('follows apimachinery\'s thresholds', () => {
    const cases: [number, string][] = [
      [0, '0s'],
      [-1500, '0s'],
      [-3000, '<invalid>'],
      [119 * S, '119s'],
      [120 * S, '2m'],
      [150 * S, '2m30s'],
      [10 * 60 * S, '10m'],
      [179 * 60 * S, '179m'],
      [3 * 3600 * S, '3h'],
      [(3 * 3600 + 20 * 60) * S, '3h20m'],
      [8 * 3600 * S, '8h'],
      [47 * 3600 * S, '47h'],
      [(3 * 24 + 4) * 3600 * S, '3d4h'],
      [8 * 24 * 3600 * S, '8d'],
      [400 * 24 * 3600 * S, '400d'],
      [(2 * 365 + 30) * 24 * 3600 * S, '2y30d'],
      [9 * 365 * 24 * 3600 * S, '9y'],
    ];
    for (const [ms, want] of cases) expect(humanDuration(ms), String(ms)).toBe(want);
  });
});

describe('YAML as kubectl prints it', () => {
  it('quotes strings (and keys, like `n`) that would read back as something else; literal blocks for multi-line text', () => {
    expect(toYaml({ b: 'true', a: '1', c: 'yes', d: '2026-03-01T10:00:00Z', e: 'plain text', f: '', g: '{"json":1}', h: 'a: b', i: 'line1\nline2\n', j: 'x\ny', k: null, l: 1.5, m: [], n: {} })).toBe(
      'a: "1"\nb: "true"\nc: "yes"\nd: "2026-03-01T10:00:00Z"\ne: plain text\nf: ""\ng: \'{"json":1}\'\nh: \'a: b\'\ni: |\n  line1\n  line2\nj: |-\n  x\n  y\nk: null\nl: 1.5\nm: []\n"n": {}\n',
    );
  });

  it('sorts keys the go-yaml way and does not indent sequences', () => {
    expect(toYaml({ items: [{ name: 'a', ports: [{ port: 80 }] }], 'a10': 1, a2: 2, '-x': 3 })).toBe('-x: 3\na2: 2\na10: 1\nitems:\n- name: a\n  ports:\n  - port: 80\n');
  });

  it('JSON: 4-space indentation, sorted keys, HTML-safe escapes', () => {
    expect(toGoJson({ b: '<a&b>', a: [1, { z: true }], c: {} })).toBe('{\n    "a": [\n        1,\n        {\n            "z": true\n        }\n    ],\n    "b": "\\u003ca\\u0026b\\u003e",\n    "c": {}\n}');
  });
});

describe('JSONPath (client-go dialect)', () => {
  const data = {
    items: [
      { metadata: { name: 'a', labels: { 'app.kubernetes.io/name': 'x' } }, status: { conditions: [{ type: 'Ready', status: 'True' }], n: 3 } },
      { metadata: { name: 'b' }, status: { conditions: [{ type: 'Ready', status: 'False' }], n: 7 } },
    ],
  };
  const run = (t: string) => {
    const p = parseJsonPath(t);
    if (!p.ok) throw new Error(p.error.message);
    const r = p.value.execute(data);
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  it('walks fields, indexes, slices, wildcards, filters and recursive descent', () => {
    expect(run('{.items[*].metadata.name}')).toBe('a b');
    expect(run('{.items[-1].metadata.name}')).toBe('b');
    expect(run('{.items[0:1].metadata.name}')).toBe('a');
    expect(run('{.items[?(@.status.n > 5)].metadata.name}')).toBe('b');
    expect(run('{.items[?(@.status.conditions[0].status=="True")].metadata.name}')).toBe('a');
    expect(run('{.items[0].metadata.labels.app\\.kubernetes\\.io/name}')).toBe('x');
    expect(run("{.items[0].metadata.labels['app.kubernetes.io/name']}")).toBe('x');
    expect(run('{..name}')).toBe('a b');
    expect(run('names: {range .items[*]}[{.metadata.name}]{end}')).toBe('names: [a][b]');
    expect(run('{.items[0].status.conditions}')).toBe('[{"status":"True","type":"Ready"}]');
    expect(run('{.nothing.here}')).toBe('');
  });
  it('reports unclosed templates', () => {
    expect(parseJsonPath('{.a').ok).toBe(false);
    expect(parseJsonPath('{range .a}{.b}').ok).toBe(false);
  });
});

describe('tabwriter', () => {
  it('pads like kubectl tables (minwidth 6, padding 3) and describe (padding 2, column blocks)', () => {
    expect(formatTable([['NAME', 'AGE'], ['a', '1s']])).toBe('NAME   AGE\na      1s\n');
    expect(tabwrite('Name:\tx\nLabels:\ta=b\n\tc=d\nSpec:\n  Long Key Here:\tv\n')).toBe('Name:    x\nLabels:  a=b\n         c=d\nSpec:\n  Long Key Here:  v\n');
  });
});
