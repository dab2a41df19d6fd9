/**
 * From a resolved service to what the orchestrator statechart plans with.
 * Kept free of runtime imports so `validate` and `graph` load fast.
 */
import type { OrchestratorInput, PlannedService } from '../../machines/orchestrator.js';
import { effectiveSteps } from '../../machines/steps.js';
import type { HealthTiming, Step } from '../../machines/types.js';
import type { StopOrder } from '../../machines/waves.js';
import { BUILT_IN_TIERS, TIMEOUT_DEFAULTS } from '../config/defaults.js';
import type { FailurePolicy, ResolvedConfig } from '../config/types.js';

const healthTiming = ({ intervalMs, timeoutMs, retries, startPeriodMs }: HealthTiming): HealthTiming => ({ intervalMs, timeoutMs, retries, startPeriodMs });

type Tiers = Partial<Record<'critical' | 'simple', { steps: readonly Step[] }>>;

/**
 * A service as the orchestrator plans it; its steps follow the one tier rule
 * (`effectiveSteps`), and so do both choices of an `auto` tier (from the
 * config's `critical` and `simple` tiers).
 */
export function plannedService(service: ResolvedConfig['services'][number], tiers: Tiers = BUILT_IN_TIERS): PlannedService {
  const local = service.command !== undefined;
  const steps = effectiveSteps(service.tier.steps, local);
  const choice = (tier: 'critical' | 'simple') => effectiveSteps(tiers[tier]?.steps ?? BUILT_IN_TIERS[tier].steps, local);
  return {
    ...(service.tier.auto ? { auto: { critical: choice('critical'), simple: choice('simple') } } : {}),
    name: service.name,
    tier: service.tier.name,
    steps,
    signal: service.signal ?? service.tier.signal,
    timeouts: { maxExtend: TIMEOUT_DEFAULTS.maxExtend, ...service.timeouts },
    local,
    dependsOn: service.dependsOn,
    restart: service.restart,
    ...(service.healthcheck ? { health: healthTiming(service.healthcheck) } : {}),
    ...(service.required ? {} : { required: false }),
  };
}

/** The input of the parent statechart for a config: the engine, `graph` and tests build it here. */
export function orchestratorInput(config: ResolvedConfig, options: { order?: StopOrder; onFailure?: FailurePolicy } = {}): OrchestratorInput {
  return {
    services: config.services.map((service) => plannedService(service, config.tiers)),
    onFailure: options.onFailure ?? config.onFailure,
    order: options.order ?? 'dependency',
  };
}
