/**
 * Writing a file at a path the user gave (`--report FILE`), safely in a folder
 * others may write to as well (docs/security.md#files-tierdown-writes-where-you-say): the new
 * content goes to a temporary file of a random name, created exclusively and
 * never through a symlink (O_CREAT|O_EXCL|O_NOFOLLOW), then renamed over the
 * target — only ever over a regular file or nothing. A reader never sees half a
 * file, and a symlink or a device planted at either name is never written through
 * or replaced.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fsyncSync, lstatSync, openSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import path from 'node:path';
import { irregularKind } from './kind.js';
import { TierdownError } from '../errors.js';

/** Thrown when a target cannot be written safely; the message says why, without the flag that named it. */
export class UnsafeTargetError extends TierdownError<'TIERDOWN_UNSAFE_TARGET'> {
  override name = 'UnsafeTargetError';
  constructor(message?: string) {
    super('TIERDOWN_UNSAFE_TARGET', message);
  }
}

const EXCLUSIVE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/**
 * Creates `file`, failing (EEXIST) when anything is there already — a file, a
 * symlink (even a dangling one) or a device — so nothing is written through a link.
 *
 * @returns the open file descriptor.
 */
export function createExclusively(file: string, mode = 0o666): number {
  return openSync(file, EXCLUSIVE, mode);
}

// The target itself, not what a link points at: a regular file or nothing.
function checkTarget(target: string): void {
  let stats: Stats;
  try {
    stats = lstatSync(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new UnsafeTargetError(`${target} cannot be checked (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const kind = irregularKind(stats);
  if (kind) throw new UnsafeTargetError(`${target} is ${kind}; only a regular file (or nothing) is replaced`);
}

const errno = (error: unknown) => (error as NodeJS.ErrnoException).code ?? String(error);

function temporaryBeside(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Checks, before anything starts, that `target` can be written: it is a
 * regular file or nothing, its folder exists, and a file can really be created
 * there (tried, then removed — `access()` says yes to root on /proc).
 *
 * @throws {UnsafeTargetError} naming what is wrong.
 */
export function checkWritableTarget(target: string): void {
  const folder = path.dirname(target);
  let stats: Stats;
  try {
    stats = statSync(folder);
  } catch {
    throw new UnsafeTargetError(`the folder ${folder} does not exist`);
  }
  if (!stats.isDirectory()) throw new UnsafeTargetError(`${folder} is not a folder`);
  checkTarget(target);
  const trial = temporaryBeside(target);
  try {
    closeSync(createExclusively(trial, 0o600));
  } catch (error) {
    throw new UnsafeTargetError(`cannot create a file in the folder ${folder} (${errno(error)})`);
  }
  unlinkSync(trial);
}

/**
 * Replaces `target` with `data` atomically: a temporary file beside it
 * (exclusive, no link followed), synced, renamed over it. A failure leaves the
 * target as it was and no temporary file behind.
 *
 * @throws {UnsafeTargetError} when the target is not a regular file (or absent);
 *   the system's error when a write fails.
 */
export function writeFileSafely(target: string, data: string | Uint8Array): void {
  checkTarget(target);
  const temporary = temporaryBeside(target);
  const fd = createExclusively(temporary);
  try {
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    // Again right before the rename: something planted at the target meanwhile is not replaced either.
    checkTarget(target);
    renameSync(temporary, target);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // Renamed already, or removed by someone else.
    }
    throw error;
  }
}
