/**
 * A log file that cannot grow without bound (docs/security.md#log-caps): past
 * `maxBytes` it is renamed to `<file>.1` (replacing the previous one) and a new
 * file starts, so it never holds more than twice the cap on disk. Writes are
 * synchronous appends: ordered, and nothing buffers in memory behind a slow disk.
 * Used for each service's log and for the background tierdown's own output.
 */
import { closeSync, fstatSync, openSync, readlinkSync, renameSync, writeSync } from 'node:fs';
import { Writable } from 'node:stream';

export const LOG_FILE_MAX_BYTES = 10 * 1024 * 1024;

export interface CappedFile {
  /** Appends `data`, rotating first when it would take the file past the cap. */
  write(data: Buffer): void;
  close(): void;
}

/**
 * Caps the file open at `fd` (for appending); `pathOf(fd)` says where that file
 * is now. What it holds already counts towards the cap. When a rotation fails
 * (the file gone, another one in its place) what would go past the cap is
 * dropped: the disk stays bounded either way.
 */
function capped(fd: number, pathOf: (fd: number) => string, maxBytes: number): CappedFile {
  let current: number | undefined = fd;
  let bytes = fstatSync(fd).size;
  const rotate = (open: number) => {
    const file = pathOf(open);
    renameSync(file, `${file}.1`);
    // Closed whatever comes next: what it holds is `.1` now, and must not be rotated again.
    closeSync(open);
    current = undefined;
    current = openSync(file, 'ax', 0o600);
    bytes = 0;
  };
  return {
    write(data) {
      if (current === undefined) return;
      if (bytes > 0 && bytes + data.length > maxBytes) rotate(current);
      writeSync(current, data);
      bytes += data.length;
    },
    close: () => {
      if (current !== undefined) closeSync(current);
      current = undefined;
    },
  };
}

/** Opens `file` for appending, capped. */
export function openCappedFile(file: string, maxBytes = LOG_FILE_MAX_BYTES): CappedFile {
  return capped(openSync(file, 'a', 0o600), () => file, maxBytes);
}

/**
 * This process's stdout, capped, when it is a regular file (the background `up`'s:
 * `up -d` hands it a file, and renames it to `tierdown.log` once that `up` owns the
 * run). The file is found by the descriptor, wherever it has been renamed to.
 * Undefined when stdout is no regular file.
 */
export function cappedOutput(maxBytes = LOG_FILE_MAX_BYTES): Writable | undefined {
  if (!fstatSync(1).isFile()) return undefined;
  const log = capped(openSync('/proc/self/fd/1', 'a'), (fd) => readlinkSync(`/proc/self/fd/${fd}`), maxBytes);
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      try {
        log.write(chunk);
      } catch {
        // A full or vanished disk loses lines of the log, never the supervision of the stack.
      }
      done();
    },
    final(done) {
      log.close();
      done();
    },
  });
}
