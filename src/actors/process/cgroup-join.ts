/**
 * A service is born in its cgroup: the engine moves itself into the service's
 * cgroup, forks, and moves back, in one synchronous step (no other code of the
 * engine runs in between). A child starts in its parent's cgroup, so nothing
 * the service forks — however fast — can start outside.
 *
 * Why not a `/bin/sh -c 'echo 0 > cgroup.procs; exec "$@"'` wrapper, as before:
 * it costs every service one more exec, ~1.5 s of CPU for 200 services on a
 * 2-core machine (start-up 200: the bench's raw floor spawns the program
 * directly). Why not spawn, then move the child: a double fork in that window
 * escapes. Linux's `clone3(CLONE_INTO_CGROUP)` would do it in one call, but
 * Node's spawn cannot pass it.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { TierdownError } from '../../errors.js';

export class CgroupJoinError extends TierdownError<'TIERDOWN_CGROUP_JOIN_FAILED'> {
  override name = 'CgroupJoinError';
  constructor(message?: string) {
    super('TIERDOWN_CGROUP_JOIN_FAILED', message);
  }
}

// Writing "0" to cgroup.procs moves the writer's whole process (every thread).
function moveEngineTo(dir: string): void {
  writeFileSync(path.join(dir, 'cgroup.procs'), '0');
}

function returnHome(home: string): void {
  try {
    moveEngineTo(home);
  } catch (error) {
    throw new CgroupJoinError(`cannot return the engine to its cgroup ${home}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/**
 * Runs `fork` (a synchronous spawn) with the engine in cgroup `dir`, then
 * returns the engine to `home`, the cgroup it came from. Should the return
 * fail (the engine's cgroup is not ours to write any more), `undo` ends what
 * was forked and the start fails loudly.
 */
export function forkInCgroup<T>(home: string, dir: string, fork: () => T, undo: (forked: T) => void): T {
  try {
    moveEngineTo(dir);
  } catch (error) {
    throw new CgroupJoinError(`cannot join the cgroup ${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let forked: T;
  try {
    forked = fork();
  } catch (error) {
    returnHome(home);
    throw error;
  }
  try {
    returnHome(home);
  } catch (error) {
    undo(forked);
    throw error;
  }
  return forked;
}
