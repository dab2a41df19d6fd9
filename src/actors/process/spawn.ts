/**
 * Starts a local service: argv (never a shell), its own process group and
 * session (`detached`), the run's shutdown token and a per-service marker in
 * its environment, output streamed line by line to the caller.
 */
import { execa } from 'execa';
import type { Readable } from 'node:stream';
import { splitLines } from '../../text/line-splitter.js';
import type { OutputGate } from '../../text/output-gate.js';
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
  /** While blocked, the output pipes are not read (back-pressure from the terminal). */
  outputGate?: OutputGate;
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
  const [file, ...args] = options.command;
  const child = execa(file, args, {
    cwd: options.cwd,
    env: { ...options.env, [TOKEN_VARIABLE]: options.token, [MARKER_VARIABLE]: options.marker },
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
  const spawned = await new Promise<number>((resolve, reject) => {
    child.once('spawn', () => resolve(child.pid as number));
    child.once('error', (error) => reject(new SpawnError(`cannot start ${JSON.stringify(file)}: ${error.message}`)));
  });
  // execa's promise settles with the result; failures are reported through `exit`.
  void child.catch(() => undefined);
  for (const stream of ['stdout', 'stderr'] as const) {
    const readable = child[stream] as Readable | null;
    if (!readable) continue;
    // Lines are cut at a bounded length: one endless line must not exhaust the engine.
    splitLines(readable, { onLine: (line) => options.onLine?.(stream, line), gate: options.outputGate });
  }
  const handle: ServiceProcess = {
    name: options.name,
    pid: spawned,
    startTime: readProc(spawned)?.startTime ?? '',
    marker: { name: MARKER_VARIABLE, value: options.marker },
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
