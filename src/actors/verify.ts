/**
 * Verification after `stopped` (docs/report.md `verified`): checked independently of
 * the events that led there — the main pid is gone, nothing of the service is left
 * (where it runs in a cgroup: that cgroup and its commands' below it are empty;
 * else nothing in /proc: group, descendants, marker) — and its port no longer
 * answers. When something is left, the verdict names it: the pids and their
 * programs, the port and who holds it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Verdict } from '../../machines/stop.js';
import type { ResolvedService } from '../config/types.js';
import { stripControl } from '../text/sanitize.js';
import { cgroupTreeEmpty, cgroupTreeMembers } from './process/cgroup.js';
import { findServiceProcesses, type ProcessSnapshot } from './process/group.js';
import { portOwnership } from './process/port-owner.js';
import { serviceAlive } from './process/signal.js';
import type { ServiceProcess } from './process/spawn.js';
import { pollUntil, portOpen, probeUrl } from './url-probe.js';

/** Processes named one by one in a verdict; the rest are counted. */
const NAMED_PIDS = 5;

/** A pid with its program's name (`/proc/<pid>/comm`, control characters removed), as far as it can be read. */
function describePid(pid: number): string {
  try {
    return `${pid} (${stripControl(readFileSync(`/proc/${pid}/comm`, 'utf8').trim())})`;
  } catch {
    return String(pid);
  }
}

function describePids(pids: number[]): string {
  const named = pids.slice(0, NAMED_PIDS).map(describePid).join(', ');
  const more = pids.length > NAMED_PIDS ? ` and ${pids.length - NAMED_PIDS} more` : '';
  return `${pids.length === 1 ? 'pid' : 'pids'} ${named}${more} still running`;
}

/** What a stop's verifications share: one /proc scan, and whether the run's cgroup is empty, each read at most once. */
export interface VerifyShared {
  snapshot: () => ProcessSnapshot;
  /** A cgroup that holds no process, nor any cgroup below it (the run's, once every service in it is gone). */
  emptyCgroup: () => string | undefined;
}

const inside = (dir: string, parent: string | undefined) => parent !== undefined && dir.startsWith(`${parent}${path.sep}`);

// Empty, or already removed (nothing can be in it then).
const treeEmpty = (dir: string) => cgroupTreeEmpty(dir) || !existsSync(dir);

/**
 * A process killed is in its cgroup until it has died: a stop command killed
 * because its service left (the state it ran in was left) can still be freeing
 * its memory, or not yet have run at all on a busy machine, when the service's
 * end is verified. What is still in the service's cgroup or below gets until
 * `timeoutMs` to leave; one that stays is named in the verdict.
 */
async function settled(handle: ServiceProcess, shared: VerifyShared, timeoutMs: number): Promise<void> {
  const dir = handle.cgroup;
  if (!dir || inside(dir, shared.emptyCgroup()) || treeEmpty(dir)) return;
  await pollUntil(async () => treeEmpty(dir), { intervalMs: 2, timeoutMs });
}

// The processes of the service still there: its cgroup's members (its commands' below it included),
// else its main process, group and descendants.
function processesLeft(handle: ServiceProcess, shared: VerifyShared): number[] {
  const pids = new Set<number>();
  if (handle.cgroup) {
    if (handle.exit === null) pids.add(handle.pid);
    // Below an empty cgroup there is nothing to list: a full stop reads one cgroup.events, not one cgroup.procs per service.
    if (!inside(handle.cgroup, shared.emptyCgroup())) for (const pid of cgroupTreeMembers(handle.cgroup)) pids.add(pid);
  } else {
    if (serviceAlive(handle)) pids.add(handle.pid);
    for (const entry of findServiceProcesses(handle.pid, handle.marker.value, shared.snapshot())) pids.add(entry.pid);
  }
  return [...pids];
}

async function portLeft(port: number, timeoutMs: number, service: number[]): Promise<string | undefined> {
  if (!(await portOpen(port, timeoutMs))) return undefined;
  const owner = portOwnership(port, service);
  if (owner.kind === 'foreign') return `port ${port} held by ${owner.pid === undefined ? 'a process tierdown cannot see (another user?)' : `pid ${describePid(owner.pid)}`}`;
  return `port ${port} still accepts connections`;
}

/**
 * `shared.snapshot` is asked for only by a service outside a cgroup: the /proc scan
 * (every process's stat and environ) costs more than everything else of a
 * 200-service stop's verification, and a cgroup's `cgroup.procs` already lists
 * every process of the service, wherever it went.
 */
export async function verifyStopped(service: ResolvedService, handle: ServiceProcess | undefined, shared: VerifyShared, timeoutMs: number): Promise<Verdict> {
  if (!handle) {
    if (!service.healthUrl) return { verified: true };
    const status = await probeUrl(service.healthUrl, timeoutMs);
    return status === null ? { verified: true } : { verified: false, left: `its health URL ${service.healthUrl} still answers (${status})` };
  }
  await settled(handle, shared, timeoutMs);
  const pids = processesLeft(handle, shared);
  const left = [pids.length ? describePids(pids) : undefined, service.port === undefined ? undefined : await portLeft(service.port, timeoutMs, pids)].filter(
    (part): part is string => part !== undefined,
  );
  return left.length ? { verified: false, left: left.join('; ') } : { verified: true };
}
