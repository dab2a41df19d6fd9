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
import { engineCgroupDir, type ServiceCgroup } from './cgroup.js';
import { forkInCgroup } from './cgroup-join.js';
import { spawnProblems, type ProgramsFound } from '../../config/spawn-checks.js';
import { readProc } from './proc-table.js';
import { TOKEN_ENV } from '../../protocol.js';
import { TierdownError } from '../../errors.js';

/** Environment variable that tags every process of a service, inherited by its descendants. */
export const MARKER_VARIABLE = 'TIERDOWN_SERVICE';

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
  /** The service's cgroup: the process is born in it (cgroup-join.ts). */
  cgroup?: ServiceCgroup;
  /** Programs found on PATH for the services started with this one (spawn-checks.ts). */
  programs?: ProgramsFound;
}

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
  /** When SIGKILL went to it (performance.now()), if it did: its exit may then be booked a timer tick later (watch.ts). */
  killedAt: number | null;
  /** The service's output pipes, and a way to stop them holding the engine open (see detach.ts). */
  output: { stdout: Readable | null; stderr: Readable | null };
  unref(): void;
}

export class SpawnError extends TierdownError<'TIERDOWN_SPAWN_FAILED'> {
  override name = 'SpawnError';
  constructor(message?: string) {
    super('TIERDOWN_SPAWN_FAILED', message);
  }
}

// Used only when the engine could not leave the service's cgroup: its own group, never the cgroup (the engine is in it).
function killForked(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

export async function spawnService(options: SpawnOptions): Promise<ServiceProcess> {
  const identity = identityOptions(options.runAs);
  // Checked first: a cwd naming a file or an empty program must fail with a
  // clear message before anything is spawned. Only PATH of the environment matters here.
  const problems = spawnProblems(options.command, options.cwd, { PATH: options.env.PATH ?? process.env.PATH }, options.programs);
  if (problems.length) {
    throw new SpawnError(problems.map(({ field, message }) => `${field}: ${message}`).join('; '));
  }
  const [file, ...args] = options.command;
  const program = JSON.stringify(file);
  // Plain child_process.spawn: execa's per-process option handling, stream
  // wrappers and abort signals cost more CPU than the fork itself at 200 services.
  // libuv clears the supplementary groups when it sets uid/gid.
  const fork = (): ChildProcess => {
    try {
      return spawn(file, args, {
        cwd: options.cwd,
        env: { ...process.env, ...identity.env, ...options.env, [TOKEN_ENV]: options.token, [MARKER_VARIABLE]: options.marker },
        ...(identity.uid === undefined ? {} : { uid: identity.uid, gid: identity.gid }),
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      // Invalid arguments throw at once instead of emitting 'error'.
      throw new SpawnError(`cannot start ${program}: ${(error as Error).message}`);
    }
  };
  let child: ChildProcess;
  try {
    child = options.cgroup ? forkInCgroup(engineCgroupDir(options.cgroup.mount), options.cgroup.dir, fork, killForked) : fork();
  } catch (error) {
    if (error instanceof SpawnError) throw error;
    throw new SpawnError(`cannot start ${program} in its cgroup: ${(error as Error).message}`);
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
    killedAt: null,
    output: { stdout: child.stdout as Readable | null, stderr: child.stderr as Readable | null },
    unref: () => child.unref(),
  };
  void mainExited.then((info) => {
    handle.exit = info;
  });
  return handle;
}
