/**
 * Where the orchestrator statechart is, read from XState's inspection events
 * of the root actor — and, while it stops, of its stop machine (asking,
 * verifying, restoring) — so the page marks the state the machines are really
 * in (whatever states they have) rather than guessing it from events.
 */
import type { InspectionEvent } from 'xstate';

export interface Phase {
  /** Ids of the active leaf states: the orchestrator's first (`orchestrator.stopping`), then its stop's (`stop.verifying`). */
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

/** `{ stopping: 'asking' }` under machine `stop` → `['stop.stopping.asking']`; `'verifying'` → `['stop.verifying']`. */
export function leafIds(machineId: string, value: StateValue): string[] {
  if (typeof value === 'string') return [`${machineId}.${value}`];
  return Object.entries(value).flatMap(([key, child]) => leafIds(`${machineId}.${key}`, child));
}

/** The stop machine the orchestrator invokes while it stops (machines/stop.ts). */
const STOP_MACHINE = 'stop';

export function phaseTracker(): PhaseTracker {
  let phase: Phase | undefined;
  let last = '';
  let root: string[] = [];
  let stop: string[] = [];
  const listeners = new Set<(phase: Phase) => void>();
  return {
    inspect: (event) => {
      if (event.type !== '@xstate.snapshot') return;
      const snapshot = event.snapshot as { value?: StateValue; status?: string };
      const machineId = (event.actorRef as { id?: string; logic?: { id?: string } }).logic?.id;
      if (snapshot.value === undefined || !machineId) return;
      const isRoot = event.actorRef.sessionId === event.rootId;
      if (!isRoot && machineId !== STOP_MACHINE) return;
      if (isRoot) root = leafIds(machineId, snapshot.value);
      else stop = snapshot.status === 'active' ? leafIds(machineId, snapshot.value) : [];
      const stopping = root.some((id) => id === 'orchestrator.stopping');
      const next = { states: [...root, ...(stopping ? stop : [])], done: isRoot ? snapshot.status === 'done' : (phase?.done ?? false) };
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
