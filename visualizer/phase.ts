/**
 * Where the orchestrator statechart is, read from XState's inspection events
 * of the root actor, so the page marks the state the machine is really in
 * (whatever states the machine has) rather than guessing it from events.
 */
import type { InspectionEvent } from 'xstate';

export interface Phase {
  /** Ids of the active leaf states, e.g. `orchestrator.stopping.escalating`. */
  states: string[];
  /** The machine reached its final state: the run is over. */
  done: boolean;
}

export interface PhaseTracker {
  /** For `createOrchestrator(config, { inspect })`. */
  inspect(event: InspectionEvent): void;
  current(): Phase | undefined;
  /** Called on every change of phase; returns the unsubscribe function. */
  subscribe(listener: (phase: Phase) => void): () => void;
}

type StateValue = string | { [key: string]: StateValue };

/** `{ stopping: 'escalating' }` under machine `orchestrator` → `['orchestrator.stopping.escalating']`. */
export function leafIds(machineId: string, value: StateValue): string[] {
  if (typeof value === 'string') return [`${machineId}.${value}`];
  return Object.entries(value).flatMap(([key, child]) => leafIds(`${machineId}.${key}`, child));
}

export function phaseTracker(): PhaseTracker {
  let phase: Phase | undefined;
  let last = '';
  const listeners = new Set<(phase: Phase) => void>();
  return {
    inspect: (event) => {
      if (event.type !== '@xstate.snapshot' || event.actorRef.sessionId !== event.rootId) return;
      const snapshot = event.snapshot as { value?: StateValue; status?: string };
      const machineId = (event.actorRef as { id?: string; logic?: { id?: string } }).logic?.id;
      if (snapshot.value === undefined || !machineId) return;
      const next = { states: leafIds(machineId, snapshot.value), done: snapshot.status === 'done' };
      const text = JSON.stringify(next);
      if (text === last) return;
      last = text;
      phase = next;
      listeners.forEach((listener) => listener(next));
    },
    current: () => phase,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
