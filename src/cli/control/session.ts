/**
 * One `down` connection, as `up` serves it: read its one request, check the
 * names, relay the engine's events (and status frames, if asked) while the
 * stop runs, send the report, close. The stop itself is the engine's.
 */
import type { Socket } from 'node:net';
import type { ShutdownReport } from '../../../machines/types.js';
import type { Orchestrator } from '../../engine/orchestrator.js';
import { checkServiceNames, UnknownServiceError } from '../../engine/service-names.js';
import type { ControlError } from './errors.js';
import { onLines, parseRequest, send, type ShutdownRequest } from './protocol.js';
import { serveQuery } from './queries.js';

/** What a session needs of the engine. */
export type ControlledStack = Pick<Orchestrator, 'config' | 'shutdown' | 'subscribe' | 'status' | 'finished'>;

export interface SessionOptions {
  /** Called when a `down` asks for a stop (for a note in up's own output). */
  onRequest?: (services: string[]) => void;
  /** How often status frames go to a live `down` (ms). */
  statusIntervalMs?: number;
}

/** Sends the refusal of a request whose names the stack does not have; false when they are all known. */
export function refuseUnknownNames(socket: Socket, stack: Pick<ControlledStack, 'config'>, names: string[], options: { required?: boolean } = {}): boolean {
  try {
    checkServiceNames(stack.config, names, options);
    return false;
  } catch (error) {
    if (!(error instanceof UnknownServiceError)) throw error;
    send(socket, { type: 'error', code: error.code, message: error.message });
    socket.end();
    return true;
  }
}

// A request during another stop is the engine's to join or queue; this only waits for its report.
async function stopAsAsked(stack: ControlledStack, request: ShutdownRequest, deliver: (report: ShutdownReport) => void) {
  const { onFailure, force } = request;
  deliver(await stack.shutdown(request.services.length > 0 ? request.services : undefined, { onFailure, force }));
}

/** Serves one connection; `busy` holds it while its stop runs, so a closing `up` lets it finish. */
export function serveSession(socket: Socket, stack: ControlledStack, options: SessionOptions, busy: Set<Socket>): void {
  let handled = false;
  onLines(
    socket,
    (message) => {
      if (handled) return;
      handled = true;
      // `ps` and `restart` (queries.ts); anything else is a shutdown request as before.
      if (serveQuery(socket, stack, message, busy)) return;
      let request: ShutdownRequest;
      try {
        request = parseRequest(message);
      } catch (error) {
        const { code, message: text } = error as ControlError;
        return void (send(socket, { type: 'error', code, message: text }), socket.end());
      }
      if (refuseUnknownNames(socket, stack, request.services)) return;
      options.onRequest?.(request.services);
      busy.add(socket);
      // Reports go out from the shutdown promise below, so a stop already over still gets one.
      const unsubscribe = stack.subscribe((event) => event.type !== 'report' && send(socket, event));
      const sendStatus = () => send(socket, { type: 'status', services: stack.status() });
      const ticker = request.status ? setInterval(sendStatus, options.statusIntervalMs ?? 100) : undefined;
      const finish = () => {
        unsubscribe();
        clearInterval(ticker);
      };
      socket.once('close', finish);
      if (request.status) sendStatus();
      void stopAsAsked(stack, request, (report) => {
        if (request.status) sendStatus();
        send(socket, { type: 'report', report });
      }).finally(() => {
        finish();
        busy.delete(socket);
        socket.end();
      });
    },
    (error) => {
      send(socket, { type: 'error', code: error.code, message: error.message });
      socket.end();
    },
  );
  // A client that vanishes mid-stop changes nothing: the stop goes on.
  socket.on('error', () => undefined);
}
