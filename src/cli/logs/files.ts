/**
 * Per-service log files, written while `up` runs (in the foreground or as
 * the background supervisor of `up -d`): `<state folder>/logs/<service>.log`.
 * Each file is capped at `maxBytes` (10 MiB) and rotated once (capped-file.ts):
 * a service never holds more than twice the cap on disk.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { TierdownEvent } from '../../events.js';
import { supervisionNote } from '../view/plain.js';
import { pathInside } from '../../files/contained.js';
import { LOG_FILE_MAX_BYTES, openCappedFile, type CappedFile } from './capped-file.js';
import { formatLogLine } from './format.js';
import { capLine } from './line-cap.js';

export interface LogFiles {
  close(): void;
}

/** The file a service's output goes to. */
export function logFileOf(logDir: string, service: string): string {
  return pathInside(logDir, `${service}.log`);
}

/**
 * Starts a fresh set of log files in `logDir` (the last run's are removed)
 * and appends every `log` event of `stack` to its service's file.
 */
export function writeLogFiles(
  stack: { subscribe(listener: (event: TierdownEvent) => void): () => void },
  logDir: string,
  maxBytes = LOG_FILE_MAX_BYTES,
): LogFiles {
  mkdirSync(logDir, { recursive: true, mode: 0o700 });
  for (const entry of readdirSync(logDir)) if (/\.log(\.1)?$/.test(entry)) rmSync(path.join(logDir, entry), { force: true });
  const open = new Map<string, CappedFile>();
  const fileOf = (service: string): CappedFile => {
    let log = open.get(service);
    if (!log) {
      log = openCappedFile(logFileOf(logDir, service), maxBytes);
      open.set(service, log);
    }
    return log;
  };
  const unsubscribe = stack.subscribe((event) => {
    if (!('service' in event)) return;
    // Supervision notes go in order among the service's own lines, marked as
    // tierdown's (format.ts): any event supervisionNote words for a service
    // (an exit, a restart, giving up, unhealthy) lands here with no change.
    const note = event.type === 'log' ? undefined : supervisionNote(event);
    const stored = event.type === 'log' ? formatLogLine(event.stream, capLine(event.line)) : note !== undefined ? formatLogLine('note', capLine(note)) : undefined;
    if (stored === undefined) return;
    try {
      fileOf(event.service).write(Buffer.from(stored));
    } catch {
      // A full or vanished disk loses log lines, never the supervision of the stack.
    }
  });
  return {
    close() {
      unsubscribe();
      for (const log of open.values()) log.close();
      open.clear();
    },
  };
}
