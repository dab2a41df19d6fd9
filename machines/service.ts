/**
 * The one service lifecycle (docs/how-it-works.md): idle → httpShutdown → stopCommand →
 * awaitingExit → sigterm → forceKill → stopped | failed (docs/real-services.md for
 * `stopCommand`). A tier is only input to this machine
 * (which steps it may take, which signal, which timeouts); the real work —
 * HTTP, signals, watching a process — is named here and supplied by src/ with
 * `serviceMachine.provide(...)`.
 */
import { assertEvent, assign, enqueueActions, fromCallback, fromPromise, setup } from 'xstate';
import { KILL_SETTLE_MS, timerDelay } from './delays.js';
import { STEP_TIMER, stepTimerLogic, type StepTimerInput } from './step-timer.js';
import type { ServiceState, Step, Timeouts } from './types.js';

/** What a service machine is told when it is spawned. */
export interface ServiceMachineInput {
  name: string;
  tier: string;
  /** The steps this service takes (`effectiveSteps`): the guards read nothing else. */
  steps: Step[];
  signal: string;
  timeouts: Timeouts;
  /** Main pid of a local service; null for a remote (url-only) one. */
  pid: number | null;
  /** The `auto` tier: the steps it takes when the probe of its shutdown URL finds an endpoint, and when not. */
  auto?: { critical: Step[]; simple: Step[] };
  /**
   * `on_failure: rollback`: a 5xx answer ends the machine instead of escalating.
   * The stop that asks may say otherwise (`SHUTDOWN.haltOnRefusal`).
   */
  haltOnRefusal: boolean;
  /**
   * Its place in the orchestrator's plan, when an orchestrator spawned it: the
   * machine then tells it how it ended (`SERVICE_ENDED`).
   */
  slot?: number;
}

/** How the shutdown request went, as the `httpShutdown` actor classifies it. */
export type HttpOutcome =
  | 'accepted' // 2xx
  | 'missing' // 404, 405, 501: no shutdown endpoint, escalate at once
  | 'rejected' // 5xx: the service says it cannot stop safely
  | 'unauthorized' // 401, 403
  | 'unreachable' // connection refused or reset
  | 'error'; // any other status or transport error

export interface HttpResult {
  outcome: HttpOutcome;
  status: number | null;
  detail: string;
}

export interface HttpShutdownInput {
  name: string;
  deadlineMs: number;
  timeoutMs: number;
}

/** How the service's stop command went, as the `runStopCommand` actor classifies it. */
export type CommandOutcome =
  | 'succeeded' // exit status 0: the service is on its way out
  | 'failed' // non-zero status, or killed by a signal
  | 'notFound'; // the program could not be started (missing, not executable, bad cwd)

export interface CommandResult {
  outcome: CommandOutcome;
  exitCode: number | null;
  detail: string;
}

export interface StopCommandInput {
  name: string;
  /** Main pid of the service (given to the command as `TIERDOWN_SERVICE_PID`); null when remote. */
  pid: number | null;
}

/** Facts the process watcher sends; `exited` means main process and group are gone. */
export type ProcessEvent =
  | { type: 'MAIN_EXITED'; exitCode: number | null; signal: string | null }
  | { type: 'PROCESS_EXITED'; exitCode: number | null; signal: string | null };

export type ServiceEvent =
  /** `haltOnRefusal`: the asking stop's failure policy, when it differs from the service's own. */
  | { type: 'SHUTDOWN'; haltOnRefusal?: boolean }
  | { type: 'FORCE' }
  /** `auto` tier: what one GET to its shutdown URL got (`url` null: it has none; `status` null: nothing answered). */
  | { type: 'SHUTDOWN_URL_PROBED'; url: string | null; status: number | null }
  /** A remote service's health URL answered a probe, or did not (its `awaitingExit`). */
  | { type: 'URL_ANSWERED' }
  | { type: 'URL_SILENT' }
  /** The service asks for `ms` more from now (sd_notify `EXTEND_TIMEOUT_USEC`, docs/containers.md). */
  | { type: 'EXTEND_TIMEOUT'; ms: number }
  | ProcessEvent;

/** One entry of the transition log; `at` is a `performance.now()` reading. */
export interface LoggedTransition {
  to: ServiceState;
  at: number;
  reason: string;
  /** EXTEND_TIMEOUT only: how many extensions this entry stands for (see EXTEND_LOG_WINDOW_MS). */
  count?: number;
}

/**
 * Extensions granted within this long of the last one logged are counted on
 * it, not logged again: a service flooding EXTEND_TIMEOUT_USEC moves its timer
 * each time, but its log (and the report) grows by one entry a second at most.
 */
export const EXTEND_LOG_WINDOW_MS = 1000;

// Whether the last entry of the log was an extension counted on the one before it.
const countedOnEarlier = (context: ServiceContext) => (context.transitions.at(-1)?.count ?? 1) > 1;

// Whether an extension now is counted on the last entry rather than logged anew.
function joinsLastExtension(last: LoggedTransition | undefined, to: ServiceState, at: number): last is LoggedTransition {
  return last !== undefined && last.reason === 'EXTEND_TIMEOUT' && last.to === to && at - last.at < EXTEND_LOG_WINDOW_MS;
}

/** What observers are told of each move (the `announceTransition` action, supplied by src/). */
export interface TransitionNotice {
  service: string;
  from: ServiceState;
  to: ServiceState;
  /** A `performance.now()` reading. */
  at: number;
  reason: string;
}

export interface ServiceContext extends ServiceMachineInput {
  transitions: LoggedTransition[];
  exitCode: number | null;
  exitSignal: string | null;
  detail: string | null;
  /** When the current step began (`performance.now()`); extensions do not move it. */
  stepStartedAt: number;
  /** The timer of the current step after an extension, in ms; null: the step's own timeout. */
  extendMs: number | null;
  /** Extensions granted in this stop, and how far past its plan the furthest one reached. */
  extensions: { count: number; pastPlanMs: number };
  /** A remote service's health probes left unanswered in a row, while it is awaited. */
  silentProbes: number;
}

/**
 * Unanswered health probes in a row that mean a remote service has gone: one
 * is not silence — a busy service can miss a deadline while it drains.
 */
export const SILENT_PROBES_MEANING_GONE = 3;

/** What observers are told of an `auto` service's choice (the `announceTierChoice` action, supplied by src/). */
export interface TierChoiceNotice {
  service: string;
  steps: Step[];
  detail: string;
}

/** The waiting states whose timer a service may extend, and the timeout each starts with. */
const EXTENDABLE = { awaitingExit: 'exit', sigterm: 'sigterm' } as const;
type ExtendableState = keyof typeof EXTENDABLE;

/** How much of an extension asked for now fits: the step's deadline moves at most `maxExtend` past its plan. */
export function grantableExtension(context: ServiceContext, state: ExtendableState, askedMs: number, now: number): number {
  const plannedEnd = context.stepStartedAt + context.timeouts[EXTENDABLE[state]];
  const limit = plannedEnd + (context.timeouts.maxExtend ?? 0);
  return Math.max(0, Math.min(askedMs, limit - now));
}

/** The machine's output: everything the report needs about this service. */
export interface ServiceOutput {
  name: string;
  tier: string;
  outcome: 'stopped' | 'failed';
  transitions: LoggedTransition[];
  exitCode: number | null;
  signal: string | null;
  detail: string | null;
}

/** What a service machine spawned by the orchestrator tells it when it ends. */
export interface ServiceEnded {
  type: 'SERVICE_ENDED';
  slot: number;
  output: ServiceOutput;
}

// Every state but idle opens with these: the move goes into the log, then out to observers.
const logged = (to: ServiceState) => [
  { type: 'recordTransition' as const, params: { to } },
  { type: 'announceTransition' as const, params: ({ context }: { context: ServiceContext }) => noticeOf(context) },
];

/** The last logged move, as observers get it. */
function noticeOf(context: ServiceContext): TransitionNotice {
  const last = context.transitions.at(-1);
  const from = context.transitions.at(-2)?.to ?? 'idle';
  return { service: context.name, from, to: last?.to ?? 'idle', at: last?.at ?? performance.now(), reason: last?.reason ?? '' };
}
const DONE_PREFIX = 'xstate.done.actor.';
const HTTP_REASONS: Record<string, string> = {
  accepted: 'HTTP_ACCEPTED',
  missing: 'HTTP_MISSING',
  rejected: 'HTTP_REJECTED',
  unauthorized: 'HTTP_UNAUTHORIZED',
  unreachable: 'HTTP_UNREACHABLE',
  error: 'HTTP_ERROR',
} satisfies Record<HttpOutcome, string>;
const COMMAND_REASONS: Record<string, string> = {
  succeeded: 'COMMAND_SUCCEEDED',
  failed: 'COMMAND_FAILED',
  notFound: 'COMMAND_NOT_FOUND',
} satisfies Record<CommandOutcome, string>;

/** The `outcome` an invoked actor ended with, read off its done event (none for any other event). */
function outcomeOf(event: { type: string }): string {
  if (!('output' in event)) return '';
  const { output } = event;
  return typeof output === 'object' && output !== null && 'outcome' in output && typeof output.outcome === 'string' ? output.outcome : '';
}

/** Names the event behind a transition the way the report shows it. */
export function reasonOf(event: { type: string }): string {
  // A step's timer is done: its delay's name is the reason (`sigtermTimeout`).
  if (event.type.startsWith(DONE_PREFIX) && isStepDelay(event.type.slice(DONE_PREFIX.length))) return event.type.slice(DONE_PREFIX.length);
  if (event.type === `${DONE_PREFIX}httpShutdown`) return HTTP_REASONS[outcomeOf(event)] ?? 'HTTP_ERROR';
  if (event.type === `${DONE_PREFIX}runStopCommand`) return COMMAND_REASONS[outcomeOf(event)] ?? 'COMMAND_FAILED';
  // The probe that made the silence long enough: the URL went down.
  if (event.type === 'URL_SILENT') return 'URL_DOWN';
  if (event.type === 'xstate.error.actor.runStopCommand') return 'COMMAND_ERROR';
  if (event.type.startsWith('xstate.error.actor.')) return 'HTTP_ERROR';
  return event.type;
}

// Each fact adds to what the report says about a service; none hides an earlier
// one (the `auto` choice, the shutdown request's answer, why it ended failed).
const addDetail = (context: { detail: string | null }, detail: string) => (context.detail ? `${context.detail}; ${detail}` : detail);

const has = (steps: Step[], step: Step) => steps.includes(step);

// What a step that did not work adds to the report, from the actor's answer.
const httpDetail = { type: 'recordDetail' as const, params: ({ event }: { event: { output: HttpResult } }) => ({ detail: `shutdown request: ${event.output.detail}` }) };
const commandDetail = { type: 'recordDetail' as const, params: ({ event }: { event: { output: CommandResult } }) => ({ detail: `stop command: ${event.output.detail}` }) };
const commandError = {
  type: 'recordDetail' as const,
  params: ({ event }: { event: { error: unknown } }) => ({ detail: `stop command: ${event.error instanceof Error ? event.error.message : String(event.error)}` }),
};
type DetailAction = typeof httpDetail | typeof commandDetail | typeof commandError | 'recordCommandTimeout';

// Where a step that did not work hands over: the next step the tier allows.
// The stop command is the next try only for a service that has not accepted a
// stop yet (from idle or a failed shutdown request): once it accepted, by HTTP
// or by its command, a slow exit leads on to the signal, never back to a command.
const escalate = <A extends DetailAction = never>(actions: A[] = [], options: { command: boolean } = { command: false }) => [
  ...(options.command ? [{ guard: 'tierUsesCommand' as const, target: 'stopCommand', actions }] : []),
  { guard: 'tierUsesSigterm' as const, target: 'sigterm', actions },
  { guard: 'hasProcess' as const, target: 'forceKill', actions },
  { target: 'failed', actions: [...actions, 'recordNoWayLeft' as const] },
];

// Observers hear what `auto` chose, once chosen.
const announceChoice = {
  type: 'announceTierChoice' as const,
  params: ({ context }: { context: ServiceContext }) => ({ service: context.name, steps: context.steps, detail: context.detail ?? '' }),
};

// FORCE (second Ctrl-C, or the API) skips to the last resort from any waiting state.
const force = {
  FORCE: [
    { guard: 'hasProcess' as const, target: 'forceKill' },
    { target: 'failed', actions: 'recordNoWayLeft' as const },
  ],
};

/**
 * How long each step waits before the next (`after` in the drawn chart), from the
 * tier's timeouts. After an extension a timer runs for what was granted, from the
 * moment it was asked.
 */
const STEP_DELAYS = {
  httpTimeout: ({ context }: { context: ServiceContext }) => timerDelay(context.timeouts.http),
  commandTimeout: ({ context }: { context: ServiceContext }) => timerDelay(context.timeouts.command ?? 0),
  exitTimeout: ({ context }: { context: ServiceContext }) => timerDelay(context.extendMs ?? context.timeouts.exit),
  sigtermTimeout: ({ context }: { context: ServiceContext }) => timerDelay(context.extendMs ?? context.timeouts.sigterm),
  killTimeout: ({ context }: { context: ServiceContext }) => timerDelay(context.timeouts.kill, KILL_SETTLE_MS),
};
export type StepDelay = keyof typeof STEP_DELAYS;
const isStepDelay = (id: string): id is StepDelay => Object.hasOwn(STEP_DELAYS, id);

/**
 * A step's timer, invoked under its delay's name: its done event is the timeout
 * (`xstate.done.actor.sigtermTimeout`, reason `sigtermTimeout`), drawn as `after
 * sigtermTimeout`. Not XState's `after`, whose pending timers every stopping
 * actor walks (machines/step-timer.ts).
 */
const stepTimer = (delay: StepDelay) => ({
  src: STEP_TIMER,
  id: delay,
  input: ({ context }: { context: ServiceContext }): StepTimerInput => ({ ms: STEP_DELAYS[delay]({ context }) }),
});

export const serviceMachine = setup({
  types: {
    input: {} as ServiceMachineInput,
    context: {} as ServiceContext,
    events: {} as ServiceEvent,
    output: {} as ServiceOutput,
  },
  actions: {
    recordTransition: assign(({ context, event }, params: { to: ServiceState }) => {
      const at = performance.now();
      if (event.type !== 'EXTEND_TIMEOUT') {
        return { stepStartedAt: at, extendMs: null, transitions: [...context.transitions, { to: params.to, at, reason: reasonOf(event) }] };
      }
      // An extension re-enters its state: the step (and its planned end) goes on.
      const last = context.transitions.at(-1);
      if (joinsLastExtension(last, params.to, at)) {
        return { transitions: [...context.transitions.slice(0, -1), { ...last, count: (last.count ?? 1) + 1 }] };
      }
      return { transitions: [...context.transitions, { to: params.to, at, reason: reasonOf(event), count: 1 }] };
    }),
    grantExtension: assign(({ context, event }, params: { state: ExtendableState }) => {
      if (event.type !== 'EXTEND_TIMEOUT') return {};
      const now = performance.now();
      const granted = grantableExtension(context, params.state, event.ms, now);
      const pastPlan = now + granted - (context.stepStartedAt + context.timeouts[EXTENDABLE[params.state]]);
      return {
        extendMs: granted,
        extensions: { count: context.extensions.count + 1, pastPlanMs: Math.max(context.extensions.pastPlanMs, Math.round(pastPlan)) },
      };
    }),
    // Supplied by src/: tells observers of the move just logged (every state's entry, after recordTransition).
    announceTransition: (_, _params: TransitionNotice) => {},
    recordExit: assign(({ event }) => {
      assertEvent(event, ['MAIN_EXITED', 'PROCESS_EXITED']);
      return { exitCode: event.exitCode, exitSignal: event.signal };
    }),
    recordDetail: assign(({ context }, params: { detail: string }) => ({ detail: addDetail(context, params.detail) })),
    // `auto`: the choice becomes its steps, and the report says why.
    chooseTier: assign(({ context, event }, params: { tier: 'critical' | 'simple' }) => {
      assertEvent(event, 'SHUTDOWN_URL_PROBED');
      const why = event.url === null ? 'no shutdown URL' : event.status === null ? `nothing answered at ${event.url}` : `GET ${event.url} answered ${event.status}`;
      return { steps: context.auto?.[params.tier] ?? context.steps, detail: `auto: ${why} → ${params.tier}` };
    }),
    // Supplied by src/: tells observers what `auto` chose.
    announceTierChoice: (_, _params: TierChoiceNotice) => {},
    countSilence: assign({ silentProbes: ({ context }) => context.silentProbes + 1 }),
    resetSilence: assign({ silentProbes: 0 }),
    // The stop that asks decides whether a refusal halts (a start failure's cleanup never does).
    adoptStopPolicy: assign(({ context, event }) => ({
      haltOnRefusal: event.type === 'SHUTDOWN' ? (event.haltOnRefusal ?? context.haltOnRefusal) : context.haltOnRefusal,
    })),
    recordCommandTimeout: assign(({ context }) => ({
      detail: addDetail(context, `stop command: still running after ${context.timeouts.command} ms (stop.timeout); stopped it`),
    })),
    recordNoWayLeft: assign(({ context }) => ({ detail: addDetail(context, 'no way left to stop it (remote service, HTTP or its stop command did not succeed)') })),
    recordStillAlive: assign(({ context }) => ({ detail: addDetail(context, 'still alive after SIGKILL') })),
    recordHalted: assign(({ context }) => ({
      detail: addDetail(context, 'the service answered it cannot stop safely; escalation halted (on_failure: rollback)'),
    })),
    // Side effects supplied by src/ (sendStopSignal: the tier's signal to the group;
    // killProcessTree: SIGKILL to the group and every descendant found).
    sendStopSignal: () => {},
    killProcessTree: () => {},
  },
  // Only the steps decide: `effectiveSteps` gave every local process forceKill, and a remote one only http.
  guards: {
    tierUsesHttp: ({ context }) => has(context.steps, 'http'),
    // A stop command comes with its budget (stop.timeout): without one there is nothing to run.
    tierUsesCommand: ({ context }) => has(context.steps, 'command') && context.timeouts.command !== undefined,
    commandSucceeded: (_, params: { outcome: CommandOutcome }) => params.outcome === 'succeeded',
    tierUsesSigterm: ({ context }) => has(context.steps, 'sigterm'),
    hasProcess: ({ context }) => has(context.steps, 'forceKill'),
    isRemote: ({ context }) => !has(context.steps, 'forceKill'),
    // An endpoint that exists answers anything but 404/501 (tierdown/service says 405 to a GET).
    shutdownEndpointFound: ({ event }) => event.type === 'SHUTDOWN_URL_PROBED' && event.status !== null && event.status !== 404 && event.status !== 501,
    // Only a remote service is awaited by its URL: silent often enough in a row, it has gone.
    urlGone: ({ context, event }) => !has(context.steps, 'forceKill') && event.type === 'URL_SILENT' && context.silentProbes + 1 >= SILENT_PROBES_MEANING_GONE,
    httpAccepted: (_, params: { outcome: HttpOutcome }) => params.outcome === 'accepted',
    haltsOnRefusal: ({ context }, params: { outcome: HttpOutcome }) => context.haltOnRefusal && params.outcome === 'rejected',
    withinMaxExtend: ({ context, event }, params: { state: ExtendableState }) =>
      event.type === 'EXTEND_TIMEOUT' && event.ms > 0 && grantableExtension(context, params.state, event.ms, performance.now()) > 0,
  },
  // The step timers' lengths, by name (drawn as `after <name>`; the `stepTimer` actors wait them).
  delays: STEP_DELAYS,
  actors: {
    // A step's timer: done once its delay has passed, stopped (with its state) when the state is left.
    [STEP_TIMER]: stepTimerLogic,
    // Real implementations live in src/actors; these defaults say so when missing.
    httpShutdown: fromPromise<HttpResult, HttpShutdownInput>(async () => {
      throw new Error('httpShutdown actor not provided');
    }),
    runStopCommand: fromPromise<CommandResult, StopCommandInput>(async () => {
      throw new Error('runStopCommand actor not provided');
    }),
    // Probes a remote service's health URL while it is awaited: URL_ANSWERED / URL_SILENT per probe.
    watchUrl: fromCallback<ServiceEvent, { name: string }>(() => {}),
    watchProcess: fromCallback<ServiceEvent, { name: string; pid: number | null }>(() => {}),
    // Turns the service's sd_notify messages into events (EXTEND_TIMEOUT); silent by default.
    listenNotify: fromCallback<ServiceEvent, { name: string }>(() => {}),
  },
}).createMachine({
  id: 'service',
  context: ({ input }) => ({
    ...input,
    transitions: [],
    exitCode: null,
    exitSignal: null,
    detail: null,
    stepStartedAt: 0,
    extendMs: null,
    extensions: { count: 0, pastPlanMs: 0 },
    silentProbes: 0,
  }),
  invoke: [
    { src: 'watchProcess', id: 'watchProcess', input: ({ context }) => ({ name: context.name, pid: context.pid }) },
    { src: 'listenNotify', id: 'listenNotify', input: ({ context }) => ({ name: context.name }) },
  ],
  // A service that is gone is stopped, whatever it was doing (docs/how-it-works.md).
  on: {
    PROCESS_EXITED: { target: '.stopped', actions: 'recordExit' },
    MAIN_EXITED: { actions: 'recordExit' },
  },
  initial: 'idle',
  states: {
    idle: {
      exit: 'adoptStopPolicy',
      on: {
        SHUTDOWN: [{ guard: 'tierUsesHttp', target: 'httpShutdown' }, ...escalate([], { command: true })],
        SHUTDOWN_URL_PROBED: [
          { guard: 'shutdownEndpointFound', actions: [{ type: 'chooseTier', params: { tier: 'critical' } }, announceChoice] },
          { actions: [{ type: 'chooseTier', params: { tier: 'simple' } }, announceChoice] },
        ],
        ...force,
      },
    },
    httpShutdown: {
      entry: logged('httpShutdown'),
      invoke: [
        {
          src: 'httpShutdown',
          id: 'httpShutdown',
          input: ({ context }) => ({
            name: context.name,
            deadlineMs: context.timeouts.exit,
            timeoutMs: context.timeouts.http,
          }),
          onDone: [
            { guard: { type: 'httpAccepted', params: ({ event }) => ({ outcome: event.output.outcome }) }, target: 'awaitingExit' },
            {
              guard: { type: 'haltsOnRefusal', params: ({ event }) => ({ outcome: event.output.outcome }) },
              target: 'failed',
              actions: [httpDetail, 'recordHalted'],
            },
            ...escalate([httpDetail], { command: true }),
          ],
          onError: escalate([], { command: true }),
        },
        { ...stepTimer('httpTimeout'), onDone: escalate([], { command: true }) },
      ],
      on: force,
    },
    stopCommand: {
      entry: logged('stopCommand'),
      // The command runs as the service's user with its env; leaving this state
      // (timeout, FORCE, the service exiting) stops the command too.
      invoke: [
        {
          src: 'runStopCommand',
          id: 'runStopCommand',
          input: ({ context }) => ({ name: context.name, pid: context.pid }),
          onDone: [
            { guard: { type: 'commandSucceeded', params: ({ event }) => ({ outcome: event.output.outcome }) }, target: 'awaitingExit' },
            ...escalate([commandDetail]),
          ],
          onError: escalate([commandError]),
        },
        { ...stepTimer('commandTimeout'), onDone: escalate(['recordCommandTimeout']) },
      ],
      on: force,
    },
    awaitingExit: {
      entry: [
        { type: 'recordTransition', params: { to: 'awaitingExit' } },
        // An extension counted on the entry before it is no new move to tell.
        enqueueActions(({ context, enqueue }) => {
          if (!countedOnEarlier(context)) enqueue({ type: 'announceTransition', params: noticeOf(context) });
        }),
      ],
      // A local service reports its exit through watchProcess; a remote one
      // has gone when its health URL stops answering.
      invoke: [
        { src: 'watchUrl', id: 'watchUrl', input: ({ context }) => ({ name: context.name }) },
        { ...stepTimer('exitTimeout'), onDone: escalate([]) },
      ],
      on: {
        ...force,
        URL_SILENT: [{ guard: 'urlGone', target: 'stopped' }, { guard: 'isRemote', actions: 'countSilence' }],
        URL_ANSWERED: { guard: 'isRemote', actions: 'resetSilence' },
        EXTEND_TIMEOUT: {
          guard: { type: 'withinMaxExtend', params: { state: 'awaitingExit' } },
          target: 'awaitingExit',
          reenter: true,
          actions: { type: 'grantExtension', params: { state: 'awaitingExit' } },
        },
      },
    },
    sigterm: {
      entry: [
        { type: 'recordTransition', params: { to: 'sigterm' } },
        // The stop signal goes once per step: an extension re-enters `sigterm` without sending it again
        // (and one counted on the entry before it is no new move to tell).
        enqueueActions(({ context, event, enqueue }) => {
          if (!countedOnEarlier(context)) enqueue({ type: 'announceTransition', params: noticeOf(context) });
          if (event.type !== 'EXTEND_TIMEOUT') enqueue('sendStopSignal');
        }),
      ],
      invoke: { ...stepTimer('sigtermTimeout'), onDone: 'forceKill' },
      // Only a service with a process gets here, so FORCE has one way to go.
      on: {
        FORCE: 'forceKill',
        EXTEND_TIMEOUT: {
          guard: { type: 'withinMaxExtend', params: { state: 'sigterm' } },
          target: 'sigterm',
          reenter: true,
          actions: { type: 'grantExtension', params: { state: 'sigterm' } },
        },
      },
    },
    forceKill: {
      entry: [...logged('forceKill'), 'killProcessTree'],
      invoke: { ...stepTimer('killTimeout'), onDone: { target: 'failed', actions: 'recordStillAlive' } },
    },
    // An orchestrator's service tells it how it ended (a machine run on its own has nobody to tell).
    stopped: {
      type: 'final',
      entry: [...logged('stopped'), enqueueActions(({ context, enqueue }) => context.slot !== undefined && enqueue.sendParent(endedOf(context, context.slot)))],
    },
    failed: {
      type: 'final',
      entry: [...logged('failed'), enqueueActions(({ context, enqueue }) => context.slot !== undefined && enqueue.sendParent(endedOf(context, context.slot)))],
    },
  },
  output: ({ context }) => outputOf(context),
});

function endedOf(context: ServiceContext, slot: number): ServiceEnded {
  return { type: 'SERVICE_ENDED', slot, output: outputOf(context) };
}

/** What the report needs about a service whose machine has ended. */
function outputOf(context: ServiceContext): ServiceOutput {
  return {
    name: context.name,
    tier: context.tier,
    outcome: context.transitions.at(-1)?.to === 'failed' ? 'failed' : 'stopped',
    transitions: context.transitions,
    exitCode: context.exitCode,
    signal: context.exitSignal,
    detail: context.extensions.count
      ? addDetail(context, `asked for more time ${context.extensions.count}× (EXTEND_TIMEOUT_USEC), up to ${context.extensions.pastPlanMs} ms past its plan`)
      : context.detail,
  };
}
