/**
 * An engine that dies — SIGKILL, OOM killer, a crash, `process.exit` on the
 * third Ctrl-C — must not leave its services running. Each run that starts a
 * local service gets one watchdog: a small detached process holding a pipe from
 * the engine. The kernel closes that pipe whatever way the engine ends; on EOF
 * without a `release`, the watchdog kills the run's groups and every process
 * carrying the run's marker (see bin/tierdown-watchdog.cjs).
 *
 * Why not `setpriv --pdeathsig KILL` around each command: the parent-death
 * signal reaches only the direct child (never its group, nor a grandchild that
 * left it with setsid), it fires when the spawning *thread* exits rather than the
 * engine, and it is reset when a service execs a setuid program. A watchdog sees
 * everything the marker reaches and costs one process per run.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface Watchdog {
  /** Starts the watchdog if it is not running yet; call before spawning a service. */
  arm(): void;
  /** Registers a started service's group (its leader's pid and start time). */
  guard(service: { pid: number; startTime: string }): void;
  /** Registers the run's notify sockets' folder (src/notify/hub.ts): removed, with its sockets, if the engine dies. */
  removes(folder: string): void;
  /** The run is over: the watchdog exits and kills nothing. */
  release(): void;
  /** Pid of the watchdog process, once armed (tests). */
  readonly pid: number | undefined;
}

/** The watchdog's program: bin/ of the package, from src/ (tests) or dist/src/ (the binary). */
export const WATCHDOG_FILE = ['../../../bin/tierdown-watchdog.cjs', '../../../../bin/tierdown-watchdog.cjs']
  .map((relative) => fileURLToPath(new URL(relative, import.meta.url)))
  .find((file) => existsSync(file)) ?? 'tierdown-watchdog.cjs';

/** @param cgroupDir the run's parent cgroup, when services run in cgroups: killed whole, then removed. */
export function createWatchdog(runId: string, markerVariable: string, cgroupDir?: string): Watchdog {
  let pipe: Socket | undefined;
  let pid: number | undefined;
  let released = false;
  // Lines said before the watchdog runs wait for it (the notify folder is made before the first spawn).
  const early: string[] = [];
  const write = (line: string) => {
    if (!pipe) early.push(line);
    else if (!pipe.destroyed) pipe.write(`${line}\n`);
  };
  return {
    get pid() {
      return pid;
    },
    arm() {
      if (pipe || released) return;
      const child = spawn(process.execPath, [WATCHDOG_FILE, runId, markerVariable, cgroupDir ?? ''], {
        detached: true,
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      // A watchdog that cannot start or dies early leaves the run unguarded, not broken.
      child.on('error', () => undefined);
      pipe = child.stdin as Socket;
      pipe.on('error', () => undefined);
      for (const line of early.splice(0)) write(line);
      // Neither the child nor the pipe may keep the engine's event loop alive.
      child.unref();
      pipe.unref();
      pid = child.pid;
    },
    guard(service) {
      write(`group ${service.pid} ${service.startTime}`);
    },
    removes(folder) {
      // Encoded: the line is split on spaces, and a TMPDIR may hold one.
      write(`folder ${encodeURIComponent(folder)}`);
    },
    release() {
      if (released) return;
      released = true;
      write('release');
      pipe?.end();
    },
  };
}
