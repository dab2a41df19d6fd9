/**
 * `saveStateAtomically`: replace a file so that a crash or SIGKILL at any
 * instant leaves either the old content or the new, never a torn mix.
 * The new bytes go to a temporary file in the same directory (rename is only
 * atomic within one file system), are fsynced, renamed over the target, and
 * the directory is fsynced so the rename itself survives a power cut.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AtomicSaveError } from './errors.js';

/** Options of {@link saveStateAtomically}. */
export interface SaveStateOptions {
  /** File mode of the new file (before umask). Default `0o666`, as `fs.writeFile`. */
  mode?: number;
}

/**
 * Atomically replaces the file at `path` with `data`: a string or bytes as
 * they are, anything else as JSON (`JSON.stringify`). On failure the target
 * is left as it was and the temporary file is removed. A process killed
 * mid-save may leave a `.<name>.<pid>.<random>.tmp` file beside the target;
 * it is never read and is safe to delete.
 *
 * @throws {AtomicSaveError} (`TIERDOWN_SERVICE_SAVE_FAILED`) when any step fails
 *   or `data` cannot be turned into JSON.
 */
export async function saveStateAtomically(
  path: string,
  data: string | Uint8Array | object,
  options: SaveStateOptions = {},
): Promise<void> {
  const directory = dirname(path);
  const temporary = join(directory, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let created = false;
  try {
    const bytes = serialise(data);
    const file = await open(temporary, 'wx', options.mode ?? 0o666);
    created = true;
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
    created = false;
    await syncDirectory(directory);
  } catch (cause) {
    if (created) await unlink(temporary).catch(() => undefined);
    throw new AtomicSaveError(path, cause);
  }
}

function serialise(data: string | Uint8Array | object): string | Uint8Array {
  if (typeof data === 'string' || data instanceof Uint8Array) return data;
  const json: unknown = JSON.stringify(data);
  if (typeof json !== 'string') throw new TypeError(`cannot serialise ${typeof data} as JSON`);
  return json;
}

// Some platforms (Windows) cannot open or fsync a directory; the rename has
// still happened there, so only a durability guarantee is lost, not atomicity.
async function syncDirectory(directory: string): Promise<void> {
  let handle;
  try {
    handle = await open(directory, 'r');
  } catch {
    return;
  }
  try {
    await handle.sync().catch((error: NodeJS.ErrnoException) => {
      if (!['EISDIR', 'EPERM', 'EINVAL', 'EBADF'].includes(error.code ?? '')) throw error;
    });
  } finally {
    await handle.close();
  }
}
