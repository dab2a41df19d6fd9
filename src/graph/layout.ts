/**
 * Positions for drawing a chart (the visualizer renders them as SVG). States
 * go in columns by how far along the machine they are — the longest path from
 * the initial state, back edges ignored — so escalation reads left to right;
 * a compound state is a box holding its children laid out the same way.
 * Given a reference chart (the full machine), a pruned chart keeps the full
 * machine's positions, so the same state sits in the same column on every row.
 */
import type { Chart, ChartState } from './chart.js';
import { diagramEdges } from './edges.js';

export interface LayoutNode {
  id: string;
  key: string;
  type: ChartState['type'];
  parent: string | null;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface LayoutEdge {
  from: string;
  to: string;
  label: string;
  selfLoop: boolean;
}

export interface ChartLayout {
  width: number;
  height: number;
  nodes: LayoutNode[];
  edges: LayoutEdge[];
}

const NODE_H = 22;
const CHAR_W = 6.6;
const PAD = 10;
const HEADER = 18;
const GAP_X = 30;
const GAP_Y = 8;

type Box = { w: number; h: number; place: Map<string, { x: number; y: number; w: number; h: number }> };

// Columns of a scope's children. Edges that lead back (found by a depth-first
// walk that takes children in the order they are written) are ignored; each
// child then sits at the longest path from the initial child, and final states
// come last.
function columnsOf(chart: Chart, scope: ChartState, byId: Map<string, ChartState>): string[][] {
  const order = new Map(scope.children.map((id, index) => [id, index]));
  const siblingOf = (id: string): string | undefined => {
    for (let state = byId.get(id); state; state = byId.get(state.parent ?? '')) if (state.parent === scope.id) return state.id;
    return undefined;
  };
  const next = new Map<string, Set<string>>(scope.children.map((id) => [id, new Set()]));
  for (const transition of chart.transitions) {
    const from = siblingOf(transition.source);
    for (const target of transition.targets) {
      const to = siblingOf(target);
      if (from && to && from !== to) next.get(from)?.add(to);
    }
  }
  const sorted = (id: string) => [...(next.get(id) ?? [])].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  const forward = new Map<string, string[]>(scope.children.map((id) => [id, []]));
  const postOrder: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (id: string) => {
    state.set(id, 'open');
    for (const to of sorted(id)) {
      if (state.get(to) === 'open') continue; // leads back
      forward.get(id)?.push(to);
      if (!state.has(to)) visit(to);
    }
    state.set(id, 'done');
    postOrder.push(id);
  };
  for (const id of [scope.initial ?? scope.children[0], ...scope.children]) if (!state.has(id)) visit(id);
  const rank = new Map<string, number>(scope.children.map((id) => [id, 0]));
  for (const id of postOrder.reverse()) for (const to of forward.get(id) ?? []) rank.set(to, Math.max(rank.get(to) ?? 0, (rank.get(id) ?? 0) + 1));
  const isFinal = (id: string) => byId.get(id)?.type === 'final';
  const lastOpen = Math.max(0, ...scope.children.filter((id) => !isFinal(id)).map((id) => rank.get(id) ?? 0));
  for (const id of scope.children) if (isFinal(id)) rank.set(id, lastOpen + 1);
  const columns: string[][] = [];
  for (const id of scope.children) (columns[rank.get(id) as number] ??= []).push(id);
  return columns.filter(Boolean);
}

function boxOf(chart: Chart, state: ChartState, byId: Map<string, ChartState>): Box {
  if (!state.children.length) return { w: Math.max(64, Math.ceil(state.key.length * CHAR_W) + 16), h: NODE_H, place: new Map() };
  const columns = columnsOf(chart, state, byId);
  const boxes = new Map(state.children.map((id) => [id, boxOf(chart, byId.get(id) as ChartState, byId)]));
  const heights = columns.map((column) => column.reduce((sum, id) => sum + (boxes.get(id) as Box).h, 0) + GAP_Y * (column.length - 1));
  const inner = Math.max(...heights);
  const top = state.parent === null ? 0 : HEADER;
  const pad = state.parent === null ? 0 : PAD;
  const place: Box['place'] = new Map();
  let x = pad;
  columns.forEach((column, index) => {
    const width = Math.max(...column.map((id) => (boxes.get(id) as Box).w));
    let y = top + pad + (inner - heights[index]) / 2;
    for (const id of column) {
      const box = boxes.get(id) as Box;
      place.set(id, { x: x + (width - box.w) / 2, y, w: box.w, h: box.h });
      for (const [inner, at] of box.place) place.set(inner, { ...at, x: at.x + x + (width - box.w) / 2, y: at.y + y });
      y += box.h + GAP_Y;
    }
    x += width + GAP_X;
  });
  return { w: x - GAP_X + pad, h: top + inner + 2 * pad, place };
}

/** Lays out `chart`; with `reference`, at the positions the reference chart gives the same states. */
export function layoutChart(chart: Chart, reference: Chart = chart): ChartLayout {
  const byId = new Map(reference.states.map((state) => [state.id, state]));
  const box = boxOf(reference, byId.get(reference.root) as ChartState, byId);
  const nodes = chart.states
    .filter((state) => state.id !== chart.root && box.place.has(state.id))
    .map((state) => ({ id: state.id, key: state.key, type: state.type, parent: state.parent === chart.root ? null : state.parent, ...box.place.get(state.id)! }));
  const edges = diagramEdges(chart).edges.map(({ from, to, label, selfLoop }) => ({ from, to, label, selfLoop }));
  return { width: Math.ceil(box.w), height: Math.ceil(box.h), nodes, edges };
}
