/**
 * How long a stop can take at worst, read off the statechart's own timers:
 * a service's budget is the sum of the delays of the states its tier can
 * pass through; a wave takes its slowest service; waves run one after another.
 * Which timeout sets which state's timer is the table of timeouts.ts.
 */
import { timerDelay } from './delays.js';
import { BUDGET_KEYS, TIMEOUT_KEYS, type BudgetKey, type Timeouts } from './timeouts.js';
import type { Step } from './types.js';

// The machine takes the `command` step only with a stop command to run (its guard `tierUsesCommand`).
const takes = (steps: readonly Step[], timeouts: Timeouts, step: Step) => steps.includes(step) && (step !== 'command' || timeouts.command !== undefined);

/**
 * The timers a service can wait out under its tier, in the order it meets
 * them: the delays the machine really waits (delays.ts), not the numbers as
 * written. At worst the request times out, the command runs out its time, then
 * the accepted stop waits for the exit, then the signal, then SIGKILL.
 */
export function budgetTimers(steps: readonly Step[], timeouts: Timeouts): Partial<Record<BudgetKey, number>> {
  const timers: Partial<Record<BudgetKey, number>> = {};
  for (const row of TIMEOUT_KEYS) {
    if (!('state' in row) || !row.steps.some((step) => takes(steps, timeouts, step))) continue;
    timers[row.key] = timerDelay(timeouts[row.key] ?? 0, 'minMs' in row ? row.minMs : 0);
  }
  return timers;
}

/** The longest a service can spend stopping under its tier (docs/cli.md `validate`). */
export function serviceBudget(steps: readonly Step[], timeouts: Timeouts): number {
  const timers = budgetTimers(steps, timeouts);
  return BUDGET_KEYS.reduce((total, key) => total + (timers[key] ?? 0), 0);
}

/** Per wave the slowest service's full budget, summed over waves. */
export function worstCaseShutdown(waves: string[][], budgetOf: (name: string) => number): { perWave: number[]; total: number } {
  const perWave = waves.map((wave) => wave.reduce((slowest, name) => Math.max(slowest, budgetOf(name)), 0));
  return { perWave, total: perWave.reduce((sum, ms) => sum + ms, 0) };
}

/** A service as the grace fit sees it: its name, steps and planned timeouts. */
export interface BudgetedService {
  name: string;
  steps: Step[];
  timeouts: Timeouts;
}

/** How a stop is fitted into the time the outside world gives it (docs/containers.md). */
export interface GraceFit {
  graceMs: number;
  /** Kept free at the end: whatever is left is forced this long before the grace ends. */
  marginMs: number;
  /** When, from the start of a stop, whatever is left is forced. */
  forceAfterMs: number;
  /** Worst case as planned, per wave and summed. */
  planned: { perWave: number[]; total: number };
  /** Worst case after fitting (the planned one when it already fits). */
  fitted: { perWave: number[]; total: number };
  /** Every budget multiplied by this (1 when nothing was shrunk). */
  factor: number;
  shrunk: boolean;
  timeouts: Record<string, Timeouts>;
}

/**
 * The margin before the grace ends: a tenth of it, at least 100 ms and at most
 * 5 s — time for SIGKILL to land, the report to be written and tierdown to exit.
 */
export function graceMargin(graceMs: number): number {
  return Math.min(5000, Math.max(100, Math.round(graceMs / 10)));
}

/** Every timeout the grace fit may shrink (the stop command's too), multiplied by `factor`. */
function scaleTimeouts(timeouts: Timeouts, factor: number): Timeouts {
  const scaled = { ...timeouts };
  for (const row of TIMEOUT_KEYS) {
    const ms = timeouts[row.key];
    if (row.shrinks && ms !== undefined) scaled[row.key] = Math.floor(ms * factor);
  }
  return scaled;
}

/**
 * Fits the stop's budgets inside `graceMs` less its margin. Each wave keeps its
 * share of the worst case: every wave's slowest budget, and so every service's
 * step timeouts, shrink by the same factor, so waves still run one after another
 * and the sum fits. Budgets that already fit are left alone.
 */
export function fitToGrace(waves: string[][], services: BudgetedService[], graceMs: number): GraceFit {
  const byName = new Map(services.map((service) => [service.name, service]));
  const budgetOf = (name: string) => {
    const service = byName.get(name);
    return service ? serviceBudget(service.steps, service.timeouts) : 0;
  };
  const marginMs = graceMargin(graceMs);
  const available = Math.max(0, graceMs - marginMs);
  const planned = worstCaseShutdown(waves, budgetOf);
  const factor = planned.total > available ? available / planned.total : 1;
  const timeouts = Object.fromEntries(services.map((service) => [service.name, factor < 1 ? scaleTimeouts(service.timeouts, factor) : service.timeouts]));
  const fittedBudget = (name: string) => {
    const service = byName.get(name);
    return service ? serviceBudget(service.steps, timeouts[name]) : 0;
  };
  return {
    graceMs,
    marginMs,
    forceAfterMs: available,
    planned,
    fitted: worstCaseShutdown(waves, fittedBudget),
    factor,
    shrunk: factor < 1,
    timeouts,
  };
}
