/**
 * What an orchestrator tells its subscribers (the CLI views, the visualizer,
 * NDJSON output). Subscribers only watch; they never decide.
 */
import type { ServiceState, ShutdownReport, Step } from '../machines/types.js';

export type TierdownEvent =
  | { type: 'spawned'; service: string; pid: number | null }
  | { type: 'ready'; service: string }
  /** While it starts: its readiness check answered differently from the last time (`503`, `ECONNREFUSED`, `nothing listens on port 8001`). */
  | { type: 'readinessAnswer'; service: string; answer: string }
  | { type: 'startFailed'; service: string; message: string }
  | { type: 'tierResolved'; service: string; steps: Step[]; detail: string }
  | { type: 'log'; service: string; stream: 'stdout' | 'stderr'; line: string }
  | { type: 'shutdownStarted'; services: string[]; waves: string[][]; forced: boolean }
  | { type: 'transition'; service: string; from: ServiceState; to: ServiceState; atMs: number; reason: string }
  | { type: 'mainExited'; service: string; exitCode: number | null; signal: string | null }
  /** A service ended while nobody asked it to: `crashed` for a non-zero status or a signal. */
  | { type: 'exited'; service: string; exitCode: number | null; signal: string | null; crashed: boolean }
  /** Its restart policy brings it back after `backoffMs` (restart number `restart` of this run). */
  | { type: 'restartScheduled'; service: string; backoffMs: number; restart: number }
  /** `max_restarts` reached: it stays down. */
  | { type: 'restartsExhausted'; service: string; restarts: number }
  | { type: 'signalError'; service: string; message: string }
  /** A service's sd_notify message on its NOTIFY_SOCKET (docs/containers.md). */
  | { type: 'notified'; service: string; ready: boolean; stopping: boolean; status?: string; extendMs?: number }
  | { type: 'report'; report: ShutdownReport };

export type TierdownListener = (event: TierdownEvent) => void;
