// The health chart on its own (machines/health.ts), on a simulated clock: the start
// period, a check every interval, failures counted in a row, the check's timeout,
// unhealthy and healthy again, and the restart decision — what it tells its parent.
import { describe, expect, it } from '@jest/globals';
import { assign, createActor, fromPromise, setup, SimulatedClock } from 'xstate';
import { healthMachine, type HealthInput, type HealthReport, type ProbeInput, type ProbeResult } from '../../machines/health.js';
import type { RestartPolicy } from '../../machines/types.js';

type Answer = ProbeResult | 'hang' | 'throw';

const pass: Answer = { healthy: true };
const fail: Answer = { healthy: false, detail: 'GET /health answered 503' };
const policy = (name: RestartPolicy['policy'], maxRestarts = 3): RestartPolicy => ({ policy: name, maxRestarts, backoffMs: 100 });

const INTERVAL = 10;
const TIMEOUT = 5;

/** A parent that invokes one health chart whose checks answer as `answers` says (then pass), and keeps what it is told. */
function watch(input: Partial<HealthInput>, answers: Answer[]) {
  const clock = new SimulatedClock();
  let calls = 0;
  const probe = fromPromise<ProbeResult, ProbeInput>(async () => {
    const answer = answers[calls++] ?? pass;
    if (answer === 'hang') return new Promise<ProbeResult>(() => {});
    if (answer === 'throw') throw new Error('probe broke');
    return answer;
  });
  const parent = setup({
    types: { context: {} as { told: HealthReport[] }, events: {} as HealthReport },
    actors: { health: healthMachine.provide({ actors: { probe } }) },
  }).createMachine({
    context: { told: [] },
    invoke: {
      id: 'health',
      src: 'health',
      input: { name: 'api', intervalMs: INTERVAL, timeoutMs: TIMEOUT, retries: 3, startPeriodMs: 0, restart: policy('no'), restartsSoFar: 0, ...input },
    },
    on: { '*': { guard: ({ event }) => !event.type.startsWith('xstate.'), actions: assign({ told: ({ context, event }) => [...context.told, event] }) } },
  });
  const actor = createActor(parent, { clock }).start();
  // A start period of 0 ends at once, as a 0 ms timer does.
  clock.increment(0);
  // Lets promise actors answer and the chart take the transitions that follow.
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return {
    calls: () => calls,
    told: () => actor.getSnapshot().context.told.map((event) => event.type),
    last: () => actor.getSnapshot().context.told.at(-1),
    state: () => actor.getSnapshot().children.health?.getSnapshot().value,
    status: () => actor.getSnapshot().children.health?.getSnapshot().status,
    /** Moves the clock by `ms` and lets what it fired run. */
    async advance(ms: number) {
      clock.increment(ms);
      await settle();
      await settle();
    },
    /** Runs `count` checks: each an interval of waiting, then its answer. */
    async checks(count: number) {
      for (let made = 0; made < count; made += 1) await this.advance(INTERVAL);
    },
  };
}

describe('health chart', () => {
  it('checks nothing during its start period, then once every interval; tells its parent of the first pass only', async () => {
    const health = watch({ startPeriodMs: 100 }, []);
    await health.advance(99);
    expect(health.calls()).toBe(0);
    await health.advance(1);
    expect(health.state()).toEqual({ healthy: 'waiting' });
    await health.checks(3);
    expect(health.calls()).toBe(3);
    expect(health.told()).toEqual(['SERVICE_HEALTHY']);
  });

  it('turns unhealthy after `retries` failures in a row, and tells its parent once, with the last failure', async () => {
    const health = watch({ retries: 3 }, [fail, fail, fail, fail, fail]);
    await health.checks(2);
    expect(health.told()).toEqual([]);
    await health.checks(3);
    expect(health.told()).toEqual(['SERVICE_UNHEALTHY']);
    expect(health.last()).toEqual({ type: 'SERVICE_UNHEALTHY', name: 'api', failures: 3, detail: 'GET /health answered 503' });
  });

  it('counts failures in a row only: a pass between them starts over', async () => {
    const health = watch({ retries: 2 }, [fail, pass, fail, pass, fail]);
    await health.checks(6);
    expect(health.told()).toEqual(['SERVICE_HEALTHY']);
  });

  it('restart: no — stays unhealthy while checks fail, healthy again at the first pass', async () => {
    const health = watch({ retries: 1 }, [fail, fail, fail, pass, fail]);
    await health.checks(3);
    expect(health.told()).toEqual(['SERVICE_UNHEALTHY']);
    expect(health.state()).toEqual({ unhealthy: 'waiting' });
    await health.checks(1);
    expect(health.told()).toEqual(['SERVICE_UNHEALTHY', 'SERVICE_HEALTHY']);
    // Healthy again, the count starts over: one more failure (retries 1) is unhealthy again.
    await health.checks(1);
    expect(health.told()).toEqual(['SERVICE_UNHEALTHY', 'SERVICE_HEALTHY', 'SERVICE_UNHEALTHY']);
  });

  it.each([
    ['on-failure', policy('on-failure'), 0],
    ['always', policy('always'), 2],
  ])('restart: %s with restarts left — asks its parent for a restart and is done', async (_, restart, restartsSoFar) => {
    const health = watch({ retries: 2, restart, restartsSoFar }, [fail, fail]);
    await health.checks(2);
    expect(health.told()).toEqual(['SERVICE_UNHEALTHY', 'RESTART_UNHEALTHY']);
    expect(health.last()).toEqual({ type: 'RESTART_UNHEALTHY', name: 'api', detail: 'GET /health answered 503' });
    expect(health.state()).toBe('restartAsked');
    expect(health.status()).toBe('done');
    await health.checks(2);
    expect(health.calls()).toBe(2);
  });

  it('restart: on-failure with max_restarts reached — stays unhealthy and checks on', async () => {
    const health = watch({ retries: 1, restart: policy('on-failure', 2), restartsSoFar: 2 }, [fail, fail]);
    await health.checks(3);
    expect(health.told()).toEqual(['SERVICE_UNHEALTHY', 'SERVICE_HEALTHY']);
  });

  it('counts a check that does not answer within its timeout as failed, and one that throws', async () => {
    const health = watch({ retries: 2 }, ['hang', 'throw']);
    await health.checks(1);
    expect(health.state()).toEqual({ healthy: 'checking' });
    await health.advance(TIMEOUT);
    expect(health.state()).toEqual({ healthy: 'waiting' });
    await health.checks(1);
    expect(health.last()).toEqual({ type: 'SERVICE_UNHEALTHY', name: 'api', failures: 2, detail: 'Error: probe broke' });
  });

  it('while unhealthy, a check that hangs or throws leaves it unhealthy', async () => {
    const health = watch({ retries: 1 }, [fail, 'hang', 'throw', pass]);
    await health.checks(2);
    await health.advance(TIMEOUT);
    expect(health.state()).toEqual({ unhealthy: 'waiting' });
    await health.checks(1);
    expect(health.state()).toEqual({ unhealthy: 'waiting' });
    expect(health.told()).toEqual(['SERVICE_UNHEALTHY']);
    await health.checks(1);
    expect(health.told()).toEqual(['SERVICE_UNHEALTHY', 'SERVICE_HEALTHY']);
  });
});
