/**
 * The text on a drawn transition, for one configuration of a machine: a timer
 * carries the value it has there (`after httpTimeout (2s)`), and a guard is shown
 * only where it still decides at run time — one the configuration already
 * answered (`tierUsesHttp` for a critical service) would only be noise.
 */
import type { ChartTransition } from './chart.js';
import { labelOf } from './chart.js';
import type { GuardVerdict } from './prune.js';

export interface LabelContext {
  /** The value, in ms, a named delay has in this configuration; undefined when unknown. */
  delayMs?: (delay: string) => number | undefined;
  /** Guards answered by configuration alone (true/false) are left off the label. */
  verdict?: GuardVerdict;
}

/** `1500` → `1.5s`, `250` → `250ms`, `60000` → `1m`: how a config file writes it. */
export function durationText(ms: number): string {
  if (!Number.isFinite(ms)) return 'never';
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1000) return `${Math.round(ms / 100) / 10}s`;
  return `${Math.round(ms)}ms`;
}

/** Calls a machine's delay implementations with a context; a delay that throws or is not a number stays unknown. */
export function delayValues(delays: Record<string, unknown>, context: unknown): (delay: string) => number | undefined {
  return (name) => {
    const delay = delays[name];
    if (typeof delay === 'number') return delay;
    if (typeof delay !== 'function') return undefined;
    try {
      const value: unknown = delay({ context }, undefined);
      return typeof value === 'number' ? value : undefined;
    } catch {
      return undefined;
    }
  };
}

/** The label of one transition in this configuration. */
export function transitionLabel(transition: ChartTransition, context: LabelContext = {}): string {
  const decided = transition.guard !== null && context.verdict?.(transition.guard) !== undefined;
  const guard = decided ? null : transition.guard;
  const base = labelOf(transition.kind, transition.trigger, guard);
  if (transition.kind !== 'after') return base;
  const ms = context.delayMs?.(transition.trigger);
  return ms === undefined ? base : base.replace(`after ${transition.trigger}`, `after ${transition.trigger} (${durationText(ms)})`);
}
