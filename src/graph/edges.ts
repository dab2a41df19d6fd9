/**
 * Turns a chart's transitions into the edges a diagram draws. Two statechart
 * ideas have no arrow of their own: a transition on the root applies in every
 * state (drawn once from each top-level state that can take it), and a
 * transition without a target only runs actions (drawn as a self-loop, or as a
 * note when it sits on the root).
 */
import type { Chart, ChartState, ChartTransition } from './chart.js';

export interface DiagramEdge {
  from: string;
  to: string;
  label: string;
  transition: ChartTransition;
  /** A targetless transition: actions only, the state does not change. */
  selfLoop: boolean;
}

export interface DiagramNote {
  /** The state the note is attached to. */
  state: string;
  text: string;
}

/** The label with the actions of a targetless transition: `SHUTDOWN_URL_PROBED / chooseTier, announceTierChoice`. */
export function actionLabel(transition: ChartTransition): string {
  return transition.actions.length ? `${transition.label} / ${transition.actions.join(', ')}` : transition.label;
}

export function diagramEdges(chart: Chart): { edges: DiagramEdge[]; notes: DiagramNote[] } {
  const byId = new Map(chart.states.map((state) => [state.id, state]));
  const root = byId.get(chart.root) as ChartState;
  const topLevel = root.children.map((id) => byId.get(id) as ChartState);
  const edges: DiagramEdge[] = [];
  // Root transitions apply in every state: drawn after the states' own.
  const anyState: DiagramEdge[] = [];
  const notes: DiagramNote[] = [];
  for (const transition of chart.transitions) {
    const fromRoot = transition.source === chart.root;
    if (transition.targets.length === 0) {
      if (fromRoot) notes.push({ state: root.initial ?? topLevel[0]?.id ?? root.id, text: `in any state, ${actionLabel(transition)}` });
      else edges.push({ from: transition.source, to: transition.source, label: actionLabel(transition), transition, selfLoop: true });
      continue;
    }
    const sources = fromRoot ? topLevel.filter((state) => state.type !== 'final').map((state) => state.id) : [transition.source];
    for (const from of sources) {
      for (const to of transition.targets) {
        if (fromRoot && from === to) continue;
        (fromRoot ? anyState : edges).push({ from, to, label: transition.label, transition, selfLoop: false });
      }
    }
  }
  return { edges: [...edges, ...anyState], notes };
}
