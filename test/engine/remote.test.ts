// Remote (url-only) services (SPEC §2): no process of ours, so no signals —
// HTTP or nothing. The "remote" here is a fixture this test starts itself.
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { resolveConfig } from '../../src/config/index.js';
import { createOrchestrator } from '../../src/index.js';
import { freePort } from '../helpers/processes.js';
import { EXIT_RUNS_OUT, FAST, FIXTURE, TEST_TIMING } from '../helpers/stack.js';
import { pollUntil, probeUrl } from '../../src/actors/url-probe.js';
import { ownProcesses } from '../helpers/owned.js';

const owned = ownProcesses();

/** Starts a fixture outside tierdown and returns its base URL once it answers. */
async function remoteFixture(http: string, token: string) {
  const port = await freePort();
  spawn(process.execPath, [FIXTURE], {
    env: { ...process.env, FIX_PID_FILE: owned.ledger.pidFile, PORT: String(port), FIX_HTTP: http, TIERDOWN_SHUTDOWN_TOKEN: token },
    stdio: 'ignore',
  }).unref();
  const url = `http://127.0.0.1:${port}`;
  await pollUntil(async () => (await probeUrl(`${url}/health`, 100)) === 200, { intervalMs: 10, timeoutMs: 10_000 });
  return url;
}

async function stopRemote(http: string, timeouts: Record<string, string> = {}) {
  const tokenFile = path.join(owned.ledger.dir, 'token');
  writeFileSync(tokenFile, 'remote-secret\n');
  const url = await remoteFixture(http, 'remote-secret');
  const config = resolveConfig(
    { version: 1, defaults: { timeouts: { ...FAST, ...timeouts } }, services: { ledger: { url, tier: 'critical', shutdown: { tokenFile }, ready: { http: '/health' } } } },
    '<test>',
    owned.ledger.dir,
  );
  const stack = createOrchestrator(config, { timing: TEST_TIMING });
  await stack.start();
  return (await stack.shutdown()).services[0];
}

describe('remote service', () => {
  it('is stopped over HTTP with the token from its tokenFile, and ends when its URL goes quiet', async () => {
    const service = await stopRemote('good');
    expect(service.path).toEqual(['idle', 'httpShutdown', 'awaitingExit', 'stopped']);
    expect(service.transitions.at(-1)?.reason).toBe('URL_DOWN');
    expect(service.method).toBe('http');
    expect(service.verified).toBe(true);
  });

  it('ends failed when it refuses, since there is nothing to signal', async () => {
    const service = await stopRemote('500');
    expect(service.path).toEqual(['idle', 'httpShutdown', 'failed']);
    expect(service.outcome).toBe('failed');
    expect(service.method).toBe('none');
    expect(service.detail).toMatch(/no way left/);
  });

  it('ends failed when it accepts but keeps answering past the exit timeout', async () => {
    const service = await stopRemote('accept-stay', EXIT_RUNS_OUT);
    expect(service.path).toEqual(['idle', 'httpShutdown', 'awaitingExit', 'failed']);
  });
});
