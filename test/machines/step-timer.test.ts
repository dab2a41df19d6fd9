// A service step's timer (machines/step-timer.ts): done once its delay has
// passed, cancelled with the state that invoked it — and, unlike XState's
// `after`, nothing in the actor system's scheduler, which every stopping actor walks.
import { describe, expect, it } from '@jest/globals';
import { assign, createActor, fromCallback, setup, waitFor } from 'xstate';
import { serviceMachine } from '../../machines/service.js';
import { stepTimerLogic } from '../../machines/step-timer.js';

const quiet = serviceMachine.provide({ actors: { watchProcess: fromCallback(() => {}), listenNotify: fromCallback(() => {}) } });
const input = { name: 'api', tier: 'simple', steps: ['sigterm' as const, 'forceKill' as const], signal: 'SIGTERM', pid: 4711, haltOnRefusal: false };

describe('step timer', () => {
  it('is done after its delay; left before it, it never fires', async () => {
    const machine = setup({
      types: { context: {} as { fired: number }, events: {} as { type: 'LEAVE' } },
      actors: { timer: stepTimerLogic },
    }).createMachine({
      context: { fired: 0 },
      initial: 'first',
      states: {
        // Left at once: its 10 ms would end before the next state's 40 ms, were it not cancelled.
        first: { invoke: { src: 'timer', input: { ms: 10 }, onDone: { actions: assign({ fired: ({ context }) => context.fired + 1 }) } }, on: { LEAVE: 'second' } },
        second: { invoke: { src: 'timer', input: { ms: 40 }, onDone: 'over' } },
        over: { type: 'final' },
      },
    });
    const actor = createActor(machine).start();
    actor.send({ type: 'LEAVE' });
    const done = await waitFor(actor, (snapshot) => snapshot.status === 'done', { timeout: 5000 });
    expect(done.context.fired).toBe(0);
  });

  it('times a service out of sigterm with the delay named as its reason, leaving XState\'s scheduler empty', async () => {
    const actor = createActor(quiet, { input: { ...input, timeouts: { http: 1000, exit: 1000, sigterm: 20, kill: 5000 } } }).start();
    actor.send({ type: 'SHUTDOWN' });
    expect(actor.getSnapshot().value).toBe('sigterm');
    // XState's `after` would sit here, walked by every actor of the run that stops.
    expect(Object.keys(actor.system.getSnapshot()._scheduledEvents)).toEqual([]);
    const killed = await waitFor(actor, (snapshot) => snapshot.value === 'forceKill', { timeout: 5000 });
    expect(killed.context.transitions.map(({ to, reason }) => [to, reason])).toEqual([
      ['sigterm', 'SHUTDOWN'],
      ['forceKill', 'sigtermTimeout'],
    ]);
    actor.stop();
  });
});
