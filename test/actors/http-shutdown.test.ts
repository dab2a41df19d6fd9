// The shutdown request against raw TCP servers on 127.0.0.1 that answer byte by
// byte as they please: the status line decides (docs/protocol.md), whatever
// follows it — headers that never end, a status line cut over packets.
import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { postShutdown } from '../../src/actors/http-shutdown.js';
import { createRunDispatchers, type ConnectionCheck, type RunDispatchers } from '../../src/actors/http-dispatchers.js';
import { PortTakenError } from '../../src/actors/http-port-check.js';
import { probeUrl } from '../../src/actors/url-probe.js';

const servers: Server[] = [];
const sockets = new Set<Socket>();
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A server that, once a request's headers are in, writes `parts` 10 ms apart (each its own packet), then one header line every 20 ms for ever. */
async function rawServer(parts: string[], drip = true): Promise<string> {
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    let seen = '';
    socket.on('data', (chunk) => {
      const started = seen.includes('\r\n\r\n');
      seen += chunk.toString('latin1');
      if (started || !seen.includes('\r\n\r\n')) return;
      const queue = [...parts];
      let n = 0;
      const timer = setInterval(() => {
        if (queue.length) socket.write(queue.shift() as string);
        else if (drip) socket.write(`X-Drip-${n++}: still coming\r\n`);
        else clearInterval(timer);
      }, 10);
      socket.on('close', () => clearInterval(timer));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/shutdown`;
}

const ask = (url: string) => postShutdown({ url, token: 'token-of-this-test', deadlineMs: 1000, timeoutMs: 5000, answerWithinMs: 4000 });

describe('the status line decides', () => {
  it('a 503 followed by headers that never end is a refusal, not a timeout', async () => {
    const result = await ask(await rawServer(['HTTP/1.1 503 Service Unavailable\r\n']));
    expect(result).toEqual({ outcome: 'rejected', status: 503, detail: 'HTTP 503 (its headers never ended)' });
  });

  it('a 202 followed by headers that never end is accepted', async () => {
    const result = await ask(await rawServer(['HTTP/1.1 202 Accepted\r\n', 'Content-Type: text/plain\r\n']));
    expect(result).toMatchObject({ outcome: 'accepted', status: 202 });
  });

  it('reads a status line cut over several packets', async () => {
    const result = await ask(await rawServer(['HTTP/1.1 5', '03 Nope\r', '\n']));
    expect(result).toMatchObject({ outcome: 'rejected', status: 503 });
  });

  it('a complete refusal still says why, from its body', async () => {
    const body = 'cannot stop: saving';
    const result = await ask(await rawServer([`HTTP/1.1 503 Service Unavailable\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`], false));
    expect(result).toEqual({ outcome: 'rejected', status: 503, detail: `HTTP 503 ${body}` });
  });

  it('a server that sends nothing is still a timeout', async () => {
    const result = await postShutdown({ url: await rawServer([], false), token: 'token-of-this-test', deadlineMs: 1000, timeoutMs: 200 });
    expect(result).toMatchObject({ outcome: 'error', status: null, detail: 'no answer before the http timeout' });
  });
});

/**
 * A keep-alive server: the first request on a connection gets a complete 200;
 * every later one gets `parts` (10 ms apart), then a header line every 20 ms for ever.
 * `connections` counts the connections it accepted.
 */
async function keepAliveServer(parts: string[]): Promise<{ url: string; connections: () => number }> {
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    let seen = '';
    let answered = 0;
    socket.on('data', (chunk) => {
      seen += chunk.toString('latin1');
      if (!seen.includes('\r\n\r\n')) return;
      // One request's head in (the POST's short body may come with it or after: it is not read).
      seen = '';
      if (answered++ === 0) return void socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nKeep-Alive: timeout=5\r\n\r\nok');
      const queue = [...parts];
      let n = 0;
      const timer = setInterval(() => socket.write(queue.length ? (queue.shift() as string) : `X-Drip-${n++}: still coming\r\n`), 10);
      socket.on('close', () => clearInterval(timer));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => connections };
}

describe('on the run’s keep-alive connection', () => {
  const dispatchers: RunDispatchers[] = [];
  afterEach(async () => {
    await Promise.all(dispatchers.splice(0).map((dispatchers) => dispatchers.close()));
  });
  const runDispatcher = (check?: ConnectionCheck) => {
    const run = createRunDispatchers(() => check);
    dispatchers.push(run);
    return run.of('api', () => undefined);
  };

  it('the POST reuses the connection a readiness probe opened, and its status line still decides', async () => {
    const server = await keepAliveServer(['HTTP/1.1 503 Service Unavailable\r\n']);
    const dispatcher = runDispatcher();
    expect(await probeUrl(`${server.url}/health`, 2000, undefined, dispatcher)).toBe(200);
    // As readiness leaves it, a poll interval before any stop: undici marks the connection idle
    // in a microtask after the answer (a request in the same turn would open another).
    await new Promise((resolve) => setImmediate(resolve));
    const result = await postShutdown({ url: `${server.url}/shutdown`, token: 'token-of-this-test', deadlineMs: 1000, timeoutMs: 5000, answerWithinMs: 4000, dispatcher });
    expect(result).toEqual({ outcome: 'rejected', status: 503, detail: 'HTTP 503 (its headers never ended)' });
    expect(server.connections()).toBe(1);
  });

  it('a status line cut over packets after an earlier answer on the connection is read as the POST’s', async () => {
    const server = await keepAliveServer(['HTTP/1.1 2', '02 Accepted\r', '\n']);
    const dispatcher = runDispatcher();
    expect(await probeUrl(`${server.url}/health`, 2000, undefined, dispatcher)).toBe(200);
    // As readiness leaves it, a poll interval before any stop: undici marks the connection idle
    // in a microtask after the answer (a request in the same turn would open another).
    await new Promise((resolve) => setImmediate(resolve));
    const result = await postShutdown({ url: `${server.url}/shutdown`, token: 'token-of-this-test', deadlineMs: 1000, timeoutMs: 5000, answerWithinMs: 4000, dispatcher });
    expect(result).toMatchObject({ outcome: 'accepted', status: 202 });
    expect(server.connections()).toBe(1);
  });

  it('checks a connection once, when it is made: the POST on the connection a probe opened pays no check', async () => {
    const server = await keepAliveServer(['HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n']);
    const checked: string[] = [];
    const dispatcher = runDispatcher((target) => void checked.push(`${target.hostname}:${target.port}`));
    expect(await probeUrl(`${server.url}/health`, 2000, undefined, dispatcher)).toBe(200);
    await new Promise((resolve) => setImmediate(resolve));
    const result = await postShutdown({ url: `${server.url}/shutdown`, token: 'token-of-this-test', deadlineMs: 1000, timeoutMs: 5000, answerWithinMs: 4000, dispatcher });
    expect(result).toMatchObject({ outcome: 'accepted', status: 202 });
    expect(server.connections()).toBe(1);
    expect(checked).toEqual([`127.0.0.1:${new URL(server.url).port}`]);
  });

  it('a connection the check refuses carries nothing: the POST is not sent, and says why', async () => {
    const received: Buffer[] = [];
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('data', (chunk) => received.push(chunk));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const closed = new Promise((resolve) => server.once('connection', (socket) => socket.once('close', resolve)));
    const dispatcher = runDispatcher(() => new PortTakenError(`port ${port} is held by pid 4711, not by this service`));
    const result = await postShutdown({ url: `http://127.0.0.1:${port}/shutdown`, token: 'token-of-this-test', deadlineMs: 1000, timeoutMs: 5000, answerWithinMs: 4000, dispatcher });
    expect(result).toEqual({ outcome: 'unreachable', status: null, detail: `not sent: port ${port} is held by pid 4711, not by this service` });
    // The refused connection is closed by tierdown; not one byte of the request (nor the token) came before.
    await closed;
    expect(Buffer.concat(received).toString('latin1')).toBe('');
  });
});
