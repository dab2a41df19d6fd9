/**
 * Reading a file the config names (`env_file`, `shutdown.tokenFile`,
 * `shutdown.ca`/`cert`/`key`): a regular file of at most 1 MiB, or a clear
 * error (docs/security.md#input-bounds). A FIFO would block the reader for
 * ever, `/dev/zero` would grow without end: neither is ever read.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { irregularKind } from './kind.js';
import { TierdownError } from '../errors.js';

/** Largest file the config may name (an env file, a token, a PEM bundle are far smaller). */
export const MAX_INPUT_FILE_BYTES = 1024 * 1024;

/** Thrown when a named file is missing, not a regular file, too big or unreadable. */
export class InputFileError extends TierdownError<'TIERDOWN_INPUT_FILE'> {
  override name = 'InputFileError';
  constructor(
    message: string,
    /** The errno code when the system refused (ENOENT, EACCES), else undefined. */
    readonly errno?: string,
  ) {
    super('TIERDOWN_INPUT_FILE', message);
  }
}

const sizeText = (bytes: number) => (bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`);

/**
 * The bytes of `file`, read only when it is a regular file of at most `maxBytes`.
 * Checked before opening (no open of a device or FIFO at all), then again on the
 * open file (it may have been swapped meanwhile); the read stops one byte past
 * the limit, so a file that grows while read costs no more.
 *
 * @throws {InputFileError} naming the file and what is wrong with it.
 */
export function readInputFile(file: string, maxBytes = MAX_INPUT_FILE_BYTES): Buffer {
  const refuse = (stats: Stats) => {
    const kind = irregularKind(stats);
    return kind ? new InputFileError(`${file} is ${kind}, not a regular file`) : undefined;
  };
  const tooBig = () => new InputFileError(`${file} is larger than ${sizeText(maxBytes)}`);
  let fd: number | undefined;
  try {
    const before = statSync(file);
    const wrong = refuse(before);
    if (wrong) throw wrong;
    if (before.size > maxBytes) throw tooBig();
    // O_NONBLOCK: a FIFO put in its place since the check opens at once instead of waiting for a writer.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
    const opened = refuse(fstatSync(fd));
    if (opened) throw opened;
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > maxBytes) throw tooBig();
    }
    return buffer.subarray(0, length);
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputFileError(code === 'ENOENT' ? `no such file: ${file}` : `cannot read ${file} (${code ?? String(error)})`, code);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
