/**
 * Starts a local service: argv (never a shell), its own process group and
 * session (`detached`), the run's shutdown token and a per-service marker in
 * its environment, output streamed line by line to the caller.
 */
import { execa } from 'execa';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { ServiceCgroup } from './cgroup.js';
import { spawnProblems } from '../../config/spawn-checks.js';
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
  onLine?: (stream: 'stdout' | 'stderr', line: string) => void;
  /** The service's cgroup: the process joins it before the program runs (cgroup.ts). */
  cgroup?: ServiceCgroup;
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
  const env = { ...options.env, [TOKEN_VARIABLE]: options.token, [MARKER_VARIABLE]: options.marker };
  // Checked first: a cwd naming a file or an empty program makes execa fail
  // without the 'error' event, which would leave the start waiting for ever.
  const problems = spawnProblems(options.command, options.cwd, { ...process.env, ...options.env });
  if (problems.length) {
    throw new SpawnError(problems.map(({ field, message }) => `${field}: ${message}`).join('; '));
  }
  const [file, ...args] = options.cgroup
    ? ['/bin/sh', '-c', JOIN_CGROUP, options.cgroup.procsFile, ...options.command]
    : options.command;
  const child = execa(file, args, {
    cwd: options.cwd,
    env,
    extendEnv: true,
    detached: true,
    cleanup: false,
    reject: false,
    buffer: false,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const mainExited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (exitCode, signal) => resolve({ exitCode, signal }));
  });
  const program = JSON.stringify(options.command[0]);
  const spawned = await new Promise<number>((resolve, reject) => {
    child.once('spawn', () => resolve(child.pid as number));
    child.once('error', (error) => reject(new SpawnError(`cannot start ${program}: ${error.message}`)));
    // Some failures settle only execa's promise (no 'error' event): never wait on them for ever.
    void child.then(
      (result) => {
        if (result.failed && child.pid === undefined) reject(new SpawnError(`cannot start ${program}: ${result.shortMessage}`));
      },
      (error: Error) => reject(new SpawnError(`cannot start ${program}: ${error.message}`)),
    );
  });
  for (const stream of ['stdout', 'stderr'] as const) {
    const readable = child[stream] as Readable | null;
    if (!readable) continue;
    const lines = createInterface({ input: readable, crlfDelay: Infinity });
    lines.on('line', (line) => options.onLine?.(stream, line));
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
