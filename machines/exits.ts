/**
 * What an exit means while a service runs (docs/restart.md): status 0 is a
 * clean exit, anything else — a non-zero status, or death by a signal — is a
 * crash. The one place that decides it; reports, events and the restart
 * policy all ask here.
 */

/** How a process ended, as its watcher saw it. */
export interface ExitStatus {
  exitCode: number | null;
  signal: string | null;
}

/** True for a crash: non-zero status or killed by a signal (an unknown status counts as a crash). */
export function isCrash(exit: ExitStatus): boolean {
  return exit.signal !== null || exit.exitCode !== 0;
}
