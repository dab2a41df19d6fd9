/**
 * One `down` connection, as `up` serves it: read its one request, check the
 * names, relay the engine's events (and status frames, if asked) while the
 * stop runs, send the report, close. The stop itself is the engine's.
 */
import type { Socket } from 'node:net';
import type { ShutdownReport } from '../../../machines/types.js';
import type { Orchestrator } from '../../engine/orchestrator.js';
import type { ControlError } from './errors.js';
import { onLines, parseRequest, send, type ShutdownRequest } from './protocol.js';

/** What a session needs of the engine. */
export type ControlledStack = Pick<Orchestrator, 'config' | 'shutdown' | 'subscribe' | 'status' | 'finished'>;

export interface SessionOptions {
  /** Called when a `down` asks for a stop (for a note in up's own output). */
  onRequest?: (services: string[]) => void;
  /** How often status frames go to a live `down` (ms). */
  statusIntervalMs?: number;
}

function unknownServices(stack: ControlledStack, names: string[]): string[] {
  const known = new Set(stack.config.services.map((service) => service.name));
  return names.filter((name) => !known.has(name));
}

// A request during another stop is the engine's to join or queue; this only waits for its report.
async function stopAsAsked(stack: ControlledStack, request: ShutdownRequest, deliver: (report: ShutdownReport) => void) {
  deliver(await stack.shutdown(request.services.length > 0 ? request.services : undefined));
}

/** Serves one connection; `busy` holds it while its stop runs, so a closing `up` lets it finish. */
export function serveSession(socket: Socket, stack: ControlledStack, options: SessionOptions, busy: Set<Socket>): void {
  let handled = false;
  onLines(
    socket,
    (message) => {
      if (handled) return;
      handled = true;
      let request: ShutdownRequest;
      try {
        request = parseRequest(message);
      } catch (error) {
        const { code, message: text } = error as ControlError;
        return void (send(socket, { type: 'error', code, message: text }), socket.end());
      }
      const unknown = unknownServices(stack, request.services);
      if (unknown.length) {
        const known = stack.config.services.map((service) => service.name).join(', ');
        const text = `unknown service${unknown.length > 1 ? 's' : ''} ${unknown.map((name) => `"${name}"`).join(', ')} (known: ${known})`;
        return void (send(socket, { type: 'error', code: 'TIERDOWN_UNKNOWN_SERVICE', message: text }), socket.end());
      }
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
