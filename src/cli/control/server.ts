/**
 * The `up` side of the control channel: a Unix socket (mode 0600, in a 0700
 * folder) that accepts shutdown requests from `tierdown down` and streams the
 * engine's events back until that stop's report. It only relays: the engine
 * decides everything, exactly as for a Ctrl-C.
 */
import { chmodSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { alreadyRunning, probeSocket } from './client.js';
import { ensureControlDir, socketPath } from './paths.js';
import { serveSession, type ControlledStack, type SessionOptions } from './session.js';

export type { ControlledStack };

export interface ControlServerOptions extends SessionOptions {
  env: NodeJS.ProcessEnv;
}

export interface ControlServer {
  readonly path: string;
  /** Stops listening, removes the socket, and waits (briefly) for answers in flight to be flushed. */
  close(): Promise<void>;
}

/** Longest a closing `up` waits for `down` clients to read their last lines. */
const FLUSH_MS = 2000;

function listen(server: Server, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(file, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Starts listening for `down` on the socket of this config (see paths.ts).
 * A socket left by an `up` that died is detected (nothing accepts on it) and replaced.
 *
 * @throws {ControlError} `TIERDOWN_ALREADY_RUNNING` when an `up` for the same
 *   config is listening; `TIERDOWN_CONTROL_PATH_UNSAFE` for a bad run folder.
 */
export async function listenForControl(stack: ControlledStack, options: ControlServerOptions): Promise<ControlServer> {
  const file = socketPath(stack.config.source, options.env);
  ensureControlDir(path.dirname(file));
  // A socket another user planted is refused here (probeSocket), never taken for a running `up`.
  const found = await probeSocket(file);
  if (found === 'live') throw alreadyRunning(stack.config.source, file);
  if (found === 'stale') unlinkSync(file);

  const sockets = new Set<Socket>();
  // Sockets following a stop: on close they are left to send their report and end by themselves.
  const busy = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    serveSession(socket, stack, options, busy);
  });
  try {
    await listen(server, file);
  } catch (error) {
    // Two `up`s racing for the same config: the second one loses here.
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw alreadyRunning(stack.config.source, file);
    throw error;
  }
  chmodSync(file, 0o600);
  const removeSocket = () => {
    try {
      unlinkSync(file);
    } catch {
      // Already removed.
    }
  };
  // A third Ctrl-C exits at once (process.exit): still leave no socket behind.
  process.once('exit', removeSocket);

  return {
    path: file,
    close: () =>
      new Promise<void>((resolve) => {
        process.off('exit', removeSocket);
        removeSocket();
        server.close(() => resolve());
        const deadline = setTimeout(() => sockets.forEach((socket) => socket.destroy()), FLUSH_MS);
        deadline.unref();
        for (const socket of sockets) if (!busy.has(socket)) socket.end();
      }),
  };
}
