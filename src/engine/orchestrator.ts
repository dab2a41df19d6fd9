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
import { detachServices } from '../actors/process/detach.js';
import { serviceAlive } from '../actors/process/signal.js';
import { fitInputToGrace } from './grace.js';
import { provideMachines } from './provide.js';
import { warmHttpClient } from './warm-http.js';
import { warmMachines } from './warm-machines.js';
import { createRun, endRunSoon, type EngineTiming, type Run } from './run.js';
import { describeStatus, type ServiceStatus } from './status.js';
import { checkServiceNames } from './service-names.js';
import { startCoveredBy } from '../../machines/start-plan.js';
import { handleStopSignals, type StopSignals } from './stop-signals.js';
import type { SignalStep } from '../../machines/orchestrator.js';

export { orchestratorInput, plannedService };
import { TierdownError } from '../errors.js';
import { checkOrchestratorOptions } from './options.js';

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

/** How a stop is asked for beyond which services it covers. */
export interface StopOptions {
  /** This stop's failure policy, instead of the run's (`down --on-failure escalate` for a stack whose service always refuses). */
  onFailure?: FailurePolicy;
  /** A forced stop: every service goes straight to `forceKill`, as a second Ctrl-C does (`down --force`). */
  force?: boolean;
}

export interface Orchestrator {
  readonly config: ResolvedConfig;
  /**
   * Starts `services` and what they depend on (none named: every service), in
   * dependency order, each waiting for readiness; resolves, once they are all
   * ready, with the names of the services this call started. The first call is
   * the stack's first start (the others stay not started); a later one starts
   * what is missing of a running stack, leaving the rest as it is, and resolves
   * at once when nothing is missing. Asked for while the stack starts or a stop
   * runs, it waits for that to end (docs/cli.md, `tierdown start`).
   *
   * @throws {UnknownServiceError} (rejects) when a name is not a service of the stack.
   * @throws {StartError} (rejects) when a service cannot start or never becomes ready, or the run ended first.
   */
  start(services?: string[]): Promise<string[]>;
  /**
   * Runs the tiered shutdown of all services, or of `services` and their
   * dependents. Asked for during another stop, it joins that stop when it covers
   * the same services, or runs right after it.
   *
   * @throws {UnknownServiceError} (rejects) when a name is not a service of the stack.
   */
  shutdown(services?: string[], options?: StopOptions): Promise<ShutdownReport>;
  /**
   * Tiered stop of `services` and their dependents, then starts them again in
   * dependency order, each waiting for readiness. Resolves with that stop's report.
   *
   * @throws {UnknownServiceError} (rejects) when a name is not a service of the stack, or none is given.
   */
  restart(services: string[]): Promise<ShutdownReport>;
  /** Sends every service that is still stopping (or not yet asked) to `forceKill`. */
  force(): void;
  /**
   * A stop signal (SIGINT/SIGTERM) for the statechart, which decides what it
   * means now: the tiered stop, forcing it, or — the step returned as `exit` —
   * that the caller should exit at once. Undefined once the run is over.
   */
  signal(signal: NodeJS.Signals): SignalStep | undefined;
  /** Listens to engine events; returns the unsubscribe function. */
  subscribe(listener: TierdownListener): () => void;
  /**
   * A row per service: its state, pid, uptime, readiness, restarts, last exit, and what it is waiting on.
   * With `around`, only the rows a change to those services can touch (theirs and their dependents').
   */
  status(around?: readonly string[]): ServiceStatus[];
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
   * Returns what was left running; nothing once a stop has begun.
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
  checkOrchestratorOptions(options);
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
  // The current stop's clock, as the machine started it: transition times count from it.
  let originMs = performance.now();
  let actor: Actor<ReturnType<typeof provideMachines>> | undefined;
  const planned = orchestratorInput(config, options);
  // --grace: budgets fitted into it, what is left forced before its end (src/engine/grace.ts).
  const fitted = options.graceMs === undefined ? planned : fitInputToGrace(planned, options.graceMs).input;
  // What each service's `verified` rests on goes beside it in the report.
  let input: typeof fitted = { ...fitted, verification: verificationOf(config, run), exitSettleMs: run.timing.maxExitPollMs };
  // Each stop request gets an id; the machine names the ids each report answers.
  let nextRequest = 1;
  const waiting = new Map<number, (report: ShutdownReport) => void>();
  let finished: Promise<ShutdownReport> | undefined;
  // How the start went, as the machine announces it (settled once).
  let started: Promise<void> = Promise.resolve();
  // Starts asked for after the first (START requests), by request id.
  const starting = new Map<number, { resolve: (started: string[]) => void; reject: (error: StartError) => void }>();
  let firstStartAsked = false;
  // What a detach hands over (the machine's `detached` state).
  let detached = false;
  let left: { name: string; pid: number }[] = [];

  const ensureActor = () => {
    if (actor) return actor;
    const created = createActor(provideMachines(run, () => originMs), { input, inspect: options.inspect });
    actor = created;
    created.on('STOP_STARTED', (stop) => {
      originMs = stop.originMs;
      run.emit({ type: 'shutdownStarted', services: stop.names, waves: stop.waves, forced: stop.forced });
    });
    created.on('START_ANSWERED', ({ requestIds, started: names, failure, interrupted }) => {
      for (const id of requestIds) {
        if (failure === null) starting.get(id)?.resolve(names);
        else starting.get(id)?.reject(new StartError(failure, interrupted));
        starting.delete(id);
      }
    });
    created.on('REPORT', ({ report, requestIds }) => {
      run.emit({ type: 'report', report });
      for (const id of requestIds) {
        waiting.get(id)?.(report);
        waiting.delete(id);
      }
    });
    started = new Promise<void>((resolve, reject) => {
      created.on('STARTED', () => resolve());
      created.on('START_FAILED', ({ message }) => reject(new StartError(message)));
      // A stop asked for mid-start (Ctrl-C, `tierdown down`) ends the start: never leave the caller waiting.
      created.on('START_INTERRUPTED', () => reject(new StartError('shut down before every service was ready', true)));
      created.on('DETACHED', () => resolve());
    });
    // A caller that never awaits start() must not see an unhandled rejection.
    started.catch(() => undefined);
    created.on('DETACHED', () => {
      // The services run on: nobody watches them any more, so they must not die with the engine.
      detached = true;
      left = [...run.processes.values()].filter(serviceAlive).map(({ name, pid }) => ({ name, pid }));
    });
    finished = new Promise((resolve) => {
      created.subscribe({
        complete: () => {
          const report = created.getSnapshot().output ?? emptyReport();
          for (const settle of waiting.values()) settle(report);
          waiting.clear();
          for (const { reject } of starting.values()) reject(new StartError('the run ended before the start', true));
          starting.clear();
          // Every service is final (or handed over): the run's socket files and cgroups go once the report is out,
          // whenFinished() resolves after that, and the run's handles close a turn later (run.ts).
          endRunSoon(run, detached, () => resolve(report));
        },
      });
    });
    created.start();
    return created;
  };

  const request = (event: { type: 'SHUTDOWN'; services?: string[] } & StopOptions | { type: 'RESTART'; services: string[] }) => {
    try {
      checkServiceNames(config, event.services ?? [], { required: event.type === 'RESTART' });
    } catch (error) {
      return Promise.reject(error);
    }
    const running = ensureActor();
    if (running.getSnapshot().status === 'done') return finished ?? Promise.resolve(emptyReport());
    const requestId = nextRequest++;
    const answer = new Promise<ShutdownReport>((resolve) => waiting.set(requestId, resolve));
    running.send({ ...event, requestId });
    return answer;
  };

  // A START for a stack already started: answered by the machine's START_ANSWERED.
  const startMore = (services: string[]) => {
    const running = ensureActor();
    if (running.getSnapshot().status === 'done') return Promise.reject(new StartError('the run is over: nothing runs to start services in'));
    const requestId = nextRequest++;
    const answer = new Promise<string[]>((resolve, reject) => starting.set(requestId, { resolve, reject }));
    running.send({ type: 'START', services, requestId });
    return answer;
  };

  return {
    config,
    get finished() {
      return actor?.getSnapshot().status === 'done';
    },
    start: (services = []) => {
      try {
        checkServiceNames(config, services);
      } catch (error) {
        return Promise.reject(error);
      }
      if (firstStartAsked) return startMore(services);
      firstStartAsked = true;
      // `up SERVICE...`: the first start's scope is the machine's input.
      if (!actor && services.length) input = { ...input, only: services };
      // While the services start: so the first POST /shutdown does not pay undici's start-up.
      if (input.services.some((service) => service.steps.includes('http'))) void warmHttpClient();
      ensureActor();
      // While the services start: so the first stop does not pay XState's and the machines' first run.
      // start() waits for it too: a stop asked right after a quick start otherwise waited for the warm-up's
      // CPU, and its SIGTERM landed 1-30 ms late (warm-machines.ts); a start slower than it waits for nothing.
      const warmed = new Promise<unknown>((resolve) => setImmediate(() => void warmMachines(input).then(resolve, resolve)));
      return Promise.all([started, warmed]).then(() => startCoveredBy(input.services, input.only ?? null));
    },
    shutdown: (services, stopOptions = {}) => request({ type: 'SHUTDOWN', services, ...stopOptions }),
    restart: (services) => request({ type: 'RESTART', services }),
    force: () => ensureActor().send({ type: 'FORCE' }),
    signal: (signal) => {
      const running = ensureActor();
      if (running.getSnapshot().status === 'done') return undefined;
      let step: SignalStep | undefined;
      // The statechart answers at once: emitted events are delivered during send.
      const subscription = running.on('SIGNAL_ANSWERED', (answer) => (step = answer.step));
      running.send({ type: 'SIGNAL', signal });
      subscription.unsubscribe();
      return step;
    },
    subscribe: (listener) => {
      run.listeners.add(listener);
      return () => run.listeners.delete(listener);
    },
    status: (around) => describeStatus(run, actor?.getSnapshot(), around),
    whenFinished: () => {
      ensureActor();
      return finished ?? Promise.resolve(emptyReport());
    },
    detach: (logDir) => {
      ensureActor().send({ type: 'DETACH' });
      detachServices(left.flatMap(({ name }) => run.processes.get(name) ?? []), logDir);
      const handedOver = left;
      left = [];
      return handedOver;
    },
  };
}

// A run stopped before anything could report (the engine was stopped from outside).
function emptyReport(): ShutdownReport {
  return { outcome: 'stopped', startedAt: new Date().toISOString(), durationMs: 0, waves: [], services: [], earlier: [] };
}
