/**
 * What is left of a service: its group, and the descendants tierdown saw.
 * `kill(-pgid, 0)` answers most questions with one syscall; /proc is read only
 * when it says something is there, because orphans reaped slowly by PID 1 stay
 * as zombies that `kill` still finds.
 */
import { readEnvVar, readProc, readProcessTable, type ProcEntry } from './proc-table.js';

/** The process table plus each live process's service marker, read at one moment. */
export interface ProcessSnapshot {
  at: number;
  live: ProcEntry[];
  markers: Map<number, string>;
}

let cached: ProcessSnapshot | undefined;
let ownStart: number | undefined;

/** The engine's own start time (clock ticks since boot, as /proc says); 0 if unreadable, so nothing is skipped. */
function engineStartTime(): number {
  ownStart ??= Number(readProc(process.pid)?.startTime ?? 0) || 0;
  return ownStart;
}

/**
 * Reads the table and markers once for every caller within `maxAgeMs`: when
 * 200 services enter `sigterm` in the same tick, one scan serves them all.
 */
export function processSnapshot(markerVariable: string, maxAgeMs = 0): ProcessSnapshot {
  const now = performance.now();
  if (cached && now - cached.at <= maxAgeMs) return cached;
  const live = readProcessTable().filter((entry) => entry.state !== 'Z' && entry.pid !== process.pid);
  const markers = new Map<number, string>();
  const born = engineStartTime();
  for (const entry of live) {
    // A service's process is forked after the engine began: an older one cannot carry a marker of this run.
    if (Number(entry.startTime) < born) continue;
    const value = readEnvVar(entry.pid, markerVariable);
    if (value !== undefined) markers.set(entry.pid, value);
  }
  cached = { at: performance.now(), live, markers };
  return cached;
}

const MAX_TABLE_AGE_MS = 25;
let sharedTable: { entries: ProcEntry[]; at: number; maxAgeMs: number } | undefined;

/**
 * The process table, read at most once per few ms for every caller: after a
 * stop signal each of 200 services polls whether its group is empty, each on
 * its own timer, and while PID 1 has not yet reaped the orphans' zombies,
 * `kill(-pgid, 0)` says yes and only the table can tell — one full read per
 * poll made the stop's last `stopped` come seconds after the last exit. A
 * group with no live member cannot gain one, so a table a few ms old can err
 * only towards "alive" — which costs one more poll, never a wrong `stopped`.
 * The table is kept twice as long as it took to read (at least 2 ms), so
 * reading it never takes more than about a third of the engine's time — but
 * never over 25 ms: on a starved machine a slow read must not delay `stopped`
 * towards the kill timeout.
 */
function sharedProcessTable(): ProcEntry[] {
  const now = performance.now();
  if (sharedTable && now - sharedTable.at <= sharedTable.maxAgeMs) return sharedTable.entries;
  const entries = readProcessTable();
  const at = performance.now();
  sharedTable = { entries, at, maxAgeMs: Math.min(MAX_TABLE_AGE_MS, Math.max(2, 2 * (at - now))) };
  return entries;
}

/** True when some member of the group is alive (zombies do not count). */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  return sharedProcessTable().some((entry) => entry.pgid === pgid && entry.state !== 'Z');
}

/**
 * True when a live member of group `pgid` is provably the service's: it carries
 * the service's marker, or it is a process tierdown saw (same pid, same start
 * time). Once the main process is gone this is the only safe test: Linux hands
 * a group id out again as a pid as soon as no member holds it, so "the group
 * has members" may describe a stranger's group — while one of ours is in it,
 * the id cannot have been reused.
 */
export function groupHoldsOurs(pgid: number, marker: { name: string; value: string }, seen: ReadonlyMap<number, string>): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  return sharedProcessTable().some(
    (entry) =>
      entry.pgid === pgid &&
      entry.state !== 'Z' &&
      (seen.get(entry.pid) === entry.startTime || readEnvVar(entry.pid, marker.name) === marker.value || exitingNow(entry)),
  );
}

/**
 * True when the process of a (possibly ms-old) table entry is, now, part-way
 * through its exit. Its memory goes first, so its marker already reads empty;
 * but it may still hold its files (a listening port) until it turns `Z` a
 * moment later. Whoever's it is, waiting that moment for it costs nothing.
 */
function exitingNow(entry: ProcEntry): boolean {
  const now = readProc(entry.pid);
  return now !== undefined && now.startTime === entry.startTime && now.state !== 'Z' && now.exiting;
}

interface SnapshotIndex {
  byGroup: Map<number, ProcEntry[]>;
  byParent: Map<number, ProcEntry[]>;
  byMarker: Map<string, ProcEntry[]>;
}

const indexes = new WeakMap<ProcessSnapshot, SnapshotIndex>();

function add<K>(map: Map<K, ProcEntry[]>, key: K, entry: ProcEntry): void {
  const list = map.get(key);
  if (list) list.push(entry);
  else map.set(key, [entry]);
}

// Built once per snapshot: a lookup then costs the size of its answer, not of
// the table — the live view asks for every one of 200 services on each event.
function indexOf(snapshot: ProcessSnapshot): SnapshotIndex {
  let index = indexes.get(snapshot);
  if (index) return index;
  index = { byGroup: new Map(), byParent: new Map(), byMarker: new Map() };
  for (const entry of snapshot.live) {
    add(index.byGroup, entry.pgid, entry);
    add(index.byParent, entry.ppid, entry);
    const marker = snapshot.markers.get(entry.pid);
    if (marker !== undefined) add(index.byMarker, marker, entry);
  }
  indexes.set(snapshot, index);
  return index;
}

/**
 * Live processes belonging to a service: members of its group, descendants of
 * those by parent link (a child that left the group with setsid), and any
 * process carrying the service's marker (a grandchild re-parented to PID 1
 * after its parent died still carries it).
 */
export function findServiceProcesses(pgid: number, marker: string, snapshot: ProcessSnapshot): ProcEntry[] {
  const { byGroup, byParent, byMarker } = indexOf(snapshot);
  const found = new Map<number, ProcEntry>();
  const pending = [...(byGroup.get(pgid) ?? []), ...(byMarker.get(marker) ?? [])];
  // Parent links: every descendant of what was found.
  for (let next = 0; next < pending.length; next++) {
    const entry = pending[next];
    if (found.has(entry.pid)) continue;
    found.set(entry.pid, entry);
    for (const child of byParent.get(entry.pid) ?? []) pending.push(child);
  }
  return [...found.values()];
}
