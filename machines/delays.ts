/**
 * The statechart's timers as JavaScript can set them. A delay above 2^31-1 ms
 * (~24.8 days) makes `setTimeout` fire after 1 ms instead — a "wait a very long
 * time" would become "kill at once" — so every delay is capped there. And a
 * SIGKILL cannot be refused, but the kernel takes a moment to tear a process
 * down and its exit a moment to reach the engine: `kill: 0` must not call a
 * service that is dying "still alive after SIGKILL".
 */

/** Longest delay a JavaScript timer honours. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Shortest wait in `forceKill` before a service counts as still alive. */
export const KILL_SETTLE_MS = 100;

/** `ms` as a timer can wait it: not negative, not NaN, at least `minMs`, at most `MAX_TIMER_MS`. */
export function timerDelay(ms: number, minMs = 0): number {
  if (Number.isNaN(ms)) return minMs;
  return Math.min(Math.max(ms, minMs, 0), MAX_TIMER_MS);
}
