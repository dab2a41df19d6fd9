/**
 * `--ui`: serves the live visualizer on 127.0.0.1. The page gets the charts
 * once (`/api/model`) and then every engine event as server-sent events
 * (`/api/events`), replayed from the start for a page opened late, plus the
 * status rows ("what is it waiting on") while anything changes. Like every
 * view it only subscribes: it never decides anything about the run.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createInterface } from 'node:readline';
import type { Orchestrator } from '../src/engine/orchestrator.js';
import type { TierdownEvent } from '../src/events.js';
import { listenLoopback, LOOPBACK } from '../src/serve/loopback.js';
import { loadAssets } from './assets.js';
import { visualizerModel } from './model.js';

/** The port `--ui` uses without a number (any free one if it is taken). */
export const DEFAULT_UI_PORT = 4840;

/** What the visualizer watches: an orchestrator, or anything that relays one's events. */
export type VisualizedStack = Pick<Orchestrator, 'config' | 'subscribe'> & Partial<Pick<Orchestrator, 'status'>>;

export interface VisualizerOptions {
  /** Absent: 4840 if free, else any free port; 0: any free port. */
  port?: number;
  /** How often status rows are refreshed while a page is open. */
  statusIntervalMs?: number;
}

export interface WaitForCloseOptions {
  /** A line (Enter) or the end of this stream also ends the wait, e.g. `process.stdin`. */
  input?: NodeJS.ReadableStream;
  /** A page that reconnects within this time (a reload) does not count as closed. */
  graceMs?: number;
}

export interface Visualizer {
  readonly url: string;
  readonly port: number;
  /** Resolves once every open page has been closed, or on Enter; keeps the process alive meanwhile. */
  waitForClose(options?: WaitForCloseOptions): Promise<'closed' | 'enter'>;
  /** Ends the pages' streams (they keep showing the final state) and stops serving. */
  close(): Promise<void>;
}

type Message = { kind: 'event'; time: number; event: TierdownEvent } | { kind: 'status'; time: number; rows: unknown } | { kind: 'end' };

const sse = (message: Message) => `data: ${JSON.stringify(message)}\n\n`;

/** Starts serving the visualizer for `stack`; call before `stack.start()` to show the start too. */
export async function startVisualizer(stack: VisualizedStack, options: VisualizerOptions = {}): Promise<Visualizer> {
  const assets = loadAssets();
  const model = JSON.stringify(visualizerModel(stack.config));
  const history: string[] = [];
  const pages = new Set<ServerResponse>();
  const pageCount = new Set<(count: number) => void>();
  const broadcast = (text: string) => pages.forEach((page) => page.write(text));

  const unsubscribe = stack.subscribe((event) => {
    if (event.type === 'log') return; // the terminal shows logs; the page shows the shutdown
    const text = sse({ kind: 'event', time: Date.now(), event });
    history.push(text);
    broadcast(text);
  });
  let lastStatus = '';
  const statusTimer = setInterval(() => {
    if (!pages.size || !stack.status) return;
    const rows = JSON.stringify(stack.status());
    if (rows === lastStatus) return;
    lastStatus = rows;
    broadcast(sse({ kind: 'status', time: Date.now(), rows: JSON.parse(rows) }));
  }, options.statusIntervalMs ?? 200);
  statusTimer.unref();

  let port = 0;
  // Only our own origin: another site in the browser must not read the run (DNS rebinding).
  const hostAllowed = (request: IncomingMessage) => [`${LOOPBACK}:${port}`, `localhost:${port}`].includes(request.headers.host ?? '');
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' || !hostAllowed(request)) return void response.writeHead(request.method !== 'GET' ? 405 : 403).end();
    if (path === '/api/model') return void response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(model);
    if (path === '/api/events') {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      request.socket.unref();
      response.write(history.join(''));
      if (lastStatus) response.write(sse({ kind: 'status', time: Date.now(), rows: JSON.parse(lastStatus) }));
      pages.add(response);
      pageCount.forEach((listener) => listener(pages.size));
      response.on('close', () => {
        pages.delete(response);
        pageCount.forEach((listener) => listener(pages.size));
      });
      return;
    }
    const asset = assets.get(path);
    if (!asset) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-store' }).end(asset.body);
  });
  port = await listenLoopback(server, options.port, DEFAULT_UI_PORT);

  let closing: Promise<void> | undefined;
  return {
    url: `http://${LOOPBACK}:${port}/`,
    port,
    waitForClose: ({ input, graceMs = 1500 } = {}) =>
      new Promise((resolve) => {
        // The server is unref'd; while someone may still look at the page, stay up.
        const keepAlive = setInterval(() => {}, 1 << 30);
        let seen = pages.size > 0;
        let grace: NodeJS.Timeout | undefined;
        const lines = input ? createInterface({ input }) : undefined;
        let done = false;
        const finish = (reason: 'closed' | 'enter') => {
          if (done) return;
          done = true;
          clearInterval(keepAlive);
          clearTimeout(grace);
          pageCount.delete(onCount);
          lines?.close();
          resolve(reason);
        };
        const onCount = (count: number) => {
          seen ||= count > 0;
          clearTimeout(grace);
          if (seen && count === 0) grace = setTimeout(() => finish('closed'), graceMs);
        };
        pageCount.add(onCount);
        lines?.once('line', () => finish('enter'));
        lines?.once('close', () => finish('enter'));
      }),
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        unsubscribe();
        clearInterval(statusTimer);
        for (const page of pages) page.end(sse({ kind: 'end' }));
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}
