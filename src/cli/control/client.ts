/**
 * The `down` side of the control channel: connects to the `up` of a config,
 * sends one shutdown request, and replays what comes back as a stack the
 * views can subscribe to — so `down` shows a stop exactly as `up` does.
 */
import { connect, type Socket } from 'node:net';
import type { ShutdownReport } from '../../../machines/types.js';
import type { ServiceStatus } from '../../engine/status.js';
import type { TierdownEvent, TierdownListener } from '../../events.js';
import { ControlError } from './errors.js';
import { checkControlSocket } from './paths.js';
import { onLines, send, type ControlMessage } from './protocol.js';

/** What `up` and `up -d` say when an `up` for the same config already listens. */
export function alreadyRunning(configSource: string, socket: string): ControlError {
  return new ControlError('TIERDOWN_ALREADY_RUNNING', `another 'tierdown up' is already running for ${configSource} (control socket ${socket})`);
}

/**
 * What a socket path holds: a listening `up`, a socket left by a dead one, or
 * nothing. A socket is only believed when only this user could have made it
 * (checkControlSocket): a socket another user planted neither answers "already
 * running" to `up` nor "running" to `logs -f` (docs/security.md#control-socket-trust).
 *
 * @throws {ControlError} `TIERDOWN_CONTROL_PATH_UNSAFE` naming what is wrong.
 */
export async function probeSocket(file: string): Promise<'live' | 'stale' | 'absent'> {
  if (!checkControlSocket(file)) return 'absent';
  return new Promise((resolve, reject) => {
    const socket = connect(file);
    socket.once('connect', () => {
      socket.destroy();
      resolve('live');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') resolve('absent');
      // Nothing accepts on it: the `up` that made it is gone.
      else if (error.code === 'ECONNREFUSED' || error.code === 'ENOTSOCK') resolve('stale');
      else reject(error);
    });
  });
}

/** A running `up` seen from `down`: the same subscribe/status shape as the engine. */
export interface RemoteStack {
  subscribe(listener: TierdownListener): () => void;
  /** The latest status frame (empty unless the request asked for them). */
  status(): ServiceStatus[];
  /**
   * Asks `up` to stop `services` and their dependents (none: everything) and
   * resolves with the last report once `up` closes the channel.
   *
   * @throws {ControlError} `TIERDOWN_UNKNOWN_SERVICE` when `up` refuses the
   *   names, `TIERDOWN_CONTROL_LOST` when the channel ends without a report.
   */
  shutdown(services: string[], options?: { status?: boolean; onFailure?: 'escalate' | 'rollback'; force?: boolean }): Promise<ShutdownReport>;
}

function connected(file: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(file);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/**
 * The one way every command (`down`, `ps`, `restart`) reaches an `up`: only a
 * socket only this user could have made is trusted, then connected.
 *
 * @throws {ControlError} `TIERDOWN_NOT_RUNNING` when no `up` listens there;
 *   `TIERDOWN_CONTROL_PATH_UNSAFE` when the folder or socket is not safely ours.
 */
export async function openControlSocket(file: string, configSource: string): Promise<Socket> {
  if (!checkControlSocket(file)) {
    throw new ControlError('TIERDOWN_NOT_RUNNING', `no 'tierdown up' is running for ${configSource} (no control socket at ${file})`);
  }
  let socket: Socket;
  try {
    socket = await connected(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no control socket' : code === 'ECONNREFUSED' ? 'a stale control socket, nothing listening' : String(code);
    throw new ControlError('TIERDOWN_NOT_RUNNING', `no 'tierdown up' is running for ${configSource} (${why} at ${file})`);
  }
  return socket;
}

/** Connects to the `up` listening on `file` (see openControlSocket for what it throws). */
export async function connectToUp(file: string, configSource: string): Promise<RemoteStack> {
  const socket = await openControlSocket(file, configSource);
  const listeners = new Set<TierdownListener>();
  let latestStatus: ServiceStatus[] = [];

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    status: () => latestStatus,
    shutdown: (services, options = {}) =>
      new Promise<ShutdownReport>((resolve, reject) => {
        let report: ShutdownReport | undefined;
        let refused: ControlError | undefined;
        onLines(
          socket,
          (line) => {
            const message = line as ControlMessage;
            if (message.type === 'status') latestStatus = message.services;
            else if (message.type === 'error') refused = new ControlError(message.code, message.message);
            else {
              if (message.type === 'report') report = message.report;
              for (const listener of listeners) listener(message as TierdownEvent);
            }
          },
          (error) => (refused ??= error),
        );
        socket.on('error', () => undefined);
        socket.once('close', () => {
          if (refused) reject(refused);
          else if (report) resolve(report);
          else reject(new ControlError('TIERDOWN_CONTROL_LOST', "the connection to 'tierdown up' closed before the shutdown ended"));
        });
        const { status = false, onFailure, force } = options;
        send(socket, { type: 'shutdown', services, status, ...(onFailure ? { onFailure } : {}), ...(force ? { force } : {}) });
      }),
  };
}
