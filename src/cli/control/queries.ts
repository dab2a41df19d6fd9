/**
 * The `up` side of the requests `ps`, `restart` and `start` send (beside
 * `down`'s shutdown in session.ts): a status frame, a restart whose events and
 * report are streamed back like a stop's, or a start whose events come back
 * with what it started. The engine decides; this relays.
 */
import type { Socket } from 'node:net';
import type { Orchestrator } from '../../engine/orchestrator.js';
import { send } from './protocol.js';
import { refuseUnknownNames, type ControlledStack } from './session.js';

type QueryableStack = ControlledStack & Partial<Pick<Orchestrator, 'restart' | 'start'>>;

/** Relays the engine's events to `socket` until `work` settles, then closes it (`busy` holds it meanwhile). */
function relayWhile(socket: Socket, stack: QueryableStack, busy: Set<Socket>, work: () => Promise<void>): void {
  busy.add(socket);
  const unsubscribe = stack.subscribe((event) => event.type !== 'report' && send(socket, event));
  void work().finally(() => {
    unsubscribe();
    busy.delete(socket);
    socket.end();
  });
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Serves `message` if it is a `status`, `restart` or `start` request.
 *
 * @returns false for any other message (session.ts handles it as before).
 */
export function serveQuery(socket: Socket, stack: QueryableStack, message: unknown, busy: Set<Socket>): boolean {
  const request = message as { type?: unknown; services?: unknown } | null;
  if (request?.type === 'status') {
    send(socket, { type: 'status', services: stack.status() });
    socket.end();
    return true;
  }
  if (request?.type !== 'restart' && request?.type !== 'start') return false;
  const services = Array.isArray(request.services) ? request.services.filter((name): name is string => typeof name === 'string') : [];
  if (request.type === 'start') return serveStart(socket, stack, services, busy);
  // A tierdown without restarts says so, whatever the names (one code, one meaning: docs/errors.md).
  if (!stack.restart) {
    send(socket, { type: 'error', code: 'TIERDOWN_RESTART_UNSUPPORTED', message: 'this tierdown cannot restart services' });
    socket.end();
    return true;
  }
  if (refuseUnknownNames(socket, stack, services, { required: true })) return true;
  const { restart } = stack;
  relayWhile(socket, stack, busy, () =>
    restart(services).then(
      (report) => send(socket, { type: 'report', report }),
      (error: unknown) => send(socket, { type: 'error', code: 'TIERDOWN_CONTROL_LOST', message: `restart failed: ${reason(error)}` }),
    ),
  );
  return true;
}

// A start of what is missing (none named: of every service); the chart queues it behind a start or stop under way.
function serveStart(socket: Socket, stack: QueryableStack, services: string[], busy: Set<Socket>): boolean {
  if (!stack.start) {
    send(socket, { type: 'error', code: 'TIERDOWN_CONTROL_PROTOCOL', message: 'this tierdown cannot start services of a running stack' });
    socket.end();
    return true;
  }
  if (refuseUnknownNames(socket, stack, services)) return true;
  const { start } = stack;
  relayWhile(socket, stack, busy, () =>
    start(services).then(
      (started) => {
        send(socket, { type: 'started', services: started });
        send(socket, { type: 'status', services: stack.status() });
      },
      (error: unknown) => send(socket, { type: 'error', code: 'TIERDOWN_START_FAILED', message: reason(error) }),
    ),
  );
  return true;
}
