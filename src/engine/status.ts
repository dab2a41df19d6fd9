/**
 * The one reader of what each service is doing (docs/cli.md, `tierdown ps`):
 * its state as the orchestrator statechart holds it, and — "nobody should have
 * to guess what a shutdown is blocked on" — what it waits on, in words. `ps`,
 * `/healthz`, sd_notify's `STATUS=`, the live rows and the page all format
 * these rows; none derives a state of its own.
 */
import type { SnapshotFrom } from 'xstate';
import { serviceActorId, type orchestratorMachine } from '../../machines/orchestrator.js';
import { serviceActorIn } from '../../machines/service-group.js';
import { slotOf } from '../../machines/run-context.js';
import { UP_STATES, type ExitRecord, type Health, type LifeState } from '../../machines/life.js';
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
  /** What its `healthcheck:` says: starting (no check passed yet), healthy, unhealthy; null without one. */
  health: Health | null;
  /** Restarts its restart policy made in this run. */
  restarts: number;
  /** False for an optional service (`required: false`): `/healthz` never names it. */
  required: boolean;
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

/**
 * True for a service that keeps `/healthz` at 503 while it is required: not up,
 * and not down on purpose — `stopped` is a service the run never started
 * (`up SERVICE...` named others) or one `stop`/`down SERVICE` stopped
 * (docs/containers.md#health). A crashed or given-up service still counts.
 */
export const failsHealth = (status: Pick<ServiceStatus, 'state'>) => !isUp(status) && status.state !== 'stopped';

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

// Who depends on whom, once per plan: a status is read after every start event of every service.
const dependentsByPlan = new WeakMap<Snapshot['context']['services'], Map<string, string[]>>();
function dependentsIn(services: Snapshot['context']['services']): Map<string, string[]> {
  let dependents = dependentsByPlan.get(services);
  if (!dependents) dependentsByPlan.set(services, (dependents = dependentsOf(services)));
  return dependents;
}

/**
 * The rows of every service, in plan order; none before the engine runs.
 * With `around`, only the rows a change to those services can touch: theirs
 * and their dependents' (what one waits on names its dependencies) — a view
 * that redraws after each of 1000 services' start events reads a few rows,
 * not 1000 each time.
 */
export function describeStatus(run: Run, snapshot: Snapshot | undefined, around?: readonly string[]): ServiceStatus[] {
  if (!snapshot) return [];
  const { context } = snapshot;
  const dependents = dependentsIn(context.services);
  const lifeOf = (name: string) => context.lives[slotOf(context, name)];
  const wanted = around && new Set(around.flatMap((name) => [name, ...(dependents.get(name) ?? [])]));
  const slots = wanted ? [...wanted].map((name) => slotOf(context, name)).filter((slot) => context.services[slot] !== undefined).sort((a, b) => a - b) : context.services.keys();
  return [...slots].map((slot) => {
    const planned = context.services[slot];
    const life = context.lives[slot];
    const machine = serviceActorIn(snapshot.children, slot, serviceActorId(context, planned.name))?.getSnapshot();
    const stopState = life.state === 'stopping' && isServiceState(machine?.value) ? machine.value : null;
    let waitingOn = '';
    if (stopState === 'httpShutdown') waitingOn = replyFrom(run.service(planned.name).shutdownUrl);
    else if (stopState === 'stopCommand') waitingOn = `its stop command (${run.service(planned.name).stop?.command[0] ?? '?'})`;
    else if (stopState === 'awaitingExit' || stopState === 'sigterm' || stopState === 'forceKill') waitingOn = exitOf(run, planned.name);
    else if (stopState === 'idle') {
      const pending = (dependents.get(planned.name) ?? []).filter((dependent) => context.stop?.names.includes(dependent) && lifeOf(dependent)?.state === 'stopping');
      if (pending.length) waitingOn = `dependents: ${pending.join(', ')}`;
    } else if (life.state === 'starting') {
      // Not spawned yet: its dependencies; spawned: its readiness, and what its check answered last.
      const waitingFor = planned.dependsOn.filter((dependency) => !lifeOf(dependency)?.ready);
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
      health: life.health,
      restarts: context.restarts[planned.name]?.length ?? 0,
      required: planned.required !== false,
      lastExit: life.lastExit,
      note: life.note,
      waitingOn,
      ...(busy !== undefined ? { busy } : {}),
    };
  });
}
