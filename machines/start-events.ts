/**
 * Facts the `startWave` actor reports while it brings one wave of services up
 * (src/actors/start-wave.ts). A start sequence (machines/start-sequence.ts)
 * listens to them and passes the progress of each service up to the
 * orchestrator, which keeps each service's state.
 */
/** What the orchestrator learns of each service as it comes up. */
export type StartProgress =
  | { type: 'SERVICE_SPAWNED'; name: string; pid: number | null }
  /** `checked`: its `ready:` check passed (else its start is all there is to know). */
  | { type: 'SERVICE_READY'; name: string; checked: boolean }
  /** `auto`: what one GET to its shutdown URL got; its machine chooses (`url` null: it has none). */
  | { type: 'SHUTDOWN_URL_PROBED'; name: string; url: string | null; status: number | null }
  /** Announced once the start sequence has settled on it (see `exitSettleTimeout`). */
  | { type: 'SERVICE_START_FAILED'; name: string; message: string };

export type StartEvent =
  | Exclude<StartProgress, { type: 'SERVICE_START_FAILED' }>
  | { type: 'WAVE_READY' }
  /** `exitedBeforeReady`: its process ended while tierdown waited for its readiness. */
  | { type: 'START_FAILED'; name: string; message: string; exitedBeforeReady: boolean };

/** A start that did not come up: which service, why, and when (the stop of what did start begins then). */
export interface StartFailure {
  name: string;
  message: string;
  originMs: number;
  startedAt: string;
}
