/**
 * A `NOTIFY_SOCKET` of tierdown's for every local service (docs/containers.md):
 * one Unix datagram socket per service, so who sent a message is known by
 * where it arrived. Only the service's own user may send to it
 * (docs/security.md#notify-sockets): the socket file is that user's, mode 0600
 * (sending to a Unix socket needs write permission on it), in a folder of the
 * run others may pass through but not list (0711). Why not check the sender's
 * credentials instead: `unix-dgram` does not read SCM_CREDENTIALS, and a process
 * of the same user could act as the service anyway (ptrace, its environment),
 * so the user is the boundary either way — the same as for the shutdown token.
 * Node has no Unix datagram sockets; `unix-dgram` (native, optional: dgram.ts) binds them.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { chmodSync, chownSync, mkdtempSync, rmdirSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { UnixDgramSocket } from 'unix-dgram';
import { unixDgram } from './dgram.js';
import { parseNotification, type Notification } from './protocol.js';
import { EXTEND_LOG_WINDOW_MS } from '../../machines/service.js';

export const NOTIFY_VARIABLE = 'NOTIFY_SOCKET';

/** The same message again within this long is not passed on to observers (docs/containers.md). */
const REPEAT_WINDOW_MS = EXTEND_LOG_WINDOW_MS;

// Already gone (removed by hand, or the temp folder cleaned): nothing to do.
function removeQuietly(remove: () => void): void {
  try {
    remove();
  } catch {
    // Nothing left to remove, or nothing we may remove: the run ends either way.
  }
}

/** Who may send to a service's socket: the user its processes run as (`user:`/`group:`). */
export interface SocketOwner {
  uid: number;
  gid: number;
}

export interface NotifyHub {
  /**
   * Binds the service's socket (once), owned by `owner` (default: the engine's
   * own user), and returns its path for `NOTIFY_SOCKET`; '' without unix-dgram
   * (an empty NOTIFY_SOCKET is no socket to sd_notify, and hides any tierdown
   * itself was given).
   */
  socketFor(service: string, owner?: SocketOwner): string;
  /** Listens to one service's notifications; returns the unsubscribe function. */
  on(service: string, listener: (notification: Notification) => void): () => void;
  /** Resolves at the service's first `READY=1` (since `socketFor`). */
  ready(service: string): Promise<void>;
  /** The service's last `STATUS=`, if any. */
  statusOf(service: string): string | undefined;
  /**
   * Unlinks every socket's file and the run's folder, leaving the sockets open:
   * what would outlive the process. A process that exits next needs nothing
   * more (the kernel closes the sockets); `close()` does the rest.
   */
  removeFiles(): void;
  /** Closes every socket (and removes the files, if `removeFiles` has not). */
  close(): void;
}

/**
 * `onNotification` hears every service's messages (the run turns them into events);
 * `sanitize` makes a `STATUS=` text safe (the run's tokens redacted) before anyone sees it.
 */
export function createNotifyHub(
  onNotification?: (service: string, notification: Notification) => void,
  sanitize: (text: string) => string = (text) => text,
  /** Hears the sockets' folder once it is made (the watchdog removes it if the engine dies). */
  onFolder?: (dir: string) => void,
): NotifyHub {
  let dir: string | undefined;
  const sockets = new Map<string, UnixDgramSocket & { path: string }>();
  const statuses = new Map<string, string>();
  const readiness = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  const events = new EventEmitter();
  events.setMaxListeners(0);
  // Observers hear a message again only after a quiet second: a service repeating
  // EXTEND_TIMEOUT_USEC in a loop is one line, not one per datagram (its statechart hears each).
  const lastTold = new Map<string, { said: string; at: number }>();
  const worthTelling = (service: string, notification: Notification) => {
    const said = JSON.stringify(notification);
    const at = performance.now();
    const last = lastTold.get(service);
    if (last && last.said === said && at - last.at < REPEAT_WINDOW_MS) return false;
    lastTold.set(service, { said, at });
    return true;
  };
  const readyOf = (service: string) => {
    let entry = readiness.get(service);
    if (!entry) {
      let resolve = () => {};
      const promise = new Promise<void>((done) => (resolve = done));
      entry = { promise, resolve };
      readiness.set(service, entry);
    }
    return entry;
  };
  // The folder holds only the sockets bound here: unlinked one by one, then the folder,
  // without rmSync's recursive walk (Node loads its rimraf module for it, at the run's end).
  const unlinked = new Set<string>();
  const removeFiles = () => {
    for (const { path: file } of sockets.values()) {
      if (unlinked.has(file)) continue;
      unlinked.add(file);
      removeQuietly(() => unlinkSync(file));
    }
    const folder = dir;
    if (folder) removeQuietly(() => rmdirSync(folder));
    dir = undefined;
  };
  return {
    socketFor: (service, owner) => {
      // A new spawn (a restart) says READY and STATUS afresh.
      readiness.delete(service);
      statuses.delete(service);
      lastTold.delete(service);
      const existing = sockets.get(service);
      if (existing) return existing.path;
      const dgram = unixDgram();
      if ('missing' in dgram) return '';
      if (!dir) {
        dir = mkdtempSync(path.join(tmpdir(), 'tierdown-notify-'));
        // Passable, not listable: a service as another user reaches its own socket by its path.
        chmodSync(dir, 0o711);
        onFolder?.(dir);
      }
      // Not named after the service (sun_path holds only 107 bytes), nor numbered: a
      // service cannot guess its neighbour's socket from its own in the unlistable folder.
      const file = path.join(dir, `${randomBytes(6).toString('hex')}.sock`);
      const socket = dgram.module.createSocket('unix_dgram', (message) => {
        const notification = parseNotification(message, sanitize);
        if (notification.status !== undefined) statuses.set(service, notification.status);
        if (notification.ready) readyOf(service).resolve();
        if (worthTelling(service, notification)) onNotification?.(service, notification);
        events.emit(service, notification);
      });
      socket.on('error', () => undefined);
      socket.bind(file);
      sockets.set(service, Object.assign(socket, { path: file }));
      // Bound with the umask's mode, writable by the engine's user only; then handed to
      // the service's user alone. A socket that cannot be handed over is no socket of the service's.
      if (owner && owner.uid !== process.getuid?.()) chownSync(file, owner.uid, owner.gid);
      chmodSync(file, 0o600);
      return file;
    },
    on: (service, listener) => {
      events.on(service, listener);
      return () => events.off(service, listener);
    },
    ready: (service) => readyOf(service).promise,
    statusOf: (service) => statuses.get(service),
    removeFiles,
    close: () => {
      removeFiles();
      for (const socket of sockets.values()) socket.close();
      sockets.clear();
      events.removeAllListeners();
    },
  };
}
