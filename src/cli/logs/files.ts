/**
 * Per-service log files, written while `up` runs (in the foreground or as
 * the background supervisor of `up -d`): `<state folder>/logs/<service>.log`.
 * Each file is capped at `maxBytes` (10 MiB); past it, it is renamed to
 * `<service>.log.1` (replacing the previous one) and a new file starts — so a
 * service never holds more than twice the cap on disk. Writes are synchronous
 * appends: ordered, and nothing buffers in memory behind a slow disk.
 */
import { closeSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { TierdownEvent } from '../../events.js';
import { supervisionNote } from '../view/plain.js';
import { pathInside } from '../../files/contained.js';
import { formatLogLine } from './format.js';
import { capLine } from './line-cap.js';

export const LOG_FILE_MAX_BYTES = 10 * 1024 * 1024;

export interface LogFiles {
  close(): void;
}

interface OpenLog {
  fd: number;
  bytes: number;
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
  const open = new Map<string, OpenLog>();
  const fileOf = (service: string): OpenLog => {
    let log = open.get(service);
    if (!log) {
      log = { fd: openSync(logFileOf(logDir, service), 'a', 0o600), bytes: 0 };
      open.set(service, log);
    }
    return log;
  };
  const rotate = (service: string, log: OpenLog) => {
    closeSync(log.fd);
    const file = logFileOf(logDir, service);
    renameSync(file, `${file}.1`);
    log.fd = openSync(file, 'a', 0o600);
    log.bytes = 0;
  };
  const unsubscribe = stack.subscribe((event) => {
    // Supervision notes (an exit, a restart, giving up) go in order among the service's own lines.
    const note = supervisionNote(event);
    if (event.type !== 'log' && note === undefined) return;
    const service = 'service' in event ? event.service : '';
    const text = event.type === 'log' ? event.line : `[tierdown] ${note}`;
    try {
      const log = fileOf(service);
      const data = Buffer.from(formatLogLine(event.type === 'log' ? event.stream : 'stderr', capLine(text)));
      if (log.bytes > 0 && log.bytes + data.length > maxBytes) rotate(service, log);
      writeSync(log.fd, data);
      log.bytes += data.length;
    } catch {
      // A full or vanished disk loses log lines, never the supervision of the stack.
    }
  });
  return {
    close() {
      unsubscribe();
      for (const log of open.values()) closeSync(log.fd);
      open.clear();
    },
  };
}
