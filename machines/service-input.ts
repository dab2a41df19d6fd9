/**
 * The one place a service machine's input is built, from what the
 * orchestrator plans: the engine spawns with it, `graph` draws with it, tests
 * drive with it.
 */
import type { PlannedService } from './types.js';
import type { ServiceMachineInput } from './service.js';

/**
 * `pid`: the service's main process (null: remote, or not known yet for a drawing);
 * `slot`: its place in the orchestrator's plan, when the orchestrator spawns it.
 */
export function serviceInput(service: PlannedService, pid: number | null, onFailure: 'escalate' | 'rollback', slot?: number): ServiceMachineInput {
  return {
    ...(slot === undefined ? {} : { slot }),
    name: service.name,
    tier: service.tier,
    steps: service.steps,
    signal: service.signal,
    timeouts: service.timeouts,
    pid,
    ...(service.auto ? { auto: service.auto } : {}),
    haltOnRefusal: onFailure === 'rollback',
  };
}
