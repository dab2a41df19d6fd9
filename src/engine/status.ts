/**
 * "Nobody should have to guess what a shutdown is blocked on" (docs/cli.md): a row
 * per service with its state and, in words, what it is waiting for.
 */
import type { SnapshotFrom } from 'xstate';
import { serviceActorId, type orchestratorMachine } from '../../machines/orchestrator.js';
import { isCrash } from '../../machines/exits.js';
import { methodOf } from '../../machines/report.js';
import type { ServiceContext } from '../../machines/service.js';
import type { ServiceState } from '../../machines/types.js';
import { dependentsOf } from '../../machines/waves.js';
import { findServiceProcesses, processSnapshot } from '../actors/process/group.js';
import type { Lifetimes } from './lifetimes.js';
import type { Run } from './run.js';

/** Where a service is in the run, beyond its stop statechart's state (for `ps`, `/healthz`). */
export type ServicePhase = 'starting' | 'running' | 'restarting' | 'stopping' | 'stopped' | 'failed' | 'exited' | 'crashed';

export interface ServiceStatus {
  name: string;
  tier: string;
  /** The state of its stop statechart (`idle` while it runs). */
  state: ServiceState;
  phase: ServicePhase;
  pid: number | null;
  /** When its current process started (ISO 8601), for uptime; null before the first start. */
  startedAt: string | null;
  /** Ready and running (a service being started or restarted is not). */
  ready: boolean;
  /** Restarts its restart policy made in this run. */
  restarts: number;
  /** Its last exit that nobody asked for, or its exit in a stop; null if none yet. */
  lastExit: { exitCode: number | null; signal: string | null; at: string } | null;
  /** Empty when the service waits on nothing (running, or final). */
  waitingOn: string;
  /** What the service says it is busy with (sd_notify `STATUS=`), if it said. */
  busy?: string;
}

type Snapshot = SnapshotFrom<typeof orchestratorMachine>;

function exitOf(run: Run, name: string): string {
  const handle = run.processes.get(name);
  if (!handle) return 'its URL to stop answering';
  const snapshot = processSnapshot(handle.marker.name, 100);
  const others = findServiceProcesses(handle.pid, handle.marker.value, snapshot).filter((entry) => entry.pid !== handle.pid);
  const main = handle.exit === null ? `exit of pid ${handle.pid}` : `exit of what is left of pid ${handle.pid}`;
  return others.length ? `${main} and ${others.length} more in its group` : main;
}

// A local service's URL is always 127.0.0.1: its path says enough; a remote one is shown whole.
function replyFrom(url: string | undefined): string {
  if (!url) return 'reply from its shutdown URL';
  const parsed = new URL(url);
  return `reply from ${parsed.hostname === '127.0.0.1' ? parsed.pathname : url}`;
}

const wallClock = (at: number) => new Date(Date.now() - (performance.now() - at)).toISOString();

function phaseOf(snapshot: Snapshot, name: string, state: ServiceState, ready: boolean): ServicePhase {
  const { context } = snapshot;
  if (context.restarting.includes(name)) return 'restarting';
  const output = context.outputs[name];
  if (output) {
    if (output.outcome === 'failed') return 'failed';
    if (methodOf(output.transitions) !== 'self') return 'stopped';
    return isCrash({ exitCode: output.exitCode, signal: output.signal }) ? 'crashed' : 'exited';
  }
  if (state !== 'idle') return 'stopping';
  return ready ? 'running' : 'starting';
}

function lastExitOf(snapshot: Snapshot, name: string): ServiceStatus['lastExit'] {
  const output = snapshot.context.outputs[name];
  const ended = output?.transitions.at(-1);
  if (output && ended && (output.exitCode !== null || output.signal !== null)) {
    return { exitCode: output.exitCode, signal: output.signal, at: wallClock(ended.at) };
  }
  const restart = snapshot.context.restarts[name]?.at(-1);
  return restart ? { exitCode: restart.exitCode, signal: restart.signal, at: restart.at } : null;
}

export function describeWaiting(run: Run, snapshot: Snapshot | undefined, lifetimes?: Lifetimes): ServiceStatus[] {
  if (!snapshot) return [];
  const { context } = snapshot;
  const dependents = dependentsOf(context.services);
  return context.services.map((planned) => {
    const child = snapshot.children[serviceActorId(context, planned.name)]?.getSnapshot() as { value: ServiceState; context: ServiceContext } | undefined;
    const state = (context.outputs[planned.name]?.outcome ?? child?.value ?? 'idle') as ServiceState;
    const pid = context.pids[planned.name] ?? null;
    let waitingOn = '';
    if (state === 'httpShutdown') waitingOn = replyFrom(run.service(planned.name).shutdownUrl);
    else if (state === 'stopCommand') waitingOn = `its stop command (${run.service(planned.name).stop?.command[0] ?? '?'})`;
    else if (state === 'awaitingExit' || state === 'sigterm' || state === 'forceKill') waitingOn = exitOf(run, planned.name);
    else if (state === 'idle' && context.stop?.names.includes(planned.name)) {
      const pending = (dependents.get(planned.name) ?? []).filter(
        (dependent) => context.stop?.names.includes(dependent) && !context.outputs[dependent],
      );
      if (pending.length) waitingOn = `dependents: ${pending.join(', ')}`;
    }
    const busy = run.notify.statusOf(planned.name);
    // While it stops, what the service says it is doing belongs beside what tierdown waits for.
    if (busy !== undefined && waitingOn && state !== 'idle') waitingOn = `${waitingOn} (it says: ${busy})`;
    const lifetime = lifetimes?.get(planned.name);
    const ready = (lifetime?.ready ?? false) && state === 'idle' && !context.outputs[planned.name] && !context.restarting.includes(planned.name);
    return {
      name: planned.name,
      tier: planned.tier,
      state,
      phase: phaseOf(snapshot, planned.name, state, ready),
      pid,
      startedAt: lifetime?.startedAt ?? null,
      ready,
      restarts: context.restarts[planned.name]?.length ?? 0,
      lastExit: lastExitOf(snapshot, planned.name),
      waitingOn,
      ...(busy !== undefined ? { busy } : {}),
    };
  });
}
