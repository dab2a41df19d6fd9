// The start sequence on its own (machines/start-sequence.ts): waves one after
// another, each service's progress passed up, and a failure's timing — one that
// exited before it was ready waits `exitSettleTimeout` so its exit is heard first.
import { describe, expect, it } from '@jest/globals';
import { assign, createActor, fromCallback, setup, toPromise, waitFor } from 'xstate';
import type { StartEvent, StartProgress } from '../../machines/start-events.js';
import { startSequenceMachine, type StartSequenceOutput } from '../../machines/start-sequence.js';

function run(waves: string[][], failing?: { name: string; exitedBeforeReady: boolean }, settleMs = 1) {
  const startWave = fromCallback<StartEvent, { names: string[] }>(({ sendBack, input: { names } }) => {
    for (const name of names) sendBack({ type: 'SERVICE_SPAWNED', name, pid: 1 });
    const failed = names.find((name) => name === failing?.name);
    if (failed) return void sendBack({ type: 'START_FAILED', name: failed, message: 'boom', exitedBeforeReady: failing?.exitedBeforeReady ?? false });
    for (const name of names) sendBack({ type: 'SERVICE_READY', name, checked: true });
    sendBack({ type: 'WAVE_READY' });
  });
  const parent = setup({
    types: { context: {} as { told: string[]; output: StartSequenceOutput | null }, events: {} as StartProgress },
    actors: { sequence: startSequenceMachine.provide({ actors: { startWave } }) },
  }).createMachine({
    context: { told: [], output: null },
    invoke: { src: 'sequence', input: { waves, settleMs }, onDone: { target: '.done', actions: assign({ output: ({ event }) => event.output }) } },
    on: { '*': { actions: assign({ told: ({ context, event }) => [...context.told, `${event.type} ${'name' in event ? event.name : ''}`.trim()] }) } },
    initial: 'running',
    states: { running: {}, done: { type: 'final' } },
  });
  return createActor(parent).start();
}

describe('start sequence', () => {
  it('brings up each wave once the one before is ready, telling its parent of each service', async () => {
    const actor = run([['db'], ['api', 'worker']]);
    await toPromise(actor);
    expect(actor.getSnapshot().context.output).toEqual({ failure: null });
    expect(actor.getSnapshot().context.told).toEqual([
      'SERVICE_SPAWNED db', 'SERVICE_READY db',
      'SERVICE_SPAWNED api', 'SERVICE_SPAWNED worker', 'SERVICE_READY api', 'SERVICE_READY worker',
    ]);
  });

  it('has nothing to do for no waves', async () => {
    const actor = run([]);
    await toPromise(actor);
    expect(actor.getSnapshot().context.output).toEqual({ failure: null });
  });

  it('stops at a failed wave, says which service and when, and starts nothing after it', async () => {
    const before = performance.now();
    const actor = run([['db'], ['api'], ['web']], { name: 'api', exitedBeforeReady: false });
    await toPromise(actor);
    const { failure } = actor.getSnapshot().context.output ?? { failure: null };
    expect(failure).toMatchObject({ name: 'api', message: 'boom' });
    expect(failure?.originMs).toBeGreaterThanOrEqual(before);
    expect(actor.getSnapshot().context.told).toContain('SERVICE_START_FAILED api');
    expect(actor.getSnapshot().context.told).not.toContain('SERVICE_SPAWNED web');
  });

  it('waits for the exit to be heard when the service died before it was ready', async () => {
    const actor = run([['api']], { name: 'api', exitedBeforeReady: true }, 10_000);
    await waitFor(actor, (snapshot) => snapshot.context.told.includes('SERVICE_SPAWNED api'));
    // Still settling: nothing announced yet; a parent that hears the exit meanwhile decides first.
    expect(actor.getSnapshot().context.told).not.toContain('SERVICE_START_FAILED api');
    expect(actor.getSnapshot().status).toBe('active');
    actor.stop();
  });
});
