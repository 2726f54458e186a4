import { describe, expect, it } from 'vitest';
import { layoutTopology, LAYOUT } from '../../../../ui/views/topology/layout.ts';
import { syntheticSnapshot } from '../../../../ui/views/topology/synthetic.ts';

describe('layoutTopology', () => {
  it('places every pod once, inside its cluster region, in one synchronous pass', () => {
    const s = syntheticSnapshot(3, 1000);
    const l = layoutTopology(s);
    expect(l.pods).toHaveLength(1000);
    expect(new Set(l.pods.map((p) => p.id)).size).toBe(1000);
    for (const p of l.pods) {
      const c = l.clusters.find((x) => x.id === `cluster:${p.pod.cluster}`)!;
      expect(p.x).toBeGreaterThanOrEqual(c.x);
      expect(p.x).toBeLessThanOrEqual(c.x + c.w);
      expect(p.y).toBeGreaterThanOrEqual(c.y);
      expect(p.y).toBeLessThanOrEqual(c.y + c.h);
      expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
    }
  });

  it('is deterministic: the same snapshot lands in the same place, whatever the input order', () => {
    const s = syntheticSnapshot(2, 200);
    const shuffled = { ...s, clusters: s.clusters.map((c) => ({ ...c, pods: [...c.pods].reverse() })) };
    const pos = (l: ReturnType<typeof layoutTopology>) => Object.fromEntries(l.pods.map((p) => [p.id, [p.x, p.y]]));
    expect(pos(layoutTopology(shuffled))).toEqual(pos(layoutTopology(s)));
  });

  it('puts control-plane components in the band as boxes and pods of one node in its box, without overlap', () => {
    const s = syntheticSnapshot(1, 60, 2);
    const l = layoutTopology(s);
    const boxes = l.pods.filter((p) => p.shape === 'box').map((p) => p.pod.kind);
    expect(boxes).toEqual(['spire-server', 'istiod', 'gateway']);
    for (const n of l.nodes) {
      const inside = l.pods.filter((p) => p.shape === 'circle' && p.pod.node === n.name);
      for (const p of inside) expect(p.y > n.y && p.y < n.y + n.h).toBe(true);
    }
    const seen = new Set(l.pods.map((p) => `${p.x},${p.y}`));
    expect(seen.size).toBe(l.pods.length);
    // Anchors exist for clusters and pods (link ends).
    expect(l.anchors.get('cluster:east')).toBeDefined();
    expect(l.anchors.size).toBe(l.pods.length + 1);
    expect(l.clusters[0]!.y).toBe(LAYOUT.top);
  });

  it('labels pods when a node has few of them', () => {
    const small = layoutTopology(syntheticSnapshot(1, 20, 2));
    expect(small.pods.filter((p) => p.shape === 'circle').every((p) => p.labelled)).toBe(true);
    const big = layoutTopology(syntheticSnapshot(1, 400, 2));
    expect(big.pods.filter((p) => p.shape === 'circle').some((p) => p.labelled)).toBe(false);
  });
});
