/**
 * The bench's own view of the process table, read from /proc independently of
 * the engine's (src/actors/process): a stop is timed by what the kernel says,
 * never by what the tool under test reports. A process is gone when its
 * /proc/<pid>/stat is missing, shows a zombie (PID 1 here reaps orphans
 * slowly), or belongs to another process that reused the pid.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Proc {
  pid: number;
  /** The command name (field 2), e.g. `sleep` once a forked shell has exec'd it. */
  comm: string;
  ppid: number;
  pgid: number;
  state: string;
  /** Field 22 of stat: with the pid, the process's identity. */
  startTime: string;
}

export function readStat(pid: number): Proc | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  return { pid, comm: text.slice(text.indexOf('(') + 1, close), state: fields[0], ppid: Number(fields[1]), pgid: Number(fields[2]), startTime: fields[19] };
}

export function isGone(proc: Proc): boolean {
  const now = readStat(proc.pid);
  return now === undefined || now.state === 'Z' || now.startTime !== proc.startTime;
}

export function processTable(): Proc[] {
  const table: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (name.charCodeAt(0) < 48 || name.charCodeAt(0) > 57) continue;
    const proc = readStat(Number(name));
    if (proc && proc.state !== 'Z') table.push(proc);
  }
  return table;
}

/**
 * Everything that belongs to the services whose main pids are given: their
 * process groups and every descendant by parent link.
 */
export function serviceProcesses(mainPids: number[], table = processTable()): Proc[] {
  const found = new Map<number, Proc>();
  const mains = new Set(mainPids);
  for (const proc of table) if (mains.has(proc.pid) || mains.has(proc.pgid)) found.set(proc.pid, proc);
  for (let grew = true; grew; ) {
    grew = false;
    for (const proc of table) {
      if (!found.has(proc.pid) && found.has(proc.ppid)) {
        found.set(proc.pid, proc);
        grew = true;
      }
    }
  }
  return [...found.values()];
}

/** Live children of a process (by parent link). */
export function childrenOf(ppid: number, table = processTable()): Proc[] {
  return table.filter((proc) => proc.ppid === ppid);
}

/**
 * Resolves with the time (performance.now) at which the last of `procs` was
 * seen gone, or undefined after `timeoutMs`. A process once gone stays gone
 * (identity includes the start time), so each sweep resumes at the first one
 * still alive: a sweep is one read while that one lives, which keeps the
 * watcher off the CPU the tools under test need (2 cores).
 */
export async function waitGone(procs: Proc[], timeoutMs: number, pollMs = 1): Promise<number | undefined> {
  const deadline = performance.now() + timeoutMs;
  let next = 0;
  for (;;) {
    while (next < procs.length && isGone(procs[next])) next++;
    const now = performance.now();
    if (next === procs.length) return now;
    if (now > deadline) return undefined;
    await sleep(pollMs);
  }
}

/** Polls `check` until it returns true, or throws after `timeoutMs` naming `what`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number, pollMs = 20): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(pollMs);
  }
}
