/**
 * Signals a service: the stop signal to its process group, SIGKILL to the
 * group and to every descendant found. Each pid outside the group is checked
 * against the start time seen for it, so a reused pid is never signalled.
 */
import { cgroupMembers, killCgroup } from './cgroup.js';
import { findServiceProcesses, groupHoldsOurs, processSnapshot, type ProcessSnapshot } from './group.js';
import { isAliveAs, readProc } from './proc-table.js';
import type { ServiceProcess } from './spawn.js';
import { flushSweeps, sweepAfterTurn, sweepPending } from './sweep.js';

export interface SignalResult {
  /** Pids signalled outside the group (by the sweep; empty in the immediate result). */
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
  noteFrom(service, processSnapshot(service.marker.name, maxAgeMs));
}

function noteFrom(service: ServiceProcess, snapshot: ProcessSnapshot): void {
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

// In a cgroup the members are exactly the service (nothing forked can leave), so
// no /proc scan is needed. SIGKILL goes to the cgroup at once through cgroup.kill.
// Another signal goes to the group now while the main process lives (its id is
// then surely ours), and to the members after the turn: every service of a wave
// gets its group signal before anyone reads a cgroup.procs (200 services: the
// last SIGTERM went out ~100 ms later when each read its members first). A member
// still in the group gets it once (a second SIGTERM means "hurry" to many
// programs); once the main is gone the group is signalled only if a member of the
// cgroup is still in it — proof the id has not been handed to a stranger.
function signalCgroup(service: ServiceProcess, dir: string, signal: NodeJS.Signals, swept?: (result: SignalResult) => void): SignalResult {
  const errors: string[] = [];
  if (signal === 'SIGKILL') {
    const failed = killCgroup(dir);
    if (failed) {
      errors.push(failed);
      signalGroup(service, signal, errors);
    }
    return { extra: [], errors };
  }
  const groupSignalled = service.exit === null;
  if (groupSignalled) send(-service.pid, signal, errors);
  setImmediate(() => {
    const later: string[] = [];
    const extra: number[] = [];
    let groupLeft = false;
    for (const pid of cgroupMembers(dir)) {
      // The main process leads the group (its pid is the group id, even after a setsid): no read needed.
      if (pid === service.pid || readProc(pid)?.pgid === service.pid) groupLeft = true;
      else extra.push(pid);
    }
    if (groupLeft && !groupSignalled) send(-service.pid, signal, later);
    for (const pid of extra) send(pid, signal, later);
    swept?.({ extra, errors: later });
  });
  return { extra: [], errors };
}

// The group now; the processes outside it after the turn, found by one scan
// shared with every service signalled in the same turn (sweep.ts).
function signalTree(service: ServiceProcess, signal: NodeJS.Signals, fresh: boolean, swept?: (result: SignalResult) => void): SignalResult {
  if (service.cgroup) return signalCgroup(service, service.cgroup, signal, swept);
  const errors: string[] = [];
  signalGroup(service, signal, errors);
  sweepAfterTurn(service, fresh, (snapshot) => {
    noteFrom(service, snapshot);
    const later: string[] = [];
    const extra = signalSeen(service, signal, later);
    swept?.({ extra, errors: later });
  });
  return { extra: [], errors };
}

/**
 * The tier's stop signal (SIGTERM unless set) to the group at once, and to the
 * descendants found outside it right after; `swept` hears how that went.
 */
export function sendStopSignal(service: ServiceProcess, signal: NodeJS.Signals, swept?: (result: SignalResult) => void): SignalResult {
  return signalTree(service, signal, false, swept);
}

/** SIGKILL to the group and every descendant found (docs/how-it-works.md `forceKill`); `swept` as above. */
export function killProcessTree(service: ServiceProcess, swept?: (result: SignalResult) => void): SignalResult {
  service.killedAt = performance.now();
  return signalTree(service, 'SIGKILL', true, swept);
}

/** True while anything of the service runs: main, group, or a descendant seen. */
export function serviceAlive(service: ServiceProcess): boolean {
  if (service.cgroup) return service.exit === null || cgroupMembers(service.cgroup).length > 0;
  if (sweepPending(service)) flushSweeps();
  if (ourGroupAlive(service)) return true;
  for (const [pid, startTime] of service.seen) if (isAliveAs(pid, startTime)) return true;
  return false;
}
