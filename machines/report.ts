/**
 * Builds the docs/report.md report from what the service machines output. Method and
 * path are derived from the transition log, never stored twice.
 */
import { isCrash } from './exits.js';
import type { LoggedTransition, ServiceOutput } from './service.js';
import type { RestartRecord, ServiceReport, ServiceState, ShutdownReport, StopMethod, VerificationMethod } from './types.js';

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

/** How a service ended: by the state it left for its final one (docs/report.md). */
export function methodOf(transitions: LoggedTransition[]): StopMethod {
  const path = pathOf(transitions);
  if (path.at(-1) !== 'stopped') return 'none';
  const last = path.at(-2) ?? 'idle';
  // awaitingExit follows an accepted request or a stop command that succeeded: whichever came just before.
  if (last === 'awaitingExit' && path.at(-3) === 'stopCommand') return 'command';
  return METHOD_BY_LAST_WAITING_STATE[last] ?? 'none';
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** A service that ended by itself was not stopped: it exited (status 0) or crashed. */
function outcomeOf(output: ServiceOutput, method: StopMethod): ServiceReport['outcome'] {
  if (method !== 'self') return output.outcome;
  return isCrash({ exitCode: output.exitCode, signal: output.signal }) ? 'crashed' : 'exited';
}

/**
 * What the report says beside the outcome: the machine's own detail and, when
 * the stop could not be verified, what is left (docs/report.md: `verified: false`
 * always comes with a `detail` that says why).
 */
function detailOf(output: ServiceOutput, verified: boolean, left: string | undefined): string | undefined {
  const parts = [output.detail, verified ? null : (left ?? (output.outcome === 'failed' ? null : 'not verified'))].filter((part) => part);
  return parts.length ? parts.join('; ') : undefined;
}

export function serviceReport(
  output: ServiceOutput,
  wave: number,
  originMs: number,
  verified: boolean,
  restarts: RestartRecord[] = [],
  verification?: VerificationMethod,
  left?: string,
): ServiceReport {
  const { transitions } = output;
  const leftIdle = transitions[0]?.at ?? originMs;
  const ended = transitions.at(-1)?.at ?? leftIdle;
  const method = methodOf(transitions);
  const detail = detailOf(output, verified, left);
  return {
    name: output.name,
    tier: output.tier,
    wave,
    outcome: outcomeOf(output, method),
    method,
    path: pathOf(transitions),
    // A service that ended by itself before the stop began counts from the stop's start.
    transitions: transitions.map(({ to, at, reason, count }) => ({ to, atMs: round(Math.max(0, at - originMs)), reason, ...(count === undefined ? {} : { count }) })),
    durationMs: round(ended - leftIdle),
    exitCode: output.exitCode,
    signal: output.signal,
    verified,
    ...(verification ? { verification } : {}),
    ...(detail ? { detail } : {}),
    restarts,
  };
}

export interface ReportInput {
  waves: string[][];
  outputs: Record<string, ServiceOutput>;
  verified: Record<string, boolean>;
  /** What is left of a service its verification found still there (pids and programs, the port's holder). */
  left?: Record<string, string>;
  /** How each service is verified (see `VerificationMethod`). */
  verification?: Record<string, VerificationMethod>;
  originMs: number;
  /** Wall-clock time of `originMs`, as ISO 8601. */
  startedAt: string;
  endedMs: number;
  rolledBack: boolean;
  /** Per service, the exits of this run answered with a restart. */
  restarts?: Record<string, RestartRecord[]>;
  /** The run's stops before this one. */
  earlier?: ShutdownReport[];
}

export function buildReport(input: ReportInput): ShutdownReport {
  const services = input.waves.flatMap((wave, index) =>
    wave
      .filter((name) => input.outputs[name])
      .map((name) =>
        serviceReport(
          input.outputs[name],
          index,
          input.originMs,
          input.verified[name] ?? false,
          input.restarts?.[name] ?? [],
          input.verification?.[name],
          input.left?.[name],
        ),
      ),
  );
  const anyFailed = services.some((service) => service.outcome === 'failed');
  return {
    outcome: input.rolledBack ? 'rolledBack' : anyFailed ? 'failed' : 'stopped',
    startedAt: input.startedAt,
    durationMs: round(input.endedMs - input.originMs),
    waves: input.waves,
    services,
    earlier: input.earlier ?? [],
  };
}

/** How a service ended by SIGKILL is named wherever a stop is shown (docs/report.md). */
export type KilledHow = 'killed (SIGKILL)' | 'forced, never asked';

/**
 * `forced, never asked`: a FORCE (second Ctrl-C, `down --force`, the grace's
 * end) took it from `idle` straight to SIGKILL, skipping its graceful steps;
 * `killed (SIGKILL)`: its stop came down to SIGKILL. Undefined for any other end.
 */
export function killedHow(service: { method: StopMethod; transitions: readonly { to: ServiceState; reason: string }[] }): KilledHow | undefined {
  if (service.method !== 'kill') return undefined;
  const [first] = service.transitions;
  return first?.to === 'forceKill' && first.reason === 'FORCE' ? 'forced, never asked' : 'killed (SIGKILL)';
}

/** The stop's outcome in a few words, with the services ended by SIGKILL counted: `stopped in 412 ms, 1 killed (SIGKILL)`. */
export function stopSummary(report: ShutdownReport, formatMs: (ms: number) => string): string {
  const killed = report.services.map(killedHow);
  const count = (how: KilledHow) => killed.filter((name) => name === how).length;
  const kills = (['killed (SIGKILL)', 'forced, never asked'] as const).filter((how) => count(how) > 0).map((how) => `${count(how)} ${how}`);
  return [`${report.outcome} in ${formatMs(report.durationMs)}`, ...kills].join(', ');
}

/**
 * Whether a run (or the stop that ended it) went wrong: the stop failed or was
 * refused, or a service is `crashed` at the end. Exit status 1 for the CLI.
 */
export function runFailed(report: ShutdownReport): boolean {
  return report.outcome !== 'stopped' || report.services.some((service) => service.outcome === 'crashed');
}
