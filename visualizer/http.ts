/**
 * The visualizer's HTTP side, shared by the live page (`--ui`) and the replay
 * (`tierdown view`): the page's files, its model (`api/model`) and a stream of
 * server-sent events (`api/events`) replaying every message so far to a page
 * opened late. Every route sits under the run's secret (visualizer/secret.ts);
 * only our own Host on 127.0.0.1 is answered (DNS rebinding).
 */
import { createServer, type ServerResponse } from 'node:http';
import { createInterface } from 'node:readline';
import { listenLoopback, LOOPBACK } from '../src/serve/loopback.js';
import { loadAssets } from './assets.js';
import type { VisualizerModel } from './model.js';
import { newSecret, routeOf } from './secret.js';

/** The port `--ui` uses without a number (any free one if it is taken). */
export const DEFAULT_UI_PORT = 4840;

export type Message = { kind: string; time?: number } & Record<string, unknown>;

export interface PageServerOptions {
  /** Absent: 4840 if free, else any free port; 0: any free port. */
  port?: number;
  /** The URL secret; a fresh random one by default. */
  secret?: string;
}

export interface WaitForCloseOptions {
  /** A line (Enter) or the end of this stream also ends the wait, e.g. `process.stdin`. */
  input?: NodeJS.ReadableStream;
  /** A page that reconnects within this time (a reload) does not count as closed. */
  graceMs?: number;
  /** Ends the wait too (e.g. Ctrl-C). */
  signal?: AbortSignal;
}

export interface PageServer {
  /** The page's address, secret included: the only URL that works. */
  readonly url: string;
  readonly port: number;
  /** Sends to every open page, and keeps it for pages opened later. */
  publish(message: Message, keep?: boolean): void;
  /** Number of pages following the event stream now. */
  readonly pages: number;
  /** Resolves true once a page follows the event stream, false after `timeoutMs`. */
  waitForPage(timeoutMs: number): Promise<boolean>;
  /** Resolves once every open page has been closed, or on Enter / abort; keeps the process alive meanwhile. */
  waitForClose(options?: WaitForCloseOptions): Promise<'closed' | 'enter'>;
  /** Ends the pages' streams (they keep showing the final state) and stops serving. */
  close(): Promise<void>;
}

const sse = (message: Message) => `data: ${JSON.stringify(message)}\n\n`;
const NO_STORE = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'x-content-type-options': 'nosniff' };

/** Serves `model` (laid out meanwhile: the address is known and printed before the charts are ready). */
export async function servePage(model: VisualizerModel | Promise<VisualizerModel>, options: PageServerOptions = {}): Promise<PageServer> {
  const assets = loadAssets();
  const secret = options.secret ?? newSecret();
  const modelText = Promise.resolve(model).then(
    (ready) => ({ status: 200, body: JSON.stringify(ready) }),
    (error: Error) => ({ status: 500, body: JSON.stringify({ error: `the charts could not be laid out: ${error.message}` }) }),
  );
  const history: string[] = [];
  const pages = new Set<ServerResponse>();
  const pageCount = new Set<(count: number) => void>();
  const changed = () => pageCount.forEach((listener) => listener(pages.size));

  let port = 0;
  const hostAllowed = (host: string | undefined) => [`${LOOPBACK}:${port}`, `localhost:${port}`].includes(host ?? '');
  const server = createServer((request, response) => {
    if (request.method !== 'GET') return void response.writeHead(405).end();
    if (!hostAllowed(request.headers.host)) return void response.writeHead(403).end();
    const route = routeOf((request.url ?? '/').split('?')[0], secret);
    if (route === undefined) return void response.writeHead(404).end();
    if (route === '/api/model') {
      return void modelText.then(({ status, body }) => response.writeHead(status, { 'content-type': 'application/json', ...NO_STORE }).end(body));
    }
    if (route === '/api/events') {
      response.writeHead(200, { 'content-type': 'text/event-stream', connection: 'keep-alive', ...NO_STORE });
      request.socket.unref();
      response.write(history.join(''));
      pages.add(response);
      changed();
      response.on('close', () => {
        pages.delete(response);
        changed();
      });
      return;
    }
    const asset = assets.get(route);
    if (!asset) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': asset.type, ...NO_STORE }).end(asset.body);
  });
  port = await listenLoopback(server, options.port, DEFAULT_UI_PORT);

  let closing: Promise<void> | undefined;
  return {
    url: `http://${LOOPBACK}:${port}/${secret}/`,
    port,
    get pages() {
      return pages.size;
    },
    publish: (message, keep = true) => {
      const text = sse(message);
      if (keep) history.push(text);
      pages.forEach((page) => page.write(text));
    },
    waitForPage: (timeoutMs) =>
      new Promise((resolve) => {
        if (pages.size) return resolve(true);
        const keepAlive = setTimeout(() => finish(false), timeoutMs);
        const finish = (seen: boolean) => {
          clearTimeout(keepAlive);
          pageCount.delete(onCount);
          resolve(seen);
        };
        const onCount = (count: number) => count > 0 && finish(true);
        pageCount.add(onCount);
      }),
    waitForClose: ({ input, graceMs = 1500, signal } = {}) =>
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
          signal?.removeEventListener('abort', onAbort);
          lines?.close();
          resolve(reason);
        };
        const onAbort = () => finish('enter');
        const onCount = (count: number) => {
          seen ||= count > 0;
          clearTimeout(grace);
          if (seen && count === 0) grace = setTimeout(() => finish('closed'), graceMs);
        };
        pageCount.add(onCount);
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort);
        lines?.once('line', () => finish('enter'));
        lines?.once('close', () => finish('enter'));
      }),
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        for (const page of pages) page.end(sse({ kind: 'end' }));
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}
