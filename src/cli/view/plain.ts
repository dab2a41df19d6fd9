/**
 * The plain view: one line per event, for pipes, CI logs and NO_COLOR. Every
 * line stands alone (service name first), so `grep backend` tells its story.
 */
import { killedHow, stopSummary } from '../../../machines/report.js';
import type { ServiceReport, ShutdownReport } from '../../../machines/types.js';
import type { TierdownEvent } from '../../events.js';
import { formatMs, table } from '../format.js';
import { line } from '../io.js';
import type { Writable } from 'node:stream';

/**
 * What tierdown itself says of a service while it supervises it (a start that
 * failed, an exit, a restart, giving up): the line `up` prints after the
 * service's name, and the note `logs` shows among the service's own lines
 * (logs/files.ts writes every event worded here). A new supervision event
 * (unhealthy, …) needs only its case here to reach both.
 */
export function supervisionNote(event: TierdownEvent): string | undefined {
  switch (event.type) {
    case 'startFailed':
      return `failed to start: ${event.message}`;
    case 'exited':
      return exitedText(event);
    case 'restartScheduled':
      return `restart ${event.restart} in ${formatMs(event.backoffMs)}`;
    case 'restartsExhausted':
      return `gave up after ${event.restarts} restart${event.restarts === 1 ? '' : 's'} (max_restarts); it stays down`;
    default:
      return undefined;
  }
}

export function plainLine(event: TierdownEvent): string | undefined {
  switch (event.type) {
    case 'spawned':
      return event.pid === null ? `${event.service}: remote` : `${event.service}: started pid ${event.pid}`;
    case 'ready':
      return `${event.service}: ready`;
    case 'readinessAnswer':
      // Shown as part of what the service waits on (start-rows.ts), from the status.
      return undefined;
    case 'startFailed':
    case 'exited':
    case 'restartScheduled':
    case 'restartsExhausted':
      return `${event.service}: ${supervisionNote(event)}`;
    case 'tierResolved':
      return `${event.service}: ${event.detail}`;
    case 'log':
      return `${event.service} | ${event.line}`;
    case 'shutdownStarted':
      return `shutdown${event.forced ? ' (forced)' : ''}: ${event.waves.map((wave) => `[${wave.join(', ')}]`).join(' → ')}`;
    case 'transition':
      return `${event.service}: ${event.from} → ${event.to} (${event.reason}) +${formatMs(event.atMs)}`;
    case 'mainExited':
      return undefined;
    case 'signalError':
      return `${event.service}: ${event.message}`;
    case 'notified':
      return notifiedLine(event);
    case 'report':
      return undefined;
  }
}

function notifiedLine(event: Extract<TierdownEvent, { type: 'notified' }>): string | undefined {
  const said = [
    event.ready && 'READY',
    event.stopping && 'STOPPING',
    event.status !== undefined && `status: ${event.status}`,
    event.extendMs !== undefined && `asks for ${formatMs(event.extendMs)} more`,
  ].filter(Boolean);
  return said.length ? `${event.service}: ${said.join(', ')}` : undefined;
}

function exitedText(event: Extract<TierdownEvent, { type: 'exited' }>): string {
  const how = event.signal ? `killed by ${event.signal}` : event.exitCode === null ? 'status unknown' : `exit ${event.exitCode}`;
  return `${event.crashed ? 'crashed' : 'exited'} (${how})`;
}

/** A service that ended by itself: `api: crashed (exit 1)`, `worker: exited (status 0)`. */
export function exitedLine(event: Extract<TierdownEvent, { type: 'exited' }>): string {
  return `${event.service}: ${exitedText(event)}`;
}

/** The closing summary: one row per service, then the outcome. */
/** A service's outcome as the summary shows it: a SIGKILL is named, an unverified stop says so. */
export function outcomeText(service: ServiceReport): string {
  const outcome = killedHow(service) ?? service.outcome;
  return service.verified || service.outcome === 'failed' ? outcome : `${outcome} (unverified)`;
}

/** The closing summary: one row per service, why any failed or is unverified, then the outcome (SIGKILLs counted). */
export function summaryLines(report: ShutdownReport): string[] {
  const rows = [['service', 'tier', 'wave', 'outcome', 'method', 'time', 'path']];
  for (const service of report.services) {
    rows.push([service.name, service.tier, String(service.wave), outcomeText(service), service.method, formatMs(service.durationMs), service.path.join(' → ')]);
  }
  const explained = report.services.filter((service) => service.outcome === 'failed' || !service.verified);
  return [
    ...table(rows),
    ...explained.map((service) => `  ${service.name}: ${service.detail ?? service.outcome}`),
    stopSummary(report, formatMs),
  ];
}

export function printSummary(stream: Writable, report: ShutdownReport): void {
  line(stream);
  for (const row of summaryLines(report)) line(stream, row);
}
