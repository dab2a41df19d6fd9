/**
 * The parent statechart: the whole run of a stack (docs/restart.md). It starts
 * services in dependency order, spawns one service machine per service, answers
 * a service that ends by itself (an `exited` notice, then a supervisor machine
 * applying its restart policy), stops services in reverse-dependency waves (a
 * service is asked the moment its last dependent is final), queues stop
 * requests that arrive during a stop, restores a refused stop (`restoring`),
 * restarts services on request (`restarting`), and ends — `done` — when nothing
 * is left running. Each stop ends with a report; the run's output is the last
 * one, with every earlier stop in `earlier`.
 * Starting processes and verifying them are named actors supplied by src/.
 */
import { assign, emit, enqueueActions, fromCallback, fromPromise, setup, stopChild } from 'xstate';
import { isCrash } from './exits.js';
import { buildReport, methodOf } from './report.js';
import { serviceInput } from './service-input.js';
import { serviceMachine, type ServiceOutput } from './service.js';
import type { StartEvent } from './start-events.js';
import { supervisorMachine, type SupervisorOutput, type SupervisorReport } from './supervisor.js';
import type { RestartPolicy, RestartRecord, ShutdownReport, Step, Timeouts, VerificationMethod } from './types.js';
import { planStartWaves, planStopWaves, readyToStop, withDependents, type StopOrder } from './waves.js';

export type { StartEvent };

/** A service as the orchestrator plans it (no I/O details: those stay in src/). */
export interface PlannedService {
  name: string;
  tier: string;
  /** The steps it really takes (`effectiveSteps`). */
  steps: Step[];
  signal: string;
  timeouts: Timeouts;
  /** True for a local process, false for a remote (url-only) service. */
  local: boolean;
  dependsOn: string[];
  /** What to do when it ends by itself; absent: never restart. */
  restart?: RestartPolicy;
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
  /** How the engine can verify each service's stop (cgroups where it can). */
  verification?: Record<string, VerificationMethod>;
}

/** When a stop was asked for; `requestId` lets a caller find its report. */
export interface Stamp {
  originMs: number;
  startedAt: string;
  requestId?: number;
}

export type OrchestratorEvent =
  /** Stop all services, or `services` and their dependents. */
  | ({ type: 'SHUTDOWN'; services?: string[] } & Stamp)
  /** Stop `services` and their dependents, then start them again in dependency order. */
  | ({ type: 'RESTART'; services: string[] } & Stamp)
  | { type: 'FORCE'; originMs: number; startedAt: string }
  | StartEvent
  | SupervisorReport
  | { type: `xstate.done.actor.${string}`; output: ServiceOutput | SupervisorOutput };

type StopRequest = Extract<OrchestratorEvent, { type: 'SHUTDOWN' | 'RESTART' | 'FORCE' }>;

interface StopRun {
  names: string[];
  /** Outputs of this stop's services, kept even when rollback brings them back. */
  results: Record<string, ServiceOutput>;
  waves: string[][];
  asked: string[];
  originMs: number;
  startedAt: string;
  forced: boolean;
  /** Requests this stop answers (its own, and any that joined it). */
  requestIds: number[];
  /** `RESTART`: start the services it covers again before reporting. */
  thenStart: boolean;
  /** Every service the request covered, running or not (what a restart brings up). */
  covered: string[];
  /** It was refused and restored (`on_failure: rollback`). */
  rolledBack: boolean;
}

/** A stop asked for while another ran: taken up when that one has reported. */
interface QueuedStop {
  /** null: every service. */
  services: string[] | null;
  restart: boolean;
  /** Forced from the start: a FORCE came while the stop before it was restoring. */
  forced: boolean;
  requestIds: number[];
}

export interface OrchestratorContext extends OrchestratorInput {
  startWaves: string[][];
  startIndex: number;
  /** Every service that has (or had) a machine, with its main pid (null: remote or never started). */
  pids: Record<string, number | null>;
  /** Final outputs of the machines that have ended; a running machine has none. */
  outputs: Record<string, ServiceOutput>;
  /** Services whose final output already went into a report. */
  reported: string[];
  verified: Record<string, boolean>;
  stop: StopRun | null;
  queue: QueuedStop[];
  /** Services a supervisor is bringing back (backoff or restarting). */
  restarting: string[];
  /** Per service, the exits this run answered with a restart. */
  restarts: Record<string, RestartRecord[]>;
  startError: string | null;
  /** The last stop's report, with every earlier one in `earlier`. */
  report: ShutdownReport | null;
  /** Each service machine's actor id (`serviceActorId`). */
  actorIds: Record<string, string>;
}

/** What observers are told when a service ends while nobody asked it to. */
export interface ExitNotice {
  service: string;
  exitCode: number | null;
  signal: string | null;
  crashed: boolean;
}

const DONE_PREFIX = 'xstate.done.actor.';
/** Supervisor ids: `:` is not allowed in service names, so they never clash. */
export const SUPERVISOR_PREFIX = 'supervise:';
const NO_RESTART: RestartPolicy = { policy: 'no', maxRestarts: 0, backoffMs: 0 };

type Context = OrchestratorContext;

/**
 * A service machine's actor id is its place in the plan ("0", "1", …), not its
 * name (which stays its systemId and its context's `name`). XState copies the
 * parent's `children` object once for each child it stops, and all of them are
 * stopped when the run ends; V8 copies an object keyed by array indices about
 * 50× faster than one keyed by names: the end of a 1000-service run took 2–3 s
 * of copying by name, ~30 ms by index (200: ~80 ms → ~3 ms).
 */
export function serviceActorId(context: Pick<Context, 'actorIds'>, name: string): string {
  return context.actorIds[name] ?? name;
}

function actorIdsOf(services: PlannedService[]): Record<string, string> {
  return Object.fromEntries(services.map((service, index) => [service.name, String(index)]));
}

/** The service whose machine has actor id `id`, if it is one. */
export function serviceOfActor(context: Pick<Context, 'services'>, id: string): PlannedService | undefined {
  return /^\d+$/.test(id) ? context.services[Number(id)] : undefined;
}

/** The output of a finished service machine, recognised by its id (a service's name). */
function finishedService(context: Context, event: OrchestratorEvent): ServiceOutput | undefined {
  if (!event.type.startsWith(DONE_PREFIX) || !('output' in event)) return undefined;
  if (!serviceOfActor(context, event.type.slice(DONE_PREFIX.length))) return undefined;
  return 'transitions' in event.output ? event.output : undefined;
}

/** The output of a finished supervisor, recognised by its id. */
function finishedSupervisor(event: OrchestratorEvent): SupervisorOutput | undefined {
  if (!event.type.startsWith(DONE_PREFIX + SUPERVISOR_PREFIX) || !('output' in event)) return undefined;
  return 'outcome' in event.output && !('transitions' in event.output) ? event.output : undefined;
}

const finishedNames = (context: Context) => new Set(Object.keys(context.outputs));
const planned = (context: Context, name: string) => context.services.find((service) => service.name === name);

// `on_failure: rollback`: a service of this stop ended failed, so the stop halts.
const haltsStop = (context: Context) =>
  context.onFailure === 'rollback' && Object.values(context.stop?.results ?? {}).some((output) => output.outcome === 'failed');

// A service is still there when its machine runs or a supervisor is bringing it back.
const servicesLeft = (context: Context) =>
  context.restarting.length > 0 || Object.keys(context.pids).some((name) => !context.outputs[name]);

/** Which services a request covers: all, or the named ones and their dependents. */
function requested(context: Context, services: string[] | null | undefined): string[] {
  return services?.length ? withDependents(context.services, services) : context.services.map((service) => service.name);
}

function stampOf(event: StopRequest | Extract<StartEvent, { type: 'START_FAILED' }>): { originMs: number; startedAt: string } {
  return { originMs: event.originMs, startedAt: event.startedAt };
}

function newStop(context: Context, request: { services: string[] | null; restart: boolean; forced: boolean; requestIds: number[] }, stamp: { originMs: number; startedAt: string }) {
  const covered = requested(context, request.services);
  // Only what has a machine (running, or already ended by itself) takes part.
  const names = covered.filter((name) => name in context.pids && !context.reported.includes(name));
  const results = Object.fromEntries(names.flatMap((name) => (context.outputs[name] ? [[name, context.outputs[name]]] : [])));
  const stop: StopRun = {
    names,
    results,
    waves: planStopWaves(context.services, names, context.order),
    asked: [],
    ...stamp,
    forced: request.forced,
    requestIds: request.requestIds,
    thenStart: request.restart,
    covered,
    rolledBack: false,
  };
  return { stop, verified: {} };
}

/** A run's report: this stop on top, the stops before it in `earlier` (each without its own `earlier`). */
function withEarlier(report: ShutdownReport, previous: ShutdownReport | null): ShutdownReport {
  if (!previous) return report;
  const { earlier = [], ...last } = previous;
  return { ...report, earlier: [...earlier, last] };
}

export const orchestratorMachine = setup({
  types: {
    input: {} as OrchestratorInput,
    context: {} as OrchestratorContext,
    events: {} as OrchestratorEvent,
    output: {} as ShutdownReport | null,
    emitted: {} as
      | { type: 'REPORT'; report: ShutdownReport; requestIds: number[] }
      | { type: 'STOP_STARTED'; names: string[]; waves: string[][]; forced: boolean },
  },
  actors: {
    service: serviceMachine,
    supervisor: supervisorMachine,
    // Spawns the processes of one start wave and waits for their readiness.
    startWave: fromCallback<StartEvent, { names: string[] }>(({ sendBack }) => sendBack({ type: 'WAVE_READY' })),
    // Checks that stopped services left nothing behind (pid, group, port).
    verifyServices: fromPromise<Record<string, boolean>, { names: string[] }>(async ({ input }) =>
      Object.fromEntries(input.names.map((name) => [name, false])),
    ),
  },
  actions: {
    // Spawns (or re-spawns, watching the same process) a service's machine.
    spawnServiceMachine: enqueueActions(({ context, enqueue }, params: { name: string; pid: number | null }) => {
      const service = planned(context, params.name);
      if (!service) return;
      const id = serviceActorId(context, params.name);
      enqueue(stopChild(id));
      enqueue.spawnChild('service', { id, systemId: params.name, input: serviceInput(service, params.pid, context.onFailure) });
      const { [params.name]: _previous, ...outputs } = context.outputs;
      enqueue.assign({
        pids: { ...context.pids, [params.name]: params.pid },
        outputs,
        reported: context.reported.filter((name) => name !== params.name),
      });
    }),
    forwardTierResolution: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'TIER_RESOLVED') enqueue.sendTo(serviceActorId(context, event.name), { type: 'TIER_RESOLVED', steps: event.steps, detail: event.detail });
    }),
    advanceStartWave: assign({ startIndex: ({ context }) => context.startIndex + 1 }),
    // A service that never got a machine (its spawn failed) still has its line in the report.
    recordStartFailure: assign(({ context }, params: { name: string; message: string }) => {
      const startError = `${params.name}: ${params.message}`;
      if (params.name in context.pids) return { startError };
      const service = planned(context, params.name);
      const output: ServiceOutput = {
        name: params.name,
        tier: service?.tier ?? '',
        outcome: 'failed',
        transitions: [{ to: 'failed', at: performance.now(), reason: 'START_FAILED' }],
        exitCode: null,
        signal: null,
        detail: `failed to start: ${params.message}`,
      };
      return { startError, pids: { ...context.pids, [params.name]: null }, outputs: { ...context.outputs, [params.name]: output } };
    }),
    recordOutput: assign(({ context }, params: { output: ServiceOutput }) => {
      const { name } = params.output;
      // The stop reports how each service ended in it; a machine started again by a
      // rollback (whose restart may fail) must not overwrite that.
      const stop = context.stop && context.stop.names.includes(name) && !(name in context.stop.results)
        ? { ...context.stop, results: { ...context.stop.results, [name]: params.output } }
        : context.stop;
      return { outputs: { ...context.outputs, [name]: params.output }, stop };
    }),
    // Supplied by src/: tells observers a service ended while nobody asked it to.
    announceExit: (_, _params: ExitNotice) => {},
    // The restart policy is the supervisor's to apply; one per service at a time.
    superviseExit: enqueueActions(({ context, enqueue }, params: { output: ServiceOutput }) => {
      const { name, exitCode, signal } = params.output;
      enqueue.spawnChild('supervisor', {
        id: `${SUPERVISOR_PREFIX}${name}`,
        input: {
          name,
          restart: planned(context, name)?.restart ?? NO_RESTART,
          restartsSoFar: context.restarts[name]?.length ?? 0,
          exit: { exitCode, signal },
        },
      });
      enqueue.assign({ restarting: [...context.restarting, name] });
    }),
    recordRestart: assign(({ context, event }) => {
      if (event.type !== 'SERVICE_RESTARTING') return {};
      const { name, at, exitCode, signal } = event;
      return { restarts: { ...context.restarts, [name]: [...(context.restarts[name] ?? []), { at, exitCode, signal }] } };
    }),
    endSupervision: assign(({ context }, params: { output: SupervisorOutput }) => ({
      restarting: context.restarting.filter((name) => name !== params.output.name),
    })),
    // SHUTDOWN, RESTART, FORCE and START_FAILED all carry the moment the stop begins.
    beginStop: assign(({ context, event }) => {
      if (event.type !== 'SHUTDOWN' && event.type !== 'RESTART' && event.type !== 'FORCE' && event.type !== 'START_FAILED') return {};
      const services = event.type === 'SHUTDOWN' || event.type === 'RESTART' ? (event.services ?? null) : null;
      const requestIds = event.type !== 'FORCE' && event.type !== 'START_FAILED' && event.requestId !== undefined ? [event.requestId] : [];
      return newStop(context, { services, restart: event.type === 'RESTART', forced: event.type === 'FORCE', requestIds }, stampOf(event));
    }),
    // A request during a stop joins it when the stop already covers it; otherwise it waits its turn.
    queueStop: assign(({ context, event }) => {
      if (event.type !== 'SHUTDOWN' && event.type !== 'RESTART') return {};
      const stop = context.stop;
      const ids = event.requestId === undefined ? [] : [event.requestId];
      const restart = event.type === 'RESTART';
      const services = event.services?.length ? event.services : null;
      const outstanding = requested(context, services).filter(
        (name) => name in context.pids && !context.reported.includes(name) && !stop?.names.includes(name),
      );
      if (stop && !restart && !stop.thenStart && outstanding.length === 0) {
        return { stop: { ...stop, requestIds: [...stop.requestIds, ...ids] } };
      }
      // A full stop already waiting covers any other plain stop: it runs once.
      const full = context.queue.findIndex((queued) => !queued.restart && queued.services === null);
      if (!restart && full >= 0) {
        const queue = [...context.queue];
        queue[full] = { ...queue[full], requestIds: [...queue[full].requestIds, ...ids] };
        return { queue };
      }
      return { queue: [...context.queue, { services, restart, forced: false, requestIds: ids }] };
    }),
    // FORCE while a stop restores: everything still running is stopped next, forced.
    queueForcedStop: assign(({ context }) => {
      const full = context.queue.findIndex((queued) => !queued.restart && queued.services === null);
      const queue = [...context.queue];
      if (full >= 0) queue[full] = { ...queue[full], forced: true };
      else queue.push({ services: null, restart: false, forced: true, requestIds: [] });
      return { queue };
    }),
    beginQueuedStop: assign(({ context }) => {
      const [next, ...queue] = context.queue;
      const stamp = { originMs: performance.now(), startedAt: new Date().toISOString() };
      return { ...newStop(context, next, stamp), queue };
    }),
    announceStop: emit(({ context }) => ({
      type: 'STOP_STARTED' as const,
      names: context.stop?.names ?? [],
      waves: context.stop?.waves ?? [],
      forced: context.stop?.forced ?? false,
    })),
    // A stop reaching a service in backoff cancels its restart.
    cancelRestarts: enqueueActions(({ context, enqueue }) => {
      for (const name of context.restarting) {
        if (context.stop?.names.includes(name)) enqueue.sendTo(`${SUPERVISOR_PREFIX}${name}`, { type: 'CANCEL' });
      }
    }),
    askReadyServices: enqueueActions(({ context, enqueue }) => {
      const stop = context.stop;
      // A halting failure asks nobody else: its dependencies were never stopped and must stay up.
      if (!stop || haltsStop(context)) return;
      // Everyone asked (independent services: all at once): nothing to plan on each of N exits.
      if (stop.asked.length >= stop.names.length) return;
      const finished = finishedNames(context);
      const ready = stop.forced
        ? stop.names.filter((name) => !stop.asked.includes(name))
        : readyToStop(context.services, stop.names, context.order, new Set(stop.asked), finished);
      for (const name of ready) {
        if (finished.has(name)) continue;
        // A forced stop skips the tier's gentle steps: FORCE takes idle to forceKill.
        enqueue.sendTo(serviceActorId(context, name), { type: stop.forced ? 'FORCE' : 'SHUTDOWN' });
      }
      if (ready.length) enqueue.assign({ stop: { ...stop, asked: [...stop.asked, ...ready] } });
    }),
    forceAll: enqueueActions(({ context, enqueue }) => {
      const stop = context.stop;
      if (!stop) return;
      const finished = finishedNames(context);
      for (const name of stop.asked) if (!finished.has(name)) enqueue.sendTo(serviceActorId(context, name), { type: 'FORCE' });
      enqueue.assign({ stop: { ...stop, forced: true } });
    }),
    // Rollback: halt every machine still escalating and watch its process afresh
    // (as the failed one's), and plan to start again what this stop did stop.
    planRollback: enqueueActions(({ context, enqueue }) => {
      const stop = context.stop;
      if (!stop) return;
      const outputs = { ...context.outputs };
      for (const name of stop.names) {
        const output = context.outputs[name];
        const service = planned(context, name);
        if ((output && output.outcome === 'stopped') || !service) continue;
        // A fresh machine watches the same process: nothing was spawned, so no SERVICE_SPAWNED.
        const id = serviceActorId(context, name);
        enqueue(stopChild(id));
        enqueue.spawnChild('service', { id, systemId: name, input: serviceInput(service, context.pids[name] ?? null, context.onFailure) });
        delete outputs[name];
      }
      const again = stop.names.filter((name) => {
        const output = context.outputs[name];
        return output?.outcome === 'stopped' && methodOf(output.transitions) !== 'self';
      });
      enqueue.assign({ outputs, startWaves: planStartWaves(context.services, again), startIndex: 0, stop: { ...stop, rolledBack: true } });
    }),
    // `restart`: what it covers starts again, in dependency order — unless it is
    // still running, or failed to stop (still alive).
    planRestart: assign(({ context }) => ({
      startWaves: planStartWaves(
        context.services,
        (context.stop?.covered ?? []).filter((name) => context.outputs[name] ? context.outputs[name].outcome !== 'failed' : !(name in context.pids)),
      ),
      startIndex: 0,
    })),
    finishStopRun: enqueueActions(({ context, enqueue }) => {
      const stop = context.stop;
      if (!stop) return;
      const report = buildReport({
        waves: stop.waves,
        outputs: stop.results,
        verified: context.verified,
        verification: context.verification,
        originMs: stop.originMs,
        startedAt: stop.startedAt,
        endedMs: performance.now(),
        rolledBack: stop.rolledBack,
        restarts: context.restarts,
      });
      const run = withEarlier(report, context.report);
      enqueue.assign({
        report: run,
        stop: null,
        reported: [...context.reported, ...stop.names.filter((name) => context.outputs[name])],
      });
      enqueue(emit({ type: 'REPORT' as const, report: run, requestIds: stop.requestIds }));
    }),
    // Every service ended by itself: the run's last report lists how.
    finishRun: enqueueActions(({ context, enqueue }) => {
      const names = Object.keys(context.outputs).filter((name) => !context.reported.includes(name));
      const endedAt = names.flatMap((name) => context.outputs[name].transitions.map((transition) => transition.at));
      const originMs = endedAt.length ? endedAt.reduce((first, at) => Math.min(first, at)) : performance.now();
      const now = performance.now();
      const report = buildReport({
        waves: planStopWaves(context.services, names, context.order),
        outputs: context.outputs,
        verified: {},
        originMs,
        startedAt: new Date(Date.now() - (now - originMs)).toISOString(),
        endedMs: now,
        rolledBack: false,
        restarts: context.restarts,
      });
      const run = withEarlier(report, context.report);
      enqueue.assign({ report: run, reported: [...context.reported, ...names] });
      enqueue(emit({ type: 'REPORT' as const, report: run, requestIds: [] }));
    }),
  },
  guards: {
    moreToStart: ({ context }) => context.startIndex + 1 < context.startWaves.length,
    nothingToStart: ({ context }) => context.startWaves.length === 0,
    haltRequired: ({ context }) => haltsStop(context),
    // The count first: it is false on every exit but the last, without a lookup per service.
    allFinished: ({ context }) => {
      const { names = [], results = {} } = context.stop ?? {};
      return Object.keys(results).length >= names.length && names.every((name) => name in results);
    },
    servicesLeft: ({ context }) => servicesLeft(context),
    machinesRunning: ({ context }) => Object.keys(context.pids).some((name) => !context.outputs[name]),
    runOver: ({ context }) => !servicesLeft(context),
    stopQueued: ({ context }) => context.queue.length > 0,
    startsAgain: ({ context }) => context.stop?.thenStart === true,
    isServiceDone: ({ context, event }) => finishedService(context, event) !== undefined,
    endedBySelf: ({ context, event }) => {
      const output = finishedService(context, event);
      return output !== undefined && methodOf(output.transitions) === 'self';
    },
    isSupervisorDone: ({ event }) => finishedSupervisor(event) !== undefined,
    // Ended by itself, outside any stop that covers it, and nobody is bringing it back yet.
    needsSupervision: ({ context, event }) => {
      const output = finishedService(context, event);
      return output !== undefined && methodOf(output.transitions) === 'self' && !context.stop?.names.includes(output.name) && !context.restarting.includes(output.name);
    },
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
    queue: [],
    restarting: [],
    restarts: {},
    startError: null,
    report: null,
    actorIds: actorIdsOf(input.services),
  }),
  on: {
    SERVICE_SPAWNED: {
      actions: { type: 'spawnServiceMachine', params: ({ event }) => (event.type === 'SERVICE_SPAWNED' ? { name: event.name, pid: event.pid } : { name: '', pid: null }) },
    },
    TIER_RESOLVED: { actions: 'forwardTierResolution' },
    SERVICE_RESTARTING: { actions: 'recordRestart' },
    'xstate.done.actor.*': [
      {
        guard: 'needsSupervision',
        actions: [
          { type: 'recordOutput', params: ({ context, event }) => ({ output: finishedService(context, event)! }) },
          { type: 'announceExit', params: ({ context, event }) => exitNotice(finishedService(context, event)!) },
          { type: 'superviseExit', params: ({ context, event }) => ({ output: finishedService(context, event)! }) },
        ],
      },
      {
        // Part of a stop, but it ended before it was asked: still news.
        guard: 'endedBySelf',
        actions: [
          { type: 'recordOutput', params: ({ context, event }) => ({ output: finishedService(context, event)! }) },
          { type: 'announceExit', params: ({ context, event }) => exitNotice(finishedService(context, event)!) },
          'askReadyServices',
        ],
      },
      {
        guard: 'isServiceDone',
        actions: [{ type: 'recordOutput', params: ({ context, event }) => ({ output: finishedService(context, event)! }) }, 'askReadyServices'],
      },
      { guard: 'isSupervisorDone', actions: { type: 'endSupervision', params: ({ event }) => ({ output: finishedSupervisor(event)! }) } },
    ],
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
              { target: '#orchestrator.running' },
            ],
            START_FAILED: {
              target: '#orchestrator.stopping',
              actions: [{ type: 'recordStartFailure', params: ({ event }) => startFailure(event) }, 'beginStop'],
            },
          },
        },
      },
      on: {
        SHUTDOWN: { target: 'stopping', actions: 'beginStop' },
        RESTART: { target: 'stopping', actions: 'beginStop' },
        FORCE: { target: 'stopping', actions: 'beginStop' },
      },
    },
    running: {
      // Every service ended by itself and none is coming back: the run is over.
      always: { guard: 'runOver', target: 'ended' },
      on: {
        SHUTDOWN: { target: 'stopping', actions: 'beginStop' },
        RESTART: { target: 'stopping', actions: 'beginStop' },
        FORCE: { target: 'stopping', actions: 'beginStop' },
      },
    },
    stopping: {
      initial: 'escalating',
      on: {
        SHUTDOWN: { actions: 'queueStop' },
        RESTART: { actions: 'queueStop' },
      },
      states: {
        escalating: {
          entry: ['announceStop', 'cancelRestarts', 'askReadyServices'],
          always: [
            { guard: 'haltRequired', target: 'restoring', actions: 'planRollback' },
            { guard: 'allFinished', target: 'verifying' },
          ],
          on: {
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
            onDone: [
              { guard: 'startsAgain', target: 'restoring', actions: [assign({ verified: ({ event }) => event.output }), 'planRestart'] },
              { target: 'reporting', actions: assign({ verified: ({ event }) => event.output }) },
            ],
            onError: [{ guard: 'startsAgain', target: 'restoring', actions: 'planRestart' }, { target: 'reporting' }],
          },
        },
        // What the stop took down comes back, in dependency order with readiness: a
        // refused stop's services (on_failure: rollback), or a restart's.
        restoring: {
          initial: 'checking',
          // Forced while restoring: what is not back yet stays down; what runs is stopped next, forced.
          on: {
            FORCE: [
              { guard: 'machinesRunning', target: '#orchestrator.stopping.reporting', actions: 'queueForcedStop' },
              { target: '#orchestrator.stopping.reporting' },
            ],
          },
          states: {
            checking: { always: [{ guard: 'nothingToStart', target: '#orchestrator.stopping.reporting' }, { target: 'wave' }] },
            wave: {
              invoke: { src: 'startWave', input: ({ context }) => ({ names: context.startWaves[context.startIndex] }) },
              on: {
                WAVE_READY: [
                  { guard: 'moreToStart', target: 'wave', reenter: true, actions: 'advanceStartWave' },
                  { target: '#orchestrator.stopping.reporting' },
                ],
                START_FAILED: {
                  target: '#orchestrator.stopping.reporting',
                  actions: { type: 'recordStartFailure', params: ({ event }) => startFailure(event) },
                },
              },
            },
          },
        },
        reporting: {
          entry: 'finishStopRun',
          always: [
            { guard: 'stopQueued', target: 'escalating', actions: 'beginQueuedStop' },
            { guard: 'servicesLeft', target: '#orchestrator.running' },
            { target: '#orchestrator.done' },
          ],
        },
      },
    },
    ended: {
      entry: 'finishRun',
      always: 'done',
    },
    done: { type: 'final' },
  },
  output: ({ context }) => context.report,
});

function exitNotice(output: ServiceOutput): ExitNotice {
  const exit = { exitCode: output.exitCode, signal: output.signal };
  return { service: output.name, ...exit, crashed: isCrash(exit) };
}

function startFailure(event: OrchestratorEvent): { name: string; message: string } {
  return event.type === 'START_FAILED' ? { name: event.name, message: event.message } : { name: '', message: 'start failed' };
}
