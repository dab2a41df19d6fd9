// The shutdown request against raw TCP servers on 127.0.0.1 that answer byte by
// byte as they please: the status line decides (docs/protocol.md), whatever
// follows it — headers that never end, a status line cut over packets.
import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { postShutdown } from '../../src/actors/http-shutdown.js';

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
