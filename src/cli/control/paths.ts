/**
 * Where a running `up` listens: one Unix socket per config file, in a folder
 * only the user can enter, so `down -c FILE` finds the `up` of the same FILE
 * and nobody else can ask it to stop.
 */
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ControlError } from './errors.js';

/**
 * `$XDG_RUNTIME_DIR/tierdown` (per user by definition), else
 * `<tmpdir>/tierdown-<uid>` — a shared /tmp, hence the checks in {@link ensureControlDir}.
 */
export function controlDir(env: NodeJS.ProcessEnv): string {
  if (env.XDG_RUNTIME_DIR) return path.join(env.XDG_RUNTIME_DIR, 'tierdown');
  return path.join(os.tmpdir(), `tierdown-${process.getuid?.() ?? os.userInfo().username}`);
}

/**
 * The socket for one config file: named from a hash of its real path, so the
 * same file reached through another relative path or a symlink finds the same
 * `up`, and the name stays well under the ~107-byte limit of a socket path.
 */
export function socketPath(configSource: string, env: NodeJS.ProcessEnv): string {
  return path.join(controlDir(env), `${configHash(configSource)}.sock`);
}

function configHash(configSource: string): string {
  let resolved = path.resolve(configSource);
  try {
    resolved = realpathSync(resolved);
  } catch {
    // Gone since it was loaded: the path as given still names the same `up`.
  }
  return createHash('sha256').update(resolved).digest('hex').slice(0, 16);
}

/**
 * The run's state folder, beside its socket: `<hash>/logs/<service>.log` and
 * the background supervisor's own `<hash>/tierdown.log` (`up -d`). Kept after
 * the run ends, so `logs` still shows the last run's output.
 */
export function stateDir(configSource: string, env: NodeJS.ProcessEnv): string {
  return path.join(controlDir(env), configHash(configSource));
}

/**
 * Creates the run folder with mode 0700, or checks that an existing one is a
 * real folder (not a symlink) owned by this user, and closes it to others —
 * otherwise another user on a shared /tmp could plant a socket there and
 * receive our requests.
 *
 * @throws {ControlError} `TIERDOWN_CONTROL_PATH_UNSAFE`
 */
export function ensureControlDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stats = lstatSync(dir);
  const uid = process.getuid?.();
  const unsafe = (why: string) => new ControlError('TIERDOWN_CONTROL_PATH_UNSAFE', `cannot use ${dir} for the control socket: ${why}`);
  if (!stats.isDirectory()) throw unsafe('it is not a directory');
  if (uid !== undefined && stats.uid !== uid) throw unsafe(`it belongs to another user (uid ${stats.uid})`);
  if ((stats.mode & 0o077) !== 0) chmodSync(dir, 0o700);
}
