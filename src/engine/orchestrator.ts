/**
 * `createOrchestrator`: the embeddable engine. It turns a resolved config into
 * the parent statechart's input, runs it with the real actors, and translates
 * what the machines do into events and promises for callers.
 */
import type { Writable } from 'node:stream';
import { createActor, type Actor, type InspectionEvent } from 'xstate';
import type { ShutdownReport, VerificationMethod } from '../../machines/types.js';
import { resolveConfig } from '../config/resolve.js';
import type { FailurePolicy, ResolvedConfig } from '../config/types.js';
import type { StopOrder } from '../../machines/waves.js';
import type { TierdownListener } from '../events.js';
import { orchestratorInput, plannedService } from './plan.js';

export { orchestratorInput, plannedService };
import { detachServices } from '../actors/process/detach.js';
import { serviceAlive } from '../actors/process/signal.js';
import { fitInputToGrace } from './grace.js';
import { releaseProcesses } from '../actors/process/release.js';
import { provideMachines } from './provide.js';
import { warmHttpClient } from './warm-http.js';
import { warmMachines } from './warm-machines.js';
import { createRun, type EngineTiming, type Run } from './run.js';
import { describeWaiting, type ServiceStatus } from './status.js';
import { handleStopSignals, type StopSignals } from './signal-ladder.js';
import { trackLifetimes } from './lifetimes.js';
import { TierdownError } from '../errors.js';

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
  /**
   * Where the services' output ends up (the CLI's stdout): while it cannot take
   * more, their pipes are not read, so memory stays bounded (docs/security.md).
   */
  output?: Writable;
  /**
   * Wire SIGINT/SIGTERM to the stop ladder the CLI uses: the first asks for the
   * tiered shutdown, the second forces it, the third exits at once. Off by
   * default: a library installs no signal handlers unless asked.
   */
  handleSignals?: boolean;
}

export interface Orchestrator {
  readonly config: ResolvedConfig;
  /** Starts every service in dependency order; resolves once all are ready. */
  start(): Promise<void>;
  /**
   * Runs the tiered shutdown of all services, or of `services` and their
   * dependents. Asked for during another stop, it joins that stop when it covers
   * the same services, or runs right after it.
   */
  shutdown(services?: string[]): Promise<ShutdownReport>;
  /**
   * Tiered stop of `services` and their dependents, then starts them again in
   * dependency order, each waiting for readiness. Resolves with that stop's report.
   */
  restart(services: string[]): Promise<ShutdownReport>;
  /** Sends every service that is still stopping (or not yet asked) to `forceKill`. */
  force(): void;
  /** Listens to engine events; returns the unsubscribe function. */
  subscribe(listener: TierdownListener): () => void;
  /** A row per service: state, pid, uptime, readiness, restarts, last exit, and what it is waiting on. */
  status(): ServiceStatus[];
  /** True once every service has a final state and the engine has stopped. */
  readonly finished: boolean;
  /**
   * Resolves when the run is over — stopped, or every service ended by itself
   * and none is coming back — with the run's report (the last stop on top, every
   * earlier stop in `earlier`).
   */
  whenFinished(): Promise<ShutdownReport>;
  /**
   * Stops supervising and lets the engine exit while the services still
   * running keep running (their output goes to `<logDir>/<name>.<stream>.log`).
   * Returns what was left running.
   */
  detach(logDir: string): { name: string; pid: number }[];
}

/** Thrown by `start()` when a service cannot start or never becomes ready. */
export class StartError extends TierdownError<'TIERDOWN_START_FAILED'> {
  override name = 'StartError';
  /** @param interrupted true when a stop was asked for mid-start, rather than a service failing. */
  constructor(
    message: string,
    readonly interrupted = false,
  ) {
    super('TIERDOWN_START_FAILED', message);
  }
}

/**
 * Creates the engine for a stack. `config` is what `loadConfig` returns, or a
 * plain object in the config file's shape (checked the same way; a bad one
 * throws `ConfigError`).
 */
export function createOrchestrator(config: ResolvedConfig | Record<string, unknown>, options: OrchestratorOptions = {}): Orchestrator {
  const resolved = isResolved(config) ? config : resolveConfig(config);
  const stack = orchestrate(resolved, options);
  if (options.handleSignals) {
    const signals: StopSignals = handleStopSignals(stack, (text) => process.stderr.write(`tierdown: ${text}\n`));
    void stack.whenFinished().finally(() => signals.dispose());
  }
  return stack;
}

// What each service's `verified` will rest on (reported beside it).
function verificationOf(config: ResolvedConfig, run: Run): Record<string, VerificationMethod> {
  const methods: Record<string, VerificationMethod> = {};
  for (const service of config.services) {
    if (service.command) methods[service.name] = run.cgroupDir ? 'cgroup' : 'process-group';
    else if (service.healthUrl) methods[service.name] = 'url';
  }
  return methods;
}

function isResolved(config: ResolvedConfig | Record<string, unknown>): config is ResolvedConfig {
  return Array.isArray(config.services) && typeof config.source === 'string';
}

function orchestrate(config: ResolvedConfig, options: OrchestratorOptions): Orchestrator {
  const run = createRun(config, options.timing, options.output);
  let originMs = performance.now();
  let actor: Actor<ReturnType<typeof provideMachines>> | undefined;
  // What each service's `verified` rests on goes beside it in the report.
  const planned = orchestratorInput(config, options);
  // --grace: budgets fitted into it, what is left forced before its end (src/engine/grace.ts).
  const fitted = options.graceMs === undefined ? planned : fitInputToGrace(planned, options.graceMs).input;
  const input = { ...fitted, verification: verificationOf(config, run) };
  const lifetimes = trackLifetimes(run);
  // Each stop request gets an id; the machine names the ids each report answers.
  let nextRequest = 1;
  const waiting = new Map<number, (report: ShutdownReport) => void>();
  let finished: Promise<ShutdownReport> | undefined;

  const ensureActor = () => {
    if (actor) return actor;
    // Times count from the current stop's start, as the machine recorded it.
    const created = createActor(provideMachines(run, () => actor?.getSnapshot().context.stop?.originMs ?? originMs), {
      input,
      inspect: options.inspect,
    });
    actor = created;
    created.on('STOP_STARTED', ({ names, waves, forced }) => run.emit({ type: 'shutdownStarted', services: names, waves, forced }));
    created.on('REPORT', ({ report, requestIds }) => {
      run.emit({ type: 'report', report });
      for (const id of requestIds) {
        waiting.get(id)?.(report);
        waiting.delete(id);
      }
    });
    finished = new Promise((resolve) => {
      created.subscribe({
        complete: () => {
          // Every service is final: nothing is left for the watchdog to guard, nor pipes to read.
          run.watchdog.release();
          run.notify.close();
          releaseProcesses(run.processes.values(), run.cgroupDir);
          const report = created.getSnapshot().output ?? emptyReport();
          for (const settle of waiting.values()) settle(report);
          waiting.clear();
          resolve(report);
        },
      });
    });
    created.start();
    return created;
  };

  const stamp = () => {
    originMs = performance.now();
    return { originMs, startedAt: new Date().toISOString() };
  };

  const request = (event: { type: 'SHUTDOWN'; services?: string[] } | { type: 'RESTART'; services: string[] }) => {
    const running = ensureActor();
    if (running.getSnapshot().status === 'done') return finished ?? Promise.resolve(emptyReport());
    const requestId = nextRequest++;
    const answer = new Promise<ShutdownReport>((resolve) => waiting.set(requestId, resolve));
    // A request during a stop keeps that stop's clock; the machine queues or joins it.
    const when = running.getSnapshot().context.stop ? { originMs, startedAt: new Date().toISOString() } : stamp();
    running.send({ ...event, requestId, ...when });
    return answer;
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
        // While the services start: so the first stop does not pay XState's and the machines' first run.
        setImmediate(() => void warmMachines(input));
        const check = () => {
          const snapshot = running.getSnapshot();
          if (snapshot.context.startError) {
            subscription.unsubscribe();
            reject(new StartError(snapshot.context.startError));
          } else if (snapshot.matches('running') || (snapshot.status === 'done' && snapshot.context.report === null)) {
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
    shutdown: (services) => request({ type: 'SHUTDOWN', services }),
    restart: (services) => request({ type: 'RESTART', services }),
    force: () => {
      const running = ensureActor();
      const stopping = running.getSnapshot().context.stop !== null;
      running.send({ type: 'FORCE', ...(stopping ? { originMs, startedAt: '' } : stamp()) });
    },
    subscribe: (listener) => {
      run.listeners.add(listener);
      return () => run.listeners.delete(listener);
    },
    status: () => describeWaiting(run, actor?.getSnapshot(), lifetimes),
    whenFinished: () => {
      ensureActor();
      return finished ?? Promise.resolve(emptyReport());
    },
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

// A run stopped before anything could report (the engine was stopped from outside).
function emptyReport(): ShutdownReport {
  return { outcome: 'stopped', startedAt: new Date().toISOString(), durationMs: 0, waves: [], services: [], earlier: [] };
}
