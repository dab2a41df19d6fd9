/**
 * One log file that cannot grow without bound (docs/security.md#log-caps): past
 * `maxBytes` it is renamed to `<file>.1` (replacing the previous one) and a new
 * file starts, so it never holds more than twice the cap on disk. Writes are
 * synchronous appends: ordered, and nothing buffers in memory behind a slow disk.
 * Used for each service's log and for the background tierdown's own `tierdown.log`.
 */
import { closeSync, fstatSync, openSync, renameSync, writeSync } from 'node:fs';
import { Writable } from 'node:stream';

export const LOG_FILE_MAX_BYTES = 10 * 1024 * 1024;

export interface CappedFile {
  /** Appends `data`, rotating first when it would take the file past the cap. */
  write(data: Buffer): void;
  close(): void;
}

/** Opens `file` for appending; what it holds already counts towards the cap. */
export function openCappedFile(file: string, maxBytes = LOG_FILE_MAX_BYTES): CappedFile {
  let fd = openSync(file, 'a', 0o600);
  let bytes = fstatSync(fd).size;
  return {
    write(data) {
      if (bytes > 0 && bytes + data.length > maxBytes) {
        closeSync(fd);
        renameSync(file, `${file}.1`);
        fd = openSync(file, 'a', 0o600);
        bytes = 0;
      }
      writeSync(fd, data);
      bytes += data.length;
    },
    close: () => closeSync(fd),
  };
}

/** A capped file as an output stream (the background `up` writes its terminal view to it). */
export function cappedFileStream(file: string, maxBytes = LOG_FILE_MAX_BYTES): Writable {
  const capped = openCappedFile(file, maxBytes);
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      try {
        capped.write(chunk);
      } catch {
        // A full or vanished disk loses lines of the log, never the supervision of the stack.
      }
      done();
    },
    final(done) {
      capped.close();
      done();
    },
  });
}
