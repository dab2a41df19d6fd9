/**
 * The `up` side of the requests `ps` and `restart` send (beside `down`'s
 * shutdown in session.ts): a status frame, or a restart whose events and
 * report are streamed back like a stop's. The engine decides; this relays.
 */
import type { Socket } from 'node:net';
import type { Orchestrator } from '../../engine/orchestrator.js';
import { send } from './protocol.js';
import type { ControlledStack } from './session.js';

type QueryableStack = ControlledStack & Partial<Pick<Orchestrator, 'restart'>>;

function unknownNames(stack: ControlledStack, names: string[]): string[] {
  const known = new Set(stack.config.services.map((service) => service.name));
  return names.filter((name) => !known.has(name));
}

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
  const unknown = unknownNames(stack, services);
  if (services.length === 0 || unknown.length || !stack.restart) {
    const known = stack.config.services.map((service) => service.name).join(', ');
    const text = !stack.restart
      ? 'this tierdown cannot restart services'
      : services.length === 0
        ? `name the services to restart (known: ${known})`
        : `unknown service${unknown.length > 1 ? 's' : ''} ${unknown.map((name) => `"${name}"`).join(', ')} (known: ${known})`;
    // One code, one meaning (docs/errors.md): a tierdown without restarts is not an unknown name.
    const code = !stack.restart ? 'TIERDOWN_RESTART_UNSUPPORTED' : services.length === 0 ? 'TIERDOWN_USAGE' : 'TIERDOWN_UNKNOWN_SERVICE';
    send(socket, { type: 'error', code, message: text });
    socket.end();
    return true;
  }
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
