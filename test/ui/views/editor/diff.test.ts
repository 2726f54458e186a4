import { describe, expect, it } from 'vitest';
import { summariseWhatIf, workloadOf } from '../../../../ui/views/editor/diff.ts';
import { resolveRef } from '../../../../ui/views/editor/locate.ts';
import type { WhatIfResult } from '../../../../sim/driver.ts';

describe('what-if summary', () => {
  it('tallies expectations and groups calls by how they changed', () => {
    const r: WhatIfResult = {
      before: { ok: true, passed: 2, total: 2 },
      after: { ok: false, passed: 0, total: 2 },
      expectations: [
        { at: 'expect[0]', line: 39, before: { ok: true, message: 'a' }, after: { ok: false, message: 'b' }, changed: true },
        { at: 'expect[1]', before: { ok: true, message: 'c' }, after: { ok: true, message: 'c' }, changed: false },
      ],
      calls: [
        { index: 0, client: 'east/default/curl', request: 'GET helloworld:5000/hello', before: { status: 403 }, after: { status: 200, servedBy: 'west/helloworld-v2-74687c7fdf-5hlsx' }, changed: true },
        { index: 1, client: 'east/default/curl', request: 'GET helloworld:5000/hello', before: { status: 403 }, after: { status: 200, servedBy: 'west/helloworld-v2-74687c7fdf-5hlsx' }, changed: true },
        { index: 2, client: 'east/default/curl', request: 'GET helloworld:5000/hello', before: { status: 200, servedBy: 'east/helloworld-v1-66b99fc45-klkzk' }, after: { status: 200, servedBy: 'east/helloworld-v1-66b99fc45-klkzk' }, changed: false },
      ],
      diagnostics: [],
    };
    const s = summariseWhatIf(r);
    expect(s.headline).toBe('expectations holding: 2/2 → 0/2 (the run now fails)');
    expect(s.expectations[0]).toMatchObject({ before: '✓', after: '✗', changed: true, line: 39 });
    expect(s.calls[0]).toEqual({ before: '403', after: '200 from west/helloworld-v2', count: 2, request: 'GET helloworld:5000/hello', changed: true });
    expect(s.calls[1]).toMatchObject({ before: '200 from east/helloworld-v1', changed: false, count: 1 });
    expect(s.changedCalls).toBe(2);
    expect(workloadOf('curl-59cf6bc4b-6r6f7')).toBe('curl');
  });
});

describe('chain refs to editor lines', () => {
  const scenario = ['apiVersion: fedlab.dev/v1', 'kind: Scenario', 'steps:', '  - name: x', '    apply:', '      cluster: west', '      inline: |', '        apiVersion: v1', '        kind: ConfigMap', '        metadata:', '          name: a', 'fix:', '  steps:', '    - apply:', '        inline: |', '          kind: B', ''].join('\n');
  const read = (p: string): string | undefined => (p === 's.yaml' ? scenario : undefined);
  it('maps an inline manifest line to the scenario file line', () => {
    expect(resolveRef('s.yaml#steps[0]', 4, read)).toEqual({ file: 's.yaml', line: 11 });
    expect(resolveRef('s.yaml#fix.steps[0]', 1, read)).toEqual({ file: 's.yaml', line: 16 });
    expect(resolveRef('m.yaml', 7, read)).toEqual({ file: 'm.yaml', line: 7 });
    expect(resolveRef('s.yaml#expect[0]', 2, read)).toEqual({ file: 's.yaml', line: 1 });
  });
});
