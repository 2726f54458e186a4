import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../../sim/scenario/template.ts';

const ctx = { clusters: { west: { trustDomain: 'west.demo' } }, captures: { bundle: '{\n  "keys": []\n}' } };

describe('step-time templating', () => {
  it('substitutes dotted paths and applies filters', () => {
    expect(renderTemplate('spiffe://{{ clusters.west.trustDomain }}/ns/a', ctx, 'x')).toEqual({ ok: true, value: 'spiffe://west.demo/ns/a' });
    expect(renderTemplate('b: |\n{{ captures.bundle | indent 2 }}', ctx, 'x')).toEqual({ ok: true, value: 'b: |\n  {\n    "keys": []\n  }' });
    expect(renderTemplate('{{captures.bundle|trim|json}}', ctx, 'x')).toEqual({ ok: true, value: JSON.stringify(ctx.captures.bundle) });
    expect(renderTemplate('{{ clusters.west.trustDomain | base64 }}', ctx, 'x')).toEqual({ ok: true, value: 'd2VzdC5kZW1v' });
  });

  it('refuses undefined values and unknown filters, naming the field', () => {
    expect(renderTemplate('{{ captures.missing }}', ctx, 'scen.yaml:12: steps[2].apply')).toMatchObject({
      ok: false,
      error: { code: 'scenario/template', message: 'scen.yaml:12: steps[2].apply: template: "captures.missing" is not defined at this step' },
    });
    expect(renderTemplate('{{ captures.bundle | upper }}', ctx, 'f')).toMatchObject({ ok: false, error: { message: 'f: template: unknown filter "upper" (known: indent N, trim, json, base64)' } });
  });
});
