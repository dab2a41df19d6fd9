/**
 * `--inspect`: streams every actor's events and snapshots in the Stately
 * inspection protocol (`@statelyai/inspect`'s message format) to WebSocket
 * clients on 127.0.0.1.
 *
 * Topology: tierdown is the server. The engine's XState inspection events are
 * converted by `@statelyai/inspect`'s own `createInspector` and handed to every
 * connected client; a browser opening the HTTP page on the same port gets a
 * bridge into Stately's inspector UI, and any WebSocket client (e.g.
 * `createWebSocketReceiver({ server: 'ws://127.0.0.1:PORT' })`) can read the
 * stream directly. Nothing here dials out, so an absent inspector costs nothing:
 * no retries, no open handle keeping tierdown alive (the server is unref'd), and
 * `close()` is bounded however a client behaves.
 */
import { createServer } from 'node:http';
import type { StatelyInspectionEvent } from '@statelyai/inspect';
import type { InspectionEvent } from 'xstate';
import { listenLoopback, LOOPBACK } from '../serve/loopback.js';
import { bridgePage, STATELY_INSPECTOR_URL } from './bridge-page.js';

/** `@statelyai/inspect`'s default server port: its receivers find tierdown without being told. */
export const DEFAULT_INSPECT_PORT = 8080;

export interface InspectorRelayOptions {
  /** Absent: 8080 if free, else any free port; 0: any free port. */
  port?: number;
  /** Events (besides actor registrations) kept for clients that attach late. */
  replayLimit?: number;
  /** How long `close()` waits for clients to acknowledge before cutting them off. */
  closeTimeoutMs?: number;
}

export interface InspectorRelay {
  readonly port: number;
  /** `ws://127.0.0.1:PORT`: where inspection clients connect. */
  readonly url: string;
  /** `http://127.0.0.1:PORT`: open in a browser to watch in Stately's inspector. */
  readonly pageUrl: string;
  /** Pass as `createOrchestrator(config, { inspect })`. */
  inspect(event: InspectionEvent): void;
  /** Sends what is still queued, then closes every client and the server. */
  close(): Promise<void>;
}

// Snapshots hold actor refs (serialised by their toJSON) and may share objects.
function stringify(event: StatelyInspectionEvent): string | undefined {
  const seen = new WeakSet<object>();
  try {
    return JSON.stringify(event, (_key, value: unknown) => {
      if (typeof value === 'function') return undefined;
      if (value && typeof value === 'object') {
        if (seen.has(value)) return '[Circular]';
        seen.add(value);
      }
      return value;
    });
  } catch {
    return undefined;
  }
}

/**
 * A service machine's actor id is its place in the plan (serviceActorId in
 * machines/orchestrator.ts), which is what the inspector would show as its name:
 * it is named by its service instead, as the context it starts with says.
 */
function namedByService(event: StatelyInspectionEvent): StatelyInspectionEvent {
  if (event.type !== '@xstate.actor' || !/^\d+$/.test(event.name)) return event;
  const service = (event.snapshot as { context?: { name?: unknown } } | undefined)?.context?.name;
  return typeof service === 'string' ? { ...event, name: service } : event;
}

/** Stately's inspector, which the bridge page embeds (see bridge-page.ts). */
const STATELY_ORIGIN = new URL(STATELY_INSPECTOR_URL).origin;

/**
 * Who may open the inspection stream: clients that send no Origin (Node, CLI
 * tools: browsers always send one), the relay's own bridge page, and Stately's
 * inspector. Any other web page is refused at the handshake.
 */
export function originAllowed(origin: string | undefined, port: number): boolean {
  if (origin === undefined || origin === '') return true;
  const own = [`http://${LOOPBACK}:${port}`, `http://localhost:${port}`];
  return own.includes(origin) || origin === STATELY_ORIGIN;
}

const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Starts the relay on 127.0.0.1. */
export async function startInspectorRelay(options: InspectorRelayOptions = {}): Promise<InspectorRelay> {
  // Loaded here, not with the module: every import of the API (src/index.ts) would pay ~0.1 s for them.
  const [{ createInspector }, { WebSocket, WebSocketServer }] = await Promise.all([import('@statelyai/inspect'), import('ws')]);
  const replayLimit = options.replayLimit ?? 5000;
  // Actor registrations are always replayed: without them an inspector shows nothing.
  const actors: string[] = [];
  const recent: string[] = [];
  const http = createServer((request, response) => {
    if (request.method === 'GET' && (request.url === '/' || request.url === '/index.html')) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(bridgePage(url));
    } else {
      response.writeHead(404).end();
    }
  });
  // A web page the user happens to have open could otherwise connect and read the run.
  const sockets = new WebSocketServer({ server: http, verifyClient: ({ origin }: { origin?: string }) => originAllowed(origin, port) });
  // ws re-emits the HTTP server's errors (EADDRINUSE while listening): listenLoopback handles them.
  sockets.on('error', () => undefined);
  sockets.on('connection', (socket, request) => {
    request.socket.unref();
    for (const message of [...actors, ...recent]) socket.send(message);
  });
  const port = await listenLoopback(http, options.port, DEFAULT_INSPECT_PORT);
  const url = `ws://${LOOPBACK}:${port}`;

  const inspector = createInspector(
    {
      send(event) {
        const message = stringify(namedByService(event));
        if (message === undefined) return;
        if (event.type === '@xstate.actor') actors.push(message);
        else if (recent.push(message) > replayLimit) recent.shift();
        for (const client of sockets.clients) if (client.readyState === WebSocket.OPEN) client.send(message);
      },
    },
    { autoStart: false },
  );

  let closing: Promise<void> | undefined;
  return {
    port,
    url,
    pageUrl: `http://${LOOPBACK}:${port}`,
    inspect: (event) => inspector.inspect.next?.(event),
    close: () =>
      (closing ??= (async () => {
        // The converter defers each event by one timer turn; let the last ones out.
        await nextTurn();
        await nextTurn();
        const goodbyes = [...sockets.clients].map(
          (client) =>
            new Promise<void>((resolve) => {
              const cutOff = setTimeout(() => (client.terminate(), resolve()), options.closeTimeoutMs ?? 500);
              client.once('close', () => (clearTimeout(cutOff), resolve()));
              client.close(1001, 'tierdown is done');
            }),
        );
        await Promise.all(goodbyes);
        sockets.close();
        http.closeAllConnections();
        await new Promise<void>((resolve) => http.close(() => resolve()));
      })()),
  };
}
