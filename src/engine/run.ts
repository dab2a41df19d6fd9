/**
 * Everything one run of the engine shares between its actors: the resolved
 * config, the services' secret tokens, the processes it started, its timing knobs,
 * and the channel to subscribers.
 */
import { randomBytes } from 'node:crypto';
import type { ResolvedConfig, ResolvedService } from '../config/types.js';
import type { TierdownEvent, TierdownListener } from '../events.js';
import { MARKER_VARIABLE, type ServiceProcess } from '../actors/process/spawn.js';
import { createWatchdog, type Watchdog } from '../actors/process/watchdog.js';
import { gateOf, OPEN_GATE, type OutputGate } from '../text/output-gate.js';
import type { Writable } from 'node:stream';
import { createRunDispatchers, type RunDispatchers } from '../actors/http-dispatchers.js';
import { portOwnerCheck } from '../actors/http-port-check.js';
import { createNotifyHub, type NotifyHub } from '../notify/hub.js';
import { releaseRunCgroups, runCgroupDir } from '../actors/process/cgroup.js';
import { releaseProcesses } from '../actors/process/release.js';
import { createRunTokens, type RunTokens } from './tokens.js';

/** Polling intervals of the engine; tests shorten them, production keeps these. */
export interface EngineTiming {
  /** Readiness and URL-down polling. */
  pollMs: number;
  /** First re-check of a group after its main process exited (doubles up to max). */
  firstExitPollMs: number;
  maxExitPollMs: number;
  /** Per check during verification. */
  verifyTimeoutMs: number;
}

export const DEFAULT_TIMING: EngineTiming = { pollMs: 25, firstExitPollMs: 1, maxExitPollMs: 50, verifyTimeoutMs: 250 };

export interface Run {
  config: ResolvedConfig;
  /** The bearer tokens for `POST /shutdown`, one per local service and spawn; never printed or reported. */
  tokens: RunTokens;
  id: string;
  processes: Map<string, ServiceProcess>;
  timing: EngineTiming;
  emit: (event: TierdownEvent) => void;
  listeners: Set<TierdownListener>;
  service: (name: string) => ResolvedService;
  /** Kills the run's services if the engine dies; armed at the first spawn, released when the run ends. */
  watchdog: Watchdog;
  /** Back-pressure of the stream the services' output goes to: their pipes wait while it is full. */
  outputGate: OutputGate;
  /** Each service's keep-alive HTTP dispatcher (readiness, shutdown, URL polls; with its own TLS files); closed when the run ends. */
  http: RunDispatchers;
  /** Every local service's NOTIFY_SOCKET (src/notify); closed when the run ends. */
  notify: NotifyHub;
  /** The last answer of each starting service's readiness check (status.ts shows it beside what it waits on). */
  readinessAnswers: Map<string, string>;
  /** The run's parent cgroup (one child per service), or undefined where cgroups are unavailable. */
  cgroupDir: string | undefined;
}

export function createRun(config: ResolvedConfig, timing: Partial<EngineTiming> = {}, output?: Writable): Run {
  const listeners = new Set<TierdownListener>();
  const byName = new Map(config.services.map((service) => [service.name, service]));
  const id = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const emit = (event: TierdownEvent) => {
    for (const listener of listeners) listener(event);
  };
  const cgroupDir = runCgroupDir(id);
  const tokens = createRunTokens();
  const processes = new Map<string, ServiceProcess>();
  // Every new connection to a local service's port is checked to be the service's own (http-port-check.ts).
  const connectionCheckOf = (name: string) => {
    const service = byName.get(name);
    return service && portOwnerCheck(service, () => processes.get(name));
  };
  const watchdog = createWatchdog(id, MARKER_VARIABLE, cgroupDir);
  return {
    cgroupDir,
    config,
    tokens,
    id,
    watchdog,
    outputGate: output ? gateOf(output) : OPEN_GATE,
    processes,
    http: createRunDispatchers(connectionCheckOf),
    readinessAnswers: new Map(),
    notify: createNotifyHub(
      (service, notification) => emit({ type: 'notified', service, ...notification }),
      tokens.sanitize,
      (folder) => watchdog.removes(folder),
    ),
    timing: { ...DEFAULT_TIMING, ...timing },
    listeners,
    emit,
    service: (name) => {
      const service = byName.get(name);
      if (!service) throw new Error(`unknown service ${name}`);
      return service;
    },
  };
}

/**
 * The end of a run, after its report is handed over: a caller awaiting
 * `shutdown()` should not wait for 200 notify sockets to be unlinked and 200
 * cgroups removed (~50 ms at the end of a 200-service stop). The watchdog is
 * released before, at once: a caller that exits on the report must not leave it
 * to kill services handed over on purpose (`detach`).
 *
 * Two halves. What would outlive the process — the notify sockets' files and
 * folder, the run's empty cgroups — is removed first, and `then` (whenFinished)
 * comes right after it. Closing the run's handles (the sockets themselves, the
 * services' pipes, the HTTP connections) only matters to a process that lives on:
 * it comes a turn later, so `up`, which exits once the run is over, does not wait
 * for it (the kernel closes them: about half of the end of a 1000-service run,
 * bench/README.md). If the engine exits before the first half
 * ran (`await shutdown(); process.exit()`), that half runs on the way out.
 */
export function endRunSoon(run: Run, detached: boolean, then: () => void): void {
  run.watchdog.release();
  let removed = false;
  const removeLeftovers = () => {
    if (removed) return;
    removed = true;
    process.off('exit', removeLeftovers);
    run.notify.removeFiles();
    if (!detached) releaseRunCgroups(run.cgroupDir);
  };
  process.once('exit', removeLeftovers);
  setImmediate(() => {
    removeLeftovers();
    then();
    setImmediate(() => {
      run.notify.close();
      void run.http.close();
      if (!detached) releaseProcesses(run.processes.values());
    });
  });
}
