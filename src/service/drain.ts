/**
 * Draining an HTTP server without cutting answers short: stop listening, close
 * idle keep-alive sockets, tell in-flight requests `Connection: close` so their
 * sockets end with the answer, and cut whatever is still open at the deadline.
 * Without this, one idle keep-alive socket keeps `server.close()` (and so the
 * process) waiting until the client lets go.
 *
 * The listener closes only once the connections already waiting in the kernel's
 * accept queue are taken in: closing it at once would reset them — a second POST
 * of tierdown's, a client of the service — and under load (a crowd of slow
 * clients keeping the event loop busy) a valid request can wait there many ms.
 */
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { Server as HttpsServer } from 'node:https';

/** A server's connections, ready to be drained. */
export interface ConnectionDrain {
  /** Starts draining; resolves when every connection is closed or, at the latest, at the deadline. */
  drain(deadline: AbortSignal): Promise<{ forced: boolean }>;
  /** Stops tracking requests (removes the listener added to the server). */
  dispose(): void;
}

/** Tracks the server's in-flight responses from now on, so a later drain can reach them. */
export function trackConnections(server: HttpServer | HttpsServer): ConnectionDrain {
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  // A socket becomes idle only after its response ends, so re-sweep then.
  const closeIdleSoon = (): void => void setImmediate(() => server.closeIdleConnections());

  const onRequest = (_req: IncomingMessage, res: ServerResponse): void => {
    inFlight.add(res);
    if (draining) markClosing(res);
    res.once('close', () => {
      inFlight.delete(res);
      if (draining) closeIdleSoon();
    });
  };
  // Prepended so the header is set before the service's own listener answers.
  server.prependListener('request', onRequest);

  return {
    drain(deadline) {
      draining = true;
      for (const res of inFlight) markClosing(res);
      return new Promise((resolve) => {
        let settled = false;
        const settle = (forced: boolean): void => {
          if (settled) return;
          settled = true;
          deadline.removeEventListener('abort', onDeadline);
          resolve({ forced });
        };
        // Reaching the deadline means close() has not called back: something is still open.
        const onDeadline = (): void => {
          server.closeAllConnections();
          settle(true);
        };
        // An immediate scheduled from an immediate runs after the next poll of the event loop,
        // which accepts every connection the kernel has completed by then.
        setImmediate(() =>
          setImmediate(() => {
            // The callback also runs (with an error) when the server was not listening.
            server.close(() => settle(false));
            server.closeIdleConnections();
          }),
        );
        if (deadline.aborted) onDeadline();
        else deadline.addEventListener('abort', onDeadline, { once: true });
      });
    },
    dispose() {
      server.off('request', onRequest);
    },
  };
}

function markClosing(res: ServerResponse): void {
  if (!res.headersSent) res.setHeader('Connection', 'close');
}
