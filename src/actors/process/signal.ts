/**
 * Signals a service: the stop signal to its process group, SIGKILL to the
 * group and to every descendant found. Each pid outside the group is checked
 * against the start time seen for it, so a reused pid is never signalled.
 */
import { findServiceProcesses, groupHoldsOurs, processSnapshot } from './group.js';
import { isAliveAs } from './proc-table.js';
import type { ServiceProcess } from './spawn.js';

export interface SignalResult {
  /** Pids signalled outside the group. */
  extra: number[];
  /** Errors other than "already gone", e.g. EPERM. */
  errors: string[];
}

function send(target: number, signal: NodeJS.Signals, errors: string[]): void {
  try {
    process.kill(target, signal);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ESRCH') errors.push(`kill(${target}, ${signal}): ${code ?? String(error)}`);
  }
}

// The group id is the main pid; it cannot be handed to another group while a
// member of ours lives, so the group is signalled only when one provably does
// (a stranger may lead a group with that id once all of ours are gone).
function ourGroupAlive(service: ServiceProcess): boolean {
  return service.exit === null || groupHoldsOurs(service.pid, service.marker, service.seen);
}

function signalGroup(service: ServiceProcess, signal: NodeJS.Signals, errors: string[]): void {
  if (ourGroupAlive(service)) send(-service.pid, signal, errors);
}

/**
 * Finds the service's processes outside its group and remembers them. A scan a
 * few ms old is fresh enough here: it is shared by every service stopping in
 * the same wave, and anything forked after it is in the group it inherits.
 */
export function noteDescendants(service: ServiceProcess, maxAgeMs = 20): void {
  const snapshot = processSnapshot(service.marker.name, maxAgeMs);
  for (const entry of findServiceProcesses(service.pid, service.marker.value, snapshot)) {
    if (entry.pgid !== service.pid) service.seen.set(entry.pid, entry.startTime);
  }
}

function signalSeen(service: ServiceProcess, signal: NodeJS.Signals, errors: string[]): number[] {
  const signalled: number[] = [];
  for (const [pid, startTime] of service.seen) {
    if (!isAliveAs(pid, startTime)) continue;
    send(pid, signal, errors);
    signalled.push(pid);
  }
  return signalled;
}

/** The tier's stop signal (SIGTERM unless set) to the group and the descendants seen outside it. */
export function sendStopSignal(service: ServiceProcess, signal: NodeJS.Signals): SignalResult {
  const errors: string[] = [];
  signalGroup(service, signal, errors);
  noteDescendants(service);
  return { extra: signalSeen(service, signal, errors), errors };
}

/** SIGKILL to the group and every descendant found (SPEC §2 `forceKill`). */
export function killProcessTree(service: ServiceProcess): SignalResult {
  const errors: string[] = [];
  signalGroup(service, 'SIGKILL', errors);
  noteDescendants(service, 0);
  return { extra: signalSeen(service, 'SIGKILL', errors), errors };
}

/** True while anything of the service runs: main, group, or a descendant seen. */
export function serviceAlive(service: ServiceProcess): boolean {
  if (ourGroupAlive(service)) return true;
  for (const [pid, startTime] of service.seen) if (isAliveAs(pid, startTime)) return true;
  return false;
}
