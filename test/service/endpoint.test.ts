import { describe, expect, it } from '@jest/globals';
import { deadline, send } from './support/helper-service.js';
import { useSandbox } from './support/sandbox.js';

const TOKEN = 'run-token-3f9a1c';

describe('POST /shutdown', () => {
  const sandbox = useSandbox();

  it('answers 202 to the right token, runs the hook once and exits 0', async () => {
    const service = await sandbox.service(TOKEN);
    const answer = await send(service.port, { token: TOKEN, body: deadline(2000) });
    expect(answer.status).toBe(202);
    expect(JSON.parse(answer.body)).toEqual({ accepted: true });
    expect(await service.child.waitForExit()).toEqual({ code: 0, signal: null });
    expect(service.hookLines()).toEqual(['hook http 2000']);
  });

  it('uses the default deadline when the body has none', async () => {
    const service = await sandbox.service(TOKEN, { DEFAULT_DEADLINE_MS: '1234' });
    expect((await send(service.port, { token: TOKEN })).status).toBe(202);
    await service.child.waitForExit();
    expect(service.hookLines()).toEqual(['hook http 1234']);
  });

  it('answers 401 to a wrong token and keeps running', async () => {
    const service = await sandbox.service(TOKEN);
    const answer = await send(service.port, { token: `${TOKEN}x`, body: deadline(1000) });
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe('Bearer');
    expect((await send(service.port, { method: 'GET', path: '/health' })).body).toBe('ok');
    expect(service.hookLines()).toEqual([]);
  });

  it('answers 401 without an Authorization header', async () => {
    const service = await sandbox.service(TOKEN);
    expect((await send(service.port, { body: deadline(1000) })).status).toBe(401);
    expect(service.child.isRunning()).toBe(true);
  });

  it('answers 401 to every token when none is configured (fails closed)', async () => {
    const service = await sandbox.service(undefined);
    expect((await send(service.port, { token: 'anything' })).status).toBe(401);
    expect((await send(service.port, { token: 'undefined' })).status).toBe(401);
    expect((await send(service.port, { method: 'GET', path: '/health' })).status).toBe(200);
  });

  it('answers 405 with Allow: POST to other methods', async () => {
    const service = await sandbox.service(TOKEN);
    const answer = await send(service.port, { method: 'GET', token: TOKEN });
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('POST');
    expect(service.child.isRunning()).toBe(true);
  });

  it('answers 503 with the reason when the precheck refuses, and keeps running', async () => {
    const service = await sandbox.service(TOKEN, { PRECHECK: 'refuse' });
    const answer = await send(service.port, { token: TOKEN, body: deadline(1000) });
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body)).toEqual({ accepted: false, reason: 'replication lag' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await send(service.port, { method: 'GET', path: '/health' })).body).toBe('ok');
    expect(service.hookLines()).toEqual([]);
  });

  it('leaves other paths to the service', async () => {
    const service = await sandbox.service(TOKEN);
    expect((await send(service.port, { path: '/shutdown/extra', token: TOKEN })).status).toBe(404);
    expect((await send(service.port, { path: '/shutdownx', token: TOKEN })).status).toBe(404);
    expect(service.child.isRunning()).toBe(true);
  });
});
