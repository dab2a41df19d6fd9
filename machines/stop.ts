/**
 * One stop (docs/how-it-works.md): the services it covers are asked in
 * reverse-dependency waves — each the moment its last dependent inside the
 * stop has ended — then verified, then, for a restart or a refused stop
 * (`on_failure: rollback`), what it stopped is started again; it ends with
 * its report. The service machines are the orchestrator's children: this
 * machine tells the orchestrator whom to ask (`ASK_SERVICES`), and hears from
 * it how each ended (`SERVICE_ENDED`).
 */
import { assertEvent, assign, enqueueActions, fromPromise, sendParent, setup } from 'xstate';
import { buildReport } from './report.js';
import type { ServiceEnded, ServiceOutput } from './service.js';
import type { StartProgress } from './start-events.js';
import { startSequenceMachine } from './start-sequence.js';
import { restartPlan, rollbackPlan } from './stop-plan.js';
import type { RestartRecord, ShutdownReport, VerificationMethod } from './types.js';
import { planStartWaves, readyToStop, type DependencyNode, type StopOrder } from './waves.js';

/** What verification found for one service: nothing left, or what is (pids and programs, the port's holder). */
export interface Verdict {
  verified: boolean;
  /** When not verified: what is left. */
  left?: string;
}

export interface StopInput {
  /** Every service of the plan; `slots` gives each one's place in it. */
  nodes: DependencyNode[];
  slots: Record<string, number>;
  order: StopOrder;
  /** The services taking part: each has (or had) a machine, and its end is not in a report yet. */
  names: string[];
  waves: string[][];
  /** How those that ended before the stop began ended. */
  ended: Record<string, ServiceOutput>;
  forced: boolean;
  /** A 5xx answer halts this stop and rolls it back (`on_failure: rollback`). */
  haltOnRefusal: boolean;
  /** A restart: what the request covers starts again once stopped. */
  restart: boolean;
  covered: string[];
  /** For a restart: how covered services outside this stop last ended, and which still run. */
  earlier: Record<string, ServiceOutput>;
  running: string[];
  originMs: number;
  startedAt: string;
  /** With a grace: ms after which whatever is left is forced. */
  forceAfterMs?: number;
  settleMs: number;
  restarts: Record<string, RestartRecord[]>;
  verification?: Record<string, VerificationMethod>;
}

export interface StopContext extends StopInput {
  asked: string[];
  /** How each service of the stop ended in it, by slot (a copy per end is cheap for an array). */
  results: (ServiceOutput | undefined)[];
  endedCount: number;
  failedCount: number;
  verdicts: Record<string, Verdict>;
  /** What starts again once stopped, in start waves. */
  restore: string[][];
  rolledBack: boolean;
  forcedAfterAsking: boolean;
}

export interface StopOutput {
  report: ShutdownReport;
  /**
   * FORCE came once every service had been dealt with — while it verified or
   * started services again: what had not come back stays down, and whoever ran
   * this stop should stop what still runs, forced.
   */
  forcedAfterAsking: boolean;
}

/** What the stop tells the orchestrator. */
export type StopReport =
  /** Send `event` to these services' machines. */
  | { type: 'ASK_SERVICES'; names: string[]; event: 'SHUTDOWN' | 'FORCE'; haltOnRefusal: boolean }
  /** The stop halted: these services did not stop and run on; watch each afresh. */
  | { type: 'STOP_HALTED'; rewatch: string[] };

export type StopEvent = ServiceEnded | { type: 'FORCE' } | StartProgress;

const resultOf = (context: StopContext, name: string) => context.results[context.slots[name]];
const halting = (context: StopContext) => context.haltOnRefusal && context.failedCount > 0;
const ask = (context: StopContext, names: string[], event: 'SHUTDOWN' | 'FORCE'): StopReport => ({ type: 'ASK_SERVICES', names, event, haltOnRefusal: context.haltOnRefusal });

export const stopMachine = setup({
  types: {
    input: {} as StopInput,
    context: {} as StopContext,
    events: {} as StopEvent,
    output: {} as StopOutput,
  },
  actors: {
    // Checks that stopped services left nothing behind (pid, group, port).
    verifyServices: fromPromise<Record<string, Verdict>, { names: string[] }>(async ({ input }) =>
      Object.fromEntries(input.names.map((name) => [name, { verified: false, left: 'not checked' }])),
    ),
    startSequence: startSequenceMachine,
  },
  actions: {
    tellParent: sendParent((_, report: StopReport | StartProgress) => report),
    recordResult: assign(({ context, event }) => {
      assertEvent(event, 'SERVICE_ENDED');
      // A machine started again by this stop (a rollback, a restart) must not overwrite how the service ended in it.
      if (context.results[event.slot] || !context.names.includes(event.output.name)) return {};
      const results = context.results.slice();
      results[event.slot] = event.output;
      return { results, endedCount: context.endedCount + 1, failedCount: context.failedCount + (event.output.outcome === 'failed' ? 1 : 0) };
    }),
    // Whoever may be asked now is asked: every dependent inside the stop has ended (forced: everyone).
    askReady: enqueueActions(({ context, enqueue }) => {
      // A halting failure asks nobody else: its dependencies were never stopped and must stay up.
      // Everyone asked (independent services: all at once): nothing to plan on each of N ends.
      if (halting(context) || context.asked.length >= context.names.length) return;
      const ended = new Set(context.names.filter((name) => resultOf(context, name)));
      const ready = context.forced
        ? context.names.filter((name) => !context.asked.includes(name))
        : readyToStop(context.nodes, context.names, context.order, new Set(context.asked), ended);
      if (!ready.length) return;
      enqueue.assign({ asked: [...context.asked, ...ready] });
      const names = ready.filter((name) => !ended.has(name));
      // A forced stop skips the tier's gentle steps: FORCE takes idle to forceKill.
      if (names.length) enqueue.sendParent(ask(context, names, context.forced ? 'FORCE' : 'SHUTDOWN'));
    }),
    forceAll: enqueueActions(({ context, enqueue }) => {
      enqueue.assign({ forced: true });
      const names = context.asked.filter((name) => !resultOf(context, name));
      if (names.length) enqueue.sendParent(ask(context, names, 'FORCE'));
    }),
    // Rollback: what did not stop runs on (watched afresh), what this stop did stop starts again.
    planRollback: enqueueActions(({ context, enqueue }) => {
      const { rewatch, again } = rollbackPlan(context.names, (name) => resultOf(context, name));
      enqueue.sendParent({ type: 'STOP_HALTED', rewatch } satisfies StopReport);
      enqueue.assign({ restore: planStartWaves(context.nodes, again), rolledBack: true });
    }),
    planRestart: assign(({ context }) => {
      const running = new Set(context.running);
      const again = restartPlan(context.covered, (name) => resultOf(context, name), (name) => context.earlier[name], (name) => running.has(name));
      return { restore: planStartWaves(context.nodes, again) };
    }),
    recordVerdicts: assign((_, verdicts: Record<string, Verdict>) => ({ verdicts })),
    // The verifier itself broke: nothing is verified, and the report says why.
    recordVerificationError: assign(({ context }, params: { error: unknown }) => {
      const why = `not verified: ${params.error instanceof Error ? params.error.message : String(params.error)}`;
      return { verdicts: Object.fromEntries(context.names.map((name) => [name, { verified: false, left: why }])) };
    }),
    recordLateForce: assign({ forced: true, forcedAfterAsking: true }),
  },
  guards: {
    // `on_failure: rollback`: a service of this stop ended failed, so the stop halts.
    halts: ({ context }) => halting(context),
    allEnded: ({ context }) => context.endedCount >= context.names.length,
    // A forced restart starts nothing again: forcing means "down, now".
    restarts: ({ context }) => context.restart && !context.forced,
    hasGrace: ({ context }) => context.forceAfterMs !== undefined,
  },
  delays: {
    graceTimeout: ({ context }) => context.forceAfterMs ?? 0,
  },
}).createMachine({
  id: 'stop',
  context: ({ input }) => {
    const results: (ServiceOutput | undefined)[] = new Array(input.nodes.length);
    let endedCount = 0;
    let failedCount = 0;
    for (const [name, output] of Object.entries(input.ended)) {
      results[input.slots[name]] = output;
      endedCount += 1;
      if (output.outcome === 'failed') failedCount += 1;
    }
    return { ...input, asked: [], results, endedCount, failedCount, verdicts: {}, restore: [], rolledBack: false, forcedAfterAsking: false };
  },
  on: {
    // A service of the stop ends whenever it ends, even while others are being verified or started again.
    SERVICE_ENDED: { actions: 'recordResult' },
    FORCE: { actions: 'recordLateForce' },
  },
  initial: 'asking',
  states: {
    asking: {
      entry: 'askReady',
      always: [
        { guard: 'halts', target: 'restoring', actions: 'planRollback' },
        { guard: 'allEnded', target: 'verifying' },
      ],
      on: {
        SERVICE_ENDED: { actions: ['recordResult', 'askReady'] },
        FORCE: { actions: ['forceAll', 'askReady'] },
      },
      // The grace's end, less its margin: force what is left, as a second Ctrl-C would.
      after: { graceTimeout: { guard: 'hasGrace', actions: ['forceAll', 'askReady'] } },
    },
    verifying: {
      invoke: {
        src: 'verifyServices',
        input: ({ context }) => ({ names: context.names.filter((name) => resultOf(context, name)?.outcome === 'stopped') }),
        onDone: [
          { guard: 'restarts', target: 'restoring', actions: [{ type: 'recordVerdicts', params: ({ event }) => event.output }, 'planRestart'] },
          { target: 'reported', actions: { type: 'recordVerdicts', params: ({ event }) => event.output } },
        ],
        onError: [
          { guard: 'restarts', target: 'restoring', actions: [{ type: 'recordVerificationError', params: ({ event }) => ({ error: event.error }) }, 'planRestart'] },
          { target: 'reported', actions: { type: 'recordVerificationError', params: ({ event }) => ({ error: event.error }) } },
        ],
      },
    },
    // What the stop took down comes back, in dependency order with readiness.
    restoring: {
      invoke: {
        src: 'startSequence',
        input: ({ context }) => ({ waves: context.restore, settleMs: context.settleMs }),
        onDone: 'reported',
      },
      on: {
        // Forced while it starts services again: what is not back yet stays down.
        FORCE: { target: 'reported', actions: 'recordLateForce' },
        SERVICE_SPAWNED: { actions: { type: 'tellParent', params: ({ event }) => event } },
        SERVICE_READY: { actions: { type: 'tellParent', params: ({ event }) => event } },
        SHUTDOWN_URL_PROBED: { actions: { type: 'tellParent', params: ({ event }) => event } },
        SERVICE_START_FAILED: { actions: { type: 'tellParent', params: ({ event }) => event } },
      },
    },
    reported: { type: 'final' },
  },
  output: ({ context }) => {
    const outputs: Record<string, ServiceOutput> = {};
    const verified: Record<string, boolean> = {};
    const left: Record<string, string> = {};
    for (const name of context.names) {
      const result = resultOf(context, name);
      if (result) outputs[name] = result;
      const verdict = context.verdicts[name];
      verified[name] = verdict?.verified ?? false;
      if (verdict?.left) left[name] = verdict.left;
    }
    const report = buildReport({
      waves: context.waves,
      outputs,
      verified,
      left,
      verification: context.verification,
      originMs: context.originMs,
      startedAt: context.startedAt,
      endedMs: performance.now(),
      rolledBack: context.rolledBack,
      restarts: context.restarts,
    });
    return { report, forcedAfterAsking: context.forcedAfterAsking };
  },
});
