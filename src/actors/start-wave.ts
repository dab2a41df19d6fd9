/**
 * The `startWave` actor: spawns every service of one start wave at once,
 * reports each pid as soon as it exists (so its machine can watch and stop it
 * even if the wave is abandoned), waits for readiness, and resolves `auto` tiers.
 * What a failure means (and when it is told) is the start sequence's to decide
 * (machines/start-sequence.ts).
 */
import { setMaxListeners } from 'node:events';
import { fromCallback } from 'xstate';
import type { StartEvent } from '../../machines/start-events.js';
import type { Run } from '../engine/run.js';
import { killProcessTree } from './process/signal.js';
import { spawnService, SpawnError } from './process/spawn.js';
import type { ProgramsFound } from '../config/spawn-checks.js';
import { serviceCgroup, type ServiceCgroup } from './process/cgroup.js';
import { PathEscapeError } from '../files/contained.js';
import { ReadinessError, waitReady } from './readiness.js';
import { probeShutdownUrl } from './auto-tier.js';
import { serviceDispatcher } from './http-dispatchers.js';
import { NOTIFY_VARIABLE } from '../notify/hub.js';

function cgroupOf(run: Run, name: string): ServiceCgroup | undefined {
  try {
    return serviceCgroup(run.cgroupDir, name);
  } catch (error) {
    const why = error instanceof PathEscapeError ? error.message : ((error as NodeJS.ErrnoException).code ?? String(error));
    throw new SpawnError(`cannot create the cgroup of ${JSON.stringify(name)}: ${why}`);
  }
}

async function startOne(run: Run, name: string, sendBack: (event: StartEvent) => void, signal: AbortSignal, programs: ProgramsFound): Promise<void> {
  const service = run.service(name);
  // Armed before the spawn: an engine killed a moment later still takes the service with it.
  if (service.command) run.watchdog.arm();
  const handle = service.command
    ? await spawnService({
        name,
        command: service.command,
        cwd: service.cwd,
        // The service's own NOTIFY_SOCKET of ours, only its user may send to; it replaces any tierdown itself was given.
        env: { ...service.env, [NOTIFY_VARIABLE]: run.notify.socketFor(name, service.runAs) },
        // Its own token, fresh at each spawn (docs/security.md#one-token-per-service).
        token: run.tokens.issue(name),
        marker: `${run.id}/${name}`,
        runAs: service.runAs,
        cgroup: cgroupOf(run, name),
        programs,
        // A service's output is hostile text: no token, no terminal control sequences.
        onLine: (stream, line) => run.emit({ type: 'log', service: name, stream, line: run.tokens.sanitize(line) }),
        outputGate: run.outputGate,
      })
    : undefined;
  if (handle && signal.aborted) {
    // The run was stopped while this one was being spawned: nobody will watch
    // it, and it was never ready, so it goes at once rather than leak.
    killProcessTree(handle);
    return;
  }
  if (handle) {
    run.processes.set(name, handle);
    run.watchdog.guard(handle);
  }
  run.readinessAnswers.delete(name);
  sendBack({ type: 'SERVICE_SPAWNED', name, pid: handle?.pid ?? null });
  run.emit({ type: 'spawned', service: name, pid: handle?.pid ?? null });
  if (handle) {
    void handle.mainExited.then((exit) => run.emit({ type: 'mainExited', service: name, ...exit }));
  }
  await waitReady(service.ready, handle, { pollMs: run.timing.pollMs, signal, dispatcher: serviceDispatcher(run.http, service),
    notified: service.command ? run.notify.ready(name) : undefined,
    // Told only when it changes: a check every 25 ms must not flood the views.
    onAnswer: (answer) => {
      if (run.readinessAnswers.get(name) === answer) return;
      run.readinessAnswers.set(name, answer);
      run.emit({ type: 'readinessAnswer', service: name, answer });
    },
  });
  run.readinessAnswers.delete(name);
  // `auto`: its machine chooses its steps from what the probe got.
  if (service.tier.auto) sendBack({ type: 'SHUTDOWN_URL_PROBED', name, ...(await probeShutdownUrl(service, { timeoutMs: service.timeouts.http, signal, dispatcher: serviceDispatcher(run.http, service) })) });
  sendBack({ type: 'SERVICE_READY', name, checked: service.ready.kind !== 'started' });
  run.emit({ type: 'ready', service: name });
}

export function startWaveActor(run: Run) {
  return fromCallback<StartEvent, { names: string[] }>(({ sendBack, input }) => {
    const abort = new AbortController();
    // One abort listener per service still waiting on readiness is expected: a wave of 11
    // or more must not print Node's MaxListenersExceededWarning ("possible memory leak").
    setMaxListeners(input.names.length + 10, abort.signal);
    // The wave's services share their PATH lookups (most run the same few programs).
    const programs: ProgramsFound = new Map();
    void (async () => {
      const results = await Promise.allSettled(input.names.map((name) => startOne(run, name, sendBack, abort.signal, programs)));
      if (abort.signal.aborted) return;
      const failed = results.findIndex((result) => result.status === 'rejected');
      if (failed < 0) return sendBack({ type: 'WAVE_READY' });
      const result = results[failed];
      const reason: unknown = result.status === 'rejected' ? result.reason : undefined;
      const message = reason instanceof Error ? reason.message : String(reason);
      const exitedBeforeReady = reason instanceof ReadinessError && reason.code === 'TIERDOWN_EXITED_BEFORE_READY';
      sendBack({ type: 'START_FAILED', name: input.names[failed], message, exitedBeforeReady });
    })();
    return () => abort.abort();
  });
}
