/**
 * "Nobody should have to guess what a shutdown is blocked on" (SPEC §6): a row
 * per service with its state and, in words, what it is waiting for.
 */
import type { SnapshotFrom } from 'xstate';
import type { orchestratorMachine } from '../../machines/orchestrator.js';
import type { ServiceContext } from '../../machines/service.js';
import type { ServiceState } from '../../machines/types.js';
import { dependentsOf } from '../../machines/waves.js';
import { findServiceProcesses, processSnapshot } from '../actors/process/group.js';
import type { Run } from './run.js';

export interface ServiceStatus {
  name: string;
  tier: string;
  state: ServiceState;
  pid: number | null;
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

export function describeWaiting(run: Run, snapshot: Snapshot | undefined): ServiceStatus[] {
  if (!snapshot) return [];
  const { context } = snapshot;
  const dependents = dependentsOf(context.services);
  return context.services.map((planned) => {
    const child = snapshot.children[planned.name]?.getSnapshot() as { value: ServiceState; context: ServiceContext } | undefined;
    const state = (context.outputs[planned.name]?.outcome ?? child?.value ?? 'idle') as ServiceState;
    const pid = context.pids[planned.name] ?? null;
    let waitingOn = '';
    if (state === 'httpShutdown') waitingOn = replyFrom(run.service(planned.name).shutdownUrl);
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
    return { name: planned.name, tier: planned.tier, state, pid, waitingOn, ...(busy !== undefined ? { busy } : {}) };
  });
}
