/**
 * Builds the SPEC §7 report from what the service machines output. Method and
 * path are derived from the transition log, never stored twice.
 */
import type { LoggedTransition, ServiceOutput } from './service.js';
import type { ServiceReport, ServiceState, ShutdownReport, StopMethod } from './types.js';

const METHOD_BY_LAST_WAITING_STATE: Partial<Record<ServiceState, StopMethod>> = {
  idle: 'self',
  httpShutdown: 'http',
  // pg_ctl-style commands wait for the exit themselves, so the service is often gone before they return.
  stopCommand: 'command',
  awaitingExit: 'http',
  sigterm: 'signal',
  forceKill: 'kill',
};

/** The states a service went through, starting at `idle`. */
export function pathOf(transitions: LoggedTransition[]): ServiceState[] {
  return ['idle', ...transitions.map((transition) => transition.to)];
}

/** How a service ended: by the state it left for its final one (SPEC §7). */
export function methodOf(transitions: LoggedTransition[]): StopMethod {
  const path = pathOf(transitions);
  if (path.at(-1) !== 'stopped') return 'none';
  const last = path.at(-2) ?? 'idle';
  // awaitingExit follows an accepted request or a stop command that succeeded: whichever came just before.
  if (last === 'awaitingExit' && path.at(-3) === 'stopCommand') return 'command';
  return METHOD_BY_LAST_WAITING_STATE[last] ?? 'none';
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
