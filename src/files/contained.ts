/**
 * Paths made from input stay inside the folder they belong to
 * (docs/security.md#paths-stay-inside-the-runs-folders). A service name becomes
 * a cgroup (`<run cgroup>/<name>`) and file names (`<logs>/<name>.log`); the
 * config already refuses names that are not one safe path segment, and every
 * such path is built here, so that a name that got past it (a config built by
 * a program, a bug) still cannot address the engine's own cgroup or a file
 * elsewhere.
 */
import path from 'node:path';
import { TierdownError } from '../errors.js';

/** Thrown when a path built from input would leave its folder. */
export class PathEscapeError extends TierdownError<'TIERDOWN_PATH_ESCAPE'> {
  override name = 'PathEscapeError';
  constructor(message?: string) {
    super('TIERDOWN_PATH_ESCAPE', message);
  }
}

/**
 * `folder/parts...`, resolved, once it is proved to lie strictly inside
 * `folder` (the folder itself does not count: `.` would be the whole run).
 *
 * @throws {PathEscapeError} naming the parts and the folder when it would not.
 */
export function pathInside(folder: string, ...parts: string[]): string {
  const root = path.resolve(folder);
  const refuse = (why: string) => new PathEscapeError(`${JSON.stringify(parts.join(path.sep))} ${why} ${root}`);
  if (parts.some((part) => part.includes('\0'))) throw refuse('holds a NUL byte: refused as a path in');
  const full = path.resolve(root, ...parts);
  // The trailing separator: /run/x-evil is not inside /run/x.
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  if (!full.startsWith(prefix) || full.length === prefix.length) throw refuse('would lead outside');
  return full;
}
