/**
 * The parent statechart: the whole run of a stack (docs/how-it-works.md,
 * docs/restart.md). It starts the stack (a start sequence), spawns one service
 * machine per service, answers a service that ends by itself (an `exited`
 * notice, then a supervisor applying its restart policy), runs one stop at a
 * time (a stop machine) and queues or joins the stops asked for meanwhile,
 * gives each Ctrl-C its meaning, and ends — `done` — when nothing is left
 * running. It holds each service's state as users see it (`lives`, machines/life.ts).
 * Children tell it what happened with typed events; every report goes out as a `REPORT`.
 */
import { assertEvent, assign, emit, enqueueActions, sendTo, setup, stopChild } from 'xstate';
import { healthMachine } from './health.js';
import { checked, ended, gaveUp, healthy, notStarted, queuedToStart, readied, restartingUnhealthy, restartScheduled, resumed, spawned, stopping, unhealthy, wasUnhealthy } from './life.js';
import {
  endedBySelf,
  exitedBeforeReady,
  exitNotice,
  healthId,
  healthInput,
  firstLives,
  firstStart,
  inStop,
  NO_RESTART,
  planStart,
  planStop,
  requestOf,
  serviceActorId,
  servicesLeft,
  settleMs,
  slotOf,
  startRequestOf,
  stopInput,
  supervisorId,
  tookPart,
  withEarlier,
  withLife,
  type ExitNotice,
  type OrchestratorContext,
  type OrchestratorEmitted,
  type OrchestratorEvent,
  type SignalStep,
} from './run-context.js';
import { serviceInput } from './service-input.js';
import { groupId, groupIds, serviceGroupMachine, type ServiceGroupEvent } from './service-group.js';
import type { ServiceEvent } from './service.js';
import type { StartFailure } from './start-events.js';
import { startSequenceMachine } from './start-sequence.js';
import { stopMachine } from './stop.js';
import { admit, coveredBy, type StopRequest } from './stop-plan.js';
import { supervisorMachine } from './supervisor.js';
import type { OrchestratorInput, PlannedService, ShutdownReport } from './types.js';
import { planStartWaves } from './waves.js';

export type { OrchestratorInput, PlannedService };
export type { StartEvent } from './start-events.js';
export { serviceActorId, type CurrentStop, type ExitNotice, type OrchestratorContext, type OrchestratorEmitted, type OrchestratorEvent, type SignalStep } from './run-context.js';

/** Why a START did not bring everything up when a stop came first. */
const INTERRUPTED = 'a stop was asked for before every service was ready';
const failureText = (failure: StartFailure | null) => (failure ? `${failure.name}: ${failure.message}` : null);
/** What a group passes down to these services' machines. */
const tell = (context: OrchestratorContext, names: string[], event: ServiceEvent): ServiceGroupEvent => ({
  type: 'TELL_SERVICES',
  ids: names.map((name) => serviceActorId(context, name)),
  event,
});

export const orchestratorMachine = setup({
  types: {
    input: {} as OrchestratorInput,
    context: {} as OrchestratorContext,
    events: {} as OrchestratorEvent,
    output: {} as ShutdownReport | null,
    emitted: {} as OrchestratorEmitted,
  },
  actors: {
    serviceGroup: serviceGroupMachine,
    supervisor: supervisorMachine,
    startSequence: startSequenceMachine,
    stop: stopMachine,
    health: healthMachine,
  },
  actions: {
    // Spawns (or re-spawns, watching the new process) a service's machine.
    spawnServiceMachine: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'SERVICE_SPAWNED');
      const slot = slotOf(context, event.name);
      const service = context.services[slot];
      if (!service) return;
      const id = serviceActorId(context, event.name);
      enqueue.sendTo(groupId(slot), { type: 'SPAWN_SERVICE', id, systemId: event.name, input: serviceInput(service, event.pid, context.onFailure, slot) } satisfies ServiceGroupEvent);
      const outputs = context.outputs.slice();
      const reported = context.reported.slice();
      outputs[slot] = null;
      reported[slot] = false;
      enqueue.assign({ lives: withLife(context, slot, (life) => spawned(life, event.pid, new Date().toISOString())), outputs, reported });
    }),
    recordReady: assign(({ context, event }) => {
      assertEvent(event, 'SERVICE_READY');
      return { lives: withLife(context, slotOf(context, event.name), (life) => readied(life, event.checked)) };
    }),
    // A service with a `healthcheck:` is checked while it runs (one health chart at a time).
    watchHealth: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'SERVICE_READY');
      const input = healthInput(context, event.name);
      enqueue(stopChild(healthId(event.name)));
      if (!input) return;
      enqueue.spawnChild('health', { id: healthId(event.name), input });
      enqueue.assign({ lives: withLife(context, slotOf(context, event.name), checked) });
    }),
    // Its machine ended, or a stop covers it: no more checks.
    unwatchHealth: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'SERVICE_ENDED') enqueue(stopChild(healthId(event.output.name)));
      else for (const name of context.stop?.names ?? []) enqueue(stopChild(healthId(name)));
    }),
    recordUnhealthy: assign(({ context, event }) => {
      assertEvent(event, 'SERVICE_UNHEALTHY');
      return { lives: withLife(context, slotOf(context, event.name), (life) => unhealthy(life, event.failures, event.detail)) };
    }),
    recordHealthy: assign(({ context, event }) => {
      assertEvent(event, 'SERVICE_HEALTHY');
      return { lives: withLife(context, slotOf(context, event.name), healthy) };
    }),
    // Its health chart asked for a restart: a supervisor stops it (tiered) and starts it again.
    superviseUnhealthy: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'RESTART_UNHEALTHY');
      const slot = slotOf(context, event.name);
      enqueue.spawnChild('supervisor', {
        id: supervisorId(event.name),
        input: {
          name: event.name,
          restart: context.services[slot]?.restart ?? NO_RESTART,
          restartsSoFar: context.restarts[event.name]?.length ?? 0,
          exit: { exitCode: null, signal: null },
          cause: 'unhealthy',
          settleMs: settleMs(context),
        },
      });
      enqueue.assign({ restarting: [...context.restarting, event.name], lives: withLife(context, slot, (life) => restartingUnhealthy(life, event.detail)) });
    }),
    askToStop: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'STOP_UNHEALTHY');
      enqueue.sendTo(groupId(slotOf(context, event.name)), tell(context, [event.name], { type: 'SHUTDOWN', haltOnRefusal: false }));
    }),
    // A supervisor stopping an unhealthy service hears how its machine ended.
    tellSupervisor: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'SERVICE_ENDED');
      const { name, outcome, exitCode, signal } = event.output;
      if (context.restarting.includes(name)) enqueue.sendTo(supervisorId(name), { type: 'SERVICE_STOPPED', outcome, exitCode, signal });
    }),
    // `auto`: the service's own machine chooses from what the probe got.
    forwardProbe: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'SHUTDOWN_URL_PROBED');
      enqueue.sendTo(groupId(slotOf(context, event.name)), tell(context, [event.name], { type: 'SHUTDOWN_URL_PROBED', url: event.url, status: event.status }));
    }),
    // Supplied by src/: tells observers of a service that did not come up, or ended while nobody asked it to.
    announceStartFailure: (_, _params: { service: string; message: string }) => {},
    announceExit: (_, _params: ExitNotice) => {},
    announceBackoff: (_, _params: { service: string; backoffMs: number; restart: number }) => {},
    announceGiveUp: (_, _params: { service: string; restarts: number }) => {},
    announceUnhealthy: (_, _params: { service: string; failures: number; detail: string }) => {},
    announceHealthy: (_, _params: { service: string }) => {},
    recordEnd: assign(({ context, event }) => {
      assertEvent(event, 'SERVICE_ENDED');
      const { output, slot } = event;
      const outputs = context.outputs.slice();
      outputs[slot] = output;
      const ending = { outcome: output.outcome, bySelf: endedBySelf(output), exitCode: output.exitCode, signal: output.signal };
      return { outputs, lives: withLife(context, slot, (life) => ended(life, ending, new Date().toISOString())) };
    }),
    // The stop in progress hears of every end (it keeps those of its own services).
    tellStop: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'SERVICE_ENDED');
      if (context.stop) enqueue.sendTo('stop', event);
    }),
    forceStop: sendTo('stop', { type: 'FORCE' }),
    // The restart policy is the supervisor's to apply; one per service at a time.
    superviseExit: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'SERVICE_ENDED');
      const { name, exitCode, signal } = event.output;
      enqueue.spawnChild('supervisor', {
        id: supervisorId(name),
        input: {
          name,
          restart: context.services[event.slot]?.restart ?? NO_RESTART,
          restartsSoFar: context.restarts[name]?.length ?? 0,
          exit: { exitCode, signal },
          cause: 'exit',
          settleMs: settleMs(context),
        },
      });
      enqueue.assign({ restarting: [...context.restarting, name] });
    }),
    recordRestartScheduled: assign(({ context, event }) => {
      assertEvent(event, 'RESTART_SCHEDULED');
      return { lives: withLife(context, slotOf(context, event.name), restartScheduled) };
    }),
    recordRestart: assign(({ context, event }) => {
      assertEvent(event, 'SERVICE_RESTARTING');
      const { name, at, exitCode, signal, reason } = event;
      return { restarts: { ...context.restarts, [name]: [...(context.restarts[name] ?? []), { at, exitCode, signal, reason }] } };
    }),
    endSupervision: assign(({ context, event }) => {
      assertEvent(event, 'SUPERVISION_ENDED');
      const restarting = context.restarting.filter((name) => name !== event.name);
      if (event.outcome !== 'gaveUp') return { restarting };
      return { restarting, lives: withLife(context, slotOf(context, event.name), (life) => gaveUp(life, event.restarts)) };
    }),
    beginStop: assign(({ context, event }) => ({ stop: planStop(context, requestOf(event)) })),
    // A stop that ends a failed start must end: it escalates, whatever the run's policy.
    beginStartFailureStop: assign(({ context }, failure: StartFailure) => {
      const slot = slotOf(context, failure.name);
      if (tookPart(context, slot)) {
        return { stop: planStop(context, { services: null, restart: false, forced: false, requestIds: [], onFailure: 'escalate' }, failure) };
      }
      // Never spawned: it still has its line in the report.
      const outputs = context.outputs.slice();
      outputs[slot] = {
        name: failure.name,
        tier: context.services[slot]?.tier ?? '',
        outcome: 'failed',
        transitions: [{ to: 'failed', at: failure.originMs, reason: 'START_FAILED' }],
        exitCode: null,
        signal: null,
        detail: `failed to start: ${failure.message}`,
      };
      const lives = withLife(context, slot, (life) => ({ ...life, state: 'failed', note: `failed to start: ${failure.message}` }));
      const withGhost = { ...context, outputs };
      return { outputs, lives, stop: planStop(withGhost, { services: null, restart: false, forced: false, requestIds: [], onFailure: 'escalate' }, failure) };
    }),
    // A stop asked for mid-start ends the start: what was not spawned yet is not running.
    abandonStart: assign(({ context }) => ({
      lives: context.lives.map((life) => (life.state === 'starting' && life.startedAt === null ? notStarted(life) : life)),
    })),
    // A start asked for while another start or a stop is under way waits for the stack to run (docs/cli.md, `tierdown start`).
    queueStart: assign(({ context, event }) => ({ startQueue: [...context.startQueue, startRequestOf(event)] })),
    // What is missing of what this START (and every one that waited) covers starts now; the rest runs on.
    beginStart: assign(({ context, event }) => {
      const adding = planStart(context, event);
      const lives = context.lives.slice();
      for (const name of adding.names) lives[slotOf(context, name)] = queuedToStart(lives[slotOf(context, name)]);
      return { adding, lives, startQueue: [] };
    }),
    // A service this start could not spawn has no process: it is `failed`, and says why.
    recordAddedStartFailure: assign(({ context }, failure: StartFailure | null) => {
      if (!failure) return {};
      return { lives: withLife(context, slotOf(context, failure.name), (life) => (life.startedAt === null ? { ...life, state: 'failed', note: `failed to start: ${failure.message}` } : life)) };
    }),
    // One that did spawn but never became ready is stopped, tiered, with its dependents; the rest runs on.
    beginFailedStartStop: assign(({ context }, failure: StartFailure) => ({
      stop: planStop(context, { services: [failure.name], restart: false, forced: false, requestIds: [], onFailure: 'escalate' }, failure),
    })),
    answerStart: enqueueActions(({ context, enqueue }, params: { failure: string | null; interrupted?: boolean }) => {
      const names = context.adding?.names ?? [];
      const started = names.filter((name) => context.lives[slotOf(context, name)].ready);
      enqueue.emit({ type: 'START_ANSWERED', requestIds: context.adding?.requestIds ?? [], started, failure: params.failure, interrupted: params.interrupted ?? false });
      enqueue.assign({ adding: null });
    }),
    admitRequest: assign(({ context, event }) => {
      const request = requestOf(event);
      const stop = context.stop;
      if (!stop) return { stop: planStop(context, request) };
      const outstanding = coveredBy(context.services, request.services).filter((name) => {
        const slot = slotOf(context, name);
        return tookPart(context, slot) && !context.reported[slot] && !stop.names.includes(name);
      });
      const admitted = admit(stop, context.queue, request, outstanding);
      return admitted.kind === 'join' ? { stop: { ...stop, requestIds: [...stop.requestIds, ...request.requestIds] } } : { queue: admitted.queue };
    }),
    // A forced stop of everything still running goes first (one already waiting becomes it).
    queueForcedStop: assign(({ context }) => {
      const full = context.queue.find((queued) => !queued.restart && queued.services === null);
      const forced: StopRequest = { services: null, restart: false, forced: true, requestIds: full?.requestIds ?? [], onFailure: full?.onFailure };
      return { queue: [forced, ...context.queue.filter((queued) => queued !== full)] };
    }),
    beginQueuedStop: assign(({ context }) => {
      const [next, ...queue] = context.queue;
      return { stop: planStop(context, next), queue };
    }),
    markStopping: assign(({ context }) => {
      const lives = context.lives.slice();
      for (const name of context.stop?.names ?? []) lives[slotOf(context, name)] = stopping(lives[slotOf(context, name)]);
      return { lives };
    }),
    announceStop: emit(({ context }) => ({
      type: 'STOP_STARTED' as const,
      names: context.stop?.names ?? [],
      waves: context.stop?.waves ?? [],
      forced: context.stop?.forced ?? false,
      originMs: context.stop?.originMs ?? performance.now(),
    })),
    // A stop reaching a service in backoff cancels its restart.
    cancelRestarts: enqueueActions(({ context, enqueue }) => {
      for (const name of context.restarting) if (inStop(context, name)) enqueue.sendTo(supervisorId(name), { type: 'CANCEL' });
    }),
    askServices: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'ASK_SERVICES');
      const ask = event.event === 'FORCE' ? { type: 'FORCE' as const } : { type: 'SHUTDOWN' as const, haltOnRefusal: event.haltOnRefusal };
      // One event per group, not per service: a wave of 1000 is 32 sends.
      const byGroup = new Map<string, string[]>();
      for (const name of event.names) {
        const group = groupId(slotOf(context, name));
        const names = byGroup.get(group) ?? [];
        names.push(name);
        byGroup.set(group, names);
      }
      for (const [group, names] of byGroup) enqueue.sendTo(group, tell(context, names, ask));
    }),
    // A halted stop: each service that did not stop gets a fresh machine watching the same process.
    rewatch: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'STOP_HALTED');
      const lives = context.lives.slice();
      const outputs = context.outputs.slice();
      for (const name of event.rewatch) {
        const slot = slotOf(context, name);
        const id = serviceActorId(context, name);
        enqueue.sendTo(groupId(slot), { type: 'SPAWN_SERVICE', id, systemId: name, input: serviceInput(context.services[slot], lives[slot].pid, context.onFailure, slot) } satisfies ServiceGroupEvent);
        outputs[slot] = null;
        lives[slot] = resumed(lives[slot]);
        // Checked again while it runs on (its checks stopped with the stop).
        const input = lives[slot].ready ? healthInput(context, name) : undefined;
        if (input) enqueue.spawnChild('health', { id: healthId(name), input });
        if (input) lives[slot] = checked(lives[slot]);
      }
      enqueue.assign({ lives, outputs });
    }),
    finishStop: enqueueActions(({ context, enqueue }, report: ShutdownReport) => {
      const run = withEarlier(report, context.report);
      const reported = context.reported.slice();
      for (const name of context.stop?.names ?? []) {
        const slot = slotOf(context, name);
        if (context.outputs[slot]) reported[slot] = true;
      }
      enqueue.assign({ report: run, reported, stop: null });
      enqueue.emit({ type: 'REPORT', report: run, requestIds: context.stop?.requestIds ?? [] });
    }),
    // Every service ended by itself: the run's last report lists how, verified, counted from the first end.
    beginFinalStop: assign(({ context }) => {
      let firstEnd = Number.POSITIVE_INFINITY;
      context.outputs.forEach((output, slot) => {
        if (output && !context.reported[slot]) for (const { at } of output.transitions) firstEnd = Math.min(firstEnd, at);
      });
      const now = performance.now();
      const originMs = Number.isFinite(firstEnd) ? firstEnd : now;
      const stamp = { originMs, startedAt: new Date(Date.now() - (now - originMs)).toISOString() };
      return { stop: planStop(context, { services: null, restart: false, forced: false, requestIds: [] }, stamp) };
    }),
    announceStarted: emit({ type: 'STARTED' as const }),
    announceStartFailed: emit((_, failure: { name: string; message: string }) => ({ type: 'START_FAILED' as const, message: `${failure.name}: ${failure.message}` })),
    announceInterrupted: emit({ type: 'START_INTERRUPTED' as const }),
    answerSignal: emit(({ event }, step: SignalStep) => ({ type: 'SIGNAL_ANSWERED' as const, signal: event.type === 'SIGNAL' ? event.signal : '', step })),
    countSignal: assign({ signals: ({ context }) => context.signals + 1 }),
    // The stack runs again (after a rollback): the next Ctrl-C starts over at the bottom.
    resetSignals: assign({ signals: 0 }),
    announceDetached: emit({ type: 'DETACHED' as const }),
  },
  guards: {
    startFailed: (_, failure: StartFailure | null) => failure !== null,
    // The service a START could not bring up still runs (spawned, never ready): it has to be stopped.
    failedStartRuns: ({ context }, failure: StartFailure | null) =>
      failure !== null && tookPart(context, slotOf(context, failure.name)) && context.outputs[slotOf(context, failure.name)] === null,
    startQueued: ({ context }) => context.startQueue.length > 0,
    // During the first start, a service that exits before it is ready is a start failure, not a crash to restart.
    endedBeforeReady: ({ context, event }) => event.type === 'SERVICE_ENDED' && context.lives[event.slot].state === 'starting',
    // Ended by itself, outside any stop that covers it, and nobody is bringing it back yet.
    needsSupervision: ({ context, event }) =>
      event.type === 'SERVICE_ENDED' && endedBySelf(event.output) && !inStop(context, event.output.name) && !context.restarting.includes(event.output.name),
    endedBySelf: ({ event }) => event.type === 'SERVICE_ENDED' && endedBySelf(event.output),
    gaveUp: ({ event }) => event.type === 'SUPERVISION_ENDED' && event.outcome === 'gaveUp',
    // A passing check is news only after it was unhealthy.
    wasUnhealthy: ({ context, event }) => event.type === 'SERVICE_HEALTHY' && wasUnhealthy(context.lives[slotOf(context, event.name)]),
    // Its health chart asked, and nothing else has it: no stop covers it, no supervisor is bringing it back.
    mayRestartUnhealthy: ({ context, event }) =>
      event.type === 'RESTART_UNHEALTHY' && !inStop(context, event.name) && !context.restarting.includes(event.name),
    forcedRequest: ({ event }) => event.type === 'SHUTDOWN' && event.force === true,
    servicesLeft: ({ context }) => servicesLeft(context),
    runOver: ({ context }) => !servicesLeft(context),
    stopQueued: ({ context }) => context.queue.length > 0,
    forcedWithMachinesRunning: ({ context }, params: { forced: boolean }) =>
      params.forced && context.services.some((_, slot) => tookPart(context, slot) && context.outputs[slot] === null),
    firstSignal: ({ context }) => context.signals === 0,
    secondSignal: ({ context }) => context.signals === 1,
  },
}).createMachine({
  id: 'orchestrator',
  // The service machines' groups live as long as the run (machines/service-group.ts).
  context: ({ input, spawn }) => {
    for (const id of groupIds(input.services.length)) spawn('serviceGroup', { id });
    return {
      ...input,
      // `up SERVICE...`: the others are not started, and say so.
      lives: firstLives(input),
      outputs: input.services.map(() => null),
      reported: input.services.map(() => false),
      restarting: [],
      restarts: {},
      stop: null,
      queue: [],
      adding: null,
      startQueue: [],
      report: null,
      signals: 0,
      actorIds: Object.fromEntries(input.services.map((service, index) => [service.name, String(index)])),
    };
  },
  on: {
    SERVICE_SPAWNED: { actions: 'spawnServiceMachine' },
    SERVICE_READY: { actions: ['recordReady', 'watchHealth'] },
    SHUTDOWN_URL_PROBED: { actions: 'forwardProbe' },
    SERVICE_START_FAILED: { actions: { type: 'announceStartFailure', params: ({ event }) => ({ service: event.name, message: event.message }) } },
    SERVICE_ENDED: [
      {
        guard: 'needsSupervision',
        actions: ['recordEnd', 'unwatchHealth', { type: 'announceExit', params: ({ event }) => exitNotice(event.output) }, 'superviseExit'],
      },
      // Part of a stop (or being restarted), but it ended before it was asked: still news.
      { guard: 'endedBySelf', actions: ['recordEnd', 'unwatchHealth', { type: 'announceExit', params: ({ event }) => exitNotice(event.output) }, 'tellStop', 'tellSupervisor'] },
      { actions: ['recordEnd', 'unwatchHealth', 'tellStop', 'tellSupervisor'] },
    ],
    SERVICE_UNHEALTHY: {
      actions: ['recordUnhealthy', { type: 'announceUnhealthy', params: ({ event }) => ({ service: event.name, failures: event.failures, detail: event.detail }) }],
    },
    SERVICE_HEALTHY: [
      { guard: 'wasUnhealthy', actions: ['recordHealthy', { type: 'announceHealthy', params: ({ event }) => ({ service: event.name }) }] },
      { actions: 'recordHealthy' },
    ],
    RESTART_UNHEALTHY: { guard: 'mayRestartUnhealthy', actions: 'superviseUnhealthy' },
    STOP_UNHEALTHY: { actions: 'askToStop' },
    RESTART_SCHEDULED: {
      actions: ['recordRestartScheduled', { type: 'announceBackoff', params: ({ event }) => ({ service: event.name, backoffMs: event.backoffMs, restart: event.restart }) }],
    },
    SERVICE_RESTARTING: { actions: 'recordRestart' },
    SUPERVISION_ENDED: [
      { guard: 'gaveUp', actions: ['endSupervision', { type: 'announceGiveUp', params: ({ event }) => ({ service: event.name, restarts: event.restarts }) }] },
      { actions: 'endSupervision' },
    ],
    // While the stack starts or stops, a START waits its turn (`running` takes it).
    START: { actions: 'queueStart' },
  },
  initial: 'starting',
  states: {
    starting: {
      invoke: {
        id: 'start',
        src: 'startSequence',
        input: ({ context }) => ({ waves: planStartWaves(context.services, firstStart(context)), settleMs: settleMs(context) }),
        onDone: [
          {
            guard: { type: 'startFailed', params: ({ event }) => event.output.failure },
            target: 'stopping',
            actions: [
              { type: 'beginStartFailureStop', params: ({ event }) => event.output.failure ?? { name: '', message: '', originMs: 0, startedAt: '' } },
              'abandonStart',
              { type: 'announceStartFailed', params: ({ event }) => event.output.failure ?? { name: '', message: '' } },
            ],
          },
          { target: 'running', actions: 'announceStarted' },
        ],
      },
      on: {
        // One exit, one decision: a service that never was ready failed the start (docs/restart.md).
        SERVICE_ENDED: {
          guard: 'endedBeforeReady',
          target: 'stopping',
          actions: [
            'recordEnd',
            { type: 'announceExit', params: ({ event }) => exitNotice(event.output) },
            { type: 'announceStartFailure', params: ({ event }) => ({ service: event.output.name, message: exitedBeforeReady(event.output) }) },
            {
              type: 'beginStartFailureStop',
              params: ({ event }) => ({ name: event.output.name, message: exitedBeforeReady(event.output), originMs: performance.now(), startedAt: new Date().toISOString() }),
            },
            'abandonStart',
            { type: 'announceStartFailed', params: ({ event }) => ({ name: event.output.name, message: exitedBeforeReady(event.output) }) },
          ],
        },
        SHUTDOWN: { target: 'stopping', actions: ['beginStop', 'abandonStart', 'announceInterrupted'] },
        RESTART: { target: 'stopping', actions: ['beginStop', 'abandonStart', 'announceInterrupted'] },
        FORCE: { target: 'stopping', actions: ['beginStop', 'abandonStart', 'announceInterrupted'] },
        SIGNAL: {
          target: 'stopping',
          actions: ['beginStop', 'abandonStart', 'announceInterrupted', 'countSignal', { type: 'answerSignal', params: 'shutdown' }],
        },
        DETACH: 'detached',
      },
    },
    running: {
      entry: 'resetSignals',
      always: [
        // Starts asked for while it started or stopped: what is missing of them starts now.
        { guard: 'startQueued', target: 'adding', actions: 'beginStart' },
        // Every service ended by itself and none is coming back: the run is over.
        { guard: 'runOver', target: 'ended', actions: 'beginFinalStop' },
      ],
      on: {
        START: { target: 'adding', actions: 'beginStart' },
        SHUTDOWN: { target: 'stopping', actions: 'beginStop' },
        RESTART: { target: 'stopping', actions: 'beginStop' },
        FORCE: { target: 'stopping', actions: 'beginStop' },
        SIGNAL: { target: 'stopping', actions: ['beginStop', 'countSignal', { type: 'answerSignal', params: 'shutdown' }] },
        DETACH: 'detached',
      },
    },
    // A START on a running stack: what is missing starts in dependency order, with readiness; the rest runs on.
    adding: {
      invoke: {
        id: 'start',
        src: 'startSequence',
        input: ({ context }) => ({ waves: context.adding?.waves ?? [], settleMs: settleMs(context) }),
        onDone: [
          {
            guard: { type: 'failedStartRuns', params: ({ event }) => event.output.failure },
            target: 'stopping',
            actions: [
              { type: 'recordAddedStartFailure', params: ({ event }) => event.output.failure },
              'abandonStart',
              { type: 'answerStart', params: ({ event }) => ({ failure: failureText(event.output.failure) }) },
              { type: 'beginFailedStartStop', params: ({ event }) => event.output.failure ?? { name: '', message: '', originMs: 0, startedAt: '' } },
            ],
          },
          {
            target: 'running',
            actions: [
              { type: 'recordAddedStartFailure', params: ({ event }) => event.output.failure },
              'abandonStart',
              { type: 'answerStart', params: ({ event }) => ({ failure: failureText(event.output.failure) }) },
            ],
          },
        ],
      },
      on: {
        // Exited before it was ready: this start failed (the start sequence says so), no restart policy is asked.
        SERVICE_ENDED: {
          guard: 'endedBeforeReady',
          actions: [
            'recordEnd',
            { type: 'announceExit', params: ({ event }) => exitNotice(event.output) },
            { type: 'announceStartFailure', params: ({ event }) => ({ service: event.output.name, message: exitedBeforeReady(event.output) }) },
          ],
        },
        // A stop ends this start: what was not spawned yet stays down.
        SHUTDOWN: { target: 'stopping', actions: ['beginStop', 'abandonStart', { type: 'answerStart', params: { failure: INTERRUPTED, interrupted: true } }] },
        RESTART: { target: 'stopping', actions: ['beginStop', 'abandonStart', { type: 'answerStart', params: { failure: INTERRUPTED, interrupted: true } }] },
        FORCE: { target: 'stopping', actions: ['beginStop', 'abandonStart', { type: 'answerStart', params: { failure: INTERRUPTED, interrupted: true } }] },
        SIGNAL: {
          target: 'stopping',
          actions: ['beginStop', 'abandonStart', { type: 'answerStart', params: { failure: INTERRUPTED, interrupted: true } }, 'countSignal', { type: 'answerSignal', params: 'shutdown' }],
        },
        DETACH: 'detached',
      },
    },
    stopping: {
      entry: ['markStopping', 'unwatchHealth', 'announceStop', 'cancelRestarts'],
      invoke: {
        id: 'stop',
        src: 'stop',
        input: ({ context }) => stopInput(context),
        onDone: [
          // Forced while it verified or restored: everything still running is stopped next, forced.
          {
            guard: { type: 'forcedWithMachinesRunning', params: ({ event }) => ({ forced: event.output.forcedAfterAsking }) },
            target: 'stopping',
            reenter: true,
            actions: [{ type: 'finishStop', params: ({ event }) => event.output.report }, 'queueForcedStop', 'beginQueuedStop'],
          },
          { guard: 'stopQueued', target: 'stopping', reenter: true, actions: [{ type: 'finishStop', params: ({ event }) => event.output.report }, 'beginQueuedStop'] },
          { guard: 'servicesLeft', target: 'running', actions: { type: 'finishStop', params: ({ event }) => event.output.report } },
          { target: 'done', actions: { type: 'finishStop', params: ({ event }) => event.output.report } },
        ],
      },
      on: {
        SHUTDOWN: [{ guard: 'forcedRequest', actions: ['admitRequest', 'forceStop'] }, { actions: 'admitRequest' }],
        RESTART: { actions: 'admitRequest' },
        FORCE: { actions: 'forceStop' },
        SIGNAL: [
          { guard: 'firstSignal', actions: ['admitRequest', 'countSignal', { type: 'answerSignal', params: 'shutdown' }] },
          { guard: 'secondSignal', actions: ['forceStop', 'countSignal', { type: 'answerSignal', params: 'force' }] },
          { actions: { type: 'answerSignal', params: 'exit' } },
        ],
        ASK_SERVICES: { actions: 'askServices' },
        STOP_HALTED: { actions: 'rewatch' },
      },
    },
    // Nothing to ask: the stop only verifies what ended by itself, and reports.
    ended: {
      invoke: {
        id: 'stop',
        src: 'stop',
        input: ({ context }) => stopInput(context),
        onDone: { target: 'done', actions: { type: 'finishStop', params: ({ event }) => event.output.report } },
      },
    },
    // The services run on without tierdown: the engine hands them over.
    detached: { type: 'final', entry: 'announceDetached' },
    done: { type: 'final' },
  },
  output: ({ context }) => context.report,
});

