/**
 * Positions for drawing a chart with its transition labels (the visualizer
 * renders them as SVG). The layout is ELK's layered algorithm (elkjs), run in
 * Node when the page's model is built: it places states left to right in
 * escalation order, routes every arrow orthogonally around the states, and —
 * what a hand-written layout did not manage — places each label so that no
 * two labels, arrows or states overlap, compound states included.
 *
 * A transition defined on the machine's root applies in every state; instead of
 * one arrow from each state it is drawn once, from a small "any state" node.
 * Arrows between the same two states share one label, one line per transition.
 */
import type { Chart, ChartState } from './chart.js';
import { transitionLabel, type LabelContext } from './labels.js';

export interface LayoutNode {
  id: string;
  key: string;
  /** `any`: the pseudo state the root's transitions start from. */
  type: ChartState['type'] | 'any';
  parent: string | null;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface LayoutLabel {
  lines: string[];
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface LayoutEdge {
  from: string;
  to: string;
  /** Every transition drawn by this arrow, one line each. */
  label: string;
  /** The chart's transition ids this arrow draws. */
  transitions: string[];
  selfLoop: boolean;
  /** The route, as points (start, bends, end). */
  points: { x: number; y: number }[];
  box: LayoutLabel;
}

export interface ChartLayout {
  width: number;
  height: number;
  nodes: LayoutNode[];
  edges: LayoutEdge[];
}

/** Id of the pseudo state that stands for "any state" of `chart`. */
export const anyStateId = (chart: Chart) => `${chart.root}.*`;

const NODE_H = 24;
const CHAR_W = 6.8; // state names, 11px bold-ish
const LABEL_CHAR_W = 5.6; // labels, 10px
const LABEL_LINE_H = 12;

// ELK's parameters: layered, left to right, orthogonal arrows, labels beside
// their arrow, every coordinate relative to the root so the page adds nothing.
const OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.json.shapeCoords': 'ROOT',
  'elk.json.edgeCoords': 'ROOT',
  'elk.layered.spacing.nodeNodeBetweenLayers': '36',
  'elk.spacing.nodeNode': '18',
  'elk.spacing.edgeLabel': '3',
  'elk.spacing.edgeEdge': '8',
  'elk.layered.spacing.edgeEdgeBetweenLayers': '8',
  'elk.layered.spacing.edgeNodeBetweenLayers': '10',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.padding': '[top=6,left=6,bottom=6,right=6]',
};
const COMPOUND_PADDING = '[top=26,left=10,bottom=10,right=10]';

interface ElkLabelOut {
  text?: string;
  x?: number;
  y?: number;
  width?: number;
  height?: number;
}
interface ElkNodeIn {
  id: string;
  width?: number;
  height?: number;
  layoutOptions?: Record<string, string>;
  children?: ElkNodeIn[];
  edges?: ElkEdgeIn[];
}
interface ElkEdgeIn {
  id: string;
  sources: string[];
  targets: string[];
  labels: { text: string; width: number; height: number }[];
}
interface ElkNodeOut extends ElkNodeIn {
  x?: number;
  y?: number;
  children?: ElkNodeOut[];
  edges?: ElkEdgeOut[];
}
interface ElkEdgeOut extends ElkEdgeIn {
  labels: (ElkEdgeIn['labels'][number] & ElkLabelOut)[];
  sections?: { startPoint: { x: number; y: number }; endPoint: { x: number; y: number }; bendPoints?: { x: number; y: number }[] }[];
}
type Elk = { layout(graph: ElkNodeIn): Promise<ElkNodeOut> };

// elkjs is 1.6 MB of compiled Java: loaded the first time a chart is laid out, never by a plain `up`.
let elk: Promise<Elk> | undefined;
async function loadElk(): Promise<Elk> {
  elk ??= import('elkjs/lib/elk.bundled.js').then((module) => {
    const ELK = (module as unknown as { default: new () => Elk }).default;
    return new ELK();
  });
  return elk;
}

interface Arrow {
  from: string;
  to: string;
  transitions: string[];
  lines: string[];
}

// Arrows to draw: one per pair of states. Root transitions start from the "any
// state" node; in an unlabelled overview (no room for that node) from every
// top-level state instead, and root transitions that only run actions are left out.
function arrowsOf(chart: Chart, label: LabelContext, overview: boolean): Arrow[] {
  const any = anyStateId(chart);
  const byId = new Map(chart.states.map((state) => [state.id, state]));
  const topLevel = (byId.get(chart.root)?.children ?? []).filter((id) => byId.get(id)?.type !== 'final');
  const arrows = new Map<string, Arrow>();
  for (const transition of chart.transitions) {
    const fromRoot = transition.source === chart.root;
    if (overview && fromRoot && !transition.targets.length) continue;
    const sources = !fromRoot ? [transition.source] : overview ? topLevel : [any];
    const text = transition.targets.length ? transitionLabel(transition, label) : `${transitionLabel(transition, label)} / ${transition.actions.join(', ')}`;
    for (const from of sources) {
      for (const to of transition.targets.length ? transition.targets : [from]) {
        if (overview && fromRoot && from === to) continue;
        const key = `${from}>${to}`;
        const arrow = arrows.get(key) ?? { from, to, transitions: [], lines: [] };
        arrow.transitions.push(transition.id);
        if (!arrow.lines.includes(text)) arrow.lines.push(text);
        arrows.set(key, arrow);
      }
    }
  }
  return [...arrows.values()];
}

export interface LayoutOptions {
  /** Put the labels on the arrows (default); without, arrows only (a small overview). */
  labels?: boolean;
  /** `DOWN` (default) keeps a labelled chart narrow; `RIGHT` suits a one-line overview. */
  direction?: 'DOWN' | 'RIGHT';
}

/** Lays out `chart` with the labels its transitions have in `label`'s configuration. */
export async function layoutChart(chart: Chart, label: LabelContext = {}, options: LayoutOptions = {}): Promise<ChartLayout> {
  const byId = new Map(chart.states.map((state) => [state.id, state]));
  const root = byId.get(chart.root) as ChartState;
  const withLabels = options.labels ?? true;
  const arrows = arrowsOf(chart, label, !withLabels);
  const any = anyStateId(chart);
  const hasAny = arrows.some((arrow) => arrow.from === any);

  const elkNode = (state: ChartState): ElkNodeIn =>
    state.children.length
      ? { id: state.id, layoutOptions: { 'elk.padding': COMPOUND_PADDING }, children: state.children.map((id) => elkNode(byId.get(id) as ChartState)) }
      : { id: state.id, width: Math.max(64, Math.ceil(state.key.length * CHAR_W) + 18), height: NODE_H };
  const children = root.children.map((id) => elkNode(byId.get(id) as ChartState));
  if (hasAny) children.unshift({ id: any, width: 70, height: NODE_H });
  const graph: ElkNodeIn = {
    id: '__root',
    layoutOptions: { ...OPTIONS, 'elk.direction': options.direction ?? 'DOWN' },
    children,
    edges: arrows.map((arrow, index) => ({
      id: `e${index}`,
      sources: [arrow.from],
      targets: [arrow.to],
      labels: withLabels ? [{ text: arrow.lines.join('\n'), width: Math.ceil(Math.max(...arrow.lines.map((line) => line.length)) * LABEL_CHAR_W) + 4, height: arrow.lines.length * LABEL_LINE_H + 2 }] : [],
    })),
  };
  const out = await (await loadElk()).layout(graph);

  const nodes: LayoutNode[] = [];
  const walk = (node: ElkNodeOut, parent: string | null) => {
    const state = byId.get(node.id);
    nodes.push({
      id: node.id,
      key: state?.key ?? 'any state',
      type: state?.type ?? 'any',
      parent,
      x: node.x ?? 0,
      y: node.y ?? 0,
      w: node.width ?? 0,
      h: node.height ?? 0,
    });
    for (const child of node.children ?? []) walk(child, node.id);
  };
  for (const child of out.children ?? []) walk(child, null);

  // Edges come back where ELK put them (the root, or the compound holding both ends).
  const edgesOut: ElkEdgeOut[] = [];
  const collect = (node: ElkNodeOut) => {
    edgesOut.push(...(node.edges ?? []));
    (node.children ?? []).forEach(collect);
  };
  collect(out);
  const byEdgeId = new Map(edgesOut.map((edge) => [edge.id, edge]));
  const edges = arrows.map((arrow, index): LayoutEdge => {
    const placed = byEdgeId.get(`e${index}`);
    const section = placed?.sections?.[0];
    const points = section ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint] : [];
    const text = placed?.labels[0];
    return {
      from: arrow.from,
      to: arrow.to,
      label: arrow.lines.join('\n'),
      transitions: arrow.transitions,
      selfLoop: arrow.from === arrow.to,
      points,
      box: { lines: arrow.lines, x: text?.x ?? 0, y: text?.y ?? 0, w: text?.width ?? 0, h: text?.height ?? 0 },
    };
  });
  return { width: Math.ceil(out.width ?? 0), height: Math.ceil(out.height ?? 0), nodes, edges };
}
