/**
 * What happens after a service ended by itself while the stack runs
 * (docs/restart.md): the restart policy decides whether it comes back, a
 * backoff delay (doubling, capped) passes, the service is started again and
 * waits for readiness. A stop of the service during all this cancels it.
 * The orchestrator spawns one of these per exit it did not ask for; the
 * actual start is the named `startService` actor supplied by src/.
 */
import { assign, fromCallback, sendParent, setup } from 'xstate';
import { isCrash, type ExitStatus } from './exits.js';
import type { StartEvent } from './start-events.js';
import type { RestartPolicy } from './types.js';

/** The longest wait between two restarts, whatever the backoff doubled to. */
export const MAX_BACKOFF_MS = 30_000;

export interface SupervisorInput {
  name: string;
  restart: RestartPolicy;
  /** Restarts already made in this run. */
  restartsSoFar: number;
  /** The exit being answered. */
  exit: ExitStatus;
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
  | StartEvent;

/** What the orchestrator learns from a supervisor besides its output. */
export type SupervisorReport = { type: 'SERVICE_RESTARTING'; name: string; at: string; exitCode: number | null; signal: string | null };

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
    // Spawns the service again and waits for its readiness (src/actors/start-wave.ts).
    startService: fromCallback<StartEvent, { names: string[] }>(({ sendBack }) => sendBack({ type: 'WAVE_READY' })),
  },
  actions: {
    announceRestart: sendParent(({ context }): SupervisorReport => ({
      type: 'SERVICE_RESTARTING',
      name: context.name,
      at: new Date().toISOString(),
      exitCode: context.exit.exitCode,
      signal: context.exit.signal,
    })),
    countRestart: assign({ restartsSoFar: ({ context }) => context.restartsSoFar + 1 }),
    // A start that failed is answered like a crash: the policy is asked again.
    recordFailedStart: assign({ exit: () => ({ exitCode: null, signal: null }) }),
    // The new process and what `auto` chose belong to the orchestrator, which spawns its machine.
    forwardToParent: sendParent(({ event }) => event),
    // Supplied by src/: tell observers a restart is due, or that the policy gave up.
    announceBackoff: (_, _params: { service: string; backoffMs: number; restart: number }) => {},
    announceGiveUp: (_, _params: { service: string; restarts: number }) => {},
    settle: assign((_, params: { outcome: SupervisionOutcome }) => ({ outcome: params.outcome })),
  },
  guards: {
    policyRestarts: ({ context }) =>
      context.restart.policy === 'always' || (context.restart.policy === 'on-failure' && isCrash(context.exit)),
    restartsLeft: ({ context }) => context.restartsSoFar < context.restart.maxRestarts,
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
      always: [
        { guard: { type: 'policyRestarts' }, target: 'checkingLimit' },
        { target: 'notRestarted' },
      ],
    },
    checkingLimit: {
      always: [{ guard: 'restartsLeft', target: 'backoff' }, { target: 'gaveUp' }],
    },
    backoff: {
      entry: {
        type: 'announceBackoff',
        params: ({ context }) => ({ service: context.name, backoffMs: backoffFor(context.restart, context.restartsSoFar), restart: context.restartsSoFar + 1 }),
      },
      after: { restartBackoff: 'restarting' },
    },
    restarting: {
      entry: ['announceRestart', 'countRestart'],
      invoke: { src: 'startService', input: ({ context }) => ({ names: [context.name] }) },
      on: {
        SERVICE_SPAWNED: { actions: 'forwardToParent' },
        TIER_RESOLVED: { actions: 'forwardToParent' },
        WAVE_READY: 'restarted',
        START_FAILED: { target: 'deciding', actions: 'recordFailedStart' },
      },
    },
    restarted: { type: 'final', entry: { type: 'settle', params: { outcome: 'restarted' } } },
    notRestarted: { type: 'final', entry: { type: 'settle', params: { outcome: 'notRestarted' } } },
    gaveUp: {
      type: 'final',
      entry: [
        { type: 'settle', params: { outcome: 'gaveUp' } },
        { type: 'announceGiveUp', params: ({ context }) => ({ service: context.name, restarts: context.restartsSoFar }) },
      ],
    },
    cancelled: { type: 'final', entry: { type: 'settle', params: { outcome: 'cancelled' } } },
  },
  output: ({ context }) => ({ name: context.name, outcome: context.outcome ?? 'cancelled' }),
});
