/**
 * What a stop of the whole stack can cost at worst (docs/config.md#timeouts):
 * each service's budget under its tier, the stop waves, and per wave the
 * slowest budget, summed. `validate` and `config` print it.
 */
import { serviceBudget, worstCaseShutdown } from '../../machines/budget.js';
import type { PlannedService } from '../../machines/types.js';
import { planStopWaves, type StopOrder } from '../../machines/waves.js';
import type { ResolvedConfig } from '../config/index.js';
import { plannedService } from '../engine/plan.js';

export interface StopBudget {
  planned: PlannedService[];
  budgetOf(name: string): number;
  waves: string[][];
  worst: { perWave: number[]; total: number };
}

export function stopBudget(config: ResolvedConfig, order: StopOrder = 'dependency'): StopBudget {
  const planned = config.services.map((service) => plannedService(service, config.tiers));
  const budgets = new Map(planned.map((service) => [service.name, serviceBudget(service.steps, service.timeouts)]));
  const budgetOf = (name: string) => budgets.get(name) ?? 0;
  const waves = planStopWaves(planned, planned.map((service) => service.name), order);
  return { planned, budgetOf, waves, worst: worstCaseShutdown(waves, budgetOf) };
}
