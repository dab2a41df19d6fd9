/**
 * Statechart export: charts read from the machines themselves, as Mermaid for
 * docs and as config JSON for Stately's tools (`tierdown graph`, the visualizer).
 */
import type { AnyStateMachine } from 'xstate';
import { healthMachine } from '../../machines/health.js';
import { orchestratorMachine } from '../../machines/orchestrator.js';
import { serviceMachine } from '../../machines/service.js';
import { startSequenceMachine } from '../../machines/start-sequence.js';
import { stopMachine } from '../../machines/stop.js';
import { supervisorMachine } from '../../machines/supervisor.js';
import type { ResolvedConfig } from '../config/types.js';
import { plannedService } from '../engine/plan.js';
import { chartOf, type Chart } from './chart.js';
import { machineConfig, prunedConfig } from './json.js';
import { toMermaid } from './mermaid.js';
import { serviceChart, serviceContext } from './service.js';
import { checkServiceNames, UnknownServiceError } from '../engine/service-names.js';

export { chartOf, type Chart, type ChartState, type ChartTransition } from './chart.js';
export { diagramEdges, type DiagramEdge } from './edges.js';
export { machineConfig, prunedConfig } from './json.js';
export { toMermaid } from './mermaid.js';
export { serviceChart } from './service.js';

/** The machines tierdown runs, by name. */
export const MACHINES: Readonly<Record<'service' | 'orchestrator' | 'stop' | 'startSequence' | 'supervisor' | 'health', AnyStateMachine>> = {
  service: serviceMachine,
  orchestrator: orchestratorMachine,
  // One stop of the run: ask in waves, verify, start again what a rollback or restart brings back.
  stop: stopMachine,
  // One start: waves brought up in dependency order (the first start, a restore, a restart).
  startSequence: startSequenceMachine,
  // What happens after a service ends by itself: restart policy, backoff, give up.
  supervisor: supervisorMachine,
  // A running service's health checks: unhealthy after `retries` failures in a row, and whether to restart it.
  health: healthMachine,
};
export type MachineName = keyof typeof MACHINES;

/** One exported statechart: Mermaid text and config JSON (an object, ready to stringify). */
export interface GraphExport {
  name: string;
  chart: Chart;
  mermaid: string;
  json: Record<string, unknown>;
}

/** A machine as written, with every state and transition. */
export function machineGraph(name: MachineName): GraphExport {
  const machine = MACHINES[name];
  const chart = chartOf(machine);
  return { name, chart, mermaid: toMermaid(chart, { comments: [`machine: ${name}`] }), json: machineConfig(machine) };
}

export { UnknownServiceError };

/** One service's statechart as its tier configures it (only what it can reach). */
export function serviceGraph(config: ResolvedConfig, name: string): GraphExport {
  // The one check of names, with the one message every command gives.
  checkServiceNames(config, [name]);
  const service = config.services.find((candidate) => candidate.name === name);
  if (!service) throw new UnknownServiceError('TIERDOWN_UNKNOWN_SERVICE', `unknown service ${JSON.stringify(name)}`);
  const planned = plannedService(service, config.tiers);
  const chart = serviceChart(planned, config.onFailure);
  const about = `${name}: tier ${planned.tier}, steps ${planned.steps.join(' → ')}${planned.local ? '' : ' (remote)'}`;
  const json = {
    ...prunedConfig(machineConfig(serviceMachine), chartOf(serviceMachine), chart),
    description: about,
    context: serviceContext(planned, config.onFailure),
  };
  return { name, chart, mermaid: toMermaid(chart, { comments: [about] }), json };
}
