/**
 * `tierdown view REPORT.json`: the visualizer for a finished run, drawn from
 * its report alone (the `plan` the report carries gives every chart), with a
 * timeline slider in the page that moves every chart to any moment of the stop.
 */
import type { ReportWithPlan, RunPlan } from '../src/engine/report-plan.js';
import { servePage, type PageServerOptions } from './http.js';
import { modelOffThread } from './model-thread.js';
import type { Visualizer } from './server.js';

export async function startReplay(report: ReportWithPlan, plan: RunPlan, options: PageServerOptions = {}): Promise<Visualizer> {
  const page = await servePage(modelOffThread(plan, 'replay'), options);
  page.publish({ kind: 'event', event: { type: 'report', report } });
  page.publish({ kind: 'end' });
  return page;
}
