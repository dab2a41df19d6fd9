/**
 * From a resolved service to what the orchestrator statechart plans with.
 * Kept free of runtime imports so `validate` and `graph` load fast.
 */
import type { OrchestratorInput, PlannedService } from '../../machines/orchestrator.js';
import { effectiveSteps } from '../../machines/steps.js';
import type { StopOrder } from '../../machines/waves.js';
import { TIMEOUT_DEFAULTS } from '../config/defaults.js';
import type { FailurePolicy, ResolvedConfig } from '../config/types.js';

/** A service as the orchestrator plans it; its steps follow the one tier rule (`effectiveSteps`). */
export function plannedService(service: ResolvedConfig['services'][number]): PlannedService {
  const local = service.command !== undefined;
  const steps = effectiveSteps(service.tier.steps, local);
  return {
    name: service.name,
    tier: service.tier.name,
    steps,
    signal: service.signal ?? service.tier.signal,
    timeouts: { maxExtend: TIMEOUT_DEFAULTS.maxExtend, ...service.timeouts },
    local,
    dependsOn: service.dependsOn,
    restart: service.restart,
  };
}

/** The input of the parent statechart for a config: the engine, `graph` and tests build it here. */
export function orchestratorInput(config: ResolvedConfig, options: { order?: StopOrder; onFailure?: FailurePolicy } = {}): OrchestratorInput {
  return {
    services: config.services.map(plannedService),
    onFailure: options.onFailure ?? config.onFailure,
    order: options.order ?? 'dependency',
  };
}
