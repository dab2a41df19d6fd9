/**
 * A stop command's own cgroup, or a health check command's
 * (docs/security.md#stop-command-containment): a
 * child of the service's cgroup, the command born in it as the service was in
 * its own. Whatever the command leaves behind when it ends — a daemon it forked
 * with `setsid env -i`, out of its process group and clear of tierdown's marker —
 * is still in it, and is swept (SIGKILL through `cgroup.kill`). Kept apart from
 * the service's own members, so a command that outlives the service (`pg_ctl
 * stop -w` waiting for it) does not count as the service still running; and
 * inside the service's cgroup, so the service's `cgroup.kill` takes it too.
 */
import { mkdirSync } from 'node:fs';
import { pathInside } from '../files/contained.js';
import { cgroupMembers, cgroupSupport, killCgroup, removeCgroup, type ServiceCgroup } from './process/cgroup.js';
import { pollUntil } from './url-probe.js';

/**
 * The children of the service's cgroup its commands are born in: only cgroup control
 * files and these folders live there. One each, so a health check still running when
 * the stop command starts is not swept by it, nor the stop command by the check.
 */
export type CommandCgroupName = 'stop-command' | 'health-check';

// How long the sweep waits for the killed to leave before removing the cgroup.
const SWEEP_MS = 2000;

/** The service's cgroup as a command's home, given the folder of its running process; undefined without one. */
export function serviceCgroupOf(dir: string | undefined): ServiceCgroup | undefined {
  const found = cgroupSupport();
  return dir && found.available ? { dir, mount: found.mount } : undefined;
}

/** Creates a command's cgroup inside the service's. */
export function openCommandCgroup(service: ServiceCgroup, name: CommandCgroupName): ServiceCgroup {
  const dir = pathInside(service.dir, name);
  mkdirSync(dir, { recursive: true });
  return { dir, mount: service.mount };
}

/** SIGKILLs whatever is left in the command's cgroup and removes it once empty; returns the pids it found left. */
export function sweepCommandCgroup(cgroup: ServiceCgroup): number[] {
  const left = cgroupMembers(cgroup.dir);
  if (left.length) killCgroup(cgroup.dir);
  void pollUntil(async () => cgroupMembers(cgroup.dir).length === 0, { intervalMs: 5, timeoutMs: SWEEP_MS }).then(() => removeCgroup(cgroup.dir));
  return left;
}
