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

// The timer while it runs, then the immediate that tells it has fallen due.
interface Pending {
  timeout: ReturnType<typeof setTimeout>;
  due?: ReturnType<typeof setImmediate>;
}
const pending = new WeakMap<AnyActorRef, Pending>();

// ActorSystem<any>: XState's own AnyActorSystem, which it does not export (the machines' types must name it).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const stepTimerLogic: ActorLogic<TimerSnapshot, EventObject, StepTimerInput, ActorSystem<any>> = {
  getInitialSnapshot: (_, input) => ({ status: 'active', output: undefined, error: undefined, input }),
  start: (snapshot, { self }) => {
    if (snapshot.status !== 'active') return;
    const timer: Pending = {
      timeout: setTimeout(() => {
        timer.due = setImmediate(() => self.send({ type: ELAPSED }));
      }, snapshot.input.ms),
    };
    pending.set(self, timer);
  },
  transition: (snapshot, event, { self }) => {
    if (snapshot.status !== 'active') return snapshot;
    const timer = pending.get(self);
    clearTimeout(timer?.timeout);
    clearImmediate(timer?.due);
    pending.delete(self);
    return { ...snapshot, status: event.type === ELAPSED ? 'done' : 'stopped' };
  },
  getPersistedSnapshot: (snapshot) => snapshot,
};
