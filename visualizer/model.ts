/**
 * What the visualizer page draws, computed once per run: the orchestrator's
 * chart and each service's chart as its tier configures it, laid out with
 * their transition labels from the machine definitions (src/graph), so the
 * page never draws a state or an arrow by hand. Built from a run's plan, so a
 * live run (its config) and a replay (its report) draw the same page.
 */
import { orchestratorMachine, type PlannedService } from '../machines/orchestrator.js';
import type { Timeouts } from '../machines/types.js';
import type { RunPlan } from '../src/engine/report-plan.js';
import { chartOf } from '../src/graph/chart.js';
import { layoutChart, type ChartLayout } from '../src/graph/layout.js';
import { serviceChart, serviceLabels } from '../src/graph/service.js';

export interface VisualizedService {
  name: string;
  tier: string;
  steps: string[];
  timeouts: Timeouts;
  /** False for a remote (url-only) service. */
  local: boolean;
  dependsOn: string[];
  /** One-line overview for the service's row: states and arrows. */
  chart: ChartLayout;
  /** The same chart with every transition labelled, for the statechart panel. */
  labelled: ChartLayout;
}

export interface VisualizerModel {
  source: string;
  onFailure: string;
  /** `live`: a run in progress; `replay`: a finished run read from its report. */
  mode: 'live' | 'replay';
  orchestrator: ChartLayout;
  services: VisualizedService[];
}

export async function visualizerModel(plan: RunPlan, mode: VisualizerModel['mode'] = 'live'): Promise<VisualizerModel> {
  // Services configured alike share one layout (50 services, a handful of shapes).
  const layouts = new Map<string, Promise<[ChartLayout, ChartLayout]>>();
  const layoutOf = (service: PlannedService) => {
    const key = JSON.stringify([service.steps, service.timeouts, service.local, service.signal, service.tier]);
    if (!layouts.has(key)) {
      const chart = serviceChart(service, plan.onFailure);
      const labels = serviceLabels(service, plan.onFailure);
      layouts.set(key, Promise.all([layoutChart(chart, labels, { labels: false, direction: 'RIGHT' }), layoutChart(chart, labels)]));
    }
    return layouts.get(key) as Promise<[ChartLayout, ChartLayout]>;
  };
  const [orchestrator, ...charts] = await Promise.all([layoutChart(chartOf(orchestratorMachine)), ...plan.services.map(layoutOf)]);
  return {
    source: plan.source,
    onFailure: plan.onFailure,
    mode,
    orchestrator,
    services: plan.services.map((service, index) => ({
      name: service.name,
      tier: service.tier,
      steps: service.steps,
      timeouts: service.timeouts,
      local: service.local,
      dependsOn: service.dependsOn,
      chart: charts[index][0],
      labelled: charts[index][1],
    })),
  };
}
