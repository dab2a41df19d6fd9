/**
 * The machine config as JSON, the shape Stately's tools read: Stately Studio
 * imports `createMachine(<this JSON>)` (a JSON object is a valid config
 * literal), and the Stately inspector receives the same `machine.config` as an
 * actor's definition. Implementations stay referenced by name; functions that
 * only compute values at run time (context, input, output) are left out.
 */
import type { AnyStateMachine } from 'xstate';
import type { Chart } from './chart.js';

type ConfigNode = Record<string, unknown> & { states?: Record<string, ConfigNode> };

// Keys whose function values are implementations: keep their names.
const NAMED = new Set(['guard', 'actions', 'entry', 'exit', 'src']);

/** A deep, JSON-safe copy of a machine config. */
export function machineConfig(machine: AnyStateMachine): ConfigNode {
  const replace = (key: string, value: unknown, parentKey: string): unknown => {
    if (typeof value === 'function') return NAMED.has(key) || NAMED.has(parentKey) ? value.name || 'inline' : undefined;
    if (Array.isArray(value)) return value.map((item) => replace('', item, key)).filter((item) => item !== undefined);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).flatMap(([k, v]) => {
          const copy = replace(k, v, key);
          return copy === undefined ? [] : [[k, copy]];
        }),
      );
    }
    return value;
  };
  return replace('', machine.config, '') as ConfigNode;
}

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
// `'forceKill'` is shorthand for `{ target: 'forceKill' }`, but only outside an array.
const asTransitions = (value: unknown): unknown[] => asArray(value).map((item) => (typeof item === 'string' ? { target: item } : item));

/**
 * The config cut down to a pruned chart of the same machine: states the chart
 * lacks are removed, and so are the transition candidates it dropped.
 */
export function prunedConfig(config: ConfigNode, full: Chart, pruned: Chart): ConfigNode {
  const keptStates = new Set(pruned.states.map((state) => state.id));
  const keptTransitions = new Set(pruned.transitions.map((transition) => transition.id));
  // Candidate k of (state, event) in the config is the k-th chart transition of that pair.
  const candidates = new Map<string, string[]>();
  for (const transition of full.transitions) {
    const key = `${transition.source}\n${transition.eventType}`;
    candidates.set(key, [...(candidates.get(key) ?? []), transition.id]);
  }
  const filter = (stateId: string, eventType: string, value: unknown) => {
    const ids = candidates.get(`${stateId}\n${eventType}`);
    if (!ids) return value;
    const kept = asTransitions(value).filter((_, index) => keptTransitions.has(ids[index]));
    return kept.length ? kept : undefined;
  };
  // State ids are XState's (a state may carry its own `id`), found by parent and key.
  const childIds = new Map(full.states.map((state) => [`${state.parent}\n${state.key}`, state.id]));
  const set = (target: Record<string, unknown>, key: string, value: unknown) => {
    if (value === undefined) delete target[key];
    else target[key] = value;
  };

  const visit = (node: ConfigNode, stateId: string): ConfigNode => {
    const copy: ConfigNode = { ...node };
    for (const [group, eventOf] of [
      ['on', (key: string) => key],
      ['after', (key: string) => `xstate.after.${key}.${stateId}`],
    ] as const) {
      const handlers = node[group] as Record<string, unknown> | undefined;
      if (!handlers) continue;
      const kept: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(handlers)) set(kept, key, filter(stateId, eventOf(key), value));
      set(copy, group, Object.keys(kept).length ? kept : undefined);
    }
    if (node.always) set(copy, 'always', filter(stateId, '', node.always));
    if (node.invoke) {
      copy.invoke = asArray(node.invoke).map((invoke) => {
        const entry = { ...(invoke as Record<string, unknown>) };
        const id = String(entry.id ?? entry.src);
        set(entry, 'onDone', filter(stateId, `xstate.done.actor.${id}`, entry.onDone));
        set(entry, 'onError', filter(stateId, `xstate.error.actor.${id}`, entry.onError));
        return entry;
      });
    }
    if (node.states) {
      const states: Record<string, ConfigNode> = {};
      for (const [key, child] of Object.entries(node.states)) {
        const childId = childIds.get(`${stateId}\n${key}`);
        if (childId && keptStates.has(childId)) states[key] = visit(child, childId);
      }
      copy.states = states;
    }
    return copy;
  };
  return visit(config, full.root);
}
