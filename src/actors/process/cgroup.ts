/**
 * Services in their own cgroup (v2), as systemd runs units: a process cannot
 * leave its cgroup by double-forking, `setsid` or clearing its environment, so
 * the cgroup is the one complete answer to "what is left of this service".
 * `cgroup.kill` SIGKILLs every member at once and `cgroup.procs` empty proves
 * the stop. Each run gets a parent cgroup beside the engine's own
 * (`<engine's cgroup>/tierdown-<runId>`) with one child per service.
 *
 * Where no writable cgroup v2 hierarchy is at hand (not root and no delegated
 * subtree, cgroup v1 only, kernel without `cgroup.kill`) `cgroupSupport()` says
 * why, and the engine tracks process groups and descendants instead (see
 * docs/process-tracking.md).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathInside } from '../../files/contained.js';
import { forkInCgroup } from './cgroup-join.js';

/** Where tierdown can put services in cgroups, or why it cannot. */
export type CgroupSupport = { available: true; base: string; mount: string } | { available: false; reason: string };

/** The cgroup v2 mount point, from /proc/self/mountinfo (field 5 is the mount point; fstype follows " - "). */
export function cgroup2Mount(mountinfo: string): string | undefined {
  for (const line of mountinfo.split('\n')) {
    const [before, after] = line.split(' - ');
    if (!after || after.split(' ')[0] !== 'cgroup2') continue;
    return before.split(' ')[4]?.replace(/\\040/g, ' ');
  }
  return undefined;
}

/** This process's cgroup v2 path (the `0::` line of /proc/self/cgroup). */
export function ownCgroupPath(procCgroup: string): string | undefined {
  const line = procCgroup.split('\n').find((entry) => entry.startsWith('0::'));
  return line?.slice(3).trim() || undefined;
}

let support: CgroupSupport | undefined;

function readOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Probes once per engine process: a cgroup2 mount, the engine's own cgroup in
 * it, and the right to create a child with `cgroup.kill` there (made and
 * removed at once). `TIERDOWN_CGROUPS=off` forces the fallback (tests, or a
 * host where cgroups are managed by someone else).
 */
export function cgroupSupport(): CgroupSupport {
  if (support) return support;
  support = probe();
  return support;
}

function probe(): CgroupSupport {
  if (process.env.TIERDOWN_CGROUPS === 'off') return { available: false, reason: 'disabled by TIERDOWN_CGROUPS=off' };
  let mount: string | undefined;
  let own: string | undefined;
  try {
    mount = cgroup2Mount(readFileSync('/proc/self/mountinfo', 'utf8'));
    own = ownCgroupPath(readFileSync('/proc/self/cgroup', 'utf8'));
  } catch {
    return { available: false, reason: 'cannot read /proc/self/mountinfo or /proc/self/cgroup' };
  }
  if (!mount) return { available: false, reason: 'no cgroup v2 hierarchy is mounted' };
  if (!own) return { available: false, reason: 'the engine is not in a cgroup v2 cgroup' };
  const base = path.join(mount, own).replace(/(.)\/$/, '$1');
  // cgroup v2's "no internal processes" rule: below the root, a cgroup that hands
  // controllers to its children cannot take processes into them from here.
  if (own !== '/' && readOr(path.join(base, 'cgroup.subtree_control')).trim() !== '') {
    return { available: false, reason: `${base} delegates controllers to its children, so services cannot join cgroups below it` };
  }
  const trial = path.join(base, `tierdown-probe-${process.pid}`);
  try {
    mkdirSync(trial);
  } catch (error) {
    return { available: false, reason: `cannot create a cgroup under ${base} (${(error as NodeJS.ErrnoException).code ?? error})` };
  }
  try {
    if (!existsSync(path.join(trial, 'cgroup.kill'))) return { available: false, reason: 'the kernel has no cgroup.kill (Linux 5.14+)' };
    // A spawn passes the engine through the service's cgroup (cgroup-join.ts): try that once here.
    try {
      forkInCgroup(base, trial, () => undefined, () => undefined);
    } catch (error) {
      return { available: false, reason: (error as Error).message };
    }
    return { available: true, base, mount };
  } finally {
    removeCgroup(trial);
  }
}

/** The cgroup the engine is in now, under the cgroup2 `mount`. */
export function engineCgroupDir(mount: string): string {
  const own = ownCgroupPath(readFileSync('/proc/self/cgroup', 'utf8'));
  if (!own) throw new Error('the engine is not in a cgroup v2 cgroup');
  return path.join(mount, own);
}

/** One service's cgroup. */
export interface ServiceCgroup {
  dir: string;
  /** The cgroup2 mount: the engine's own cgroup is looked up under it at each spawn (engineCgroupDir). */
  mount: string;
}

/** Creates (or reuses, after a restart) the cgroup of one service of a run; undefined when cgroups are unavailable. */
export function serviceCgroup(runDir: string | undefined, service: string): ServiceCgroup | undefined {
  const found = cgroupSupport();
  if (!runDir || !found.available) return undefined;
  // Never the run's own cgroup (`.`) or the engine's (`..`): whatever the name, a child of the run's.
  const dir = pathInside(runDir, service);
  mkdirSync(dir, { recursive: true });
  return { dir, mount: found.mount };
}

/** The run's parent cgroup path (not created until the first service needs it). */
export function runCgroupDir(runId: string): string | undefined {
  const found = cgroupSupport();
  if (!found.available) return undefined;
  sweepStaleRunCgroups(found.base);
  const dir = pathInside(found.base, `tierdown-${runId}`);
  activeRuns.add(dir);
  return dir;
}

// A run's cgroups are removed when it ends (`releaseRunCgroups`), but a member still
// on its way out then, or an engine that died, leaves them behind (empty). Each new run
// removes the empty ones of runs whose engine (the pid in the name) is gone, and this
// engine's own runs that have ended (a long-lived engine runs many: an API user, a test).
const STALE_RUN = /^tierdown-(\d+)-[0-9a-f]+$/;
/** This process's runs whose cgroups are in use. */
const activeRuns = new Set<string>();
function sweepStaleRunCgroups(base: string): void {
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return;
  }
  for (const name of names) {
    const engine = STALE_RUN.exec(name)?.[1];
    if (!engine) continue;
    const dir = path.join(base, name);
    if (Number(engine) === process.pid ? !activeRuns.has(dir) : !existsSync(`/proc/${engine}`)) removeRunCgroups(dir);
  }
}

/** Each wait before the cgroups of an ended run are tried again, while something of it is still on its way out. */
const RELEASE_RETRY_MS = [10, 50, 200, 1000, 3000];

/**
 * The end of a run (not a detached one: its services run on in their cgroups): its
 * empty cgroups are removed now, and what was still populated is tried again a few
 * times over ~4 s, on timers that never keep the process alive. What is left after
 * that (or when the process exits first) is swept by a later run.
 */
export function releaseRunCgroups(runDir: string | undefined): void {
  if (!runDir) return;
  activeRuns.delete(runDir);
  removeRunCgroups(runDir);
  let attempt = 0;
  const retry = () => {
    if (!existsSync(runDir) || activeRuns.has(runDir) || attempt >= RELEASE_RETRY_MS.length) return;
    setTimeout(() => {
      removeRunCgroups(runDir);
      retry();
    }, RELEASE_RETRY_MS[attempt++]).unref();
  };
  retry();
}

/** Pids in the cgroup now; empty when it is gone. Zombies are not listed (the kernel drops them at exit). */
export function cgroupMembers(dir: string): number[] {
  try {
    return readFileSync(path.join(dir, 'cgroup.procs'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * True when no process is in the cgroup nor in any cgroup below it (`populated 0` in its
 * `cgroup.events`): one read answers for every service of a run. False when populated or unreadable.
 */
export function cgroupTreeEmpty(dir: string): boolean {
  try {
    return /^populated 0$/m.test(readFileSync(path.join(dir, 'cgroup.events'), 'utf8'));
  } catch {
    return false;
  }
}

/** SIGKILL to every member, atomically (the kernel walks the cgroup; a fork in flight cannot escape). */
export function killCgroup(dir: string): string | undefined {
  try {
    writeFileSync(path.join(dir, 'cgroup.kill'), '1');
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? undefined : `cgroup.kill in ${dir}: ${code ?? String(error)}`;
  }
}

/** Removes an empty cgroup; a populated or missing one is left as it is. */
export function removeCgroup(dir: string): boolean {
  try {
    rmdirSync(dir);
    return true;
  } catch {
    return false;
  }
}

// How deep below a run's cgroup its empty cgroups are removed: run / service / stop-command
// (src/actors/stop-command-cgroup.ts), and what a service running as root made below its own.
// Bounded, so a hostile tree cannot make the removal recurse without end.
const MAX_CGROUP_DEPTH = 8;

/** Removes the run's empty cgroups, deepest first, then the run's own if nothing is left in it. */
export function removeRunCgroups(runDir: string | undefined): void {
  if (runDir) removeCgroupTree(runDir, 0);
}

function removeCgroupTree(dir: string, depth: number): void {
  if (depth < MAX_CGROUP_DEPTH) for (const child of childCgroups(dir)) removeCgroupTree(child, depth + 1);
  removeCgroup(dir);
}

// Child cgroups are the folders; the cgroup.* and controller files are not. None when unreadable.
function childCgroups(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => path.join(dir, entry.name));
  } catch {
    return [];
  }
}

/**
 * Pids in the cgroup and in the cgroups below it (a service's stop command and health
 * check run in ones below its own, src/actors/stop-command-cgroup.ts), to the same bounded depth.
 */
export function cgroupTreeMembers(dir: string, depth = 0): number[] {
  const below = depth < MAX_CGROUP_DEPTH ? childCgroups(dir) : [];
  return [...cgroupMembers(dir), ...below.flatMap((child) => cgroupTreeMembers(child, depth + 1))];
}
