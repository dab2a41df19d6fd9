/**
 * Plain data shared by the machines and the runtime: the steps a tier may
 * take, its timeouts, and the report entries the machines produce (SPEC §3, §7).
 * Nothing here does anything; it is the vocabulary of the statecharts.
 */

/** The steps a tier can list, in escalation order (SPEC §3). */
export const STEP_NAMES = ['http', 'sigterm', 'forceKill'] as const;
export type Step = (typeof STEP_NAMES)[number];

/** Every state of the service statechart, in escalation order (SPEC §2). */
export const SERVICE_STATES = ['idle', 'httpShutdown', 'awaitingExit', 'sigterm', 'forceKill', 'stopped', 'failed'] as const;
export type ServiceState = (typeof SERVICE_STATES)[number];

/** Budgets, in ms, for each waiting state of the service statechart. */
export interface Timeouts {
  /** How long the `POST /shutdown` may take (`httpShutdown`). */
  http: number;
  /** How long an accepted service has to exit by itself (`awaitingExit`). */
  exit: number;
  /** How long the stop signal has before SIGKILL (`sigterm`). */
  sigterm: number;
  /** How long SIGKILL has before the service is declared `failed` (`forceKill`). */
  kill: number;
  /**
   * How far past its planned end a service may push a step's timer by asking
   * for more time (sd_notify `EXTEND_TIMEOUT_USEC`); none when unset.
   */
  maxExtend?: number;
}

/** How a service ended (SPEC §7). */
export type StopMethod = 'http' | 'signal' | 'kill' | 'self' | 'none';

/** One recorded move of a service statechart. */
export interface Transition {
  to: ServiceState;
  /** ms since the shutdown started (negative: before it). */
  atMs: number;
  /** The event or fact that caused it (`SHUTDOWN`, `HTTP_ACCEPTED`, `sigtermTimeout`…). */
  reason: string;
}

/** A service's entry in the report (SPEC §7). */
export interface ServiceReport {
  name: string;
  tier: string;
  wave: number;
  outcome: 'stopped' | 'failed';
  method: StopMethod;
  path: ServiceState[];
  transitions: Transition[];
  durationMs: number;
  exitCode: number | null;
  signal: string | null;
  verified: boolean;
  /** Why the service ended `failed`, or what `auto` chose; absent when nothing to say. */
  detail?: string;
}

/** The whole report of one shutdown (SPEC §7). */
export interface ShutdownReport {
  outcome: 'stopped' | 'failed' | 'rolledBack';
  startedAt: string;
  durationMs: number;
  waves: string[][];
  services: ServiceReport[];
}
