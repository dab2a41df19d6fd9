/**
 * Facts the `startWave` actor reports while it brings services up; both the
 * orchestrator (a start wave) and a supervisor (a restart) listen to them.
 */
import type { Step } from './types.js';

export type StartEvent =
  | { type: 'SERVICE_SPAWNED'; name: string; pid: number | null }
  | { type: 'TIER_RESOLVED'; name: string; steps: Step[]; detail: string }
  | { type: 'WAVE_READY' }
  /** Carries the time of failure: the stop of what did start begins then. */
  | { type: 'START_FAILED'; name: string; message: string; originMs: number; startedAt: string };
