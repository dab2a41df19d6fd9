/**
 * From a resolved service to what the orchestrator statechart plans with.
 * Kept free of runtime imports so `validate` and `graph` load fast.
 */
import type { PlannedService } from '../../machines/orchestrator.js';
import { DEFAULT_MAX_EXTEND_MS } from '../config/defaults.js';
import type { ResolvedConfig } from '../config/types.js';

/** A tier's steps for one service: a local process always ends with `forceKill` (SPEC §3). */
export function plannedService(service: ResolvedConfig['services'][number]): PlannedService {
  const local = service.command !== undefined;
  const steps = service.tier.steps.filter((step) => local || step === 'http');
  if (local && !steps.includes('forceKill')) steps.push('forceKill');
  return {
    name: service.name,
    tier: service.tier.name,
    steps,
    signal: service.tier.signal,
    timeouts: { maxExtend: DEFAULT_MAX_EXTEND_MS, ...service.timeouts },
    local,
    dependsOn: service.dependsOn,
  };
}
