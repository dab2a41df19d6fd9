/**
 * Verification after `stopped` (docs/report.md `verified`): checked independently of
 * the events that led there — the main pid is gone, nothing of the service is
 * left of it — its cgroup is empty where it runs in one, else nothing in /proc
 * (group, descendants, marker) — and its port no longer answers.
 */
import type { ResolvedService } from '../config/types.js';
import { cgroupMembers } from './process/cgroup.js';
import { findServiceProcesses, type ProcessSnapshot } from './process/group.js';
import { serviceAlive } from './process/signal.js';
import type { ServiceProcess } from './process/spawn.js';
import { portOpen, probeUrl } from './url-probe.js';

/**
 * `snapshot` is asked for only by a service outside a cgroup: the /proc scan
 * (every process's stat and environ) costs more than everything else of a
 * 200-service stop's verification, and a cgroup's `cgroup.procs` already lists
 * every process of the service, wherever it went.
 */
export async function verifyStopped(
  service: ResolvedService,
  handle: ServiceProcess | undefined,
  snapshot: () => ProcessSnapshot,
  timeoutMs: number,
): Promise<boolean> {
  if (!handle) return service.healthUrl ? (await probeUrl(service.healthUrl, timeoutMs)) === null : true;
  if (handle.cgroup) {
    if (handle.exit === null || cgroupMembers(handle.cgroup).length > 0) return false;
  } else if (serviceAlive(handle) || findServiceProcesses(handle.pid, handle.marker.value, snapshot()).length > 0) {
    return false;
  }
  return service.port === undefined || !(await portOpen(service.port, timeoutMs));
}
