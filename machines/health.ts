/**
 * A running service's health checks (docs/config.md#healthcheck, docs/restart.md):
 * after its start period a check every `interval`, each given `timeout`;
 * `retries` failures in a row make it unhealthy, one pass makes it healthy
 * again. Turning unhealthy, it asks for a restart when its restart policy
 * says so and restarts are left — the tiered stop and the start are the
 * supervisor's (machines/supervisor.ts). The orchestrator spawns one of these
 * per running service that has a `healthcheck:`; what one check does is the
 * named `probe` actor, supplied by src/ (src/actors/healthcheck.ts).
 */
import { assign, fromPromise, sendParent, setup } from 'xstate';
import { restartsLeft } from './supervisor.js';
import type { HealthTiming, RestartPolicy } from './types.js';

export interface HealthInput extends HealthTiming {
  name: string;
  restart: RestartPolicy;
  /** Restarts already made in this run (the limit is `restart.maxRestarts`). */
  restartsSoFar: number;
}

export interface HealthContext extends HealthInput {
  /** Failed checks in a row. */
  failures: number;
  /** Why the last check failed, in words. */
  lastFailure: string | null;
  /** A check has passed since it was up (its parent was told so). */
  passedOnce: boolean;
}

/** One check's answer: passed, or why not ("GET /health answered 503"). */
export interface ProbeResult {
  healthy: boolean;
  detail?: string;
}

export interface ProbeInput {
  name: string;
  timeoutMs: number;
}

/** What the orchestrator learns from a service's health checks. */
export type HealthReport =
  /** `failures` checks failed in a row; `detail`: why the last one did. */
  | { type: 'SERVICE_UNHEALTHY'; name: string; failures: number; detail: string }
  /** A check passed: the first one, or the first after it was unhealthy. */
  | { type: 'SERVICE_HEALTHY'; name: string }
  /** Unhealthy, and its restart policy restarts it: a tiered stop of it alone, then a start. */
  | { type: 'RESTART_UNHEALTHY'; name: string; detail: string };

const probeInput = ({ context }: { context: HealthContext }): ProbeInput => ({ name: context.name, timeoutMs: context.timeoutMs });

const reportOf = (context: HealthContext) => ({ name: context.name, failures: context.failures, detail: context.lastFailure ?? 'check failed' });

export const healthMachine = setup({
  types: {
    input: {} as HealthInput,
    context: {} as HealthContext,
  },
  actors: {
    // One check (src/actors/healthcheck.ts); this placeholder always passes.
    probe: fromPromise<ProbeResult, ProbeInput>(async () => ({ healthy: true })),
  },
  actions: {
    countFailure: assign(({ context }, params: { detail: string }) => ({ failures: context.failures + 1, lastFailure: params.detail })),
    resetFailures: assign({ failures: 0, lastFailure: null }),
    reportUnhealthy: sendParent(({ context }): HealthReport => ({ type: 'SERVICE_UNHEALTHY', ...reportOf(context) })),
    reportHealthy: sendParent(({ context }): HealthReport => ({ type: 'SERVICE_HEALTHY', name: context.name })),
    recordPass: assign({ passedOnce: true }),
    askRestart: sendParent(({ context }): HealthReport => ({ type: 'RESTART_UNHEALTHY', name: context.name, detail: reportOf(context).detail })),
  },
  guards: {
    passed: (_, params: { result: ProbeResult }) => params.result.healthy,
    firstPass: ({ context }, params: { result: ProbeResult }) => params.result.healthy && !context.passedOnce,
    retriesReached: ({ context }) => context.failures >= context.retries,
    // `on-failure` and `always` both restart an unhealthy service, while restarts are left.
    restartsUnhealthy: ({ context }) => context.restart.policy !== 'no' && restartsLeft(context.restart, context.restartsSoFar),
  },
  delays: {
    startPeriod: ({ context }) => context.startPeriodMs,
    checkInterval: ({ context }) => context.intervalMs,
    checkTimeout: ({ context }) => context.timeoutMs,
  },
}).createMachine({
  id: 'health',
  context: ({ input }) => ({ ...input, failures: 0, lastFailure: null, passedOnce: false }),
  initial: 'startPeriod',
  states: {
    // Time to settle after it is up: no check counts yet.
    startPeriod: { after: { startPeriod: 'healthy' } },
    healthy: {
      initial: 'waiting',
      states: {
        waiting: { after: { checkInterval: 'checking' } },
        checking: {
          invoke: {
            src: 'probe',
            input: probeInput,
            onDone: [
              { guard: { type: 'firstPass', params: ({ event }) => ({ result: event.output }) }, target: 'waiting', actions: ['resetFailures', 'recordPass', 'reportHealthy'] },
              { guard: { type: 'passed', params: ({ event }) => ({ result: event.output }) }, target: 'waiting', actions: 'resetFailures' },
              { target: 'failed', actions: { type: 'countFailure', params: ({ event }) => ({ detail: event.output.detail ?? 'check failed' }) } },
            ],
            onError: { target: 'failed', actions: { type: 'countFailure', params: ({ event }) => ({ detail: String(event.error) }) } },
          },
          after: { checkTimeout: { target: 'failed', actions: { type: 'countFailure', params: ({ context }) => ({ detail: `no answer within ${context.timeoutMs} ms` }) } } },
        },
        failed: { always: [{ guard: 'retriesReached', target: '#health.unhealthy' }, { target: 'waiting' }] },
      },
    },
    unhealthy: {
      entry: 'reportUnhealthy',
      initial: 'deciding',
      states: {
        deciding: { always: [{ guard: 'restartsUnhealthy', target: '#health.restartAsked' }, { target: 'waiting' }] },
        // Left as it is (restart: no, or no restarts left): checked on, healthy again at the first pass.
        waiting: { after: { checkInterval: 'checking' } },
        checking: {
          invoke: {
            src: 'probe',
            input: probeInput,
            onDone: [
              { guard: { type: 'passed', params: ({ event }) => ({ result: event.output }) }, target: '#health.healthy', actions: ['resetFailures', 'recordPass', 'reportHealthy'] },
              { target: 'waiting' },
            ],
            onError: 'waiting',
          },
          after: { checkTimeout: 'waiting' },
        },
      },
    },
    // The supervisor takes it from here; a new process gets a new health chart.
    restartAsked: { type: 'final', entry: 'askRestart' },
  },
});
