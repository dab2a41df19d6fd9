/**
 * Builds the docs/report.md report from what the service machines output. Method and
 * path are derived from the transition log, never stored twice.
 */
import type { LoggedTransition, ServiceOutput } from './service.js';
import type { ServiceReport, ServiceState, ShutdownReport, StopMethod } from './types.js';

const METHOD_BY_LAST_WAITING_STATE: Partial<Record<ServiceState, StopMethod>> = {
  idle: 'self',
  httpShutdown: 'http',
  awaitingExit: 'http',
  sigterm: 'signal',
  forceKill: 'kill',
};

/** The states a service went through, starting at `idle`. */
export function pathOf(transitions: LoggedTransition[]): ServiceState[] {
  return ['idle', ...transitions.map((transition) => transition.to)];
}

/** How a service ended: by the state it left for its final one (docs/report.md). */
export function methodOf(transitions: LoggedTransition[]): StopMethod {
  const path = pathOf(transitions);
  if (path.at(-1) !== 'stopped') return 'none';
  return METHOD_BY_LAST_WAITING_STATE[path.at(-2) ?? 'idle'] ?? 'none';
}

const round = (ms: number) => Math.round(ms * 10) / 10;

export function serviceReport(
  output: ServiceOutput,
  wave: number,
  originMs: number,
  verified: boolean,
): ServiceReport {
  const { transitions } = output;
  const leftIdle = transitions[0]?.at ?? originMs;
  const ended = transitions.at(-1)?.at ?? leftIdle;
  return {
    name: output.name,
    tier: output.tier,
    wave,
    outcome: output.outcome,
    method: methodOf(transitions),
    path: pathOf(transitions),
    transitions: transitions.map(({ to, at, reason }) => ({ to, atMs: round(at - originMs), reason })),
    durationMs: round(ended - leftIdle),
    exitCode: output.exitCode,
    signal: output.signal,
    verified,
    ...(output.detail ? { detail: output.detail } : {}),
  };
}

export interface ReportInput {
  waves: string[][];
  outputs: Record<string, ServiceOutput>;
  verified: Record<string, boolean>;
  originMs: number;
  /** Wall-clock time of `originMs`, as ISO 8601. */
  startedAt: string;
  endedMs: number;
  rolledBack: boolean;
}

export function buildReport(input: ReportInput): ShutdownReport {
  const services = input.waves.flatMap((wave, index) =>
    wave
      .filter((name) => input.outputs[name])
      .map((name) => serviceReport(input.outputs[name], index, input.originMs, input.verified[name] ?? false)),
  );
  const anyFailed = services.some((service) => service.outcome === 'failed');
  return {
    outcome: input.rolledBack ? 'rolledBack' : anyFailed ? 'failed' : 'stopped',
    startedAt: input.startedAt,
    durationMs: round(input.endedMs - input.originMs),
    waves: input.waves,
    services,
  };
}
