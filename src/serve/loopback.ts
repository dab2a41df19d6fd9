/**
 * Listening on 127.0.0.1 only, for the pages and sockets tierdown serves
 * (visualizer, inspector relay). A port the user named must be free (0: any
 * free port); without one, the default port is tried, then any free one, so a
 * second `up` still gets its page.
 * The server is unref'd: it never keeps tierdown running by itself.
 */
import type { Server } from 'node:http';
import { TierdownError } from '../errors.js';

export const LOOPBACK = '127.0.0.1';

/** Thrown when the port the user asked for is taken. */
export class PortInUseError extends TierdownError<'TIERDOWN_PORT_IN_USE'> {
  override name = 'PortInUseError';
  constructor(readonly port: number) {
    super('TIERDOWN_PORT_IN_USE', `port ${port} on ${LOOPBACK} is already in use`);
  }
}

function listenOnce(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, LOOPBACK, () => {
      server.off('error', onError);
      resolve((server.address() as { port: number }).port);
    });
  });
}

/**
 * Listens on `port` (0: any free port), or, when absent, on `defaultPort` if
 * free and any free port if not. Resolves with the port actually used.
 */
export async function listenLoopback(server: Server, port: number | undefined, defaultPort: number): Promise<number> {
  try {
    const used = await listenOnce(server, port ?? defaultPort);
    server.unref();
    return used;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    if (port !== undefined) throw new PortInUseError(port);
  }
  const used = await listenOnce(server, 0);
  server.unref();
  return used;
}
