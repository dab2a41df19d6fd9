/**
 * Every process the bench starts, directly or through a tool, is written here
 * the moment it is known, so a failed or interrupted run still kills it — and
 * only it: identity is (pid, start time), never a name.
 */
import { isGone, readStat, type Proc } from './proc.js';

const owned = new Map<number, Proc>();
const hooks = new Set<() => Promise<void> | void>();

/** Remembers processes to kill if the bench does not end them itself. */
export function own(...procs: Array<Proc | number | undefined>): void {
  for (const item of procs) {
    const proc = typeof item === 'number' ? readStat(item) : item;
    if (proc && proc.state !== 'Z') owned.set(proc.pid, proc);
  }
}

/** A clean-up step (e.g. `pm2 kill`); the returned function removes it once done. */
export function onCleanup(hook: () => Promise<void> | void): () => void {
  hooks.add(hook);
  return () => hooks.delete(hook);
}

function kill(target: number): void {
  try {
    process.kill(target, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** SIGKILL to every owned process still alive as itself (and to its group when it leads one). */
export function killOwned(): number {
  let killed = 0;
  for (const proc of owned.values()) {
    if (isGone(proc)) continue;
    if (proc.pgid === proc.pid) kill(-proc.pid);
    kill(proc.pid);
    killed++;
  }
  owned.clear();
  return killed;
}

/** Runs the clean-up steps, then kills whatever owned process is left. */
export async function cleanupAll(): Promise<void> {
  for (const hook of [...hooks]) {
    try {
      await hook();
    } catch (error) {
      process.stderr.write(`bench: clean-up step failed: ${(error as Error).message}\n`);
    }
    hooks.delete(hook);
  }
  killOwned();
}

/** Ctrl-C, SIGTERM or a crash: clean up, then leave. */
export function cleanupOnExit(): void {
  let leaving = false;
  const leave = (code: number) => {
    if (leaving) return;
    leaving = true;
    void cleanupAll().finally(() => process.exit(code));
  };
  process.on('SIGINT', () => leave(130));
  process.on('SIGTERM', () => leave(143));
  process.on('uncaughtException', (error) => {
    process.stderr.write(`bench: ${error.stack ?? error.message}\n`);
    leave(1);
  });
  process.on('unhandledRejection', (error) => {
    process.stderr.write(`bench: ${(error as Error)?.stack ?? String(error)}\n`);
    leave(1);
  });
  // Last resort when something calls process.exit directly: synchronous kills only.
  process.on('exit', () => killOwned());
}
