/**
 * Reads a statechart out of an XState v5 machine: every state node and every
 * transition (events, guards, delays, invoke done/error, always), walked from
 * `machine.root`. The exporters and the visualizer draw only what this finds,
 * so a state added to a machine shows up everywhere without a hand-drawn copy.
 */
import type { AnyStateMachine } from 'xstate';
import { STEP_TIMER } from '../../machines/step-timer.js';

export type ChartStateType = 'atomic' | 'compound' | 'parallel' | 'final' | 'history';

/** One state node; `id` is XState's (`service.idle`, `orchestrator.stopping.verifying`). */
export interface ChartState {
  id: string;
  key: string;
  /** Keys from the root's child down to this state; empty for the root. */
  path: string[];
  parent: string | null;
  type: ChartStateType;
  /** Id of the initial child of a compound state. */
  initial: string | null;
  children: string[];
  /** Ids of the actors this state invokes. */
  invokes: string[];
}

/** What fires a transition: a named event, a delay, an invoked actor ending, or nothing. */
export type TriggerKind = 'event' | 'after' | 'done' | 'error' | 'always';

export interface ChartTransition {
  /** `<source id>#<n>`: stable for one machine definition. */
  id: string;
  source: string;
  /** Target state ids; empty for a transition that only runs actions. */
  targets: string[];
  /** XState's event type (`SHUTDOWN`, `xstate.after.httpTimeout.service.httpShutdown`). */
  eventType: string;
  kind: TriggerKind;
  /** Event name, delay name (or ms), or invoked actor id. */
  trigger: string;
  guard: string | null;
  actions: string[];
  /** Human label: `SHUTDOWN [tierUsesHttp]`, `after httpTimeout`, `httpShutdown done [httpAccepted]`. */
  label: string;
}

export interface Chart {
  id: string;
  root: string;
  states: ChartState[];
  transitions: ChartTransition[];
}

// The slice of XState's StateNode this walker reads (its public getters).
interface NodeLike {
  id: string;
  key: string;
  path: string[];
  type: ChartStateType;
  parent?: NodeLike;
  states: Record<string, NodeLike>;
  initial?: { target: ReadonlyArray<NodeLike> };
  transitions: Map<string, TransitionLike[]>;
  always?: TransitionLike[];
  after: Array<TransitionLike & { delay: unknown }>;
  invoke: Array<{ id: string; src: unknown }>;
}
interface TransitionLike {
  eventType: string;
  target?: ReadonlyArray<NodeLike>;
  guard?: unknown;
  actions: readonly unknown[];
}

/** `tierUsesHttp`, `{ type: 'x' }` → `x`, an inline function → its name. */
export function nameOf(implementation: unknown): string {
  if (typeof implementation === 'string') return implementation;
  if (typeof implementation === 'function') return implementation.name || 'inline';
  const type = (implementation as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : 'inline';
}

const AFTER = 'xstate.after.';
const DONE = 'xstate.done.actor.';
const ERROR = 'xstate.error.actor.';

// Invoked actors are named by their `src` (an invoke without an `id` gets a generated one).
function triggerOf(eventType: string, delays: Map<string, unknown>, sources: Map<string, string>): { kind: TriggerKind; trigger: string } {
  if (eventType === '') return { kind: 'always', trigger: 'always' };
  if (delays.has(eventType)) {
    const delay = delays.get(eventType);
    return { kind: 'after', trigger: typeof delay === 'number' ? `${delay}ms` : nameOf(delay) };
  }
  if (eventType.startsWith(AFTER)) return { kind: 'after', trigger: eventType.slice(AFTER.length).split('.')[0] };
  if (eventType.startsWith(DONE)) {
    const id = eventType.slice(DONE.length);
    // A step's timer (machines/step-timer.ts) is the `after` it stands for, named by its delay.
    if (sources.get(id) === STEP_TIMER) return { kind: 'after', trigger: id };
    return { kind: 'done', trigger: sources.get(id) ?? id };
  }
  if (eventType.startsWith(ERROR)) {
    const id = eventType.slice(ERROR.length);
    return { kind: 'error', trigger: sources.get(id) ?? id };
  }
  return { kind: 'event', trigger: eventType };
}

/** The label a diagram puts on a transition; no `:` or `;` (Mermaid ends a label there). */
export function labelOf(kind: TriggerKind, trigger: string, guard: string | null): string {
  const what = {
    event: trigger,
    after: `after ${trigger}`,
    done: trigger === '*' ? 'any child done' : `${trigger} done`,
    error: `${trigger} error`,
    always: 'always',
  }[kind];
  return guard ? `${what} [${guard}]` : what;
}

/** Walks a machine's state tree into a plain, serialisable chart. */
export function chartOf(machine: AnyStateMachine): Chart {
  const states: ChartState[] = [];
  const transitions: ChartTransition[] = [];
  const visit = (node: NodeLike) => {
    const children = Object.values(node.states);
    states.push({
      id: node.id,
      key: node.key,
      path: [...node.path],
      parent: node.parent?.id ?? null,
      type: node.type,
      initial: node.type === 'compound' ? (node.initial?.target[0]?.id ?? null) : null,
      children: children.map((child) => child.id),
      invokes: node.invoke.map((invoke) => invoke.id),
    });
    const delays = new Map(node.after.map((after) => [after.eventType, after.delay]));
    const sources = new Map(node.invoke.map((invoke) => [invoke.id, nameOf(invoke.src)]));
    const all = [...node.transitions.values()].flat().concat(node.always ?? []);
    all.forEach((transition, index) => {
      const { kind, trigger } = triggerOf(transition.eventType, delays, sources);
      const guard = transition.guard === undefined ? null : nameOf(transition.guard);
      transitions.push({
        id: `${node.id}#${index}`,
        source: node.id,
        targets: (transition.target ?? []).map((target) => target.id),
        eventType: transition.eventType,
        kind,
        trigger,
        guard,
        actions: transition.actions.map(nameOf),
        label: labelOf(kind, trigger, guard),
      });
    });
    children.forEach(visit);
  };
  const root = machine.root as unknown as NodeLike;
  visit(root);
  return { id: machine.id, root: root.id, states, transitions };
}
