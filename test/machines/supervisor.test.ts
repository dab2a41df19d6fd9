// The supervisor on its own (machines/supervisor.ts): what the restart policy
// decides for one exit, the backoff, a failed restart asked about again, a stop
// cancelling it — and what it tells its parent, with typed events.
import { describe, expect, it } from '@jest/globals';
import { assign, createActor, fromCallback, sendTo, setup, waitFor } from 'xstate';
import type { StartEvent } from '../../machines/start-events.js';
import { startSequenceMachine } from '../../machines/start-sequence.js';
import { backoffFor, supervisorMachine, type SupervisorEvent, type SupervisorInput, type SupervisorReport } from '../../machines/supervisor.js';
import type { RestartPolicy } from '../../machines/types.js';

const policy = (name: RestartPolicy['policy'], extra: Partial<RestartPolicy> = {}): RestartPolicy => ({ policy: name, maxRestarts: 3, backoffMs: 5, ...extra });
const crash = { exitCode: 1, signal: null };
const clean = { exitCode: 0, signal: null };

/** A parent that spawns one supervisor and keeps what it is told; each start fails or not as `starts` says. */
function supervise(input: Omit<SupervisorInput, 'name' | 'settleMs' | 'cause'> & Partial<Pick<SupervisorInput, 'cause'>>, starts: ('ready' | 'fails')[] = []) {
  let attempt = 0;
  const startWave = fromCallback<StartEvent, { names: string[] }>(({ sendBack, input: { names } }) => {
    const outcome = starts[attempt++] ?? 'ready';
    sendBack({ type: 'SERVICE_SPAWNED', name: names[0], pid: 1000 + attempt });
    if (outcome === 'fails') sendBack({ type: 'START_FAILED', name: names[0], message: 'boom', exitedBeforeReady: false });
    else sendBack({ type: 'WAVE_READY' });
  });
  const supervisor = supervisorMachine.provide({ actors: { startSequence: startSequenceMachine.provide({ actors: { startWave } }) } });
  const parent = setup({
    types: {
      context: {} as { told: string[]; reasons: string[] },
      events: {} as SupervisorReport | { type: 'CANCEL' } | { type: 'SERVICE_SPAWNED' } | Extract<SupervisorEvent, { type: 'SERVICE_STOPPED' }>,
    },
    actors: { supervisor },
  }).createMachine({
    context: { told: [], reasons: [] },
    invoke: { id: 'supervisor', src: 'supervisor', input: { name: 'worker', settleMs: 1, cause: 'exit', ...input } },
    on: {
      // Its own done event aside: what it chose to tell.
      '*': {
        guard: ({ event }) => !event.type.startsWith('xstate.'),
        actions: assign({ told: ({ context, event }) => [...context.told, 'outcome' in event ? `${event.type}:${event.outcome}` : event.type] }),
      },
      CANCEL: { actions: sendTo('supervisor', { type: 'CANCEL' }) },
      // What the orchestrator tells it of the stop it asked for.
      SERVICE_STOPPED: { actions: sendTo('supervisor', ({ event }) => event) },
      SERVICE_RESTARTING: {
        actions: assign({ told: ({ context, event }) => [...context.told, event.type], reasons: ({ context, event }) => [...context.reasons, event.reason] }),
      },
    },
  });
  return createActor(parent).start();
}

const ended = (actor: ReturnType<typeof supervise>) => waitFor(actor, (snapshot) => snapshot.context.told.some((type) => type.startsWith('SUPERVISION_ENDED')));

describe('supervisor', () => {
  it.each([
    ['no: never restarts', policy('no'), crash, 'SUPERVISION_ENDED:notRestarted'],
    ['on-failure: not after a clean exit', policy('on-failure'), clean, 'SUPERVISION_ENDED:notRestarted'],
    ['on-failure: after a crash', policy('on-failure'), crash, 'SUPERVISION_ENDED:restarted'],
    ['always: after a clean exit too', policy('always'), clean, 'SUPERVISION_ENDED:restarted'],
    ['a limit already reached: gives up', policy('always', { maxRestarts: 2 }), crash, 'SUPERVISION_ENDED:gaveUp'],
  ])('%s', async (_, restart, exit, last) => {
    const actor = supervise({ restart, exit, restartsSoFar: restart.maxRestarts === 2 ? 2 : 0 });
    await ended(actor);
    expect(actor.getSnapshot().context.told.at(-1)).toBe(last);
  });

  it('tells its parent the backoff, the restart (with the exit it answers) and the new process, in that order', async () => {
    const actor = supervise({ restart: policy('on-failure'), exit: crash, restartsSoFar: 0 });
    await ended(actor);
    expect(actor.getSnapshot().context.told).toEqual(['RESTART_SCHEDULED', 'SERVICE_RESTARTING', 'SERVICE_SPAWNED', 'SUPERVISION_ENDED:restarted']);
  });

  it('answers a restart that fails to start like a crash: the policy is asked again, up to the limit', async () => {
    const actor = supervise({ restart: policy('always', { maxRestarts: 2 }), exit: clean, restartsSoFar: 0 }, ['fails', 'fails']);
    await ended(actor);
    const told = actor.getSnapshot().context.told;
    expect(told.filter((type) => type === 'SERVICE_RESTARTING')).toHaveLength(2);
    expect(told.filter((type) => type === 'SERVICE_START_FAILED')).toHaveLength(2);
    expect(told.at(-1)).toBe('SUPERVISION_ENDED:gaveUp');
  });

  it('is cancelled by a stop during its backoff: no restart', async () => {
    const actor = supervise({ restart: policy('on-failure', { backoffMs: 10_000 }), exit: crash, restartsSoFar: 0 });
    await waitFor(actor, (snapshot) => snapshot.context.told.includes('RESTART_SCHEDULED'));
    actor.send({ type: 'CANCEL' });
    await ended(actor);
    expect(actor.getSnapshot().context.told).toEqual(['RESTART_SCHEDULED', 'SUPERVISION_ENDED:cancelled']);
  });

  it('doubles the backoff for each restart already made, up to 30 s', () => {
    expect([0, 1, 2, 20].map((made) => backoffFor(policy('always', { backoffMs: 1000 }), made))).toEqual([1000, 2000, 4000, 30_000]);
  });

  it('records why it restarted: crashed, or exited with status 0', async () => {
    const crashed = supervise({ restart: policy('on-failure'), exit: crash, restartsSoFar: 0 });
    const exited = supervise({ restart: policy('always'), exit: clean, restartsSoFar: 0 });
    await Promise.all([ended(crashed), ended(exited)]);
    expect(crashed.getSnapshot().context.reasons).toEqual(['crashed']);
    expect(exited.getSnapshot().context.reasons).toEqual(['exited']);
  });
});

describe('supervisor, for a service whose health checks asked for a restart', () => {
  const unhealthy = { restart: policy('on-failure'), exit: { exitCode: null, signal: null }, restartsSoFar: 0, cause: 'unhealthy' as const };

  it('asks for its tiered stop first, and waits for it before the backoff', async () => {
    const actor = supervise(unhealthy);
    await waitFor(actor, (snapshot) => snapshot.context.told.includes('STOP_UNHEALTHY'));
    expect(actor.getSnapshot().context.told).toEqual(['STOP_UNHEALTHY']);
    actor.send({ type: 'SERVICE_STOPPED', outcome: 'stopped', exitCode: null, signal: 'SIGTERM' });
    await ended(actor);
    expect(actor.getSnapshot().context.told).toEqual(['STOP_UNHEALTHY', 'RESTART_SCHEDULED', 'SERVICE_RESTARTING', 'SERVICE_SPAWNED', 'SUPERVISION_ENDED:restarted']);
    expect(actor.getSnapshot().context.reasons).toEqual(['unhealthy']);
  });

  it('starts nothing beside a service its stop could not end (failed)', async () => {
    const actor = supervise(unhealthy);
    await waitFor(actor, (snapshot) => snapshot.context.told.includes('STOP_UNHEALTHY'));
    actor.send({ type: 'SERVICE_STOPPED', outcome: 'failed', exitCode: null, signal: null });
    await ended(actor);
    expect(actor.getSnapshot().context.told).toEqual(['STOP_UNHEALTHY', 'SUPERVISION_ENDED:notRestarted']);
  });
});
