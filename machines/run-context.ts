/**
 * The orchestrator's context and the pure functions over it (machines/orchestrator.ts
 * is the chart): what each service is doing, the stop in progress and the ones
 * waiting, and how a request becomes a stop. Per-service data is kept in arrays
 * indexed by the service's place in the plan (see `serviceActorId`).
 */
import { isCrash } from './exits.js';
import { NOT_REQUESTED, NOT_STARTED, type ServiceLife } from './life.js';
import { methodOf } from './report.js';
import type { ServiceEnded, ServiceOutput } from './service.js';
import type { StartProgress } from './start-events.js';
import type { StopInput, StopReport } from './stop.js';
import { isMissing, mergeStarts, startCoveredBy, type CurrentStart, type StartRequest } from './start-plan.js';
import { coveredBy, type FailurePolicy, type StopRequest } from './stop-plan.js';
import type { HealthInput, HealthReport } from './health.js';
import type { SupervisorReport } from './supervisor.js';
import type { OrchestratorInput, PlannedService, RestartPolicy, RestartRecord, ShutdownReport } from './types.js';
import { planStartWaves, planStopWaves } from './waves.js';

export type { OrchestratorInput, PlannedService };

export type OrchestratorEvent =
  /** Stop all services, or `services` and their dependents; `force`: a forced stop; `onFailure`: this stop's policy. */
  | { type: 'SHUTDOWN'; services?: string[]; requestId?: number; force?: boolean; onFailure?: FailurePolicy }
  /** Stop `services` and their dependents, then start them again in dependency order. */
  | { type: 'RESTART'; services: string[]; requestId?: number }
  | { type: 'FORCE' }
  /** SIGINT/SIGTERM: its meaning depends on the state and the signals before it (docs/cli.md). */
  | { type: 'SIGNAL'; signal: string }
  /** Stop supervising; the services run on (the engine hands them over). */
  | { type: 'DETACH' }
  /** Start what is missing of `services` and what they depend on (none: of every service); docs/cli.md, `tierdown start`. */
  | { type: 'START'; services?: string[]; requestId?: number }
  | StartProgress
  | ServiceEnded
  | SupervisorReport
  | HealthReport
  | StopReport;

/** What a Ctrl-C did: asked for the tiered stop, forced it, or asks the process to exit now. */
export type SignalStep = 'shutdown' | 'force' | 'exit';

export type OrchestratorEmitted =
  | { type: 'REPORT'; report: ShutdownReport; requestIds: number[] }
  | { type: 'STOP_STARTED'; names: string[]; waves: string[][]; forced: boolean; originMs: number }
  | { type: 'STARTED' }
  | { type: 'START_FAILED'; message: string }
  /** A stop was asked for before every service was ready. */
  | { type: 'START_INTERRUPTED' }
  | { type: 'SIGNAL_ANSWERED'; signal: string; step: SignalStep }
  /** A START is over: `started` came up; `failure` says why not all did (null: all did). */
  | { type: 'START_ANSWERED'; requestIds: number[]; started: string[]; failure: string | null; interrupted: boolean }
  | { type: 'DETACHED' };

/** The stop in progress, as the orchestrator keeps it (the stop machine has the rest). */
export interface CurrentStop {
  names: string[];
  waves: string[][];
  covered: string[];
  restart: boolean;
  forced: boolean;
  onFailure: FailurePolicy;
  requestIds: number[];
  originMs: number;
  startedAt: string;
}

export interface OrchestratorContext extends OrchestratorInput {
  /** Each service's state as users see it, by its place in the plan. */
  lives: ServiceLife[];
  /** Final outputs of the machines that have ended, by place; a running machine has none. */
  outputs: (ServiceOutput | null)[];
  /** Whether each ended machine's output already went into a report, by place. */
  reported: boolean[];
  /** Services a supervisor is bringing back (backoff or restarting). */
  restarting: string[];
  /** Per service, the exits this run answered with a restart. */
  restarts: Record<string, RestartRecord[]>;
  stop: CurrentStop | null;
  queue: StopRequest[];
  /** A start asked for while the stack runs, under way; the ones asked for meanwhile wait in `startQueue`. */
  adding: CurrentStart | null;
  startQueue: StartRequest[];
  /** The last stop's report, with every earlier one in `earlier`. */
  report: ShutdownReport | null;
  /** Stop signals since the stack last ran: the next one's meaning. */
  signals: number;
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

/** Supervisor ids: `:` is not allowed in service names, so they never clash with a service's. */
export const supervisorId = (name: string) => `supervise:${name}`;
/** A running service's health chart (machines/health.ts), one at a time. */
export const healthId = (name: string) => `health:${name}`;
export const NO_RESTART: RestartPolicy = { policy: 'no', maxRestarts: 0, backoffMs: 0 };
const DEFAULT_EXIT_SETTLE_MS = 50;

export type Context = OrchestratorContext;

/**
 * A service machine's actor id is its place in the plan ("0", "1", …), not its
 * name (which stays its systemId and its context's `name`); its group's id
 * follows from it (machines/service-group.ts). XState copies the parent's
 * `children` object once for each child it stops, and all of them are stopped
 * when the run ends; V8 copies an object keyed by array indices about 50×
 * faster than one keyed by names. The per-service arrays of the context are
 * indexed the same way.
 */
export function serviceActorId(context: Pick<Context, 'actorIds'>, name: string): string {
  return context.actorIds[name] ?? name;
}

export const slotOf = (context: Context, name: string) => Number(context.actorIds[name]);
export const settleMs = (context: Context) => context.exitSettleMs ?? DEFAULT_EXIT_SETTLE_MS;
// It has (or had) a machine in this run: started, or recorded as failing to start.
export const tookPart = (context: Context, slot: number) => context.lives[slot].startedAt !== null || context.outputs[slot] !== null;
export const endedBySelf = (output: ServiceOutput) => methodOf(output.transitions) === 'self';
export const inStop = (context: Context, name: string) => context.stop?.names.includes(name) === true;

/** `lives` with the one at `slot` changed (a copy of an index-keyed array is cheap). */
export function withLife(context: Context, slot: number, change: (life: ServiceLife) => ServiceLife): ServiceLife[] {
  const lives = context.lives.slice();
  lives[slot] = change(lives[slot]);
  return lives;
}

// A service is still there when its machine runs or a supervisor is bringing it back.
export const servicesLeft = (context: Context) =>
  context.restarting.length > 0 || context.services.some((_, slot) => tookPart(context, slot) && context.outputs[slot] === null);

/** A health chart's input for a service with a `healthcheck:`; undefined for one without. */
export function healthInput(context: Context, name: string): HealthInput | undefined {
  const service = context.services[slotOf(context, name)];
  if (!service?.health) return undefined;
  return { name, ...service.health, restart: service.restart ?? NO_RESTART, restartsSoFar: context.restarts[name]?.length ?? 0 };
}

/** The stop a request starts now: who takes part, its waves, its clock. */
export function planStop(context: Context, request: StopRequest, stamp = { originMs: performance.now(), startedAt: new Date().toISOString() }): CurrentStop {
  const covered = coveredBy(context.services, request.services);
  // Only what has a machine (running, or already ended by itself) takes part.
  const names = covered.filter((name) => {
    const slot = slotOf(context, name);
    return tookPart(context, slot) && !context.reported[slot];
  });
  return {
    names,
    waves: planStopWaves(context.services, names, context.order),
    covered,
    restart: request.restart,
    forced: request.forced,
    onFailure: request.onFailure ?? context.onFailure,
    requestIds: request.requestIds,
    ...stamp,
  };
}

/** The services the first start brings up: those named (`only`) and what they depend on, or all. */
export const firstStart = (context: Pick<Context, 'services' | 'only'>) => startCoveredBy(context.services, context.only ?? null);

/** Each service's state before the first start: the ones it brings up wait for it, the others are not started. */
export function firstLives(input: Pick<Context, 'services' | 'only'>): ServiceLife[] {
  const chosen = new Set(firstStart(input));
  return input.services.map((service) => (chosen.has(service.name) ? NOT_STARTED : NOT_REQUESTED));
}

/** The start that the waiting requests (and `event`, a START) make now: what is missing of what they cover. */
export function planStart(context: Context, event: OrchestratorEvent): CurrentStart {
  const request = mergeStarts([...context.startQueue, ...(event.type === 'START' ? [startRequestOf(event)] : [])]);
  const names = startCoveredBy(context.services, request.services).filter((name) => {
    const slot = slotOf(context, name);
    return isMissing(context.lives[slot], context.restarting.includes(name));
  });
  return { names, waves: planStartWaves(context.services, names), requestIds: request.requestIds };
}

/** A START as it waits for the start or stop under way. */
export function startRequestOf(event: OrchestratorEvent): StartRequest {
  if (event.type !== 'START') return { services: null, requestIds: [] };
  return { services: event.services ?? null, requestIds: event.requestId === undefined ? [] : [event.requestId] };
}

/** The stop machine's input for the stop in progress. */
export function stopInput(context: Context): StopInput {
  const stop = context.stop ?? planStop(context, { services: null, restart: false, forced: false, requestIds: [] });
  const ended: Record<string, ServiceOutput> = {};
  for (const name of stop.names) {
    const output = context.outputs[slotOf(context, name)];
    if (output) ended[name] = output;
  }
  const earlier: Record<string, ServiceOutput> = {};
  const running: string[] = [];
  for (const name of stop.restart ? stop.covered : []) {
    const slot = slotOf(context, name);
    const output = context.outputs[slot];
    if (stop.names.includes(name)) continue;
    if (output) earlier[name] = output;
    else if (tookPart(context, slot)) running.push(name);
  }
  return {
    nodes: context.services,
    slots: Object.fromEntries(context.services.map((service, slot) => [service.name, slot])),
    order: context.order,
    names: stop.names,
    waves: stop.waves,
    ended,
    forced: stop.forced,
    haltOnRefusal: stop.onFailure === 'rollback',
    restart: stop.restart,
    covered: stop.covered,
    earlier,
    running,
    originMs: stop.originMs,
    startedAt: stop.startedAt,
    forceAfterMs: context.forceAfterMs,
    settleMs: settleMs(context),
    restarts: context.restarts,
    verification: context.verification,
  };
}

/** A request as the events carry it. */
export function requestOf(event: OrchestratorEvent): StopRequest {
  const requestIds = 'requestId' in event && event.requestId !== undefined ? [event.requestId] : [];
  if (event.type === 'RESTART') return { services: event.services, restart: true, forced: false, requestIds };
  if (event.type === 'SHUTDOWN') return { services: event.services ?? null, restart: false, forced: event.force === true, requestIds, onFailure: event.onFailure };
  return { services: null, restart: false, forced: event.type === 'FORCE', requestIds };
}

/** A run's report: this stop on top, the stops before it in `earlier` (each without its own `earlier`). */
export function withEarlier(report: ShutdownReport, previous: ShutdownReport | null): ShutdownReport {
  if (!previous) return report;
  const { earlier = [], ...last } = previous;
  return { ...report, earlier: [...earlier, last] };
}

export function exitNotice(output: ServiceOutput): ExitNotice {
  const exit = { exitCode: output.exitCode, signal: output.signal };
  return { service: output.name, ...exit, crashed: isCrash(exit) };
}

export function exitedBeforeReady(output: ServiceOutput): string {
  return `exited (${output.signal ?? `code ${output.exitCode}`}) before it was ready`;
}
