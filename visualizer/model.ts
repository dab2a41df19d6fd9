/**
 * What the visualizer page draws, computed once per run: the orchestrator's
 * chart and each service's chart as its tier configures it, laid out from the
 * machine definitions (src/graph), so the page never draws a state by hand.
 */
import { orchestratorMachine } from '../machines/orchestrator.js';
import { serviceMachine } from '../machines/service.js';
import type { ResolvedConfig } from '../src/config/types.js';
import { plannedService } from '../src/engine/orchestrator.js';
import { chartOf } from '../src/graph/chart.js';
import { layoutChart, type ChartLayout } from '../src/graph/layout.js';
import { serviceChart } from '../src/graph/service.js';

export interface VisualizedService {
  name: string;
  tier: string;
  steps: string[];
  /** False for a remote (url-only) service. */
  local: boolean;
  dependsOn: string[];
  chart: ChartLayout;
}

export interface VisualizerModel {
  source: string;
  onFailure: string;
  orchestrator: ChartLayout;
  services: VisualizedService[];
}

export function visualizerModel(config: ResolvedConfig): VisualizerModel {
  const generic = chartOf(serviceMachine);
  return {
    source: config.source,
    onFailure: config.onFailure,
    orchestrator: layoutChart(chartOf(orchestratorMachine)),
    services: config.services.map((service) => {
      const planned = plannedService(service);
      return {
        name: planned.name,
        tier: planned.tier,
        steps: planned.steps,
        local: planned.local,
        dependsOn: planned.dependsOn,
        // Same positions as the full machine: a state keeps its column on every row.
        chart: layoutChart(serviceChart(planned, config.onFailure), generic),
      };
    }),
  };
}
