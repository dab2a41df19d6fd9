import { describe, expect, it } from '@jest/globals';
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { deadline, send } from './support/helper-service.js';
import { useSandbox } from './support/sandbox.js';

const TOKEN = 'run-token-d41n';

describe('deadline and draining', () => {
  const sandbox = useSandbox();

  it('aborts the hook signal at deadlineMs, then exits', async () => {
    // A default deadline far off: an abort before it can only be the request's 300 ms.
    const service = await sandbox.service(TOKEN, { HOOK: 'await-deadline', DEFAULT_DEADLINE_MS: '60000' });
    const startedAt = performance.now();
    expect((await send(service.port, { token: TOKEN, body: deadline(300) })).status).toBe(202);
    expect(await service.child.waitForExit()).toEqual({ code: 0, signal: null });
    const [hook, aborted] = service.hookLines();
    expect(hook).toBe('hook http 300');
    const [, elapsedMs, reason] = aborted!.split(' ');
    expect(Number(elapsedMs)).toBeGreaterThanOrEqual(250);
    expect(Number(elapsedMs)).toBeLessThan(10_000);
    expect(reason).toBe('TimeoutError');
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(250);
  });

  it('does not let an idle keep-alive connection keep the process alive', async () => {
    const service = await sandbox.service(TOKEN);
    const keepAlive = new Agent({ keepAlive: true });
    try {
      expect((await send(service.port, { method: 'GET', path: '/health', agent: keepAlive })).body).toBe('ok');
      const startedAt = performance.now();
      expect((await send(service.port, { token: TOKEN, body: deadline(10_000) })).status).toBe(202);
      // Well before the 10 s deadline, which is when a connection keeping it alive would be cut.
      expect(await service.child.waitForExit(8000)).toEqual({ code: 0, signal: null });
      expect(performance.now() - startedAt).toBeLessThan(8000);
    } finally {
      keepAlive.destroy();
    }
  });

  it('lets an in-flight request finish, answered with Connection: close', async () => {
    const service = await sandbox.service(TOKEN);
    const keepAlive = new Agent({ keepAlive: true });
    try {
      const slow = send(service.port, { method: 'GET', path: '/slow', agent: keepAlive });
      await service.child.waitForLine((line) => line === '/slow received');
      expect((await send(service.port, { token: TOKEN, body: deadline(10_000) })).status).toBe(202);
      const answer = await slow;
      expect(answer.body).toBe('slow done');
      expect(answer.headers.connection).toBe('close');
      expect(await service.child.waitForExit()).toEqual({ code: 0, signal: null });
    } finally {
      keepAlive.destroy();
    }
  });

  it('cuts a request still open at the deadline and exits', async () => {
    const service = await sandbox.service(TOKEN);
    const hanging = send(service.port, { method: 'GET', path: '/hang', timeoutMs: 5000 }).then(
      () => 'answered',
      (error: Error) => error.message,
    );
    await service.child.waitForLine((line) => line === '/hang received');
    const startedAt = performance.now();
    expect((await send(service.port, { token: TOKEN, body: deadline(300) })).status).toBe(202);
    expect(await service.child.waitForExit()).toEqual({ code: 0, signal: null });
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(250);
    expect(await hanging).toMatch(/socket hang up|ECONNRESET/);
  });
});
