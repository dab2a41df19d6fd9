// The helper under a crowd of slow clients (docs/protocol.md): valid requests
// still get their answer, and the ones that arrive while the shutdown begins —
// still in the kernel's accept queue, or on a connection already open — are
// answered, not reset. Real service processes, real sockets on 127.0.0.1.
import { describe, expect, it } from '@jest/globals';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { deadline, send } from './support/helper-service.js';
import { useSandbox } from './support/sandbox.js';

const TOKEN = 'run-token-sl0w-l0r1s';

/** `count` connections that send a request line, then one header line every 200 ms, never ending. */
async function slowloris(port: number, count = 200): Promise<() => void> {
  const sockets: Socket[] = [];
  for (let i = 0; i < count; i++) {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    sockets.push(socket);
  }
  await Promise.all(sockets.map((socket) => once(socket, 'connect')));
  for (const socket of sockets) socket.write('POST /shutdown HTTP/1.1\r\nHost: 127.0.0.1\r\n');
  const drip = setInterval(() => sockets.forEach((socket) => socket.write('X-Slow: yes\r\n')), 200);
  return () => {
    clearInterval(drip);
    sockets.forEach((socket) => socket.destroy());
  };
}

/** Everything a raw connection receives until it ends. */
async function answerOn(socket: Socket): Promise<string> {
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  await Promise.race([once(socket, 'close'), once(socket, 'end')]);
  return text;
}

describe('under 200 slowloris connections', () => {
  const sandbox = useSandbox();

  it('still answers: GET /health 200, a POST without the token 401, another method 405', async () => {
    const service = await sandbox.service(TOKEN);
    const stop = await slowloris(service.port);
    try {
      const [health, unauthorized, wrongMethod] = await Promise.all([
        send(service.port, { method: 'GET', path: '/health' }),
        send(service.port, { token: 'not-the-token', body: deadline(500) }),
        send(service.port, { method: 'PUT', token: TOKEN }),
      ]);
      expect([health.status, unauthorized.status, wrongMethod.status]).toEqual([200, 401, 405]);
    } finally {
      stop();
    }
  });

  it('three concurrent valid POSTs all get 202: the first starts the shutdown, the others join it (5 rounds)', async () => {
    for (let round = 0; round < 5; round++) {
      const service = await sandbox.service(TOKEN);
      const stop = await slowloris(service.port);
      try {
        const answers = await Promise.all([1, 2, 3].map(() => send(service.port, { token: TOKEN, body: deadline(500) }).then((a) => a.status, (e: Error) => e.message)));
        expect({ round, answers }).toEqual({ round, answers: [202, 202, 202] });
        expect(await service.child.waitForExit(5000)).toEqual({ code: 0, signal: null });
        expect(service.hookLines()).toHaveLength(1);
      } finally {
        stop();
      }
    }
  }, 60_000);

  it('a connection opened before the shutdown that sends its POST after the 202 is answered 202, not reset', async () => {
    const service = await sandbox.service(TOKEN);
    const stop = await slowloris(service.port);
    const early = connect(service.port, '127.0.0.1');
    early.on('error', () => undefined);
    try {
      await once(early, 'connect');
      expect((await send(service.port, { token: TOKEN, body: deadline(500) })).status).toBe(202);
      // The shutdown is under way (its drain began before the 202 reached us): now the early client speaks.
      const answer = answerOn(early);
      early.write(`POST /shutdown HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: 2\r\n\r\n{}`);
      expect(await answer).toMatch(/^HTTP\/1\.1 202 /);
      expect(await service.child.waitForExit(5000)).toEqual({ code: 0, signal: null });
    } finally {
      early.destroy();
      stop();
    }
  });
});
