// Pure logic of the parent statechart, with the process layer replaced by
// in-memory actors: waves, FORCE, partial stop and rollback decisions.
import { describe, expect, it } from '@jest/globals';
import { createActor, fromCallback, fromPromise, toPromise, waitFor } from 'xstate';
import { composeOrchestrator, type StartEvent, type Verdict } from '../../machines/compose.js';
import type { PlannedService } from '../../machines/orchestrator.js';
import { serviceActorIn } from '../../machines/service-group.js';
import { serviceMachine, type HttpResult, type HttpShutdownInput, type ServiceEvent } from '../../machines/service.js';
import type { ShutdownReport } from '../../machines/types.js';

const timeouts = { http: 20, exit: 20, sigterm: 20, kill: 20 };
const plan = (name: string, dependsOn: string[] = [], tier = 'simple'): PlannedService => ({
  name,
  tier,
  steps: tier === 'critical' ? ['http', 'sigterm', 'forceKill'] : ['sigterm', 'forceKill'],
  signal: 'SIGTERM',
  timeouts,
  local: true,
  dependsOn,
});

/** A fake world: every pid exits when signalled, unless listed as stubborn. */
function world(options: { stubborn?: string[]; http?: Record<string, HttpResult['outcome']>; diesBeforeReady?: string } = {}) {
  const order: string[] = [];
  const exits = new Map<string, (event: ServiceEvent) => void>();
  const service = serviceMachine.provide({
    actions: {
      sendStopSignal: ({ context }) => {
        order.push(context.name);
        if (!options.stubborn?.includes(context.name)) setTimeout(() => exits.get(context.name)?.({ type: 'PROCESS_EXITED', exitCode: null, signal: 'SIGTERM' }), 2);
      },
      killProcessTree: ({ context }) => {
        setTimeout(() => exits.get(context.name)?.({ type: 'PROCESS_EXITED', exitCode: null, signal: 'SIGKILL' }), 2);
      },
    },
    actors: {
      watchProcess: fromCallback<ServiceEvent, { name: string; pid: number | null }>(({ sendBack, input }) => {
        exits.set(input.name, sendBack);
      }),
      httpShutdown: fromPromise<HttpResult, HttpShutdownInput>(async ({ input }) => ({
        outcome: options.http?.[input.name] ?? 'accepted',
        status: 200,
        detail: 'test',
      })),
    },
  });
  let nextPid = 100;
  const machine = composeOrchestrator({
    service,
    startWave: fromCallback<StartEvent, { names: string[] }>(({ sendBack, input }) => {
      for (const name of input.names) sendBack({ type: 'SERVICE_SPAWNED', name, pid: nextPid++ });
      const dying = input.names.find((name) => name === options.diesBeforeReady);
      if (dying) {
        // Its process ends while readiness is awaited; the wave says so a moment later, as the real one does.
        setTimeout(() => exits.get(dying)?.({ type: 'PROCESS_EXITED', exitCode: 1, signal: null }), 1);
        const timer = setTimeout(() => sendBack({ type: 'START_FAILED', name: dying, message: 'exited (code 1) before it was ready', exitedBeforeReady: true }), 2);
        return () => clearTimeout(timer);
      }
      for (const name of input.names) sendBack({ type: 'SERVICE_READY', name, checked: true });
      sendBack({ type: 'WAVE_READY' });
    }),
    verifyServices: fromPromise<Record<string, Verdict>, { names: string[] }>(async ({ input }) =>
      Object.fromEntries(input.names.map((name) => [name, { verified: true }])),
    ),
  });
  return { machine, order, exits };
}

const shutdown = (services?: string[]) => ({ type: 'SHUTDOWN' as const, services });
const stateOf = (actor: { getSnapshot(): { context: { lives: { state: string }[] } } }) => actor.getSnapshot().context.lives.map((life) => life.state);

describe('orchestrator', () => {
  it('stops dependents before their dependencies, in waves', async () => {
    const { machine, order } = world();
    const actor = createActor(machine, {
      input: { services: [plan('db'), plan('api', ['db']), plan('web', ['api']), plan('admin', ['api'])], onFailure: 'escalate', order: 'dependency' },
    }).start();
    await waitFor(actor, (s) => s.matches('running'));
    actor.send(shutdown());
    const report = (await toPromise(actor)) as ShutdownReport;
    expect(report.waves).toEqual([['web', 'admin'], ['api'], ['db']]);
    expect(order.indexOf('api')).toBeGreaterThan(order.indexOf('web'));
    expect(order.indexOf('db')).toBeGreaterThan(order.indexOf('api'));
    expect(report.outcome).toBe('stopped');
    expect(report.services.map((s) => [s.name, s.wave, s.method])).toEqual([
      ['web', 0, 'signal'], ['admin', 0, 'signal'], ['api', 1, 'signal'], ['db', 2, 'signal'],
    ]);
  });

  it('stops services held in several groups: across groups in waves, a partial stop in a later group, the rest to the end', async () => {
    // 70 services: three groups of service machines (machines/service-group.ts); s69 (third group) depends on s0 (first).
    const services = Array.from({ length: 70 }, (_, index) => plan(`s${index}`, index === 69 ? ['s0'] : []));
    const { machine, order } = world();
    const actor = createActor(machine, { input: { services, onFailure: 'escalate', order: 'dependency' } }).start();
    await waitFor(actor, (s) => s.matches('running'));
    expect(Object.keys(actor.getSnapshot().children).sort()).toEqual(['group:0', 'group:1', 'group:2']);
    expect(serviceActorIn(actor.getSnapshot().children, 69, '69')?.getSnapshot().context.name).toBe('s69');
    const reports: ShutdownReport[] = [];
    actor.on('REPORT', (event) => reports.push(event.report));
    actor.send(shutdown(['s40']));
    await waitFor(actor, () => reports.length === 1);
    expect(reports[0].services.map((s) => [s.name, s.outcome])).toEqual([['s40', 'stopped']]);
    expect(stateOf(actor).filter((state) => state !== 'ready')).toEqual(['stopped']);
    actor.send(shutdown());
    const report = (await toPromise(actor)) as ShutdownReport;
    expect(report.outcome).toBe('stopped');
    expect(report.services).toHaveLength(69);
    expect(order.indexOf('s0')).toBeGreaterThan(order.indexOf('s69'));
    // The run is over: the groups are stopped, and so is every service machine in them.
    const groups = Object.values(actor.getSnapshot().children);
    expect(groups.map((group) => group?.getSnapshot().status)).toEqual(['stopped', 'stopped', 'stopped']);
    expect(groups.map((group) => Object.keys(group?.getSnapshot().children ?? { left: true }))).toEqual([[], [], []]);
  });

  it('stops only the named services and their dependents on a partial stop', async () => {
    const { machine } = world();
    const actor = createActor(machine, {
      input: { services: [plan('db'), plan('api', ['db']), plan('web', ['api']), plan('cache')], onFailure: 'escalate', order: 'dependency' },
    }).start();
    await waitFor(actor, (s) => s.matches('running'));
    const reports: ShutdownReport[] = [];
    actor.on('REPORT', (event) => reports.push(event.report));
    actor.send(shutdown(['api']));
    await waitFor(actor, () => reports.length === 1);
    expect(reports[0].waves).toEqual([['web'], ['api']]);
    expect(actor.getSnapshot().matches('running')).toBe(true);
    actor.send(shutdown());
    const final = (await toPromise(actor)) as ShutdownReport;
    expect(final.services.map((s) => s.name).sort()).toEqual(['cache', 'db']);
  });

  it('sends every service to forceKill on FORCE', async () => {
    const { machine } = world({ stubborn: ['a', 'b'] });
    const actor = createActor(machine, {
      input: { services: [plan('a'), plan('b', ['a'])], onFailure: 'escalate', order: 'dependency' },
    }).start();
    await waitFor(actor, (s) => s.matches('running'));
    actor.send(shutdown());
    actor.send({ type: 'FORCE' });
    const report = (await toPromise(actor)) as ShutdownReport;
    expect(report.services.map((s) => s.path)).toEqual([
      ['idle', 'sigterm', 'forceKill', 'stopped'],
      ['idle', 'forceKill', 'stopped'],
    ]);
  });

  it('rolls back when a critical service refuses under on_failure: rollback', async () => {
    const { machine } = world({ http: { api: 'rejected' } });
    const actor = createActor(machine, {
      input: { services: [plan('api', [], 'critical'), plan('web', ['api'])], onFailure: 'rollback', order: 'dependency' },
    }).start();
    await waitFor(actor, (s) => s.matches('running'));
    const reports: ShutdownReport[] = [];
    actor.on('REPORT', (event) => reports.push(event.report));
    actor.send(shutdown());
    await waitFor(actor, () => reports.length === 1);
    expect(reports[0].outcome).toBe('rolledBack');
    expect(reports[0].services.find((s) => s.name === 'api')?.path).toEqual(['idle', 'httpShutdown', 'failed']);
    await waitFor(actor, (s) => s.matches('running'));
    // The one that refused runs on as it ran (ready, same machine input), the one the stop took down is back.
    await waitFor(actor, () => stateOf(actor).every((state) => state === 'ready'));
    // Two service machines, no leftover: both in the one group that holds them (machines/service-group.ts).
    expect(Object.keys(actor.getSnapshot().children).sort()).toEqual(['group:0']);
    expect(['0', '1'].map((id) => serviceActorIn(actor.getSnapshot().children, Number(id), id)?.getSnapshot().status)).toEqual(['active', 'active']);
    expect(Object.keys(actor.getSnapshot().children['group:0']?.getSnapshot().children ?? {}).sort()).toEqual(['0', '1']);
    actor.stop();
  });

  it('fails the start once when a service exits before it is ready: no restart, and the cleanup escalates past a refusal', async () => {
    const { machine } = world({ http: { api: 'rejected' }, diesBeforeReady: 'worker' });
    const worker = { ...plan('worker', ['api']), restart: { policy: 'always' as const, maxRestarts: 5, backoffMs: 1 } };
    const actor = createActor(machine, { input: { services: [plan('api', [], 'critical'), worker], onFailure: 'rollback', order: 'dependency', exitSettleMs: 1000 } });
    const emitted: string[] = [];
    actor.on('*', (event) => void emitted.push(event.type));
    actor.start();
    const report = (await toPromise(actor)) as ShutdownReport;
    expect(emitted.filter((type) => type.startsWith('START'))).toEqual(['START_FAILED']);
    // The orchestrator heard the exit before the settle delay ran out: it ended by itself, crashed.
    expect(report.services.find((service) => service.name === 'worker')).toMatchObject({ outcome: 'crashed', method: 'self', restarts: [] });
    // Rollback is the run's policy, but a failed start's stop must end: the refusal escalates to SIGTERM.
    expect(report.services.find((service) => service.name === 'api')?.path).toEqual(['idle', 'httpShutdown', 'sigterm', 'stopped']);
    expect(report.outcome).toBe('stopped');
  });

  it("lets a stop ask for its own failure policy: escalate overrides the run's rollback", async () => {
    const { machine } = world({ http: { api: 'rejected' } });
    const actor = createActor(machine, { input: { services: [plan('api', [], 'critical')], onFailure: 'rollback', order: 'dependency' } }).start();
    await waitFor(actor, (s) => s.matches('running'));
    actor.send({ type: 'SHUTDOWN', onFailure: 'escalate' });
    const report = (await toPromise(actor)) as ShutdownReport;
    expect(report.outcome).toBe('stopped');
    expect(report.services[0].path).toEqual(['idle', 'httpShutdown', 'sigterm', 'stopped']);
  });

  it('holds each service as users see it: ready, stopping while its stop runs, stopped after', async () => {
    const { machine } = world({ stubborn: ['a'] });
    const actor = createActor(machine, { input: { services: [plan('a'), plan('b', ['a'])], onFailure: 'escalate', order: 'dependency' } }).start();
    await waitFor(actor, (s) => s.matches('running'));
    expect(stateOf(actor)).toEqual(['ready', 'ready']);
    actor.send(shutdown());
    expect(stateOf(actor)).toEqual(['stopping', 'stopping']);
    await waitFor(actor, () => stateOf(actor)[1] === 'stopped');
    expect(stateOf(actor)).toEqual(['stopping', 'stopped']);
    actor.send({ type: 'FORCE' });
    await toPromise(actor);
    expect(stateOf(actor)).toEqual(['stopped', 'stopped']);
    expect(actor.getSnapshot().context.lives.map((life) => life.pid)).toEqual([null, null]);
  });

  it('starts the Ctrl-C ladder over once a refused stop has rolled back: the next SIGNAL asks for the tiered stop again', async () => {
    const { machine } = world({ http: { api: 'rejected' } });
    const actor = createActor(machine, { input: { services: [plan('api', [], 'critical')], onFailure: 'rollback', order: 'dependency' } }).start();
    const steps: string[] = [];
    actor.on('SIGNAL_ANSWERED', ({ step }) => void steps.push(step));
    await waitFor(actor, (s) => s.matches('running'));
    actor.send({ type: 'SIGNAL', signal: 'SIGINT' });
    await waitFor(actor, (s) => s.matches('running') && s.context.report?.outcome === 'rolledBack');
    actor.send({ type: 'SIGNAL', signal: 'SIGINT' });
    actor.send({ type: 'SIGNAL', signal: 'SIGINT' });
    await toPromise(actor);
    expect(steps).toEqual(['shutdown', 'shutdown', 'force']);
  });
});
