/**
 * `tierdown ps [--json]`: a row per service of the running stack — state,
 * pid, uptime, readiness, restarts, last exit, tier — asked of its `up` over
 * the control socket. Exit status 3 when no stack runs for this config.
 */
import { readFileSync } from 'node:fs';
import { readProc } from '../actors/process/proc-table.js';
import { loadCommandConfig } from './load-config.js';
import type { ServiceStatus } from '../engine/status.js';
import { parseCommandArgs } from './args.js';
import { ControlError } from './control/errors.js';
import { socketPath } from './control/paths.js';
import { openConversation } from './control/request.js';
import { formatMs, table } from './format.js';
import { EXIT, line, type CliIO } from './io.js';

/** One row of `ps --json`: the engine's status row, in its one vocabulary (docs/cli.md). */
export interface PsRow {
  name: string;
  tier: string;
  /** starting, running, ready, unhealthy, stopping, stopped, failed, exited, crashed, restarting, gave up. */
  state: string;
  /** Null once its process ended. */
  pid: number | null;
  startedAt: string | null;
  uptimeMs: number | null;
  ready: boolean;
  restarts: number;
  lastExit: { exitCode: number | null; signal: string | null; at: string } | null;
  /** A word on the state ("gave up after 5 restarts (max_restarts); it stays down"), or null. */
  note: string | null;
}

// Without the engine's startedAt: the pid's start time from /proc (ticks since boot; USER_HZ is 100 on Linux).
function startedAtFromProc(pid: number | null): string | null {
  const entry = pid === null ? undefined : readProc(pid);
  if (!entry) return null;
  try {
    const bootSeconds = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    return new Date((bootSeconds + Number(entry.startTime) / 100) * 1000).toISOString();
  } catch {
    return null;
  }
}

export function toRow(status: ServiceStatus, now = Date.now()): PsRow {
  // A pid is there only while its process may run.
  const running = status.pid !== null;
  const startedAt = status.startedAt ?? (running ? startedAtFromProc(status.pid) : null);
  return {
    name: status.name,
    tier: status.tier,
    state: status.state,
    pid: status.pid,
    startedAt,
    uptimeMs: startedAt && running ? Math.max(0, now - Date.parse(startedAt)) : null,
    ready: status.ready,
    restarts: status.restarts,
    lastExit: status.lastExit,
    note: status.note,
  };
}

/** The STATE cell: the state, and while it stops, which step of its stop it is in. */
function stateText(status: ServiceStatus): string {
  return status.stopState ? `${status.state} (${status.stopState})` : status.state;
}

function exitText(exit: PsRow['lastExit']): string {
  if (!exit) return '-';
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.exitCode}`;
}

function uptimeText(ms: number | null): string {
  if (ms === null) return '-';
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return formatMs(ms - (ms % 100));
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${seconds % 60}s`;
  return `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m`;
}

/**
 * Prints the running stack's rows (table, or JSON).
 *
 * @throws {ControlError} `TIERDOWN_NOT_RUNNING` when no `up` runs for `configSource`.
 */
export async function printStatus(configSource: string, io: CliIO, json: boolean): Promise<void> {
  const conversation = await openConversation(socketPath(configSource, io.env), configSource);
  printStatusRows((await conversation.ask({ type: 'status' })).status ?? [], io, json);
}

/** Prints status rows as `ps` does: a table with a line per note, or JSON. */
export function printStatusRows(statuses: ServiceStatus[], io: CliIO, json = false): void {
  const rows = statuses.map((status) => toRow(status));
  if (json) return line(io.stdout, JSON.stringify(rows, null, 2));
  const header = ['SERVICE', 'TIER', 'STATE', 'PID', 'UPTIME', 'READY', 'RESTARTS', 'LAST EXIT'];
  const cells = rows.map((row, index) => [
    row.name,
    row.tier,
    stateText(statuses[index]),
    row.pid === null ? '-' : String(row.pid),
    uptimeText(row.uptimeMs),
    row.ready ? 'yes' : 'no',
    String(row.restarts),
    exitText(row.lastExit),
  ]);
  table([header, ...cells], '').forEach((text) => line(io.stdout, text));
  for (const row of rows) if (row.note) line(io.stdout, `${row.name}: ${row.note}`);
}

export async function ps(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs(argv, 'ps');
  const config = await loadCommandConfig(values, io);
  try {
    await printStatus(config.source, io, values.json ?? false);
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof ControlError) || error.code !== 'TIERDOWN_NOT_RUNNING') throw error;
    line(io.stderr, `tierdown ps: ${error.message}`);
    return EXIT.notRunning;
  }
}
