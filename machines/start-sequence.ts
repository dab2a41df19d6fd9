/**
 * One start: waves of services brought up in dependency order, each wave once
 * the one before is ready (docs/how-it-works.md). The first start of the
 * stack, a rollback's restore and a supervisor's restart are all this
 * machine; each service's progress goes to the parent as it happens, and the
 * output says whether every wave came up or which service did not.
 * Spawning and readiness are the named `startWave` actor, supplied by src/.
 */
import { assertEvent, assign, fromCallback, sendParent, setup } from 'xstate';
import type { StartEvent, StartFailure, StartProgress } from './start-events.js';

export interface StartSequenceInput {
  waves: string[][];
  /**
   * How long a service's own exit takes to be seen after its main process
   * ended (the exit watcher's longest poll): a start failure waits that long
   * so that an exit before readiness reaches the orchestrator first.
   */
  settleMs: number;
}

export interface StartSequenceContext extends StartSequenceInput {
  index: number;
  failure: StartFailure | null;
}

/** Null: every wave came up. */
export interface StartSequenceOutput {
  failure: StartFailure | null;
}

export const startSequenceMachine = setup({
  types: {
    input: {} as StartSequenceInput,
    context: {} as StartSequenceContext,
    events: {} as StartEvent,
    output: {} as StartSequenceOutput,
  },
  actors: {
    // Spawns the processes of one wave at once and waits for their readiness (src/actors/start-wave.ts).
    startWave: fromCallback<StartEvent, { names: string[] }>(({ sendBack }) => sendBack({ type: 'WAVE_READY' })),
  },
  actions: {
    tellParent: sendParent((_, progress: StartProgress) => progress),
    nextWave: assign({ index: ({ context }) => context.index + 1 }),
    // The stop of what did start counts from the moment of the failure.
    recordFailure: assign(({ event }) => {
      assertEvent(event, 'START_FAILED');
      return { failure: { name: event.name, message: event.message, originMs: performance.now(), startedAt: new Date().toISOString() } };
    }),
  },
  guards: {
    nothingToStart: ({ context }) => context.waves.length === 0,
    moreWaves: ({ context }) => context.index + 1 < context.waves.length,
    exitedBeforeReady: ({ event }) => event.type === 'START_FAILED' && event.exitedBeforeReady,
  },
  delays: {
    exitSettleTimeout: ({ context }) => context.settleMs,
  },
}).createMachine({
  id: 'startSequence',
  context: ({ input }) => ({ ...input, index: 0, failure: null }),
  initial: 'checking',
  states: {
    checking: { always: [{ guard: 'nothingToStart', target: 'started' }, { target: 'wave' }] },
    wave: {
      invoke: { src: 'startWave', input: ({ context }) => ({ names: context.waves[context.index] }) },
      on: {
        SERVICE_SPAWNED: { actions: { type: 'tellParent', params: ({ event }) => event } },
        SERVICE_READY: { actions: { type: 'tellParent', params: ({ event }) => event } },
        SHUTDOWN_URL_PROBED: { actions: { type: 'tellParent', params: ({ event }) => event } },
        WAVE_READY: [{ guard: 'moreWaves', target: 'wave', reenter: true, actions: 'nextWave' }, { target: 'started' }],
        START_FAILED: [
          { guard: 'exitedBeforeReady', target: 'settling', actions: 'recordFailure' },
          { target: 'failed', actions: 'recordFailure' },
        ],
      },
    },
    // The service died before it was ready: its own exit is on its way to the
    // orchestrator, which must hear it before any stop signals it.
    settling: { after: { exitSettleTimeout: 'failed' } },
    started: { type: 'final' },
    failed: {
      type: 'final',
      entry: {
        type: 'tellParent',
        params: ({ context }) => ({ type: 'SERVICE_START_FAILED' as const, name: context.failure?.name ?? '', message: context.failure?.message ?? '' }),
      },
    },
  },
  output: ({ context }) => ({ failure: context.failure }),
});
