// The HTTP faults of a shutdown request, each with a real fixture service on
// 127.0.0.1 and the real engine: what the report says, and that nothing the
// test started is left running.
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createOrchestrator, type ServiceReport } from '../../src/index.js';
import { quietPort } from '../helpers/ports.js';
import { EXIT_RUNS_OUT, FAST, FIXTURE, HTTP_RUNS_OUT, startStack, TEST_TIMING, type FixtureService } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';
import { ownProcesses } from '../helpers/owned.js';

const owned = ownProcesses();

async function stopOne(spec: FixtureService): Promise<ServiceReport> {
  const stack = await startStack(owned.ledger, { svc: { tier: 'critical', ...spec } });
  const [service] = (await stack.shutdown()).services;
  expect(owned.ledger.survivors()).toEqual([]);
  return service;
}

const reasons = (service: ServiceReport) => service.transitions.map((transition) => transition.reason);

describe('HTTP faults of the shutdown request', () => {
  it('hang after connect: the http budget ends the wait and SIGTERM follows', async () => {
    const service = await stopOne({ env: { FIX_HTTP: 'hang' }, timeouts: HTTP_RUNS_OUT });
    expect(service.path).toEqual(['idle', 'httpShutdown', 'sigterm', 'stopped']);
    expect(reasons(service)).toEqual(['SHUTDOWN', 'httpTimeout', 'PROCESS_EXITED']);
    // Generous bound, only to catch a hang: the budget is 150 ms.
    expect(service.transitions[1].atMs).toBeLessThan(5000);
  });

  it('slow body: a 2xx status line is the acceptance, even if the body never ends', async () => {
    const service = await stopOne({ env: { FIX_HTTP: 'slow-body' }, timeouts: EXIT_RUNS_OUT });
    expect(service.path).toEqual(['idle', 'httpShutdown', 'awaitingExit', 'sigterm', 'stopped']);
    expect(reasons(service)).toEqual(['SHUTDOWN', 'HTTP_ACCEPTED', 'exitTimeout', 'PROCESS_EXITED']);
  });

  it('5xx: the service cannot stop safely; under escalate the stop goes on to SIGTERM', async () => {
    const service = await stopOne({ env: { FIX_HTTP: '500' } });
    expect(service.path).toEqual(['idle', 'httpShutdown', 'sigterm', 'stopped']);
    expect(reasons(service)[1]).toBe('HTTP_REJECTED');
  });

  it('connection reset: counted unreachable, SIGTERM follows at once', async () => {
    const service = await stopOne({ env: { FIX_HTTP: 'reset' } });
    expect(service.path).toEqual(['idle', 'httpShutdown', 'sigterm', 'stopped']);
    expect(reasons(service)[1]).toBe('HTTP_UNREACHABLE');
  });

  it('process exits in the middle of the call: stopped with its own exit code, never killed', async () => {
    const service = await stopOne({ env: { FIX_HTTP: 'exit-during' } });
    // Whether the engine hears the exit or the broken connection first, the process ended by itself.
    expect(service.path.slice(0, 2)).toEqual(['idle', 'httpShutdown']);
    expect(service.path.at(-1)).toBe('stopped');
    expect(service.path).not.toContain('forceKill');
    expect([service.exitCode, service.signal]).toEqual([0, null]);
    expect(service.verified).toBe(true);
  });

  it('already dead before the shutdown: reported as stopped by itself, no request sent', async () => {
    // Ready once started: waiting for /health would race the 50 ms exit on a busy machine.
    const stack = await startStack(owned.ledger, { svc: { tier: 'critical', ready: false, env: { FIX_HTTP: 'good', FIX_EXIT_AFTER_MS: '50' } } });
    await waitUntil(() => stack.status()[0].state === 'exited');
    const [service] = (await stack.shutdown()).services;
    expect(service.path).toEqual(['idle', 'stopped']);
    expect(service.method).toBe('self');
    expect(service.exitCode).toBe(0);
    expect(owned.ledger.survivors()).toEqual([]);
  });
});

describe('401: a remote service given the wrong token', () => {
  async function remote(tokenInFile: string) {
    const port = await quietPort();
    const child = spawn(process.execPath, [FIXTURE], {
      env: { ...process.env, FIX_PID_FILE: owned.ledger.pidFile, PORT: String(port), FIX_HTTP: 'good', TIERDOWN_SHUTDOWN_TOKEN: 'the-right-token' },
      stdio: 'ignore',
    });
    child.unref();
    const tokenFile = path.join(owned.ledger.dir, 'token');
    writeFileSync(tokenFile, `${tokenInFile}\n`);
    const stack = createOrchestrator(
      {
        version: 1,
        defaults: { timeouts: FAST },
        services: { ledger_mirror: { url: `http://127.0.0.1:${port}`, ready: { http: '/health' }, tier: 'critical', shutdown: { tokenFile } } },
      },
      { timing: TEST_TIMING },
    );
    await stack.start();
    return stack.shutdown();
  }

  it('is refused with 401 and, with no other way to stop it, ends failed — the token never printed', async () => {
    const report = await remote('a-wrong-token');
    const [service] = report.services;
    expect(service.path).toEqual(['idle', 'httpShutdown', 'failed']);
    expect(reasons(service)[1]).toBe('HTTP_UNAUTHORIZED');
    expect(service.detail).toBe('shutdown request: HTTP 401 bad token; no way left to stop it (remote service, HTTP or its stop command did not succeed)');
    expect(JSON.stringify(report)).not.toMatch(/a-wrong-token|the-right-token/);
  });
});
