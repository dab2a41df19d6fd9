/**
 * Services' shutdown endpoints, played by the test on 127.0.0.1: one HTTP
 * server, a path per service (`/<name>`), each answering as its script says.
 * GET is the `auto` probe; POST is the shutdown request. A script may run a
 * step first (freeze the process) so the order of "process state, answer" is
 * the one the path needs. Hung requests are closed with the server.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { HttpAnswer } from './behaviour.js';

export interface EndpointScript {
  probe?: number;
  answer: HttpAnswer;
  beforeAnswer?: () => void;
}

export interface Endpoints {
  url(name: string): string;
  script(name: string, script: EndpointScript): void;
  close(): Promise<void>;
}

export async function startEndpoints(): Promise<Endpoints> {
  const scripts = new Map<string, EndpointScript>();
  const sockets = new Set<Socket>();
  const serve = (request: IncomingMessage, response: ServerResponse) => {
    const script = scripts.get((request.url ?? '/').slice(1));
    if (!script) return void response.writeHead(404).end();
    if (request.method !== 'POST') return void response.writeHead(script.probe ?? 404, { connection: 'close' }).end();
    // The body ({"deadlineMs"}) is read so the request is complete before anything happens.
    request.resume();
    request.once('end', () => {
      script.beforeAnswer?.();
      const { answer } = script;
      if (answer === 'hang') return;
      if (answer === 'reset') return void request.socket.destroy();
      response.writeHead(answer === 'accept' ? 202 : answer, { connection: 'close' }).end(answer === 'accept' ? 'accepted' : 'no');
    });
  };
  const server = createServer(serve);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: (name) => `http://127.0.0.1:${port}/${name}`,
    script: (name, script) => void scripts.set(name, script),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
