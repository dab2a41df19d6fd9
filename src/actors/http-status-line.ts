/**
 * The status line of an answer, as soon as it arrives (docs/protocol.md: the
 * status line decides). undici hands over a status only with the complete
 * headers, so a service that sends `HTTP/1.1 503` and then drips headers for
 * ever would be taken for silent and escalated — even under `on_failure:
 * rollback`. The run's dispatchers (http-dispatchers.ts) watch the bytes undici
 * reads from each of their sockets; a request armed with `onStatusLine` gets the
 * first line of its own answer.
 */
import type { Socket } from 'node:net';

// A status line is a few dozen bytes; a first line longer than this is no HTTP/1.x answer.
const MAX_STATUS_LINE = 1024;
const STATUS_LINE = /^HTTP\/1\.[01] ([2-5]\d\d)(?: |\r?$)/;

/** Where a connection's next status line goes: armed by the request about to be written on it. */
export interface StatusLineSlot {
  /** Called with the next status line's code; cleared once called. */
  next?: (status: number) => void;
}

/**
 * Watches `socket` for the life of the connection: while `slot.next` is armed,
 * the bytes that arrive are the armed request's answer (one request at a time
 * per connection), and its first line is handed over as soon as it is complete.
 */
export function watchStatusLines(socket: Socket, slot: StatusLineSlot): void {
  let head = '';
  const onData = (chunk: Buffer) => {
    if (!slot.next) return;
    head += chunk.toString('latin1', 0, MAX_STATUS_LINE - head.length);
    const end = head.indexOf('\n');
    if (end < 0 && head.length < MAX_STATUS_LINE) return;
    const match = STATUS_LINE.exec(end < 0 ? head : head.slice(0, end));
    const found = slot.next;
    slot.next = undefined;
    head = '';
    if (match) found(Number(match[1]));
  };
  // Paused first: with undici's 'readable' listener in charge, 'data' only mirrors
  // the chunks undici itself reads — this listener takes nothing away from it.
  socket.pause();
  socket.on('data', onData);
}
