/**
 * The `up` side of the requests `ps` and `restart` send (beside `down`'s
 * shutdown in session.ts): a status frame, or a restart whose events and
 * report are streamed back like a stop's. The engine decides; this relays.
 */
import type { Socket } from 'node:net';
import type { Orchestrator } from '../../engine/orchestrator.js';
import { send } from './protocol.js';
import { refuseUnknownNames, type ControlledStack } from './session.js';

type QueryableStack = ControlledStack & Partial<Pick<Orchestrator, 'restart'>>;

/**
 * Serves `message` if it is a `status` or `restart` request.
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
  if (request?.type !== 'restart') return false;
  const services = Array.isArray(request.services) ? request.services.filter((name): name is string => typeof name === 'string') : [];
  // A tierdown without restarts says so, whatever the names (one code, one meaning: docs/errors.md).
  if (!stack.restart) {
    send(socket, { type: 'error', code: 'TIERDOWN_RESTART_UNSUPPORTED', message: 'this tierdown cannot restart services' });
    socket.end();
    return true;
  }
  if (refuseUnknownNames(socket, stack, services, { required: true })) return true;
  busy.add(socket);
  const unsubscribe = stack.subscribe((event) => event.type !== 'report' && send(socket, event));
  void stack
    .restart(services)
    .then(
      (report) => send(socket, { type: 'report', report }),
      (error: unknown) => send(socket, { type: 'error', code: 'TIERDOWN_CONTROL_LOST', message: `restart failed: ${error instanceof Error ? error.message : String(error)}` }),
    )
    .finally(() => {
      unsubscribe();
      busy.delete(socket);
      socket.end();
    });
  return true;
}
