/**
 * tierdown as a container's PID 1 (docs/containers.md). The kernel re-parents
 * every orphan of the container to PID 1, and PID 1 ignores any signal it has
 * no handler for. Node reaps only the children libuv spawned, so as PID 1
 * tierdown splits in two: this small init stays PID 1, runs the real
 * `tierdown up` as its one child (in its own process group, so a terminal's
 * Ctrl-C reaches it once, through here), forwards every stop signal to it,
 * reaps every other zombie by pid (the native addon; never waitpid(-1), which
 * would steal the child's status from libuv), and exits with the child's
 * status. When PID 1 exits, the kernel kills whatever is left in the
 * namespace: nothing of the container outlives it.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { loadReaper, ReaperMissingError, type ReaperAddon } from './native.js';
import { zombieChildren } from './zombies.js';

/** Set in the child so it runs as a plain `tierdown up`. */
export const INIT_CHILD_VARIABLE = 'TIERDOWN_INIT_CHILD';

const FORWARDED: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

/** True for `up` started as PID 1 (and not already the init's child). */
export function runsAsInit(argv: string[], env: NodeJS.ProcessEnv): boolean {
  return process.pid === 1 && argv[0] === 'up' && env[INIT_CHILD_VARIABLE] === undefined;
}

export interface InitOptions {
  /** How often to look for zombies besides on SIGCHLD (a lost SIGCHLD must not leave one). */
  sweepMs?: number;
}

/**
 * The reaper, or none — then the init still forwards signals and exits with the
 * stop's status, and says that orphans stay zombies until the container ends.
 */
function reaperOrNote(): ReaperAddon | undefined {
  try {
    return loadReaper();
  } catch (error) {
    if (!(error instanceof ReaperMissingError)) throw error;
    process.stderr.write(
      `tierdown (PID 1): ${error.message}. Going on without it: signals are forwarded and the stop runs as ever, ` +
        `but orphans re-parented to PID 1 stay zombies until the container ends (docs/containers.md#tierdown-as-pid-1)\n`,
    );
    return undefined;
  }
}

/** Runs `argv` as the child of this init; resolves with the exit status to leave with. */
export function runInit(entry: string, argv: string[], options: InitOptions = {}): Promise<number> {
  const reaper = reaperOrNote();
  const child = spawn(process.execPath, [entry, ...argv], {
    stdio: 'inherit',
    detached: true,
    env: { ...process.env, [INIT_CHILD_VARIABLE]: '1' },
  });
  const libuvOwned = new Set<number>(child.pid ? [child.pid] : []);
  const sweep = () => {
    if (!reaper) return;
    for (const pid of zombieChildren(process.pid, libuvOwned)) reaper.reap(pid);
  };
  const forward = (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of FORWARDED) process.on(signal, forward);
  process.on('SIGCHLD', sweep);
  const timer = setInterval(sweep, options.sweepMs ?? 1000);
  return new Promise((resolve) => {
    const finish = (status: number) => {
      clearInterval(timer);
      process.off('SIGCHLD', sweep);
      for (const signal of FORWARDED) process.off(signal, forward);
      sweep();
      resolve(status);
    };
    child.once('error', (error) => {
      process.stderr.write(`tierdown (PID 1): cannot start tierdown up: ${error.message}\n`);
      finish(1);
    });
    // A child killed by a signal: the shell convention, 128 + its number.
    child.once('exit', (code, signal) => finish(code ?? 128 + (signal ? signalNumber(signal) : 0)));
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  return constants.signals[signal] ?? 1;
}
