/**
 * What a report file carries beyond its documented fields (docs/report.md) so that `tierdown view` can
 * draw the run again without the config: where it came from, the failure
 * policy, and each service's plan (tier, steps, signal, timeouts, local or
 * remote, dependencies) — the input its statechart ran with. Additive: readers
 * of the report's documented fields see nothing change (docs/visualizer.md).
 */
import type { PlannedService } from '../../machines/orchestrator.js';
import type { ShutdownReport } from '../../machines/types.js';
import type { FailurePolicy, ResolvedConfig } from '../config/types.js';
import { plannedService } from './plan.js';

export interface RunPlan {
  source: string;
  onFailure: FailurePolicy;
  services: PlannedService[];
}

export type ReportWithPlan = ShutdownReport & { plan?: RunPlan };

export function planOf(config: ResolvedConfig, onFailure: FailurePolicy = config.onFailure): RunPlan {
  return { source: config.source, onFailure, services: config.services.map((service) => plannedService(service, config.tiers)) };
}

/** The report as written to `--report FILE`: SPEC's fields, then `plan`. */
export function withPlan(report: ShutdownReport, config: ResolvedConfig, onFailure?: FailurePolicy): ReportWithPlan {
  return { ...report, plan: planOf(config, onFailure) };
}
