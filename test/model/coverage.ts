/**
 * Transition coverage of a statechart, read from the machine definition itself:
 * every candidate of every event (each guarded branch counts apart), every
 * eventless transition. What was taken comes from XState's own inspection
 * (`@xstate.microstep` names the transitions it took), so model replays and
 * real engine runs are counted the same way.
 */
import type { AnyStateMachine, InspectionEvent } from 'xstate';

interface TransitionLike {
  source: StateNodeLike;
  eventType: string;
  target?: readonly StateNodeLike[];
  guard?: unknown;
}

interface StateNodeLike {
  id: string;
  key: string;
  machine: { id: string };
  transitions: Map<string, TransitionLike[]>;
  always?: TransitionLike[];
  states: Record<string, StateNodeLike>;
}

type WithInitial = StateNodeLike & { initial?: { target?: WithInitial[] } };

/** Stable across `machine.provide(...)`: source node, event, and index among its candidates. */
export function transitionKey(transition: TransitionLike): string {
  const candidates = transition.eventType === '' ? transition.source.always : transition.source.transitions.get(transition.eventType);
  return `${transition.source.id}|${transition.eventType}|${candidates?.indexOf(transition) ?? -1}`;
}

function guardName(guard: unknown): string {
  if (!guard) return '';
  if (typeof guard === 'string') return ` [${guard}]`;
  return ` [${(guard as { type?: string }).type ?? 'guard'}]`;
}

const shortEvent = (eventType: string) => (eventType === '' ? 'always' : eventType.replace(/^xstate\.(after|done\.actor|error\.actor)\.([^.]+).*$/, '$1:$2'));

function label(transition: TransitionLike): string {
  const targets = transition.target?.map((node) => node.key).join(',') ?? '(stays)';
  return `${transition.source.key} --${shortEvent(transition.eventType)}${guardName(transition.guard)}--> ${targets}`;
}

/** Every transition and state of a machine, by key. */
export function inventory(machine: AnyStateMachine) {
  const transitions = new Map<string, string>();
  const states: string[] = [];
  const visit = (node: StateNodeLike) => {
    if (node.id !== machine.id) states.push(node.id);
    for (const candidates of node.transitions.values()) for (const transition of candidates) transitions.set(transitionKey(transition), label(transition));
    for (const transition of node.always ?? []) transitions.set(transitionKey(transition), label(transition));
    Object.values(node.states).forEach(visit);
  };
  visit(machine.root as unknown as StateNodeLike);
  return { transitions, states };
}

/** Collects, per machine id, the transitions and states that inspection saw taken. */
export class CoverageCollector {
  readonly transitions = new Map<string, Set<string>>();
  readonly states = new Map<string, Set<string>>();

  /** Use as (part of) an actor's or orchestrator's `inspect` option. */
  readonly inspect = (event: InspectionEvent): string[] => {
    if (event.type !== '@xstate.microstep') return [];
    const taken = ((event as unknown as { _transitions?: TransitionLike[] })._transitions ?? []);
    const keys: string[] = [];
    for (const transition of taken) {
      const machineId = transition.source.machine.id;
      const key = transitionKey(transition);
      keys.push(key);
      this.add(this.transitions, machineId, key);
      // Entering a compound state enters its initial child too.
      for (let target: StateNodeLike | undefined = transition.target?.[0]; target; target = (target as WithInitial).initial?.target?.[0]) {
        this.add(this.states, machineId, target.id);
      }
    }
    return keys;
  };

  private add(map: Map<string, Set<string>>, machineId: string, key: string) {
    let set = map.get(machineId);
    if (!set) map.set(machineId, (set = new Set()));
    set.add(key);
  }

  /** `covered/total` figures and what was missed, for one machine. */
  report(machine: AnyStateMachine) {
    const all = inventory(machine);
    const taken = this.transitions.get(machine.id) ?? new Set<string>();
    const reached = this.states.get(machine.id) ?? new Set<string>();
    // The initial states are entered without a transition.
    const initial = new Set<string>();
    for (let node = (machine.root as unknown as WithInitial).initial?.target?.[0]; node; node = node.initial?.target?.[0]) {
      initial.add(node.id);
    }
    const statesCovered = all.states.filter((state) => reached.has(state) || initial.has(state));
    const missed = [...all.transitions].filter(([key]) => !taken.has(key)).map(([, text]) => text);
    return {
      states: `${statesCovered.length}/${all.states.length}`,
      transitions: `${all.transitions.size - missed.length}/${all.transitions.size}`,
      missed,
      missedStates: all.states.filter((state) => !statesCovered.includes(state)),
    };
  }
}
