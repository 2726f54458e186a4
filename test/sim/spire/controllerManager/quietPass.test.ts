import { describe, expect, it, vi } from 'vitest';
import { QuietPassGate } from '../../../../sim/spire/controllerManager/quietPass.ts';
import { EntryReconciler } from '../../../../sim/spire/controllerManager/reconciler.ts';
import { cluster, must } from './harness.ts';

const NS_SA = 'spiffe://{{ .TrustDomain }}/ns/{{ .PodMeta.Namespace }}/sa/{{ .PodSpec.ServiceAccountName }}';

describe('QuietPassGate', () => {
  it('skips only after a silent full pass, while nothing was touched and the inputs are the same objects', () => {
    const g = new QuietPassGate();
    const a = { id: 'a' };
    expect(g.canSkip([true, a])).toBe(false); // no pass yet
    g.begin();
    g.end(true, [true, a]);
    expect(g.canSkip([true, a])).toBe(true);
    expect(g.canSkip([true, { id: 'a' }])).toBe(false); // an equal but replaced row
    expect(g.canSkip([false, a])).toBe(false);
    expect(g.canSkip([true, a, a])).toBe(false);
    g.touch();
    expect(g.canSkip([true, a])).toBe(false);
    g.begin();
    g.end(false, [true, a]); // a pass that logged or wrote
    expect(g.canSkip([true, a])).toBe(false);
  });

  it('a disabled gate never skips', () => {
    const g = new QuietPassGate();
    g.disable();
    g.begin();
    g.end(true, []);
    expect(g.canSkip([])).toBe(false);
  });
});

describe('controller manager: periodic passes that would repeat a silent one', () => {
  const setup = () => {
    const c = cluster();
    c.ns('shop', { mesh: 'on' });
    c.node('worker-1');
    c.csid('labelled', { spiffeIDTemplate: NS_SA, namespaceSelector: { matchLabels: { mesh: 'on' } } });
    c.pod('shop', 'web-1');
    const passes = vi.spyOn(EntryReconciler.prototype, 'reconcile');
    const started = c.start();
    return { c, passes, ...started };
  };

  it('are skipped while nothing they read changed, with the same log and entries as full passes', () => {
    const { c, passes, lines } = setup();
    c.clock.advance(20_000); // the status write's follow-up pass, then a silent one
    const settled = passes.mock.calls.length;
    const logged = lines.length;
    const entries = c.api.userEntries();
    c.clock.advance(10 * 60_000 - 30_000); // up to just before the unsupported-fields probe is due again
    expect(passes.mock.calls.length).toBe(settled);
    expect(lines.length).toBe(logged);
    expect(c.api.userEntries()).toEqual(entries);
    c.clock.advance(10_000); // the probe is due: a full pass
    expect(passes.mock.calls.length).toBe(settled + 1);
    passes.mockRestore();
  });

  it('a change that does not trigger a pass (namespace relabel, an entry deleted in SPIRE) makes the next periodic pass a full one', () => {
    const { c, passes } = setup();
    c.clock.advance(30_000);
    expect(c.api.userEntries()).toHaveLength(1);
    const relabel = (labels: Record<string, string>) => {
      const ns = must(c.store.get('Namespace', undefined, 'shop'));
      must(c.store.update({ ...ns, metadata: { ...ns.metadata, labels: { 'kubernetes.io/metadata.name': 'shop', ...labels } } }));
    };
    // Namespace: relabelled out of the selector, then back; each picked up by the next periodic pass.
    relabel({});
    c.clock.advance(10_000);
    expect(c.api.userEntries()).toHaveLength(0);
    relabel({ mesh: 'on' });
    c.clock.advance(10_000);
    expect(c.api.userEntries()).toHaveLength(1);
    // SPIRE side: an entry deleted behind the controller's back comes back at the next period.
    c.clock.advance(30_000);
    const [entry] = c.api.userEntries();
    expect(entry).toBeDefined();
    c.api.entries.delete(entry!.id);
    c.clock.advance(10_000);
    expect(c.api.userEntries()).toHaveLength(1);
    passes.mockRestore();
  });

  it('a server that stops serving is reported on every period (a logging pass is never skipped)', () => {
    const { c, passes, lines } = setup();
    c.clock.advance(30_000);
    c.api.serving = false;
    const before = lines.length;
    c.clock.advance(30_000);
    expect(lines.slice(before).filter((l) => l.includes('Failed to list SPIRE entries'))).toHaveLength(3);
    passes.mockRestore();
  });
});
