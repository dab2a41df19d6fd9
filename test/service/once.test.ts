import { describe, expect, it } from '@jest/globals';
import { deadline, send } from './support/helper-service.js';
import { useSandbox } from './support/sandbox.js';

const TOKEN = 'run-token-77b2';

describe('onShutdown hooks run exactly once', () => {
  const sandbox = useSandbox();

  it('runs them on SIGTERM alone and exits 0', async () => {
    const service = await sandbox.service(TOKEN);
    service.child.process.kill('SIGTERM');
    expect(await service.child.waitForExit()).toEqual({ code: 0, signal: null });
    expect(service.hookLines()).toEqual(['hook SIGTERM 5000']);
  });

  it('runs them on SIGINT alone and exits 0', async () => {
    const service = await sandbox.service(TOKEN, { DEFAULT_DEADLINE_MS: '800' });
    service.child.process.kill('SIGINT');
    expect(await service.child.waitForExit()).toEqual({ code: 0, signal: null });
    expect(service.hookLines()).toEqual(['hook SIGINT 800']);
  });

  it('runs them once when a POST and a SIGTERM arrive together', async () => {
    const service = await sandbox.service(TOKEN);
    const posted = send(service.port, { token: TOKEN, body: deadline(2000) }).then(
      (answer) => answer.status,
      (error: Error) => error.message,
    );
    service.child.process.kill('SIGTERM');
    // Whichever wins, the POST is accepted or finds the listener already closed.
    expect(String(await posted)).toMatch(/^202$|ECONNREFUSED|ECONNRESET|socket hang up/);
    expect(await service.child.waitForExit()).toEqual({ code: 0, signal: null });
    expect(service.hookLines()).toHaveLength(1);
  });

  it('lets signals and POSTs during a running shutdown join it', async () => {
    const service = await sandbox.service(TOKEN, { HOOK: 'slow', HOOK_SLEEP_MS: '600' });
    const post = { token: TOKEN, body: deadline(3000) };
    const [first, second] = await Promise.all([send(service.port, post), send(service.port, post)]);
    expect([first.status, second.status]).toEqual([202, 202]);
    await service.child.waitForLine((line) => line === 'hook-start');
    service.child.process.kill('SIGTERM');
    service.child.process.kill('SIGINT');
    service.child.process.kill('SIGTERM');
    expect(await service.child.waitForExit()).toEqual({ code: 0, signal: null });
    expect(service.hookLines()).toEqual(['hook http 3000']);
  });

  it('exits 1 when a hook throws', async () => {
    const service = await sandbox.service(TOKEN, { HOOK: 'throw' });
    expect((await send(service.port, { token: TOKEN, body: deadline(1000) })).status).toBe(202);
    expect(await service.child.waitForExit()).toEqual({ code: 1, signal: null });
    expect(service.hookLines()).toEqual(['hook http 1000']);
  });
});
