/**
 * Where a running `up` listens: one Unix socket per config file, in a folder
 * only the user can enter, so `down -c FILE` finds the `up` of the same FILE
 * and nobody else can ask it to stop.
 */
import { chmodSync, lstatSync, mkdirSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { pathInside } from '../../files/contained.js';
import { ControlError } from './errors.js';
import { sha256Hex } from './path-hash.js';

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
  return pathInside(controlDir(env), `${configHash(configSource)}.sock`);
}

function configHash(configSource: string): string {
  let resolved = path.resolve(configSource);
  try {
    resolved = realpathSync(resolved);
  } catch {
    // Gone since it was loaded: the path as given still names the same `up`.
  }
  return sha256Hex(resolved).slice(0, 16);
}

/**
 * The run's state folder, beside its socket: `<hash>/logs/<service>.log` and
 * the background supervisor's own `<hash>/tierdown.log` (`up -d`). Kept after
 * the run ends, so `logs` still shows the last run's output.
 */
export function stateDir(configSource: string, env: NodeJS.ProcessEnv): string {
  return pathInside(controlDir(env), configHash(configSource));
}

/** The run's service log files, `<state folder>/logs` (see logs/files.ts). */
export function logsDir(configSource: string, env: NodeJS.ProcessEnv): string {
  return pathInside(stateDir(configSource, env), 'logs');
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

/**
 * What `down` checks before it talks to a socket: the run folder is a real
 * folder of this user's with mode 0700, and the socket is a socket of this
 * user's that nobody else may write to — otherwise another local user could
 * have planted it and would answer `down` with a forged stop.
 *
 * @returns false when there is no folder or no socket (nothing runs).
 * @throws {ControlError} `TIERDOWN_CONTROL_PATH_UNSAFE` naming what is wrong.
 */
export function checkControlSocket(file: string): boolean {
  const dir = path.dirname(file);
  const uid = process.getuid?.();
  const unsafe = (what: string, why: string) =>
    new ControlError('TIERDOWN_CONTROL_PATH_UNSAFE', `refusing to talk to ${file}: ${what} ${why}; remove it if you did not make it`);
  const statOf = (target: string) => {
    try {
      return lstatSync(target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw unsafe(target, `cannot be checked (${(error as NodeJS.ErrnoException).code})`);
    }
  };
  const folder = statOf(dir);
  if (!folder) return false;
  if (!folder.isDirectory()) throw unsafe(`the run folder ${dir}`, 'is not a directory');
  if (uid !== undefined && folder.uid !== uid) throw unsafe(`the run folder ${dir}`, `belongs to another user (uid ${folder.uid})`);
  if ((folder.mode & 0o077) !== 0) throw unsafe(`the run folder ${dir}`, `is open to others (mode ${(folder.mode & 0o777).toString(8)}, expected 700)`);
  const socket = statOf(file);
  if (!socket) return false;
  if (!socket.isSocket()) throw unsafe('it', 'is not a socket');
  if (uid !== undefined && socket.uid !== uid) throw unsafe('the socket', `belongs to another user (uid ${socket.uid})`);
  if ((socket.mode & 0o022) !== 0) throw unsafe('the socket', `is writable by others (mode ${(socket.mode & 0o777).toString(8)})`);
  return true;
}
