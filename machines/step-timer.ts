/**
 * A step's timer as an actor of its own (machines/service.ts): done once its
 * delay has passed, cancelled when the state that invoked it is left. XState's
 * `after` keeps every pending timer in one table per actor system, and every
 * actor that stops walks that whole table to cancel its own: with 1000
 * services waiting in `sigterm`, each of their 1000 exits walked ~1000 timers
 * three times (docs/how-it-works.md#timers). An invoked timer is one child
 * of its state, with nothing to walk.
 *
 * Written as plain actor logic rather than `fromPromise`: a promise actor is
 * stopped through an `AbortController`, and each abort builds a `DOMException`
 * (a stack trace) — one per step left, thousands in a large stop.
 *
 * A timer that has fallen due is heard after the I/O already waiting: its end is
 * sent from the turn's check phase (setImmediate), after the poll phase in which
 * Node reaps the exits that happened meanwhile. A step times out only if its
 * service had not exited by then, however busy the engine was: 1000 services
 * signalled in one ~1 s turn once had their first timers fall due before the
 * engine had heard a single exit, and 426 services that had exited on SIGTERM
 * were reported as killed (docs/how-it-works.md#timers).
 */
import type { ActorLogic, ActorSystem, AnyActorRef, EventObject, Snapshot } from 'xstate';

/** The name machines invoke a step timer by (the graph draws its done event as `after <its id>`). */
export const STEP_TIMER = 'stepTimer' as const;

export interface StepTimerInput {
  ms: number;
}

type TimerSnapshot = Snapshot<undefined> & { input: StepTimerInput };

// The one event a timer sends itself; the only other an invoked actor receives is XState's stop.
const ELAPSED = 'stepTimer.elapsed';

/**
 * Calls `fire` once `ms` have passed, from the check phase of the turn they pass in:
 * after the I/O already waiting then (the exits reaped, the answers read). Returns
 * what cancels it. `unref`: the wait does not keep the process alive. Shared by the
 * step timers and what backs a step up (src/actors/http-shutdown.ts), so a backstop
 * that falls due with its step's timer is heard after it.
 */
export function afterIo(ms: number, fire: () => void, options: { unref?: boolean } = {}): () => void {
  let due: ReturnType<typeof setImmediate> | undefined;
  const timeout = setTimeout(() => {
    due = setImmediate(fire);
  }, ms);
  if (options.unref) timeout.unref();
  return () => {
    clearTimeout(timeout);
    clearImmediate(due);
  };
}

// What cancels each running timer.
const pending = new WeakMap<AnyActorRef, () => void>();

// ActorSystem<any>: XState's own AnyActorSystem, which it does not export (the machines' types must name it).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const stepTimerLogic: ActorLogic<TimerSnapshot, EventObject, StepTimerInput, ActorSystem<any>> = {
  getInitialSnapshot: (_, input) => ({ status: 'active', output: undefined, error: undefined, input }),
  start: (snapshot, { self }) => {
    if (snapshot.status !== 'active') return;
    pending.set(
      self,
      afterIo(snapshot.input.ms, () => self.send({ type: ELAPSED })),
    );
  },
  transition: (snapshot, event, { self }) => {
    if (snapshot.status !== 'active') return snapshot;
    pending.get(self)?.();
    pending.delete(self);
    return { ...snapshot, status: event.type === ELAPSED ? 'done' : 'stopped' };
  },
  getPersistedSnapshot: (snapshot) => snapshot,
};
