/**
 * Narrows a chart to what one configuration of its machine can actually do.
 * A guard that reads only context (e.g. `tierUsesHttp`) is decided once from
 * that context: false drops its transition, true hides the candidates after it.
 * A guard that reads the event (e.g. `httpAccepted`) stays open. Then only the
 * states reachable from the initial state, and the transitions between them, remain.
 */
import type { Chart, ChartState, ChartTransition } from './chart.js';

/** true/false when the guard is decided by configuration alone; undefined when it depends on the event. */
export type GuardVerdict = (guard: string) => boolean | undefined;

/** Calls a guard with the given context and an event that notices being read. */
export function guardVerdicts(guards: Record<string, unknown>, context: unknown): GuardVerdict {
  return (name) => {
    const guard = guards[name];
    if (typeof guard !== 'function') return undefined;
    let readEvent = false;
    const event = new Proxy({}, { get: () => ((readEvent = true), undefined), has: () => ((readEvent = true), false) });
    try {
      const result = Boolean(guard({ context, event }, undefined));
      return readEvent ? undefined : result;
    } catch {
      return undefined;
    }
  };
}

// Candidates for one event are tried in order: the first that passes wins.
function possibleTransitions(chart: Chart, verdict: GuardVerdict): ChartTransition[] {
  const groups = new Map<string, ChartTransition[]>();
  for (const transition of chart.transitions) {
    const key = `${transition.source}\n${transition.eventType}`;
    groups.set(key, [...(groups.get(key) ?? []), transition]);
  }
  const kept: ChartTransition[] = [];
  for (const candidates of groups.values()) {
    for (const transition of candidates) {
      const result = transition.guard === null ? true : verdict(transition.guard);
      if (result === false) continue;
      kept.push(transition);
      if (result === true) break;
    }
  }
  return kept;
}

/** States the machine can be in, starting from its initial configuration. */
function reachableStates(chart: Chart, transitions: ChartTransition[]): Set<string> {
  const byId = new Map(chart.states.map((state) => [state.id, state]));
  const reached = new Set<string>();
  const queue: string[] = [];
  const enter = (id: string) => {
    for (let state: ChartState | undefined = byId.get(id); state && !reached.has(state.id); state = byId.get(state.parent ?? '')) {
      reached.add(state.id);
      queue.push(state.id);
    }
  };
  enter(chart.root);
  while (queue.length) {
    const state = byId.get(queue.shift() as string) as ChartState;
    if (state.type === 'compound' && state.initial) enter(state.initial);
    if (state.type === 'parallel') state.children.forEach(enter);
    for (const transition of transitions) if (transition.source === state.id) transition.targets.forEach(enter);
  }
  return reached;
}

/** The part of `chart` a machine configured so that `verdict` holds can ever take. */
export function pruneChart(chart: Chart, verdict: GuardVerdict): Chart {
  const possible = possibleTransitions(chart, verdict);
  const reached = reachableStates(chart, possible);
  const keep = new Set(possible.filter((transition) => reached.has(transition.source)).map((transition) => transition.id));
  return {
    ...chart,
    states: chart.states
      .filter((state) => reached.has(state.id))
      .map((state) => ({ ...state, children: state.children.filter((child) => reached.has(child)) })),
    transitions: chart.transitions.filter((transition) => keep.has(transition.id)),
  };
}
