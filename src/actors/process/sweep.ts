/**
 * The sweep for a service's processes outside its group (docs/how-it-works.md: "every
 * descendant found"). Group signals go out at once; finding the rest takes a
 * /proc scan, which costs tens of ms on a busy machine with hundreds of
 * processes. So every service signalled in one turn of the event loop shares
 * one scan, run after that turn (setImmediate) — no service waits for its group
 * signal behind another's scan — or at once when anyone asks whether a service
 * with a sweep pending is alive, so no exit is judged before its strays are known.
 */
import { processSnapshot, type ProcessSnapshot } from './group.js';
import type { ServiceProcess } from './spawn.js';

interface SweepItem {
  service: ServiceProcess;
  /** False: a scan up to `maxAgeMs` old will do (the stop signal); true: only one taken now (SIGKILL). */
  fresh: boolean;
  work: (snapshot: ProcessSnapshot) => void;
}

// A scan this recent is shared by the stop signals of one wave: anything forked
// since is in the group it inherits, which has been signalled.
const STOP_SCAN_MAX_AGE_MS = 20;

const queue: SweepItem[] = [];
let scheduled = false;

/** Queues `work` to run with a shared process snapshot once the current turn is over. */
export function sweepAfterTurn(service: ServiceProcess, fresh: boolean, work: (snapshot: ProcessSnapshot) => void): void {
  queue.push({ service, fresh, work });
  if (scheduled) return;
  scheduled = true;
  setImmediate(flushSweeps);
}

/** Runs every queued sweep now, with one scan between them. */
export function flushSweeps(): void {
  scheduled = false;
  if (!queue.length) return;
  const items = queue.splice(0);
  const maxAgeMs = items.some((item) => item.fresh) ? 0 : STOP_SCAN_MAX_AGE_MS;
  const snapshot = processSnapshot(items[0].service.marker.name, maxAgeMs);
  for (const item of items) item.work(snapshot);
}

/** True while a sweep for this service is queued. */
export function sweepPending(service: ServiceProcess): boolean {
  return queue.some((item) => item.service === service);
}
