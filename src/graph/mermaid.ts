/**
 * Mermaid `stateDiagram-v2` from a chart, for docs (`tierdown graph`).
 * Mermaid cannot draw an arrow between states inside two different composite
 * states, so such an arrow is drawn between their outermost distinct ancestors
 * and its label names the inner state it really starts from or goes to.
 */
import type { Chart, ChartState } from './chart.js';
import { diagramEdges, type DiagramEdge } from './edges.js';

export interface MermaidOptions {
  /** Comment lines put under the header (`%% ...`). */
  comments?: string[];
}

// Mermaid ids: no dots, dashes, colons or spaces.
const idOf = (state: ChartState) => state.path.map((key) => key.replace(/[^A-Za-z0-9_]/g, '_')).join('_') || 'root';

/** Chain of state ids from the root down to `id`. */
function lineage(byId: Map<string, ChartState>, id: string): string[] {
  const chain: string[] = [];
  for (let state = byId.get(id); state; state = byId.get(state.parent ?? '')) chain.unshift(state.id);
  return chain;
}

// The scope (composite) an edge is written in, and its two endpoints lifted to children of that scope.
function placeEdge(byId: Map<string, ChartState>, edge: DiagramEdge) {
  const from = lineage(byId, edge.from);
  const to = lineage(byId, edge.to);
  // A self-loop is written beside its state, in the state's parent.
  if (edge.from === edge.to) return { scope: from.at(-2) ?? from[0], from: edge.from, to: edge.to, label: edge.label };
  let depth = 0;
  while (depth < from.length - 1 && depth < to.length - 1 && from[depth + 1] === to[depth + 1]) depth += 1;
  const scope = from[depth];
  const liftedFrom = from[depth + 1];
  const liftedTo = to[depth + 1];
  const notes = [
    liftedFrom !== edge.from ? `from ${byId.get(edge.from)?.key}` : '',
    liftedTo !== edge.to ? `to ${byId.get(edge.to)?.key}` : '',
  ].filter(Boolean);
  const label = notes.length ? `${edge.label} (${notes.join(', ')})` : edge.label;
  return { scope, from: liftedFrom, to: liftedTo, label };
}

/** The chart as a Mermaid state diagram; nothing in it is written by hand. */
export function toMermaid(chart: Chart, options: MermaidOptions = {}): string {
  const byId = new Map(chart.states.map((state) => [state.id, state]));
  const { edges, notes } = diagramEdges(chart);
  const placed = edges.map((edge) => placeEdge(byId, edge));
  const lines = ['stateDiagram-v2', ...(options.comments ?? []).map((comment) => `  %% ${comment}`)];

  const writeScope = (scope: ChartState, indent: string) => {
    if (scope.initial) lines.push(`${indent}[*] --> ${idOf(byId.get(scope.initial) as ChartState)}`);
    for (const childId of scope.children) {
      const child = byId.get(childId) as ChartState;
      const named = child.parent === chart.root ? '' : `"${child.key}" as `;
      if (child.children.length) {
        lines.push(`${indent}state ${named}${idOf(child)} {`);
        writeScope(child, `${indent}  `);
        lines.push(`${indent}}`);
      } else {
        lines.push(named ? `${indent}state ${named}${idOf(child)}` : `${indent}${idOf(child)}`);
      }
    }
    for (const edge of placed.filter((edge) => edge.scope === scope.id)) {
      const from = byId.get(edge.from) as ChartState;
      const to = byId.get(edge.to) as ChartState;
      lines.push(`${indent}${idOf(from)} --> ${idOf(to)}: ${edge.label}`);
    }
    for (const childId of scope.children) {
      const child = byId.get(childId) as ChartState;
      if (child.type === 'final') lines.push(`${indent}${idOf(child)} --> [*]`);
    }
  };
  writeScope(byId.get(chart.root) as ChartState, '  ');
  // Mermaid note text may not contain `:` or `;`; labels never do.
  const noted = new Map<string, string[]>();
  for (const note of notes) noted.set(note.state, [...(noted.get(note.state) ?? []), note.text]);
  for (const [state, texts] of noted) {
    lines.push(`  note right of ${idOf(byId.get(state) as ChartState)}`, ...texts.map((text) => `    ${text}`), '  end note');
  }
  return `${lines.join('\n')}\n`;
}
