/**
 * Plain data shared by the machines and the runtime: the steps a tier may
 * take, its timeouts, and the report entries the machines produce (docs/config.md#tiers, docs/report.md).
 * Nothing here does anything; it is the vocabulary of the statecharts.
 */

/** The steps a tier can list, in escalation order (docs/config.md#tiers). */
export const STEP_NAMES = ['http', 'command', 'sigterm', 'forceKill'] as const;
export type Step = (typeof STEP_NAMES)[number];

/** Every state of the service statechart, in escalation order (docs/how-it-works.md). */
export const SERVICE_STATES = ['idle', 'httpShutdown', 'stopCommand', 'awaitingExit', 'sigterm', 'forceKill', 'stopped', 'failed'] as const;
export type ServiceState = (typeof SERVICE_STATES)[number];

import type { Timeouts } from './timeouts.js';

/** Budgets, in ms, for each waiting state of the service statechart: one row each in timeouts.ts. */
export type { Timeouts };

/** How a service ended (docs: report): `self` means it exited before being asked. */
export type StopMethod = 'http' | 'command' | 'signal' | 'kill' | 'self' | 'none';

/**
 * What `verified` rests on: `cgroup` — the service's cgroup is empty (nothing
 * of it can hide); `process-group` — its group, the descendants seen and the
 * marker found nothing (a daemon that left its session and cleared its
 * environment would not be seen); `url` — a remote service's health URL is silent.
 */
export type VerificationMethod = 'cgroup' | 'process-group' | 'url';

/** One recorded move of a service statechart. */
export interface Transition {
  to: ServiceState;
  /** ms since the shutdown started (negative: before it). */
  atMs: number;
  /** The event or fact that caused it (`SHUTDOWN`, `HTTP_ACCEPTED`, `sigtermTimeout`…). */
  reason: string;
  /** `EXTEND_TIMEOUT` only: the extensions this entry stands for (those within a second of it are counted on it). */
  count?: number;
}

/** A service's entry in the report (docs/report.md). */
export interface ServiceReport {
  name: string;
  tier: string;
  wave: number;
  /** `exited` / `crashed`: it ended by itself (method `self`), with status 0 / anything else. */
  outcome: 'stopped' | 'failed' | 'exited' | 'crashed';
  method: StopMethod;
  path: ServiceState[];
  transitions: Transition[];
  durationMs: number;
  exitCode: number | null;
  signal: string | null;
  verified: boolean;
  /** How `verified` was checked; absent when nothing could be (a remote service without a health URL). */
  verification?: VerificationMethod;
  /** Why the service ended `failed`, or what `auto` chose; absent when nothing to say. */
  detail?: string;
  /** Every exit of this run that its restart policy answered with a restart. */
  restarts: RestartRecord[];
}

/** The whole report of one shutdown (docs/report.md). */
export interface ShutdownReport {
  outcome: 'stopped' | 'failed' | 'rolledBack';
  startedAt: string;
  durationMs: number;
  waves: string[][];
  services: ServiceReport[];
  /** The run's stops before this one (a partial `down`, a stop rolled back), oldest first, same shape. */
  earlier?: ShutdownReport[];
}

/** `restart:` of a service (docs/restart.md). */
export type RestartPolicyName = 'no' | 'on-failure' | 'always';

export interface RestartPolicy {
  policy: RestartPolicyName;
  /** Restarts allowed in one run; after that the service stays down. */
  maxRestarts: number;
  /** Wait before the first restart; it doubles for each one after, up to `MAX_BACKOFF_MS`. */
  backoffMs: number;
}

/** One exit that was answered with a restart. */
export interface RestartRecord {
  /** Wall-clock time of the restart, ISO 8601. */
  at: string;
  exitCode: number | null;
  signal: string | null;
}

/** A service as the orchestrator plans it (no I/O details: those stay in src/). */
export interface PlannedService {
  name: string;
  tier: string;
  /** The steps it really takes (`effectiveSteps`). */
  steps: Step[];
  signal: string;
  timeouts: Timeouts;
  /** True for a local process, false for a remote (url-only) service. */
  local: boolean;
  dependsOn: string[];
  /** What to do when it ends by itself; absent: never restart. */
  restart?: RestartPolicy;
  /** The `auto` tier: the steps it takes as `critical` and as `simple` (`effectiveSteps`); absent for any other tier. */
  auto?: { critical: Step[]; simple: Step[] };
}

export interface OrchestratorInput {
  services: PlannedService[];
  /** The first start brings up only these and what they depend on (`up SERVICE...`); absent: every service. */
  only?: string[];
  onFailure: 'escalate' | 'rollback';
  order: 'dependency' | 'none';
  /**
   * With a grace (`--grace`): ms from the start of a stop after which whatever
   * is left is forced, so the report is written before the outside SIGKILL.
   */
  forceAfterMs?: number;
  /** How the engine can verify each service's stop (cgroups where it can). */
  verification?: Record<string, VerificationMethod>;
  /**
   * How long a service's own exit takes to reach the machines after its main
   * process ended (the exit watcher's longest poll); a start failure waits that
   * long, so an exit before readiness is heard first. Default 50 ms.
   */
  exitSettleMs?: number;
}
