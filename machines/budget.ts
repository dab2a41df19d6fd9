/**
 * How long a stop can take at worst, read off the statechart's own timers:
 * a service's budget is the sum of the delays of the states its tier can
 * pass through; a wave takes its slowest service; waves run one after another.
 */
import { KILL_SETTLE_MS, timerDelay } from './delays.js';
import type { Step, Timeouts } from './types.js';

/** The longest a service can spend stopping under its tier (docs/cli.md `validate`). */
export function serviceBudget(steps: Step[], timeouts: Timeouts): number {
  let total = 0;
  const command = steps.includes('command') && timeouts.command !== undefined;
  // The delays the machine really waits (delays.ts), not the numbers as written.
  // At worst the request times out, the command runs out its time, then the accepted stop waits for the exit.
  if (steps.includes('http')) total += timerDelay(timeouts.http);
  if (command) total += timerDelay(timeouts.command ?? 0);
  if (steps.includes('http') || command) total += timerDelay(timeouts.exit);
  if (steps.includes('sigterm')) total += timerDelay(timeouts.sigterm);
  if (steps.includes('forceKill')) total += timerDelay(timeouts.kill, KILL_SETTLE_MS);
  return total;
}

/** Per wave the slowest service's full budget, summed over waves. */
export function worstCaseShutdown(waves: string[][], budgetOf: (name: string) => number): { perWave: number[]; total: number } {
  const perWave = waves.map((wave) => Math.max(0, ...wave.map(budgetOf)));
  return { perWave, total: perWave.reduce((sum, ms) => sum + ms, 0) };
}
