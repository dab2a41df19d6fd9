/**
 * Starts a local service: argv (never a shell), its own process group and
 * session (`detached`), the run's shutdown token and a per-service marker in
 * its environment, output streamed line by line to the caller.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { RunAs } from '../../config/types.js';
import { splitLines } from '../../text/line-splitter.js';
import type { OutputGate } from '../../text/output-gate.js';
import { identityOptions } from './identity.js';
import type { ServiceCgroup } from './cgroup.js';
import { spawnProblems, type ProgramsFound } from '../../config/spawn-checks.js';
import { readProc } from './proc-table.js';

/** Environment variable that tags every process of a service, inherited by its descendants. */
export const MARKER_VARIABLE = 'TIERDOWN_SERVICE';
export const TOKEN_VARIABLE = 'TIERDOWN_SHUTDOWN_TOKEN';

export interface ExitInfo {
  exitCode: number | null;
  signal: string | null;
}

export interface SpawnOptions {
  name: string;
  command: string[];
  cwd: string;
  env: Record<string, string>;
  token: string;
  /** Unique per run and service, e.g. `<runId>/<name>`. */
  marker: string;
  /** `user:`/`group:`: the ids the process runs as (tierdown must be root). */
  runAs?: RunAs;
  onLine?: (stream: 'stdout' | 'stderr', line: string) => void;
  /** While blocked, the output pipes are not read (back-pressure from the terminal). */
  outputGate?: OutputGate;
  /** The service's cgroup: the process joins it before the program runs (cgroup.ts). */
  cgroup?: ServiceCgroup;
  /** Programs found on PATH for the services started with this one (spawn-checks.ts). */
  programs?: ProgramsFound;
}

// Moves itself into the cgroup, then becomes the program (same pid): nothing the
// program forks can start outside. Writing "0" moves the writer; `echo` is a
// builtin, so the writer is this shell. A spawn-then-move from the engine would
// leave a window in which a fast double fork escapes.
const JOIN_CGROUP = 'echo 0 > "$0" || { echo "tierdown: cannot join cgroup $0" >&2; exit 125; }; exec "$@"';

/** A running local service as tierdown knows it. */
export interface ServiceProcess {
  name: string;
  pid: number;
  /** Start time from /proc: the pid's identity, so a reused pid is never taken for ours. */
  startTime: string;
  marker: { name: string; value: string };
  /** Set once the main process has exited (and been reaped). */
  exit: ExitInfo | null;
  mainExited: Promise<ExitInfo>;
  /** The service's cgroup folder, when it runs in one: then its members are exactly the service. */
  cgroup?: string;
  /** Processes outside the group that tierdown has seen belong to the service. */
  seen: Map<number, string>;
  /** The service's output pipes, and a way to stop them holding the engine open (see detach.ts). */
  output: { stdout: Readable | null; stderr: Readable | null };
  unref(): void;
}

export class SpawnError extends Error {
  override name = 'SpawnError';
  readonly code = 'TIERDOWN_SPAWN_FAILED';
}

export async function spawnService(options: SpawnOptions): Promise<ServiceProcess> {
  const identity = identityOptions(options.runAs);
  const env = { ...identity.env, ...options.env, [TOKEN_VARIABLE]: options.token, [MARKER_VARIABLE]: options.marker };
  // Checked first: a cwd naming a file or an empty program must fail with a
  // clear message before anything is spawned. Only PATH of the environment matters here.
  const problems = spawnProblems(options.command, options.cwd, { PATH: options.env.PATH ?? process.env.PATH }, options.programs);
  if (problems.length) {
    throw new SpawnError(problems.map(({ field, message }) => `${field}: ${message}`).join('; '));
  }
  // With a cgroup and a user, the join needs root: the shell joins, then setpriv drops to the user (same pid).
  const dropAfterJoin = options.cgroup !== undefined && identity.uid !== undefined;
  const command = dropAfterJoin
    ? ['setpriv', `--reuid=${identity.uid}`, `--regid=${identity.gid}`, '--clear-groups', '--', ...options.command]
    : options.command;
  const [file, ...args] = options.cgroup
    ? ['/bin/sh', '-c', JOIN_CGROUP, options.cgroup.procsFile, ...command]
    : command;
  const program = JSON.stringify(options.command[0]);
  // Plain child_process.spawn: execa's per-process option handling, stream
  // wrappers and abort signals cost more CPU than the fork itself at 200 services.
  let child: ChildProcess;
  try {
    child = spawn(file, args, {
      cwd: options.cwd,
      env: { ...process.env, ...env },
      ...(identity.uid === undefined || dropAfterJoin ? {} : { uid: identity.uid, gid: identity.gid }),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    // Invalid arguments throw at once instead of emitting 'error'.
    throw new SpawnError(`cannot start ${program}: ${(error as Error).message}`);
  }
  const mainExited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (exitCode, signal) => resolve({ exitCode, signal }));
  });
  const spawned = await new Promise<number>((resolve, reject) => {
    child.once('spawn', () => resolve(child.pid as number));
    child.once('error', (error) => reject(new SpawnError(`cannot start ${program}: ${error.message}`)));
  });
  // Later errors (e.g. a failed kill) are not the start's: the exit reports what happened.
  child.on('error', () => undefined);
  for (const stream of ['stdout', 'stderr'] as const) {
    const readable = child[stream];
    // Lines are cut at a bounded length: one endless line must not exhaust the engine.
    if (readable) splitLines(readable, { onLine: (line) => options.onLine?.(stream, line), gate: options.outputGate });
  }
  const handle: ServiceProcess = {
    name: options.name,
    pid: spawned,
    startTime: readProc(spawned)?.startTime ?? '',
    marker: { name: MARKER_VARIABLE, value: options.marker },
    cgroup: options.cgroup?.dir,
    exit: null,
    mainExited,
    seen: new Map(),
    output: { stdout: child.stdout as Readable | null, stderr: child.stderr as Readable | null },
    unref: () => child.unref(),
  };
  void mainExited.then((info) => {
    handle.exit = info;
  });
  return handle;
}
