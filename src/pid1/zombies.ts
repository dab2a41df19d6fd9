/**
 * Which of this process's children are zombies, read from /proc: as PID 1 every
 * orphan of the container is re-parented here and must be reaped by us.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Pids of zombie children of `parent`, except those in `skip` (libuv's own). */
export function zombieChildren(parent: number, skip: ReadonlySet<number>): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (skip.has(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone between readdir and read
    }
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' && Number(fields[1]) === parent) found.push(pid);
  }
  return found;
}
