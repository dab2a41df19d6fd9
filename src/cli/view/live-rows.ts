/**
 * The rows of the live view, as data and text: what each service of the stop
 * is doing, how it is being stopped, for how long, and what it waits on.
 * Pure functions of the transition events and status rows, so they can be
 * checked without a terminal.
 */
import { killedHow, methodOf } from '../../../machines/report.js';
import type { LoggedTransition } from '../../../machines/service.js';
import type { ServiceState } from '../../../machines/types.js';
import type { ServiceStatus } from '../../engine/status.js';
import type { TierdownEvent } from '../../events.js';
import { formatMs, table } from '../format.js';

export interface LiveRow {
  name: string;
  tier: string;
  state: ServiceState;
  /** The transitions seen so far, `at` in ms since the stop began. */
  transitions: LoggedTransition[];
}

/** Braille spinner, one frame per tick. */
export const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

// The step a service is in while it is not final.
const TRYING: Partial<Record<ServiceState, string>> = {
  httpShutdown: 'http',
  stopCommand: 'command',
  awaitingExit: 'http',
  sigterm: 'signal',
  forceKill: 'kill',
};

export const isFinal = (state: ServiceState) => state === 'stopped' || state === 'failed';

export function newRow(name: string, tier = ''): LiveRow {
  return { name, tier, state: 'idle', transitions: [] };
}

/** Applies one `transition` event to its row. */
export function applyTransition(row: LiveRow, event: Extract<TierdownEvent, { type: 'transition' }>): void {
  row.state = event.to;
  row.transitions.push({ to: event.to, at: event.atMs, reason: event.reason });
}

/** How the service is being stopped now, or how it was once final (a SIGKILL named as such). */
export function methodOfRow(row: LiveRow): string {
  if (isFinal(row.state)) {
    const method = methodOf(row.transitions);
    return killedHow({ method, transitions: row.transitions }) ?? method;
  }
  if (row.state === 'awaitingExit' && row.transitions.at(-2)?.to === 'stopCommand') return 'command';
  return TRYING[row.state] ?? '-';
}

/** From leaving `idle` to the final state, or to `nowMs` while still stopping. */
export function elapsedOfRow(row: LiveRow, nowMs: number): number | undefined {
  const first = row.transitions[0];
  if (!first) return undefined;
  const end = isFinal(row.state) ? (row.transitions.at(-1)?.at ?? first.at) : nowMs;
  return Math.max(0, end - first.at);
}

/** The marker in front of a row: a spinner frame while waiting, ✔ / ! (ended by SIGKILL) / ✖ when final. */
export function markerOf(row: LiveRow, tick: number): string {
  if (row.state === 'stopped') return killedHow({ method: methodOf(row.transitions), transitions: row.transitions }) ? '!' : '✔';
  if (row.state === 'failed') return '✖';
  if (row.transitions.length === 0) return '·';
  return SPINNER[tick % SPINNER.length];
}

/**
 * The frame's lines: header + one row per service, cut to `width` columns.
 * `waitingOn` is taken from the status row only when it describes the same
 * state (a status frame can lag a transition by one tick).
 */
export function renderRows(rows: LiveRow[], status: ServiceStatus[], nowMs: number, tick: number, width: number): string[] {
  const byName = new Map(status.map((entry) => [entry.name, entry]));
  const cells = [['', 'service', 'tier', 'state', 'method', 'time', 'waiting on']];
  for (const row of rows) {
    const current = byName.get(row.name);
    const elapsed = elapsedOfRow(row, nowMs);
    // Not moved in this stop: ended before it (crashed, gave up…) or not asked yet — the engine's word for it.
    const settled = row.transitions.length === 0 && current !== undefined && current.state !== 'stopping';
    cells.push([
      markerOf(row, tick),
      row.name,
      row.tier || current?.tier || '',
      settled ? current.state : row.state,
      methodOfRow(row),
      elapsed === undefined ? '-' : formatMs(Math.round(elapsed)),
      current && current.stopState === row.state ? current.waitingOn : '',
    ]);
  }
  return table(cells, '').map((text) => (text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text));
}
