/**
 * `--grace`: the time the outside world gives a whole stop (Kubernetes'
 * terminationGracePeriodSeconds, `docker stop -t`, systemd's TimeoutStopSec).
 * The plan's budgets are fitted inside it (machines/budget.ts) and the
 * orchestrator forces what is left a margin before its end (docs/containers.md).
 */
import { fitToGrace, type GraceFit } from '../../machines/budget.js';
import type { OrchestratorInput } from '../../machines/orchestrator.js';
import { planStopWaves, type StopOrder } from '../../machines/waves.js';
import type { ResolvedConfig } from '../config/types.js';
import { orchestratorInput } from './plan.js';

/** The orchestrator's input with budgets fitted into `graceMs`, and how they were fitted. */
export function fitInputToGrace(input: OrchestratorInput, graceMs: number): { input: OrchestratorInput; fit: GraceFit } {
  const waves = planStopWaves(input.services, input.services.map((service) => service.name), input.order);
  const fit = fitToGrace(waves, input.services, graceMs);
  return {
    input: {
      ...input,
      services: input.services.map((service) => ({ ...service, timeouts: fit.timeouts[service.name] })),
      forceAfterMs: fit.forceAfterMs,
    },
    fit,
  };
}

/** The fit `up` makes for this config and grace: `validate --grace` and `up` say the same. */
export function graceFitOf(config: ResolvedConfig, order: StopOrder, graceMs: number): GraceFit {
  return fitInputToGrace(orchestratorInput(config, { order }), graceMs).fit;
}

/** One line for the user: does the stop fit, and what was done so it does. */
export function describeGraceFit(fit: GraceFit, formatMs: (ms: number) => string): string {
  const forced = `whatever is left is forced at ${formatMs(fit.forceAfterMs)}, ${formatMs(fit.marginMs)} before the end`;
  if (!fit.shrunk) return `grace ${formatMs(fit.graceMs)}: worst case ${formatMs(fit.planned.total)} fits; ${forced}`;
  return (
    `grace ${formatMs(fit.graceMs)}: worst case ${formatMs(fit.planned.total)} does not fit — ` +
    `budgets shrunk wave by wave to ${Math.round(fit.factor * 100)}% (${fit.planned.perWave.map(formatMs).join(' + ')} → ` +
    `${fit.fitted.perWave.map(formatMs).join(' + ')} = ${formatMs(fit.fitted.total)}); ${forced}`
  );
}
