/**
 * The parent statechart (SPEC §4): starts services in dependency order, spawns
 * one service machine per service, stops them in reverse-dependency waves (a
 * service is asked the moment its last dependent is final), forwards FORCE,
 * rolls back on request, and ends each stop with the SPEC §7 report.
 * Starting processes and verifying them are named actors supplied by src/.
 */
import { assign, emit, enqueueActions, fromCallback, fromPromise, setup, stopChild } from 'xstate';
import { buildReport } from './report.js';
import { serviceMachine, type ServiceOutput } from './service.js';
import type { ShutdownReport, Step, Timeouts } from './types.js';
import { planStartWaves, planStopWaves, readyToStop, withDependents, type StopOrder } from './waves.js';

/** A service as the orchestrator plans it (no I/O details: those stay in src/). */
export interface PlannedService {
  name: string;
  tier: string;
  steps: Step[];
  signal: string;
  timeouts: Timeouts;
  /** True for a local process, false for a remote (url-only) service. */
  local: boolean;
  dependsOn: string[];
}

export interface OrchestratorInput {
  services: PlannedService[];
  onFailure: 'escalate' | 'rollback';
  order: StopOrder;
  /**
   * With a grace (`--grace`): ms from the start of a stop after which whatever
   * is left is forced, so the report is written before the outside SIGKILL.
   */
  forceAfterMs?: number;
}

/** Facts the `startWave` actor reports while it brings a wave up. */
export type StartEvent =
  | { type: 'SERVICE_SPAWNED'; name: string; pid: number | null }
  | { type: 'TIER_RESOLVED'; name: string; steps: Step[]; detail: string }
  | { type: 'WAVE_READY' }
  /** Carries the time of failure: the stop of what did start begins then. */
  | { type: 'START_FAILED'; name: string; message: string; originMs: number; startedAt: string };

export type OrchestratorEvent =
  | { type: 'SHUTDOWN'; services?: string[]; originMs: number; startedAt: string }
  | { type: 'FORCE'; originMs: number; startedAt: string }
  | StartEvent
  | { type: `xstate.done.actor.${string}`; output: ServiceOutput };

interface StopRun {
  names: string[];
  /** Outputs of this stop's services, kept even when rollback brings them back. */
  results: Record<string, ServiceOutput>;
  waves: string[][];
  asked: string[];
  originMs: number;
  startedAt: string;
  forced: boolean;
}

export interface OrchestratorContext extends OrchestratorInput {
  startWaves: string[][];
  startIndex: number;
  /** Every service that has a machine, with its main pid (null: remote). */
  pids: Record<string, number | null>;
  /** Final outputs of the machines that have ended; a running machine has none. */
  outputs: Record<string, ServiceOutput>;
  /** Services whose final output already went into a report. */
  reported: string[];
  verified: Record<string, boolean>;
  stop: StopRun | null;
  rollingBack: boolean;
  startError: string | null;
  report: ShutdownReport | null;
}

const isServiceOutput = (event: object): event is { output: ServiceOutput } => {
  const output = (event as { output?: unknown }).output;
  return typeof output === 'object' && output !== null && 'transitions' in output;
};

const finishedNames = (context: OrchestratorContext) => new Set(Object.keys(context.outputs));

// `on_failure: rollback`: a service of this stop ended failed, so the stop halts.
const haltsStop = (context: OrchestratorContext) =>
  context.onFailure === 'rollback' && Object.values(context.stop?.results ?? {}).some((output) => output.outcome === 'failed');

export const orchestratorMachine = setup({
  types: {
    input: {} as OrchestratorInput,
    context: {} as OrchestratorContext,
    events: {} as OrchestratorEvent,
    output: {} as ShutdownReport | null,
    emitted: {} as
      | { type: 'REPORT'; report: ShutdownReport }
      | { type: 'STOP_STARTED'; names: string[]; waves: string[][]; forced: boolean },
  },
  actors: {
    service: serviceMachine,
    // Spawns the processes of one start wave and waits for their readiness.
    startWave: fromCallback<StartEvent, { names: string[] }>(({ sendBack }) => sendBack({ type: 'WAVE_READY' })),
    // Checks that stopped services left nothing behind (pid, group, port).
    verifyServices: fromPromise<Record<string, boolean>, { names: string[] }>(async ({ input }) =>
      Object.fromEntries(input.names.map((name) => [name, false])),
    ),
  },
  actions: {
    spawnServiceMachine: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'SERVICE_SPAWNED') return;
      const planned = context.services.find((service) => service.name === event.name);
      if (!planned) return;
      enqueue(stopChild(event.name));
      enqueue.spawnChild('service', {
        id: event.name,
        input: {
          name: planned.name,
          tier: planned.tier,
          steps: planned.steps,
          signal: planned.signal,
          timeouts: planned.timeouts,
          pid: event.pid,
          haltOnRefusal: context.onFailure === 'rollback',
        },
      });
      const { [event.name]: _previous, ...outputs } = context.outputs;
      enqueue.assign({
        pids: { ...context.pids, [event.name]: event.pid },
        outputs,
        reported: context.reported.filter((name) => name !== event.name),
      });
    }),
    forwardTierResolution: enqueueActions(({ event, enqueue }) => {
      if (event.type === 'TIER_RESOLVED') enqueue.sendTo(event.name, { type: 'TIER_RESOLVED', steps: event.steps, detail: event.detail });
    }),
    advanceStartWave: assign({ startIndex: ({ context }) => context.startIndex + 1 }),
    recordStartError: assign({
      startError: ({ event }) => (event.type === 'START_FAILED' ? `${event.name}: ${event.message}` : 'start failed'),
    }),
    recordOutput: assign(({ context, event }) => {
      if (!isServiceOutput(event)) return {};
      const { name } = event.output;
      // The stop reports how each service ended in it; a machine started again by a
      // rollback (whose restart may fail) must not overwrite that.
      const stop = context.stop && context.stop.names.includes(name) && !(name in context.stop.results)
        ? { ...context.stop, results: { ...context.stop.results, [name]: event.output } }
        : context.stop;
      return { outputs: { ...context.outputs, [name]: event.output }, stop };
    }),
    beginStop: assign(({ context, event }) => {
      const stopAll = event.type !== 'SHUTDOWN' || !event.services?.length;
      // SHUTDOWN, FORCE and START_FAILED all carry the moment the stop begins.
      const candidates = stopAll
        ? context.services.map((service) => service.name)
        : withDependents(context.services, event.services ?? []);
      // Only what has a machine (running, or already ended by itself) takes part.
      const names = candidates.filter((name) => name in context.pids && !context.reported.includes(name));
      const results = Object.fromEntries(names.flatMap((name) => (context.outputs[name] ? [[name, context.outputs[name]]] : [])));
      const origin = event as { originMs: number; startedAt: string };
      return {
        stop: {
          names,
          results,
          waves: planStopWaves(context.services, names, context.order),
          asked: [],
          originMs: origin.originMs,
          startedAt: origin.startedAt,
          forced: event.type === 'FORCE',
        },
        verified: {},
        report: null,
      };
    }),
    announceStop: emit(({ context }) => ({
      type: 'STOP_STARTED' as const,
      names: context.stop?.names ?? [],
      waves: context.stop?.waves ?? [],
      forced: context.stop?.forced ?? false,
    })),
    askReadyServices: enqueueActions(({ context, enqueue }) => {
      const stop = context.stop;
      // A halting failure asks nobody else: its dependencies were never stopped and must stay up.
      if (!stop || haltsStop(context)) return;
      const finished = finishedNames(context);
      const ready = stop.forced
        ? stop.names.filter((name) => !stop.asked.includes(name))
        : readyToStop(context.services, stop.names, context.order, new Set(stop.asked), finished);
      for (const name of ready) {
        if (finished.has(name)) continue;
        // A forced stop skips the tier's gentle steps: FORCE takes idle to forceKill.
        enqueue.sendTo(name, { type: stop.forced ? 'FORCE' : 'SHUTDOWN' });
      }
      if (ready.length) enqueue.assign({ stop: { ...stop, asked: [...stop.asked, ...ready] } });
    }),
    forceAll: enqueueActions(({ context, enqueue }) => {
      const stop = context.stop;
      if (!stop) return;
      const finished = finishedNames(context);
      for (const name of stop.asked) if (!finished.has(name)) enqueue.sendTo(name, { type: 'FORCE' });
      enqueue.assign({ stop: { ...stop, forced: true } });
    }),
    recordVerified: assign({ verified: ({ event }) => (event as unknown as { output: Record<string, boolean> }).output }),
    // Rollback: halt every machine still escalating, keep watching what still runs,
    // and bring back what was stopped, in dependency order.
    planRollback: enqueueActions(({ context, enqueue }) => {
      const stop = context.stop;
      if (!stop) return;
      for (const name of stop.names) if (!context.outputs[name]) enqueue(stopChild(name));
      const restart = stop.names.filter((name) => context.outputs[name]?.outcome === 'stopped');
      enqueue.assign({
        rollingBack: true,
        startWaves: planStartWaves(context.services, restart),
        startIndex: 0,
      });
    }),
    respawnHaltedMachines: enqueueActions(({ context, enqueue }) => {
      const stop = context.stop;
      if (!stop) return;
      for (const name of stop.names) {
        if (context.outputs[name]?.outcome === 'stopped') continue;
        enqueue.raise({ type: 'SERVICE_SPAWNED', name, pid: context.pids[name] ?? null });
      }
    }),
    finishStopRun: enqueueActions(({ context, enqueue }) => {
      const stop = context.stop;
      if (!stop) return;
      const report = buildReport({
        waves: stop.waves,
        outputs: stop.results,
        verified: context.verified,
        originMs: stop.originMs,
        startedAt: stop.startedAt,
        endedMs: performance.now(),
        rolledBack: context.rollingBack,
      });
      enqueue.assign({
        report,
        stop: null,
        rollingBack: false,
        reported: [...context.reported, ...stop.names.filter((name) => context.outputs[name])],
      });
      enqueue(emit({ type: 'REPORT' as const, report }));
    }),
  },
  guards: {
    moreToStart: ({ context }) => context.startIndex + 1 < context.startWaves.length,
    nothingToStart: ({ context }) => context.startWaves.length === 0,
    isServiceDone: ({ event }) => isServiceOutput(event),
    haltRequired: ({ context }) => haltsStop(context),
    allFinished: ({ context }) => (context.stop?.names ?? []).every((name) => name in (context.stop?.results ?? {})),
    servicesLeft: ({ context }) => Object.keys(context.pids).some((name) => !context.outputs[name]),
    isRollingBack: ({ context }) => context.rollingBack,
    hasGrace: ({ context }) => context.forceAfterMs !== undefined,
  },
  delays: {
    graceTimeout: ({ context }) => context.forceAfterMs ?? 0,
  },
}).createMachine({
  id: 'orchestrator',
  context: ({ input }) => ({
    ...input,
    startWaves: planStartWaves(input.services),
    startIndex: 0,
    pids: {},
    outputs: {},
    reported: [],
    verified: {},
    stop: null,
    rollingBack: false,
    startError: null,
    report: null,
  }),
  on: {
    SERVICE_SPAWNED: { actions: 'spawnServiceMachine' },
    TIER_RESOLVED: { actions: 'forwardTierResolution' },
    'xstate.done.actor.*': { guard: 'isServiceDone', actions: 'recordOutput' },
  },
  initial: 'starting',
  states: {
    starting: {
      initial: 'wave',
      states: {
        wave: {
          invoke: {
            src: 'startWave',
            input: ({ context }) => ({ names: context.startWaves[context.startIndex] }),
          },
          on: {
            WAVE_READY: [
              { guard: 'moreToStart', target: 'wave', reenter: true, actions: 'advanceStartWave' },
              { guard: 'isRollingBack', target: '#orchestrator.stopping.reporting' },
              { target: '#orchestrator.running' },
            ],
            START_FAILED: [
              { guard: 'isRollingBack', target: '#orchestrator.stopping.reporting', actions: 'recordStartError' },
              { target: '#orchestrator.stopping', actions: ['recordStartError', 'beginStop'] },
            ],
          },
        },
      },
      on: {
        SHUTDOWN: { target: 'stopping', actions: 'beginStop' },
        FORCE: { target: 'stopping', actions: 'beginStop' },
      },
    },
    running: {
      on: {
        SHUTDOWN: { target: 'stopping', actions: 'beginStop' },
        FORCE: { target: 'stopping', actions: 'beginStop' },
      },
    },
    stopping: {
      initial: 'escalating',
      states: {
        escalating: {
          entry: ['announceStop', 'askReadyServices'],
          always: [
            { guard: 'haltRequired', target: 'rollingBack' },
            { guard: 'allFinished', target: 'verifying' },
          ],
          on: {
            'xstate.done.actor.*': { guard: 'isServiceDone', actions: ['recordOutput', 'askReadyServices'] },
            FORCE: { actions: ['forceAll', 'askReadyServices'] },
          },
          // The grace's end, less its margin: force what is left, as a second Ctrl-C would.
          after: { graceTimeout: { guard: 'hasGrace', actions: ['forceAll', 'askReadyServices'] } },
        },
        verifying: {
          invoke: {
            src: 'verifyServices',
            input: ({ context }) => ({
              names: (context.stop?.names ?? []).filter((name) => context.outputs[name]?.outcome === 'stopped'),
            }),
            onDone: { target: 'reporting', actions: 'recordVerified' },
            onError: 'reporting',
          },
        },
        rollingBack: {
          entry: ['planRollback', 'respawnHaltedMachines'],
          always: [
            { guard: 'nothingToStart', target: 'reporting' },
            { target: '#orchestrator.starting' },
          ],
        },
        reporting: {
          entry: 'finishStopRun',
          always: [{ guard: 'servicesLeft', target: '#orchestrator.running' }, { target: '#orchestrator.done' }],
        },
      },
    },
    done: { type: 'final' },
  },
  output: ({ context }) => context.report,
});
