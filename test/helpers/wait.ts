/**
 * Waits on facts, not on time: polls a condition every few ms and fails with
 * the condition's text once a generous bound (meant only to catch hangs) passes.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export async function waitUntil(condition: () => boolean | Promise<boolean>, boundMs = 5000, intervalMs = 5): Promise<void> {
  const giveUpAt = performance.now() + boundMs;
  while (!(await condition())) {
    if (performance.now() > giveUpAt) throw new Error(`still not true after ${boundMs} ms: ${condition.toString()}`);
    await sleep(intervalMs);
  }
}
