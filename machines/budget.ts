/**
 * How long a stop can take at worst, read off the statechart's own timers:
 * a service's budget is the sum of the delays of the states its tier can
 * pass through; a wave takes its slowest service; waves run one after another.
 */
import type { Step, Timeouts } from './types.js';

/** The longest a service can spend stopping under its tier (docs/cli.md `validate`). */
export function serviceBudget(steps: Step[], timeouts: Timeouts): number {
  let total = 0;
  if (steps.includes('http')) total += timeouts.http + timeouts.exit;
  if (steps.includes('sigterm')) total += timeouts.sigterm;
  if (steps.includes('forceKill')) total += timeouts.kill;
  return total;
}

/** Per wave the slowest service's full budget, summed over waves. */
export function worstCaseShutdown(waves: string[][], budgetOf: (name: string) => number): { perWave: number[]; total: number } {
  const perWave = waves.map((wave) => Math.max(0, ...wave.map(budgetOf)));
  return { perWave, total: perWave.reduce((sum, ms) => sum + ms, 0) };
}
