/**
 * The topology's layout: a pure, synchronous function of the snapshot (no force simulation, no
 * ticks), so a 1,000-pod world is fully placed the moment it is drawn and the same snapshot always
 * lands in the same place. Clusters are columns side by side; each has a control-plane band (SPIRE
 * server, istiod, gateways, controller manager, OIDC provider as labelled boxes) above its nodes; each
 * node is a box holding its pods in a grid (the SPIRE agent and CSI driver first, then workloads by
 * namespace and app). Coordinates are abstract units; the view fits them to the screen.
 */
import type { ClusterView, ComponentKind, PodView, Snapshot } from '../../../sim/driver.ts';

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface PlacedCluster extends Rect {
  readonly id: string;
  readonly cluster: ClusterView;
}

export interface PlacedNode extends Rect {
  readonly id: string;
  readonly cluster: string;
  readonly name: string;
  readonly ready: boolean;
}

export interface PlacedPod {
  readonly id: string;
  readonly pod: PodView;
  /** Centre. */
  readonly x: number;
  readonly y: number;
  /** Components are boxes (w × h), workloads circles of radius r. */
  readonly shape: 'box' | 'circle';
  /** Whether there is room for a label beside the dot (small clusters). */
  readonly labelled: boolean;
  readonly w: number;
  readonly h: number;
  readonly r: number;
}

export interface Layout {
  readonly width: number;
  readonly height: number;
  readonly clusters: readonly PlacedCluster[];
  readonly nodes: readonly PlacedNode[];
  readonly pods: readonly PlacedPod[];
  /** Where a link to any id (pod, cluster) attaches. */
  readonly anchors: ReadonlyMap<string, { readonly x: number; readonly y: number }>;
}

export const LAYOUT = {
  /** Room above the regions for the arcs of cross-cluster links. */
  top: 64,
  clusterWidth: 420,
  clusterGap: 48,
  pad: 12,
  header: 40,
  boxW: 124,
  boxH: 34,
  boxGap: 10,
  nodeHeader: 22,
  cell: 22,
  podR: 7,
  /** A node with at most this many pods lists them with labels. */
  labelledMax: 24,
  labelledCellW: 132,
} as const;

/** Components drawn in the control band, in this order. */
const BAND: readonly ComponentKind[] = ['spire-server', 'controller-manager', 'oidc', 'istiod', 'gateway'];
/** Per-node daemons first in a node's grid. */
const DAEMON_ORDER: Readonly<Record<string, number>> = { 'spire-agent': 0, 'csi-driver': 1 };

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function podOrder(a: PodView, b: PodView): number {
  const da = DAEMON_ORDER[a.kind] ?? 2;
  const db = DAEMON_ORDER[b.kind] ?? 2;
  return da - db || cmp(a.namespace, b.namespace) || cmp(a.app, b.app) || cmp(a.name, b.name);
}

function bandOrder(a: PodView, b: PodView): number {
  return BAND.indexOf(a.kind) - BAND.indexOf(b.kind) || cmp(a.namespace, b.namespace) || cmp(a.name, b.name);
}

export function layoutTopology(snapshot: Pick<Snapshot, 'clusters'>): Layout {
  const L = LAYOUT;
  const clusters: PlacedCluster[] = [];
  const nodes: PlacedNode[] = [];
  const pods: PlacedPod[] = [];
  const anchors = new Map<string, { x: number; y: number }>();
  const innerW = L.clusterWidth - 2 * L.pad;
  const perRow = Math.max(1, Math.floor((innerW + L.boxGap) / (L.boxW + L.boxGap)));
  const cols = Math.max(1, Math.floor((innerW - 2 * L.pad) / L.cell));
  let height = 0;

  snapshot.clusters.forEach((c, ci) => {
    const x0 = ci * (L.clusterWidth + L.clusterGap);
    let y = L.top + L.header;
    const band = c.pods.filter((p) => BAND.includes(p.kind)).sort(bandOrder);
    band.forEach((p, i) => {
      const col = i % perRow;
      const row = Math.floor(i / perRow);
      const x = x0 + L.pad + col * (L.boxW + L.boxGap) + L.boxW / 2;
      const cy = y + row * (L.boxH + L.boxGap) + L.boxH / 2;
      pods.push({ id: p.id, pod: p, x, y: cy, shape: 'box', w: L.boxW, h: L.boxH, r: 0, labelled: true });
    });
    if (band.length > 0) y += Math.ceil(band.length / perRow) * (L.boxH + L.boxGap) + L.pad;

    // Nodes in name order; pods with no node (not scheduled yet) in a last pseudo-node.
    const rest = c.pods.filter((p) => !BAND.includes(p.kind));
    const byNode = new Map<string, PodView[]>(c.nodes.map((n) => [n.name, []]));
    for (const p of rest) {
      const k = p.node && byNode.has(p.node) ? p.node : '';
      if (!byNode.has(k)) byNode.set(k, []);
      byNode.get(k)!.push(p);
    }
    const nodeNames = [...byNode.keys()].filter((n) => n !== '').sort(cmp);
    if (byNode.has('')) nodeNames.push('');
    for (const name of nodeNames) {
      const list = byNode.get(name)!.sort(podOrder);
      const labelled = list.length <= L.labelledMax;
      const cellW = labelled ? L.labelledCellW : L.cell;
      const perLine = labelled ? Math.max(1, Math.floor((innerW - L.pad) / cellW)) : cols;
      const rows = Math.max(1, Math.ceil(list.length / perLine));
      const h = L.nodeHeader + rows * L.cell + L.pad / 2;
      const node = c.nodes.find((n) => n.name === name);
      nodes.push({ id: node?.id ?? `node:${c.name}/(unscheduled)`, cluster: c.name, name: name || '(unscheduled)', ready: node?.ready ?? false, x: x0 + L.pad, y, w: innerW, h });
      list.forEach((p, i) => {
        const px = x0 + 2 * L.pad + (i % perLine) * cellW + L.cell / 2;
        const py = y + L.nodeHeader + Math.floor(i / perLine) * L.cell + L.cell / 2;
        pods.push({ id: p.id, pod: p, x: px, y: py, shape: 'circle', w: 0, h: 0, r: L.podR, labelled });
      });
      y += h + L.pad;
    }
    const placed: PlacedCluster = { id: c.id, cluster: c, x: x0, y: L.top, w: L.clusterWidth, h: y - L.top };
    clusters.push(placed);
    anchors.set(c.id, { x: x0 + L.clusterWidth / 2, y: L.top + L.header / 2 });
    height = Math.max(height, y);
  });
  // Every cluster region as tall as the tallest, so the columns line up.
  const even = clusters.map((c) => ({ ...c, h: height - L.top }));
  for (const p of pods) anchors.set(p.id, { x: p.x, y: p.y });
  const width = snapshot.clusters.length * L.clusterWidth + Math.max(0, snapshot.clusters.length - 1) * L.clusterGap;
  return { width, height, clusters: even, nodes, pods, anchors };
}
