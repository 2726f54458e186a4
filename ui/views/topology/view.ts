/**
 * The topology drawn with d3 (selection + zoom): cluster regions, nodes, pods (components as
 * labelled boxes, workloads as dots with a ring for their sidecar), and links by kind, coloured by
 * health. Placement comes from layout.ts in one synchronous pass; xDS and SDS links (one per proxy)
 * are drawn when they fail or touch the selection, the others always. Clicking selects.
 */
import { select, type Selection } from 'd3-selection';
import { zoom, zoomIdentity, type ZoomBehavior } from 'd3-zoom';
import type { Health, LinkKind, LinkView, PodView, Snapshot } from '../../../sim/driver.ts';
import { layoutTopology, type Layout, type PlacedPod } from './layout.ts';

export type TopologySelection = { readonly type: 'pod'; readonly pod: PodView } | { readonly type: 'cluster'; readonly cluster: string } | { readonly type: 'link'; readonly link: LinkView };

export const HEALTH_COLOUR: Readonly<Record<Health, string>> = { healthy: '#1a7f37', warning: '#b7791f', failing: '#cf222e', pending: '#8c959f', unknown: '#8c959f' };
const KIND_FILL: Readonly<Record<string, string>> = { 'spire-server': '#e7f0fb', 'controller-manager': '#eef3f9', oidc: '#eef3f9', istiod: '#eaf5ec', gateway: '#f6efe3' };
const KIND_LABEL: Readonly<Record<string, string>> = { 'spire-server': 'SPIRE server', 'controller-manager': 'controller mgr', oidc: 'OIDC provider', istiod: 'istiod', gateway: 'gateway' };
const LINK_DASH: Readonly<Record<LinkKind, string>> = { federation: '', discovery: '6 4', traffic: '', xds: '2 3', sds: '1 2' };
const LINK_WIDTH: Readonly<Record<LinkKind, number>> = { federation: 3, discovery: 2, traffic: 3, xds: 1, sds: 1.2 };

export interface TopologyView {
  update(snapshot: Snapshot): Layout;
  select(id: string | undefined): void;
  fit(): void;
  readonly element: SVGSVGElement;
}

const short = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

type Point = { readonly x: number; readonly y: number };

/** Cross-cluster links arc above the regions; in-cluster ones are straight. Also the curve's midpoint. */
function linkPath(s: Point, t: Point): { d: string; mid: Point } {
  const dx = t.x - s.x;
  if (Math.abs(dx) < 200) return { d: `M${s.x},${s.y}L${t.x},${t.y}`, mid: { x: (s.x + t.x) / 2, y: (s.y + t.y) / 2 } };
  const lift = Math.min(60, Math.abs(dx) / 6);
  const c1 = { x: s.x + dx / 3, y: Math.min(s.y, t.y) - lift };
  const c2 = { x: t.x - dx / 3, y: Math.min(s.y, t.y) - lift };
  // A cubic Bézier at t = ½.
  const mid = { x: (s.x + 3 * c1.x + 3 * c2.x + t.x) / 8, y: (s.y + 3 * c1.y + 3 * c2.y + t.y) / 8 };
  return { d: `M${s.x},${s.y}C${c1.x},${c1.y} ${c2.x},${c2.y} ${t.x},${t.y}`, mid };
}

function badgeText(l: LinkView): string {
  // `last: HTTP 503 UF,URX upstream_reset…` → `HTTP 503 UF,URX` (the inspector has the rest).
  if (l.kind === 'traffic') return (l.detail ?? 'failing').replace(/^last: /, '').split(' ').slice(0, 3).join(' ');
  if (l.kind === 'federation') return 'bundle refresh failing';
  return short(l.label, 40);
}

export function createTopologyView(host: HTMLElement, onSelect: (s: TopologySelection) => void): TopologyView {
  const svg = select(host).append('svg').attr('class', 'topology').attr('role', 'img').attr('aria-label', 'cluster topology');
  const defs = svg.append('defs');
  for (const [h, colour] of Object.entries(HEALTH_COLOUR))
    defs.append('marker').attr('id', `arrow-${h}`).attr('viewBox', '0 0 10 10').attr('refX', 9).attr('refY', 5).attr('markerWidth', 6).attr('markerHeight', 6).attr('orient', 'auto-start-reverse').append('path').attr('d', 'M0,0L10,5L0,10z').attr('fill', colour);
  const viewport = svg.append('g').attr('class', 'viewport');
  const gClusters = viewport.append('g');
  const gNodes = viewport.append('g');
  const gLinks = viewport.append('g').attr('class', 'links');
  const gPods = viewport.append('g');
  const gBadges = viewport.append('g').attr('class', 'badges');
  let layout: Layout | undefined;
  let snapshot: Snapshot | undefined;
  let selected: string | undefined;
  let fitted = false;
  const zoomer: ZoomBehavior<SVGSVGElement, unknown> = zoom<SVGSVGElement, unknown>()
    .scaleExtent([0.1, 8])
    .on('zoom', (e: { transform: { toString(): string } }) => viewport.attr('transform', e.transform.toString()));
  svg.call(zoomer).on('dblclick.zoom', null);

  const fit = (): void => {
    if (!layout) return;
    const { width: w, height: h } = (svg.node() as SVGSVGElement).getBoundingClientRect();
    if (w === 0 || h === 0 || layout.width === 0) return;
    const k = Math.min(w / (layout.width + 24), h / (layout.height + 24), 2);
    svg.call(zoomer.transform, zoomIdentity.translate((w - layout.width * k) / 2, Math.max(0, (h - layout.height * k) / 3)).scale(k));
  };

  const visibleLinks = (links: readonly LinkView[]): LinkView[] =>
    links.filter((l) => {
      if (l.kind !== 'xds' && l.kind !== 'sds') return true;
      return l.health !== 'healthy' || l.from === selected || l.to === selected;
    });

  const drawLinks = (): void => {
    if (!layout || !snapshot) return;
    const a = layout.anchors;
    const links = visibleLinks(snapshot.links).filter((l) => a.has(l.from) && a.has(l.to));
    gLinks
      .selectAll<SVGPathElement, LinkView>('path.link')
      .data(links, (d) => d.id)
      .join('path')
      .attr('class', (d) => `link link-${d.kind} health-${d.health}${d.from === selected || d.to === selected ? ' selected' : ''}`)
      .attr('data-kind', (d) => d.kind)
      .attr('data-health', (d) => d.health)
      .attr('d', (d) => linkPath(a.get(d.from)!, a.get(d.to)!).d)
      .attr('fill', 'none')
      .attr('stroke', (d) => HEALTH_COLOUR[d.health])
      .attr('stroke-width', (d) => LINK_WIDTH[d.kind])
      .attr('stroke-dasharray', (d) => LINK_DASH[d.kind])
      .attr('marker-end', (d) => (d.kind === 'traffic' || d.kind === 'federation' || d.kind === 'discovery' ? `url(#arrow-${d.health})` : null))
      .on('click', (e: MouseEvent, d) => {
        e.stopPropagation();
        onSelect({ type: 'link', link: d });
      })
      .selectAll('title')
      .data((d) => [d])
      .join('title')
      .text((d) => `${d.kind}: ${d.label}${d.detail ? `\n${d.detail}` : ''} (${d.health})`);
    // Failing cross-component links say what failed where they are drawn.
    const badges = links.filter((l) => l.health === 'failing' && l.kind !== 'xds' && l.kind !== 'sds');
    gBadges
      .selectAll<SVGTextElement, LinkView>('text.badge')
      .data(badges, (d) => d.id)
      .join('text')
      .attr('class', 'badge')
      .attr('text-anchor', 'middle')
      .attr('x', (d) => linkPath(a.get(d.from)!, a.get(d.to)!).mid.x)
      .attr('y', (d) => linkPath(a.get(d.from)!, a.get(d.to)!).mid.y - 8)
      .text((d) => badgeText(d));
  };

  const drawPods = (): void => {
    if (!layout) return;
    const groups = gPods
      .selectAll<SVGGElement, PlacedPod>('g.pod')
      .data(layout.pods, (d) => d.id)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'pod');
        g.append('rect').attr('class', 'body');
        g.append('circle').attr('class', 'ring');
        g.append('text').attr('class', 'label');
        g.append('text').attr('class', 'sublabel');
        g.append('title');
        return g;
      })
      .attr('data-id', (d) => d.id)
      .attr('data-kind', (d) => d.pod.kind)
      .attr('data-health', (d) => d.pod.health)
      .classed('selected', (d) => d.id === selected)
      .attr('transform', (d) => `translate(${d.x},${d.y})`)
      .on('click', (e: MouseEvent, d) => {
        e.stopPropagation();
        onSelect({ type: 'pod', pod: d.pod });
      });
    groups
      .select<SVGRectElement>('rect.body')
      .attr('x', (d) => (d.shape === 'box' ? -d.w / 2 : -d.r))
      .attr('y', (d) => (d.shape === 'box' ? -d.h / 2 : -d.r))
      .attr('width', (d) => (d.shape === 'box' ? d.w : 2 * d.r))
      .attr('height', (d) => (d.shape === 'box' ? d.h : 2 * d.r))
      .attr('rx', (d) => (d.shape === 'box' ? 5 : d.pod.kind === 'workload' ? d.r : 2))
      .attr('fill', (d) => (d.shape === 'box' ? (KIND_FILL[d.pod.kind] ?? '#f3f4f6') : d.pod.kind === 'workload' ? HEALTH_COLOUR[d.pod.health] : '#ffffff'))
      .attr('stroke', (d) => HEALTH_COLOUR[d.pod.health])
      .attr('stroke-width', (d) => (d.shape === 'box' ? 2 : d.pod.kind === 'workload' ? 0 : 2));
    groups
      .select<SVGCircleElement>('circle.ring')
      .attr('r', (d) => (d.shape === 'circle' ? d.r + 3 : 6))
      .attr('cx', (d) => (d.shape === 'box' ? d.w / 2 - 9 : 0))
      .attr('cy', (d) => (d.shape === 'box' ? -d.h / 2 + 9 : 0))
      .attr('fill', (d) => (d.shape === 'box' && d.pod.sidecar ? HEALTH_COLOUR[d.pod.sidecar.health] : 'none'))
      .attr('stroke', (d) => (d.pod.sidecar ? HEALTH_COLOUR[d.pod.sidecar.health] : 'none'))
      .attr('stroke-width', 1.5);
    groups
      .select<SVGTextElement>('text.label')
      .attr('text-anchor', (d) => (d.shape === 'box' ? 'middle' : 'start'))
      .attr('x', (d) => (d.shape === 'box' ? 0 : d.r + 6))
      .attr('y', (d) => (d.shape === 'box' ? -2 : 4))
      .attr('class', (d) => (d.shape === 'box' ? 'label' : 'label small'))
      .text((d) => (d.shape === 'box' ? (KIND_LABEL[d.pod.kind] ?? d.pod.kind) : d.labelled ? short(d.pod.kind === 'workload' ? d.pod.app : d.pod.kind, 17) : ''));
    groups
      .select<SVGTextElement>('text.sublabel')
      .attr('text-anchor', 'middle')
      .attr('y', (d) => (d.shape === 'box' ? 11 : 0))
      .text((d) => (d.shape === 'box' ? short(d.pod.status === 'Running' ? d.pod.name : `${d.pod.status}`, 20) : ''));
    groups.select('title').text((d) => `${d.pod.namespace}/${d.pod.name} — ${d.pod.status}${d.pod.sidecar ? `, sidecar: ${d.pod.sidecar.provider} (${d.pod.sidecar.health})` : ''}`);
  };

  const draw = (s: Snapshot): Layout => {
    snapshot = s;
    layout = layoutTopology(s);
    const l = layout;
    const clusters = gClusters
      .selectAll<SVGGElement, Layout['clusters'][number]>('g.cluster')
      .data(l.clusters, (d) => d.id)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'cluster');
        g.append('rect');
        g.append('text').attr('class', 'title');
        g.append('text').attr('class', 'subtitle');
        return g;
      })
      .attr('data-id', (d) => d.id)
      .on('click', (_e: MouseEvent, d) => onSelect({ type: 'cluster', cluster: d.cluster.name }));
    clusters.select('rect').attr('x', (d) => d.x).attr('y', (d) => d.y).attr('width', (d) => d.w).attr('height', (d) => d.h).attr('rx', 10);
    clusters.select('text.title').attr('x', (d) => d.x + 12).attr('y', (d) => d.y + 18).text((d) => d.cluster.name);
    clusters.select('text.subtitle').attr('x', (d) => d.x + 12).attr('y', (d) => d.y + 32).text((d) => `${d.cluster.trustDomain}${d.cluster.network ? ` · ${d.cluster.network}` : ''} · ${d.cluster.pods.length} pods`);
    const nodes = gNodes
      .selectAll<SVGGElement, Layout['nodes'][number]>('g.node')
      .data(l.nodes, (d) => d.id)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'node');
        g.append('rect');
        g.append('text');
        return g;
      });
    nodes.select('rect').attr('x', (d) => d.x).attr('y', (d) => d.y).attr('width', (d) => d.w).attr('height', (d) => d.h).attr('rx', 6).attr('stroke', (d) => (d.ready ? '#d0d7de' : HEALTH_COLOUR.failing));
    nodes.select('text').attr('x', (d) => d.x + 8).attr('y', (d) => d.y + 15).text((d) => `node ${d.name}`);
    drawPods();
    drawLinks();
    if (!fitted) {
      fit();
      fitted = (svg.node() as SVGSVGElement).getBoundingClientRect().width > 0;
    }
    return l;
  };

  svg.on('click', () => onSelect({ type: 'cluster', cluster: '' }));

  return {
    element: svg.node() as SVGSVGElement,
    update: draw,
    select(id) {
      selected = id;
      drawPods();
      drawLinks();
    },
    fit,
  };
}

export type { Selection };
