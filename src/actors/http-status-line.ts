/**
 * The status line of an answer, as soon as it arrives (docs/protocol.md: the
 * status line decides). undici hands over a status only with the complete
 * headers, so a service that sends `HTTP/1.1 503` and then drips headers for
 * ever would be taken for silent and escalated — even under `on_failure:
 * rollback`. This connector makes the connection for one request and watches
 * the bytes undici reads from it until the first line is complete.
 */
import { buildConnector } from 'undici';
import type { Socket } from 'node:net';

// A status line is a few dozen bytes; a first line longer than this is no HTTP/1.x answer.
const MAX_STATUS_LINE = 1024;
const STATUS_LINE = /^HTTP\/1\.[01] ([2-5]\d\d)(?: |\r?$)/;

export interface StatusLineWatch {
  /** undici's `connect` option for the request's own Client. */
  connect: buildConnector.connector;
  /** Resolves with the status code once the status line is in; never, if it does not come. */
  status: Promise<number>;
}

/** `tls`: the service's CA and client certificate, for an https URL. */
export function watchStatusLine(tls: buildConnector.BuildOptions = {}): StatusLineWatch {
  const connector = buildConnector(tls);
  let found: (status: number) => void = () => {};
  const status = new Promise<number>((resolve) => (found = resolve));
  const watch = (socket: Socket) => {
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1', 0, MAX_STATUS_LINE - head.length);
      const end = head.indexOf('\n');
      if (end < 0 && head.length < MAX_STATUS_LINE) return;
      socket.off('data', onData);
      const match = STATUS_LINE.exec(end < 0 ? head : head.slice(0, end));
      if (match) found(Number(match[1]));
    };
    // Paused first: with undici's 'readable' listener in charge, 'data' only mirrors
    // the chunks undici itself reads — this listener takes nothing away from it.
    socket.pause();
    socket.on('data', onData);
  };
  return {
    connect: (options, callback) =>
      connector(options, (...args) => {
        if (args[1]) watch(args[1]);
        callback(...args);
      }),
    status,
  };
}
