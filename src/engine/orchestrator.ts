/**
 * `createOrchestrator`: the embeddable engine. It turns a resolved config into
 * the parent statechart's input, runs it with the real actors, and translates
 * what the machines do into events and promises for callers.
 */
import { createActor, type Actor, type InspectionEvent } from 'xstate';
import type { OrchestratorInput } from '../../machines/orchestrator.js';
import type { LoggedTransition } from '../../machines/service.js';
import type { ServiceState, ShutdownReport } from '../../machines/types.js';
import type { StopOrder } from '../../machines/waves.js';
import { resolveConfig } from '../config/resolve.js';
import type { FailurePolicy, ResolvedConfig } from '../config/types.js';
import type { TierdownListener } from '../events.js';
import { plannedService } from './plan.js';

export { plannedService };
import { detachServices } from '../actors/process/detach.js';
import { serviceAlive } from '../actors/process/signal.js';
import { fitInputToGrace } from './grace.js';
import { provideMachines } from './provide.js';
import { warmHttpClient } from './warm-http.js';
import { createRun, type EngineTiming, type Run } from './run.js';
import { describeWaiting, type ServiceStatus } from './status.js';

export interface OrchestratorOptions {
  /** `none` stops every service at once instead of in dependency waves. */
  order?: StopOrder;
  /** Overrides the config's `on_failure`. */
  onFailure?: FailurePolicy;
  /** Receives every XState inspection event (Stately inspector, debugging). */
  inspect?: (event: InspectionEvent) => void;
  /** `--grace` in ms: budgets are fitted into it and what is left is forced before its end. */
  graceMs?: number;
  /** Polling intervals; tests shorten them. */
  timing?: Partial<EngineTiming>;
}

export interface Orchestrator {
  readonly config: ResolvedConfig;
  /** Starts every service in dependency order; resolves once all are ready. */
  start(): Promise<void>;
  /** Runs the tiered shutdown of all services, or of `services` and their dependents. */
  shutdown(services?: string[]): Promise<ShutdownReport>;
  /** Sends every service that is still stopping (or not yet asked) to `forceKill`. */
  force(): void;
  /** Listens to engine events; returns the unsubscribe function. */
  subscribe(listener: TierdownListener): () => void;
  /** A row per service: state, pid, and what it is waiting on. */
  status(): ServiceStatus[];
  /** True once every service has a final state and the engine has stopped. */
  readonly finished: boolean;
  /**
   * Stops supervising and lets the engine exit while the services still
   * running keep running (their output goes to `<logDir>/<name>.<stream>.log`).
   * Returns what was left running.
   */
  detach(logDir: string): { name: string; pid: number }[];
}

/** Thrown by `start()` when a service cannot start or never becomes ready. */
export class StartError extends Error {
  override name = 'StartError';
  readonly code = 'TIERDOWN_START_FAILED';
  /** @param interrupted true when a stop was asked for mid-start, rather than a service failing. */
  constructor(
    message: string,
    readonly interrupted = false,
  ) {
    super(message);
  }
}

// Turns each service machine's growing transition log into `transition` events.
function transitionForwarder(run: Run, origin: () => number) {
  const seen = new Map<string, number>();
  return (event: InspectionEvent) => {
    if (event.type !== '@xstate.snapshot') return;
    const context = (event.snapshot as { context?: { name?: string; transitions?: LoggedTransition[] } }).context;
    if (!context?.transitions || typeof context.name !== 'string') return;
    const key = event.actorRef.sessionId;
    const already = seen.get(key) ?? 0;
    const { transitions, name } = context;
    for (let index = already; index < transitions.length; index++) {
      const from: ServiceState = index === 0 ? 'idle' : transitions[index - 1].to;
      const { to, at, reason } = transitions[index];
      run.emit({ type: 'transition', service: name, from, to, atMs: Math.round((at - origin()) * 10) / 10, reason });
    }
    seen.set(key, transitions.length);
  };
}

/**
 * Creates the engine for a stack. `config` is what `loadConfig` returns, or a
 * plain object in the config file's shape (checked the same way; a bad one
 * throws `ConfigError`).
 */
export function createOrchestrator(config: ResolvedConfig | Record<string, unknown>, options: OrchestratorOptions = {}): Orchestrator {
  const resolved = isResolved(config) ? config : resolveConfig(config);
  return orchestrate(resolved, options);
}

function isResolved(config: ResolvedConfig | Record<string, unknown>): config is ResolvedConfig {
  return Array.isArray(config.services) && typeof config.source === 'string';
}

function orchestrate(config: ResolvedConfig, options: OrchestratorOptions): Orchestrator {
  const run = createRun(config, options.timing);
  let originMs = performance.now();
  let actor: Actor<ReturnType<typeof provideMachines>> | undefined;
  // Times count from the current stop's start, as the machine recorded it.
  const forward = transitionForwarder(run, () => actor?.getSnapshot().context.stop?.originMs ?? originMs);
  const planned: OrchestratorInput = {
    services: config.services.map(plannedService),
    onFailure: options.onFailure ?? config.onFailure,
    order: options.order ?? 'dependency',
  };
  const input = options.graceMs === undefined ? planned : fitInputToGrace(planned, options.graceMs).input;
  let pendingReport: Promise<ShutdownReport> | undefined;

  const ensureActor = () => {
    if (actor) return actor;
    actor = createActor(provideMachines(run), {
      input,
      inspect: (event) => {
        forward(event);
        options.inspect?.(event);
      },
    });
    actor.on('STOP_STARTED', ({ names, waves, forced }) => run.emit({ type: 'shutdownStarted', services: names, waves, forced }));
    actor.on('REPORT', ({ report }) => run.emit({ type: 'report', report }));
    // Every service is final: nothing is left for the watchdog to guard.
    actor.subscribe({
      complete: () => {
        run.watchdog.release();
        run.notify.close();
      },
    });
    actor.start();
    return actor;
  };

  const stamp = () => {
    originMs = performance.now();
    return { originMs, startedAt: new Date().toISOString() };
  };

  return {
    config,
    get finished() {
      return actor?.getSnapshot().status === 'done';
    },
    start: () =>
      new Promise<void>((resolve, reject) => {
        // While the services start: so the first POST /shutdown does not pay undici's start-up.
        if (input.services.some((service) => service.steps.includes('http'))) void warmHttpClient();
        const running = ensureActor();
        const check = () => {
          const snapshot = running.getSnapshot();
          if (snapshot.context.startError) {
            subscription.unsubscribe();
            reject(new StartError(snapshot.context.startError));
          } else if (snapshot.matches('running')) {
            subscription.unsubscribe();
            resolve();
          } else if (!snapshot.matches('starting')) {
            // A stop asked for mid-start (Ctrl-C, `tierdown down`) ends the start: never leave the caller waiting.
            subscription.unsubscribe();
            reject(new StartError('shut down before every service was ready', true));
          }
        };
        const subscription = running.subscribe({ next: check, error: reject });
        check();
      }),
    shutdown: (services) => {
      const running = ensureActor();
      if (pendingReport) return pendingReport;
      const snapshot = running.getSnapshot();
      if (snapshot.status === 'done') return Promise.resolve(snapshot.output as ShutdownReport);
      pendingReport = new Promise<ShutdownReport>((resolve) => {
        const subscription = running.on('REPORT', ({ report }) => {
          subscription.unsubscribe();
          pendingReport = undefined;
          resolve(report);
        });
      });
      const stop = snapshot.context.stop;
      if (!stop) running.send({ type: 'SHUTDOWN', services, ...stamp() });
      return pendingReport;
    },
    force: () => {
      const running = ensureActor();
      const stopping = running.getSnapshot().context.stop !== null;
      running.send({ type: 'FORCE', ...(stopping ? { originMs, startedAt: '' } : stamp()) });
    },
    subscribe: (listener) => {
      run.listeners.add(listener);
      return () => run.listeners.delete(listener);
    },
    status: () => describeWaiting(run, actor?.getSnapshot()),
    detach: (logDir) => {
      const left = [...run.processes.values()].filter(serviceAlive);
      actor?.stop();
      run.watchdog.release();
      run.notify.close();
      detachServices(left, logDir);
      return left.map(({ name, pid }) => ({ name, pid }));
    },
  };
}
