/**
 * The `command` step (docs/real-services.md): runs a service's `stop.command`
 * (argv, never a shell) with the service's env, its user, and
 * `TIERDOWN_SERVICE_PID`, and classifies how it ended for the statechart. The
 * budget (`stop.timeout`) is the statechart's own timer: when it leaves
 * `stopCommand` for any reason the signal aborts and the command's whole
 * process group is killed, so a hung `pg_ctl` never outlives its step.
 * Where the service runs in a cgroup, its stop command is born in a cgroup of
 * its own inside the service's, swept when it ends (stop-command-cgroup.ts):
 * nothing it forks outlives it. A `healthcheck.command` runs through here too,
 * in a cgroup of its own beside it (healthcheck.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { CommandResult } from '../../machines/service.js';
import type { RunAs } from '../config/types.js';
import { identityOptions } from './process/identity.js';
import { TOKEN_ENV } from '../protocol.js';
import { engineCgroupDir, killCgroup, type ServiceCgroup } from './process/cgroup.js';
import { forkInCgroup } from './process/cgroup-join.js';
import { openCommandCgroup, sweepCommandCgroup, type CommandCgroupName } from './stop-command-cgroup.js';
import { sanitizeText } from '../text/sanitize.js';

/** The service's main pid, for commands that stop a pid (`kill -QUIT $TIERDOWN_SERVICE_PID` in a script). */
export const SERVICE_PID_VARIABLE = 'TIERDOWN_SERVICE_PID';

// The last line the command wrote to stderr explains a failure; longer lines are cut.
const DETAIL_LIMIT = 200;

export interface StopCommandOptions {
  command: string[];
  cwd: string;
  /** The service's own `env`. */
  env: Record<string, string>;
  /** The service's own shutdown token; none for a remote service. */
  token?: string;
  /** The service's main pid; null for a remote service. */
  pid: number | null;
  runAs?: RunAs;
  /** Aborted when the statechart leaves `stopCommand`. */
  signal: AbortSignal;
  /** The service's cgroup, in which the command gets a swept one of its own; none without cgroups or for a remote service. */
  cgroup?: ServiceCgroup;
  /** Which of the service's command cgroups it is born in (default `stop-command`). */
  cgroupName?: CommandCgroupName;
  /** Makes the command's text safe (its output and the detail of a failure): tokens redacted, controls stripped. */
  sanitize?: (text: string) => string;
  onLine?: (stream: 'stdout' | 'stderr', line: string) => void;
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

export async function runStopCommand(options: StopCommandOptions): Promise<CommandResult> {
  const [file, ...args] = options.command;
  const identity = identityOptions(options.runAs);
  // Plain child_process.spawn, synchronous like the fork it is (no execa: it was
  // this module's only use of it, ~0.15 s on every import of the engine).
  const spawnCommand = (): ChildProcess => spawn(file, args, {
    cwd: options.cwd,
    env: {
      ...process.env,
      ...identity.env,
      ...options.env,
      ...(options.token === undefined ? {} : { [TOKEN_ENV]: options.token }),
      ...(options.pid === null ? {} : { [SERVICE_PID_VARIABLE]: String(options.pid) }),
    },
    ...(identity.uid === undefined ? {} : { uid: identity.uid, gid: identity.gid }),
    // Its own group: on abort the command and whatever it started go together.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const undo = (forked: ChildProcess) => {
    if (forked.pid !== undefined) killGroup(forked.pid);
  };
  let child: ChildProcess;
  let contained: ServiceCgroup | undefined;
  try {
    contained = options.cgroup && openCommandCgroup(options.cgroup, options.cgroupName ?? 'stop-command');
    // spawn forks synchronously, so the engine's passage through the cgroup covers exactly this fork.
    child = contained ? forkInCgroup(engineCgroupDir(contained.mount), contained.dir, spawnCommand, undo) : spawnCommand();
  } catch (error) {
    if (contained) sweepCommandCgroup(contained);
    return { outcome: 'notFound', exitCode: null, detail: `cannot run ${JSON.stringify(file)} in a cgroup of its own: ${(error as Error).message}` };
  }
  let lastError = '';
  const sanitize = options.sanitize ?? ((text: string) => sanitizeText(text, [options.token]));
  for (const stream of ['stdout', 'stderr'] as const) {
    const readable: Readable | null = child[stream];
    if (!readable) continue;
    createInterface({ input: readable, crlfDelay: Infinity }).on('line', (raw) => {
      // The command has the service's token in its environment: what it prints is the service's text.
      const line = sanitize(raw);
      if (stream === 'stderr' && line.trim()) lastError = line.trim().slice(0, DETAIL_LIMIT);
      options.onLine?.(stream, line);
    });
  }
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const started = await new Promise<Error | null>((resolve) => {
    child.once('spawn', () => resolve(null));
    // Kept for the child's life: an 'error' with no listener would throw.
    child.on('error', (error) => resolve(error));
  });
  if (started) {
    if (contained) sweepCommandCgroup(contained);
    return { outcome: 'notFound', exitCode: null, detail: `cannot run ${JSON.stringify(file)}: ${started.message}` };
  }
  const pid = child.pid as number;
  const cgroup = contained?.dir;
  const abort = () => (cgroup ? killCgroup(cgroup) : killGroup(pid));
  if (options.signal.aborted) abort();
  options.signal.addEventListener('abort', abort, { once: true });
  const { code, signal } = await exited;
  options.signal.removeEventListener('abort', abort);
  const left = contained ? sweepCommandCgroup(contained) : [];
  if (left.length) options.onLine?.('stderr', `left ${left.length === 1 ? 'a process' : `${left.length} processes`} behind when it ended (pid ${left.join(', ')}): killed`);
  const why = lastError ? `: ${lastError}` : '';
  if (code === 0) return { outcome: 'succeeded', exitCode: 0, detail: `${file} exited 0` };
  if (signal) return { outcome: 'failed', exitCode: null, detail: `${file} was killed by ${signal}${why}` };
  return { outcome: 'failed', exitCode: code, detail: `${file} exited ${code}${why}` };
}
