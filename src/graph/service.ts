/**
 * One service's statechart as its tier configures it: the service machine's
 * guards are asked about the input the orchestrator would give that service,
 * so a `simple` service shows no `httpShutdown`, a remote one no `sigterm`.
 */
import { getInitialSnapshot } from 'xstate';
import type { PlannedService } from '../../machines/orchestrator.js';
import { serviceInput as machineInput } from '../../machines/service-input.js';
import { serviceMachine, type ServiceMachineInput } from '../../machines/service.js';
import type { FailurePolicy } from '../config/types.js';
import { chartOf, type Chart } from './chart.js';
import { guardVerdicts, pruneChart } from './prune.js';

// Guards only ask whether there is a process, never which one.
const SOME_PID = 1;

/** The input the orchestrator spawns this service's machine with (machines/service-input.ts). */
export const serviceInput = (service: PlannedService, onFailure: FailurePolicy): ServiceMachineInput =>
  machineInput(service, service.local ? SOME_PID : null, onFailure);

/** The service machine's initial context for this service (serialisable). */
export function serviceContext(service: PlannedService, onFailure: FailurePolicy) {
  return getInitialSnapshot(serviceMachine, serviceInput(service, onFailure)).context;
}

/** The states and transitions this service can take, given its tier and the failure policy. */
export function serviceChart(service: PlannedService, onFailure: FailurePolicy): Chart {
  const guards = serviceMachine.implementations.guards as Record<string, unknown>;
  return pruneChart(chartOf(serviceMachine), guardVerdicts(guards, serviceContext(service, onFailure)));
}
