/**
 * The one reader of what each service is doing (docs/cli.md, `tierdown ps`):
 * its state as the orchestrator statechart holds it, and — "nobody should have
 * to guess what a shutdown is blocked on" — what it waits on, in words. `ps`,
 * `/healthz`, sd_notify's `STATUS=`, the live rows and the page all format
 * these rows; none derives a state of its own.
 */
import type { SnapshotFrom } from 'xstate';
import { serviceActorId, type orchestratorMachine } from '../../machines/orchestrator.js';
import { UP_STATES, type ExitRecord, type LifeState } from '../../machines/life.js';
import { SERVICE_STATES, type ServiceState } from '../../machines/types.js';
import { dependentsOf } from '../../machines/waves.js';
import { findServiceProcesses, processSnapshot } from '../actors/process/group.js';
import { describeReadiness } from '../actors/readiness.js';
import type { Run } from './run.js';

export type { LifeState };

export interface ServiceStatus {
  name: string;
  tier: string;
  /** Its state in the run: starting, running, ready, unhealthy, stopping, stopped, failed, exited, crashed, restarting, gave up. */
  state: LifeState;
  /** While it stops: where its stop statechart is (`idle`: not asked yet); null otherwise. */
  stopState: ServiceState | null;
  /** Its main pid while its process may run; null once it ended (and for a remote service). */
  pid: number | null;
  /** When its current process started (ISO 8601), for uptime; null before its first start. */
  startedAt: string | null;
  /** Ready and running: up (ready or running) and nothing since made it not. */
  ready: boolean;
  /** Restarts its restart policy made in this run. */
  restarts: number;
  /** Its last exit, asked for or not; null if none yet. */
  lastExit: ExitRecord | null;
  /** A word on the state ("gave up after 5 restarts (max_restarts); it stays down"). */
  note: string | null;
  /** What it waits on, in words; empty when it waits on nothing (up, or ended). */
  waitingOn: string;
  /** What the service says it is busy with (sd_notify `STATUS=`), if it said. */
  busy?: string;
}

type Snapshot = SnapshotFrom<typeof orchestratorMachine>;

/** True for a service that answers for the stack (`/healthz`, the page's header). */
export const isUp = (status: Pick<ServiceStatus, 'state'>) => UP_STATES.has(status.state);

const isServiceState = (value: unknown): value is ServiceState => SERVICE_STATES.some((state) => state === value);

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

function readinessWait(run: Run, name: string): string {
  const ready = run.service(name).ready;
  if (ready.kind === 'started') return '';
  const answer = run.readinessAnswers.get(name);
  return answer === undefined ? describeReadiness(ready) : `${describeReadiness(ready)} (last answer: ${answer})`;
}

/** The rows of every service, in plan order; none before the engine runs. */
export function describeStatus(run: Run, snapshot: Snapshot | undefined): ServiceStatus[] {
  if (!snapshot) return [];
  const { context } = snapshot;
  const dependents = dependentsOf(context.services);
  const byName = new Map(context.services.map((service, slot) => [service.name, context.lives[slot]]));
  return context.services.map((planned, slot) => {
    const life = context.lives[slot];
    const machine = snapshot.children[serviceActorId(context, planned.name)]?.getSnapshot();
    const stopState = life.state === 'stopping' && isServiceState(machine?.value) ? machine.value : null;
    let waitingOn = '';
    if (stopState === 'httpShutdown') waitingOn = replyFrom(run.service(planned.name).shutdownUrl);
    else if (stopState === 'stopCommand') waitingOn = `its stop command (${run.service(planned.name).stop?.command[0] ?? '?'})`;
    else if (stopState === 'awaitingExit' || stopState === 'sigterm' || stopState === 'forceKill') waitingOn = exitOf(run, planned.name);
    else if (stopState === 'idle') {
      const pending = (dependents.get(planned.name) ?? []).filter((dependent) => context.stop?.names.includes(dependent) && byName.get(dependent)?.state === 'stopping');
      if (pending.length) waitingOn = `dependents: ${pending.join(', ')}`;
    } else if (life.state === 'starting') {
      // Not spawned yet: its dependencies; spawned: its readiness, and what its check answered last.
      const waitingFor = planned.dependsOn.filter((dependency) => !byName.get(dependency)?.ready);
      if (life.startedAt === null) waitingOn = waitingFor.length ? `dependencies: ${waitingFor.join(', ')}` : '';
      else waitingOn = readinessWait(run, planned.name);
    } else if (life.state === 'restarting' && life.pid !== null) {
      // Restarted (a new pid): its readiness again; during the backoff its pid is gone.
      waitingOn = readinessWait(run, planned.name);
    }
    const busy = run.notify.statusOf(planned.name);
    // While it stops, what the service says it is doing belongs beside what tierdown waits for.
    if (busy !== undefined && waitingOn && stopState !== null && stopState !== 'idle') waitingOn = `${waitingOn} (it says: ${busy})`;
    return {
      name: planned.name,
      tier: planned.tier,
      state: life.state,
      stopState,
      pid: life.pid,
      startedAt: life.startedAt,
      ready: life.ready,
      restarts: context.restarts[planned.name]?.length ?? 0,
      lastExit: life.lastExit,
      note: life.note,
      waitingOn,
      ...(busy !== undefined ? { busy } : {}),
    };
  });
}
