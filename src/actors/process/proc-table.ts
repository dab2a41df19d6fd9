/**
 * Reads the kernel's process table from /proc: who is alive, in which group,
 * under which parent, since when. Identity is (pid, start time): a pid alone
 * can be reused by an unrelated process once ours is gone.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcEntry {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  /** `Z` is a zombie: dead, only waiting for its parent to reap it. */
  state: string;
  /** Start time in clock ticks since boot (field 22 of /proc/<pid>/stat). */
  startTime: string;
  /**
   * The kernel has begun its exit (PF_EXITING in field 9): it runs no more of
   * its own code, but may still hold its files (a listening port) until it
   * turns `Z`. Its memory goes first, so its environment reads empty by then.
   */
  exiting: boolean;
}

/** PF_EXITING of the kernel's task flags (include/linux/sched.h). */
const PF_EXITING = 0x4;

/** Parses one /proc/<pid>/stat line; the command name may contain spaces and parentheses. */
export function parseStat(text: string): ProcEntry | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const pid = Number(text.slice(0, text.indexOf(' ')));
  const fields = text.slice(close + 2).split(' ');
  // fields[0] is field 3 (state) of proc(5), fields[6] is field 9 (flags); starttime is field 22.
  return {
    pid,
    state: fields[0],
    ppid: Number(fields[1]),
    pgid: Number(fields[2]),
    sid: Number(fields[3]),
    startTime: fields[19],
    exiting: (Number(fields[6]) & PF_EXITING) !== 0,
  };
}

/** One process, or undefined when it is gone. */
export function readProc(pid: number): ProcEntry | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** True when the process is running (not gone, not a zombie) and is the one we knew. */
export function isAliveAs(pid: number, startTime: string): boolean {
  const entry = readProc(pid);
  return entry !== undefined && entry.state !== 'Z' && entry.startTime === startTime;
}

/** Every process on the machine. */
export function readProcessTable(): ProcEntry[] {
  const entries: ProcEntry[] = [];
  for (const name of readdirSync('/proc')) {
    const code = name.charCodeAt(0);
    if (code < 48 || code > 57) continue;
    const entry = readProc(Number(name));
    if (entry) entries.push(entry);
  }
  return entries;
}

/** The value of one environment variable of a process, if readable. */
export function readEnvVar(pid: number, name: string): string | undefined {
  try {
    const prefix = `${name}=`;
    for (const pair of readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
      if (pair.startsWith(prefix)) return pair.slice(prefix.length);
    }
  } catch {
    // Gone, or not ours to read: either way not a process we may signal.
  }
  return undefined;
}
