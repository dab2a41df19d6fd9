/**
 * The start's rows (docs/cli.md#what-you-see): while services come up, what
 * each one is doing and what it waits on — a dependency, its readiness URL or
 * port and the last answer of its check, `READY=1`. Everything comes from the
 * engine's status rows (engine/status.ts), the one reader of the
 * orchestrator's state: these functions only format, for the live rows on a
 * terminal and for the plain lines elsewhere.
 */
import type { ServiceStatus } from '../../engine/status.js';
import { formatMs, table } from '../format.js';
import { SPINNER } from './live-rows.js';

/** On its way up: started and not ready yet, waiting for its dependencies, or being restarted. */
export const isComingUp = (status: Pick<ServiceStatus, 'state'>) => status.state === 'starting' || status.state === 'restarting';

/** True while the start (or a restart) has something to show. */
export const startUnderWay = (status: ServiceStatus[]) => status.some(isComingUp);

const ENDED_BADLY = new Set(['crashed', 'failed', 'gave up']);

function markerOf(status: ServiceStatus, tick: number): string {
  if (status.state === 'ready' || status.state === 'running') return '✔';
  if (ENDED_BADLY.has(status.state)) return '✖';
  // Not started yet: it waits for its dependencies (or its wave).
  if (status.startedAt === null || (status.state === 'restarting' && status.pid === null)) return '·';
  if (isComingUp(status)) return SPINNER[tick % SPINNER.length];
  return ' ';
}

/**
 * The frame's lines: header + one row per service, cut to `width` columns.
 * `time` is how long a service on its way up has been at it since it started
 * (`nowMs`: the wall clock), or how long it took once `readyInMs` knows.
 */
export function renderStartRows(status: ServiceStatus[], nowMs: number, tick: number, width: number, readyInMs: ReadonlyMap<string, number>): string[] {
  const cells = [['', 'service', 'tier', 'state', 'time', 'waiting on']];
  for (const row of status) {
    const took = readyInMs.get(row.name);
    const waited = isComingUp(row) && row.startedAt !== null && row.pid !== null ? nowMs - Date.parse(row.startedAt) : undefined;
    const time = waited !== undefined ? formatMs(Math.max(0, Math.round(waited))) : took !== undefined && !isComingUp(row) ? formatMs(Math.round(took)) : '-';
    cells.push([markerOf(row, tick), row.name, row.tier, row.state, time, isComingUp(row) ? row.waitingOn : '']);
  }
  return table(cells, '').map((text) => (text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text));
}

/**
 * The plain view's start lines: one per change of what a service on its way
 * up waits on (`api: waiting for http://127.0.0.1:8001/health to answer 2xx
 * (last answer: 503)`), so a slow start is never a silent terminal.
 */
export function startWaitLines(): (status: ServiceStatus[]) => string[] {
  const shown = new Map<string, string>();
  return (status) => {
    const lines: string[] = [];
    for (const row of status) {
      if (!isComingUp(row) || row.waitingOn === '') {
        // Up or ended: a later restart says its waits again.
        if (!isComingUp(row)) shown.delete(row.name);
        continue;
      }
      if (shown.get(row.name) === row.waitingOn) continue;
      shown.set(row.name, row.waitingOn);
      lines.push(`${row.name}: waiting for ${row.waitingOn}`);
    }
    return lines;
  };
}

/** The engine events after which what a service waits on may have changed. */
export const START_EVENTS: ReadonlySet<string> = new Set(['spawned', 'ready', 'readinessAnswer', 'restartScheduled', 'startFailed', 'exited', 'notified']);
