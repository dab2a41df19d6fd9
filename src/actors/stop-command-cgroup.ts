/**
 * A stop command's own cgroup (docs/security.md#stop-command-containment): a
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
import { cgroupMembers, killCgroup, removeCgroup, type ServiceCgroup } from './process/cgroup.js';
import { pollUntil } from './url-probe.js';

// A child of the service's cgroup: only cgroup control files and this folder live there.
const COMMAND_CGROUP = 'stop-command';

// How long the sweep waits for the killed to leave before removing the cgroup.
const SWEEP_MS = 2000;

/** Creates the stop command's cgroup inside the service's. */
export function openCommandCgroup(service: ServiceCgroup): ServiceCgroup {
  const dir = pathInside(service.dir, COMMAND_CGROUP);
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
