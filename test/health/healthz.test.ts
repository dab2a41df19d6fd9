// `up --health PORT` (docs/containers.md): GET /healthz is 503 naming who is not
// ready while the stack starts, 200 once every service runs, 503 again while it stops.
import { describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { configDir, startCli } from '../helpers/cli.js';
import { ownProcesses } from '../helpers/owned.js';
import { freePort } from '../helpers/processes.js';
import { waitUntil } from '../helpers/wait.js';

const owned = ownProcesses();
const SERVICE = fileURLToPath(new URL('../fixtures/notify-service.mjs', import.meta.url));

async function healthz(port: number): Promise<{ status: number; body: Record<string, unknown> } | undefined> {
  try {
    const response = await request(`http://127.0.0.1:${port}/healthz`, { reset: true, signal: AbortSignal.timeout(10_000) });
    return { status: response.statusCode, body: (await response.body.json()) as Record<string, unknown> };
  } catch {
    return undefined;
  }
}

/** A notify-service.mjs entry of a YAML config: ready on READY=1, SIGTERM-obedient; `env` shapes it. */
const service = (name: string, env: Record<string, string>) =>
  `  ${name}:\n    command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(SERVICE)}]\n` +
  `    env: ${JSON.stringify({ FIX_PID_FILE: owned.ledger.pidFile, ...env })}\n    ready: { notify: true, timeout: 20s }\n    timeouts: { sigterm: 3s, kill: 500ms }\n`;

describe('--health', () => {
  it('answers 503 naming who is starting, 200 once all run, 503 naming who is stopping', async () => {
    const port = await freePort();
    // `slow` says READY only when the test has seen it named; on SIGTERM it asks for
    // time until the test has seen it stopping, so each phase lasts until it was seen.
    const readyFile = path.join(owned.ledger.dir, 'slow-ready');
    const savedFile = path.join(owned.ledger.dir, 'slow-saved');
    const yaml = 'version: 1\nservices:\n' + service('quick', {}) + service('slow', { READY_WHEN: readyFile, EXTEND_UNTIL: savedFile, EXTEND_MS: '1000', EXTEND_EVERY_MS: '200' });
    const made = configDir(yaml);
    owned.onCleanup(made.cleanup);
    const cli = startCli(['up', '-c', made.file, '--health', String(port)], { cwd: made.dir });
    owned.onCleanup(cli.kill);
    await cli.waitFor(`health: http://127.0.0.1:${port}/healthz`, 60_000);

    // Until `slow` says READY it is named, with a 503.
    await waitUntil(async () => {
      const answer = await healthz(port);
      return answer?.status === 503 && (answer.body.notReady as Record<string, string> | undefined)?.slow === 'starting';
    }, 10_000, 50);
    expect(cli.output()).not.toContain('services ready');
    writeFileSync(readyFile, '');
    await cli.waitFor('services ready', 30_000);
    const running = await healthz(port);
    expect(running).toEqual({ status: 200, body: { status: 'ok', services: { quick: 'ready', slow: 'ready' } } });

    cli.child.kill('SIGTERM');
    await cli.waitFor('slow | extended 1', 30_000);
    const stopping = await healthz(port);
    expect(stopping?.status).toBe(503);
    expect(stopping?.body.notReady).toMatchObject({ slow: 'stopping' });
    writeFileSync(savedFile, '');
    expect((await cli.exited).status).toBe(0);
  }, 120_000);
});

describe('--health, a service that gave up', () => {
  it('answers 503 naming it "gave up"', async () => {
    const port = await freePort();
    const fixture = fileURLToPath(new URL('../fixtures/service.mjs', import.meta.url));
    const service = (name: string, env: Record<string, string>, restart = 'no') =>
      `  ${name}:\n    command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(fixture)}]\n` +
      `    env: ${JSON.stringify({ FIX_PID_FILE: owned.ledger.pidFile, ...env })}\n    restart: ${restart}\n`;
    // Ready once started; it crashes each time and may be restarted once.
    const yaml =
      'version: 1\nservices:\n' +
      service('steady', {}) +
      service('worker', { FIX_EXIT_AFTER_MS: '150', FIX_EXIT_CODE: '1' }, '{ policy: on-failure, max_restarts: 1, backoff: 20ms }');
    const made = configDir(yaml);
    owned.onCleanup(made.cleanup);
    const cli = startCli(['up', '-c', made.file, '--health', String(port)], { cwd: made.dir });
    owned.onCleanup(cli.kill);
    await cli.waitFor('worker: gave up after 1 restart', 60_000);
    const answer = await healthz(port);
    expect(answer).toEqual({ status: 503, body: { status: 'unavailable', notReady: { worker: 'gave up' }, services: { steady: 'running', worker: 'gave up' } } });
    cli.child.kill('SIGTERM');
    expect((await cli.exited).status).toBe(1);
  }, 120_000);
});

describe('--health, a service left down on purpose', () => {
  it('answers 200 while a service up SERVICE... did not start is stopped, and names it once it starts', async () => {
    const port = await freePort();
    // `extra` says READY only once the test has seen it starting.
    const readyFile = path.join(owned.ledger.dir, 'extra-ready');
    const made = configDir('version: 1\nservices:\n' + service('api', {}) + service('extra', { READY_WHEN: readyFile }));
    owned.onCleanup(made.cleanup);
    const cli = startCli(['up', 'api', '-c', made.file, '--health', String(port)], { cwd: made.dir });
    owned.onCleanup(cli.kill);
    await cli.waitFor('1 of 2 services (api) ready', 30_000);
    expect(await healthz(port)).toEqual({ status: 200, body: { status: 'ok', services: { api: 'ready', extra: 'stopped' } } });

    // Asked for later, it counts: 503 while it starts.
    const start = startCli(['start', 'extra', '-c', made.file], { cwd: made.dir });
    owned.onCleanup(start.kill);
    await waitUntil(async () => (await healthz(port))?.status === 503, 10_000, 50);
    expect((await healthz(port))?.body.notReady).toEqual({ extra: 'starting' });
    writeFileSync(readyFile, '');
    expect((await start.exited).status).toBe(0);
    expect((await healthz(port))?.status).toBe(200);
    cli.child.kill('SIGTERM');
    expect((await cli.exited).status).toBe(0);
  }, 120_000);
});
