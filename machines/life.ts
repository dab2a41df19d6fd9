/**
 * What each service is doing in the run, in the words users read in `ps`,
 * `/healthz`, the live rows and the page (docs/cli.md, "tierdown ps"). The
 * orchestrator keeps one `ServiceLife` per service in its context and changes
 * it only through the functions below; every reader formats that one state
 * and none derives its own.
 */
import { isCrash } from './exits.js';

/** A service's state in the run, from its first start to the end of the run. */
export const LIFE_STATES = [
  'starting',
  'running',
  'ready',
  'unhealthy',
  'stopping',
  'stopped',
  'failed',
  'exited',
  'crashed',
  'restarting',
  'gave up',
] as const;
export type LifeState = (typeof LIFE_STATES)[number];

/** The states in which a service answers for the stack: `/healthz` is 200 only while all are in one. */
export const UP_STATES: ReadonlySet<LifeState> = new Set(['ready', 'running']);

/** An exit of its process (ended by itself or by a stop), with its wall-clock time. */
export interface ExitRecord {
  exitCode: number | null;
  signal: string | null;
  at: string;
}

export interface ServiceLife {
  state: LifeState;
  /** Its main pid while its process may still run; null once it ended, and for a remote service. */
  pid: number | null;
  /** Wall-clock time (ISO 8601) its current process started; null: not started in this run. */
  startedAt: string | null;
  /** Up and nothing since made it not (a stop, an exit, a restart). */
  ready: boolean;
  /**
   * What it is once up: `ready` when its readiness check (`ready:`) passed,
   * `running` when its start is all there is to know; null until it was up.
   */
  upAs: 'ready' | 'running' | null;
  lastExit: ExitRecord | null;
  /** A word on the state, e.g. "gave up after 5 restarts (max_restarts); it stays down". */
  note: string | null;
}

/** How a service ended, as the orchestrator learns it from its machine. */
export interface Ending {
  outcome: 'stopped' | 'failed';
  /** It exited before anybody asked it to stop. */
  bySelf: boolean;
  exitCode: number | null;
  signal: string | null;
}

/** A service not started yet: it waits for its dependencies (or its wave). */
export const NOT_STARTED: ServiceLife = { state: 'starting', pid: null, startedAt: null, ready: false, upAs: null, lastExit: null, note: null };

/** A service the run was not asked to start (`up SERVICE...` named others, and none of them needs it). */
export const NOT_REQUESTED: ServiceLife = { ...NOT_STARTED, state: 'stopped', note: 'not started' };

/** Asked to start (`start`, `up SERVICE...` on a running stack): it waits for its wave; its last exit stays. */
export function queuedToStart(life: ServiceLife): ServiceLife {
  return { ...life, state: 'starting', pid: null, startedAt: null, ready: false, note: null };
}

/** A start that never reached it (a stop came first, or an earlier wave failed): it stays down. */
export function notStarted(life: ServiceLife): ServiceLife {
  return { ...life, state: 'stopped', note: null };
}

const ENDED: ReadonlySet<LifeState> = new Set(['stopped', 'failed', 'exited', 'crashed', 'gave up']);

/** True once the service's machine has ended and nothing brings it back yet. */
export const hasEnded = (life: ServiceLife) => ENDED.has(life.state);

/** Its process was spawned (a remote one: its machine started); a restart stays `restarting` until ready. */
export function spawned(life: ServiceLife, pid: number | null, at: string): ServiceLife {
  return { ...life, state: life.state === 'restarting' ? 'restarting' : 'starting', pid, startedAt: at, ready: false, note: null };
}

/** Its readiness was seen; `checked`: by its `ready:` check rather than by its start alone. */
export function readied(life: ServiceLife, checked: boolean): ServiceLife {
  const upAs = checked ? 'ready' : 'running';
  return { ...life, state: upAs, upAs, ready: true, note: null };
}

/** A stop now covers it (asked or waiting for its dependents); one that has ended stays as it ended. */
export function stopping(life: ServiceLife): ServiceLife {
  return hasEnded(life) ? life : { ...life, state: 'stopping', ready: false };
}

/** Its machine ended: stopped by a stop, ended by itself (exited or crashed), or failed (still there). */
export function ended(life: ServiceLife, ending: Ending, at: string): ServiceLife {
  const exit = { exitCode: ending.exitCode, signal: ending.signal };
  const lastExit = exit.exitCode !== null || exit.signal !== null ? { ...exit, at } : life.lastExit;
  // Still alive after SIGKILL, or a remote one nothing could stop: its pid stays.
  if (ending.outcome === 'failed') return { ...life, state: 'failed', ready: false, lastExit };
  const state: LifeState = ending.bySelf ? (isCrash(exit) ? 'crashed' : 'exited') : 'stopped';
  return { ...life, state, pid: null, ready: false, lastExit };
}

/** Its restart policy brings it back after a backoff. */
export function restartScheduled(life: ServiceLife): ServiceLife {
  return { ...life, state: 'restarting', note: null };
}

/** `max_restarts` reached: it stays down. */
export function gaveUp(life: ServiceLife, restarts: number): ServiceLife {
  const note = `gave up after ${restarts} restart${restarts === 1 ? '' : 's'} (max_restarts); it stays down`;
  return { ...life, state: 'gave up', pid: null, ready: false, note };
}

/** A stop was rolled back and it was never stopped: it runs on as it ran before the stop. */
export function resumed(life: ServiceLife): ServiceLife {
  return { ...life, state: life.upAs ?? 'starting', ready: life.upAs !== null };
}
