/**
 * What happens after a service ended by itself while the stack runs
 * (docs/restart.md): the restart policy decides whether it comes back, a
 * backoff delay (doubling, capped) passes, the service is started again (a
 * start sequence of one) and waits for readiness. A service whose health
 * checks asked for a restart (machines/health.ts) is first stopped, tiered,
 * through its own statechart. A stop of the service during all this cancels
 * it. The orchestrator spawns one of these per exit it did not ask for (and
 * per unhealthy restart); each tells it, with typed events, what it decided.
 */
import { assign, sendParent, setup } from 'xstate';
import { isCrash, type ExitStatus } from './exits.js';
import type { StartProgress } from './start-events.js';
import { startSequenceMachine } from './start-sequence.js';
import type { RestartPolicy, RestartReason } from './types.js';

/** The longest wait between two restarts, whatever the backoff doubled to. */
export const MAX_BACKOFF_MS = 30_000;

export interface SupervisorInput {
  name: string;
  restart: RestartPolicy;
  /** Restarts already made in this run. */
  restartsSoFar: number;
  /** The exit being answered (for `unhealthy`: none yet, its stop's comes later). */
  exit: ExitStatus;
  /** `unhealthy`: its health checks asked for this restart; it still runs and is stopped first. */
  cause: 'exit' | 'unhealthy';
  /** For the start sequence: how long an exit takes to be seen. */
  settleMs: number;
}

/** How the episode ended: back up and ready, left down (by policy or limit), or cancelled by a stop. */
export type SupervisionOutcome = 'restarted' | 'notRestarted' | 'gaveUp' | 'cancelled';

export interface SupervisorContext extends SupervisorInput {
  outcome: SupervisionOutcome | null;
}

export interface SupervisorOutput {
  name: string;
  outcome: SupervisionOutcome;
}

export type SupervisorEvent =
  /** A stop reached this service: no restart any more. */
  | { type: 'CANCEL' }
  /** An unhealthy service's machine ended after its tiered stop (`failed`: still there). */
  | { type: 'SERVICE_STOPPED'; outcome: 'stopped' | 'failed'; exitCode: number | null; signal: string | null }
  | StartProgress;

/** What the orchestrator learns from a supervisor, as it happens. */
export type SupervisorReport =
  /** The policy brings it back after `backoffMs` (restart number `restart` of this run). */
  | { type: 'RESTART_SCHEDULED'; name: string; backoffMs: number; restart: number }
  /** An unhealthy service is to be stopped, tiered, through its own statechart. */
  | { type: 'STOP_UNHEALTHY'; name: string }
  /** The wait is over: it is being started again (the exit it answers, and why, go into the report). */
  | { type: 'SERVICE_RESTARTING'; name: string; at: string; exitCode: number | null; signal: string | null; reason: RestartReason }
  /** The episode is over; `restarts`: restarts made in this run so far. */
  | { type: 'SUPERVISION_ENDED'; name: string; outcome: SupervisionOutcome; restarts: number };

/** True while the policy's limit leaves another restart in this run. */
export const restartsLeft = (restart: RestartPolicy, restartsSoFar: number) => restartsSoFar < restart.maxRestarts;

/** What a restart answers: the health checks, or an exit (clean or a crash). */
const reasonOf = (context: SupervisorContext): RestartReason =>
  context.cause === 'unhealthy' ? 'unhealthy' : isCrash(context.exit) ? 'crashed' : 'exited';

/** The wait before the next restart: `backoff`, doubled for each restart already made, at most 30 s. */
export function backoffFor(restart: RestartPolicy, restartsSoFar: number): number {
  return Math.min(restart.backoffMs * 2 ** restartsSoFar, MAX_BACKOFF_MS);
}

export const supervisorMachine = setup({
  types: {
    input: {} as SupervisorInput,
    context: {} as SupervisorContext,
    events: {} as SupervisorEvent,
    output: {} as SupervisorOutput,
  },
  actors: {
    startSequence: startSequenceMachine,
  },
  actions: {
    tellParent: sendParent((_, report: SupervisorReport | StartProgress) => report),
    countRestart: assign({ restartsSoFar: ({ context }) => context.restartsSoFar + 1 }),
    // A start that failed is answered like a crash: the policy is asked again.
    recordFailedStart: assign({ exit: () => ({ exitCode: null, signal: null }), cause: () => 'exit' as const }),
    recordStop: assign((_, exit: ExitStatus) => ({ exit })),
    settle: assign((_, params: { outcome: SupervisionOutcome }) => ({ outcome: params.outcome })),
    reportEnded: sendParent(({ context }): SupervisorReport => ({
      type: 'SUPERVISION_ENDED',
      name: context.name,
      outcome: context.outcome ?? 'cancelled',
      restarts: context.restartsSoFar,
    })),
  },
  guards: {
    policyRestarts: ({ context }) =>
      context.restart.policy === 'always' || (context.restart.policy === 'on-failure' && isCrash(context.exit)),
    restartsLeft: ({ context }) => restartsLeft(context.restart, context.restartsSoFar),
    startFailed: (_, params: { failed: boolean }) => params.failed,
    // The health chart decided the restart: policy and limit were its guard.
    unhealthy: ({ context }) => context.cause === 'unhealthy',
    stopFailed: (_, params: { outcome: 'stopped' | 'failed' }) => params.outcome === 'failed',
  },
  delays: {
    restartBackoff: ({ context }) => backoffFor(context.restart, context.restartsSoFar),
  },
}).createMachine({
  id: 'supervisor',
  context: ({ input }) => ({ ...input, outcome: null }),
  on: { CANCEL: '.cancelled' },
  initial: 'deciding',
  states: {
    deciding: {
      always: [{ guard: 'unhealthy', target: 'stoppingUnhealthy' }, { guard: 'policyRestarts', target: 'checkingLimit' }, { target: 'notRestarted' }],
    },
    // A tiered stop of this service alone; its dependents run on.
    stoppingUnhealthy: {
      entry: { type: 'tellParent', params: ({ context }) => ({ type: 'STOP_UNHEALTHY' as const, name: context.name }) },
      on: {
        SERVICE_STOPPED: [
          // Still alive after SIGKILL: nothing to start again beside it.
          { guard: { type: 'stopFailed', params: ({ event }) => ({ outcome: event.outcome }) }, target: 'notRestarted' },
          { target: 'backoff', actions: { type: 'recordStop', params: ({ event }) => ({ exitCode: event.exitCode, signal: event.signal }) } },
        ],
      },
    },
    checkingLimit: {
      always: [{ guard: 'restartsLeft', target: 'backoff' }, { target: 'gaveUp' }],
    },
    backoff: {
      entry: {
        type: 'tellParent',
        params: ({ context }) => ({
          type: 'RESTART_SCHEDULED' as const,
          name: context.name,
          backoffMs: backoffFor(context.restart, context.restartsSoFar),
          restart: context.restartsSoFar + 1,
        }),
      },
      after: { restartBackoff: 'restarting' },
    },
    restarting: {
      entry: [
        {
          type: 'tellParent',
          params: ({ context }) => ({
            type: 'SERVICE_RESTARTING' as const,
            name: context.name,
            at: new Date().toISOString(),
            exitCode: context.exit.exitCode,
            signal: context.exit.signal,
            reason: reasonOf(context),
          }),
        },
        'countRestart',
      ],
      invoke: {
        src: 'startSequence',
        input: ({ context }) => ({ waves: [[context.name]], settleMs: context.settleMs }),
        onDone: [
          { guard: { type: 'startFailed', params: ({ event }) => ({ failed: event.output.failure !== null }) }, target: 'deciding', actions: 'recordFailedStart' },
          { target: 'restarted' },
        ],
      },
      // The new process and what `auto` chose belong to the orchestrator, which spawns its machine.
      on: {
        SERVICE_SPAWNED: { actions: { type: 'tellParent', params: ({ event }) => event } },
        SERVICE_READY: { actions: { type: 'tellParent', params: ({ event }) => event } },
        SHUTDOWN_URL_PROBED: { actions: { type: 'tellParent', params: ({ event }) => event } },
        SERVICE_START_FAILED: { actions: { type: 'tellParent', params: ({ event }) => event } },
      },
    },
    restarted: { type: 'final', entry: [{ type: 'settle', params: { outcome: 'restarted' } }, 'reportEnded'] },
    notRestarted: { type: 'final', entry: [{ type: 'settle', params: { outcome: 'notRestarted' } }, 'reportEnded'] },
    gaveUp: { type: 'final', entry: [{ type: 'settle', params: { outcome: 'gaveUp' } }, 'reportEnded'] },
    cancelled: { type: 'final', entry: [{ type: 'settle', params: { outcome: 'cancelled' } }, 'reportEnded'] },
  },
  output: ({ context }) => ({ name: context.name, outcome: context.outcome ?? 'cancelled' }),
});
