/**
 * Owns every child process a test starts: spawn through it, and call
 * `killAll()` in afterEach so nothing outlives a test, even a failing one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface OwnedChild {
  process: ChildProcess;
  pid: number;
  /** Stdout lines so far. */
  lines: string[];
  /** Bounded (default 10 s) only to catch a hang: a loaded machine starts node slowly. */
  waitForLine(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  waitForExit(timeoutMs?: number): Promise<Exit>;
  isRunning(): boolean;
}

export class ChildProcesses {
  private readonly owned = new Set<OwnedChild>();

  start(script: string, args: string[], env: NodeJS.ProcessEnv): OwnedChild {
    const child = spawn(process.execPath, [script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid === undefined) throw new Error(`could not start ${script}`);
    const lines: string[] = [];
    const waiters = new Set<() => void>();
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      for (const wake of waiters) wake();
    });
    child.stderr!.resume(); // drained so a chatty child never blocks on a full pipe
    const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

    const owned: OwnedChild = {
      process: child,
      pid: child.pid,
      lines,
      waitForLine: (match, timeoutMs = 10_000) =>
        withTimeout(
          new Promise<string>((resolve) => {
            const check = (): void => {
              const found = lines.find(match);
              if (found !== undefined) {
                waiters.delete(check);
                resolve(found);
              }
            };
            waiters.add(check);
            check();
          }),
          timeoutMs,
          `line from pid ${child.pid} (got ${JSON.stringify(lines)})`,
        ),
      waitForExit: (timeoutMs = 10_000) => withTimeout(exited, timeoutMs, `exit of pid ${child.pid}`),
      isRunning: () => child.exitCode === null && child.signalCode === null,
    };
    this.owned.add(owned);
    return owned;
  }

  /** SIGKILLs every owned child still running and waits for each to be gone. */
  async killAll(): Promise<void> {
    const children = [...this.owned];
    this.owned.clear();
    await Promise.all(
      children.map(async (child) => {
        if (child.isRunning()) child.process.kill('SIGKILL');
        await child.waitForExit(5000).catch(() => undefined);
      }),
    );
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
