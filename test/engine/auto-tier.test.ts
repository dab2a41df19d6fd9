// The `auto` tier end to end (SPEC §3): one GET to the shutdown URL — never a
// POST — decides between critical and simple, and the report says which and
// why. The critical case is a real service built on tierdown/service, which
// answers 405 to a GET on its endpoint.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createOrchestrator, type TierdownEvent } from '../../src/index.js';
import { quietPort } from '../helpers/ports.js';
import { ownProcesses } from '../helpers/owned.js';
import { FAST, FIXTURE, TEST_TIMING } from '../helpers/stack.js';
import { compileServiceHelper, type CompiledHelper } from '../service/support/compile-helper.js';

const HELPER_SERVICE = path.resolve('test/fixtures/service/helper-service.mjs');

let helper: CompiledHelper;
const owned = ownProcesses();
beforeAll(async () => {
  helper = await compileServiceHelper();
});
afterAll(() => helper.remove());

async function stopAuto(command: string[], env: Record<string, string>, options: { listening?: boolean } = {}) {
  const port = await quietPort();
  const stack = createOrchestrator(
    {
      version: 1,
      defaults: { timeouts: FAST },
      services: {
        svc: {
          command,
          env: { FIX_PID_FILE: owned.ledger.pidFile, PORT: String(port), ...env },
          port,
          tier: 'auto',
          ...(options.listening === false ? {} : { ready: { http: '/health' } }),
        },
      },
    },
    { timing: TEST_TIMING },
  );
  const events: TierdownEvent[] = [];
  stack.subscribe((event) => events.push(event));
  await stack.start();
  const [service] = (await stack.shutdown()).services;
  expect(owned.ledger.survivors()).toEqual([]);
  return { service, events, port };
}

const resolved = (events: TierdownEvent[]) => events.find((event) => event.type === 'tierResolved') as Extract<TierdownEvent, { type: 'tierResolved' }>;

describe('auto tier', () => {
  it('stops a service built on tierdown/service as critical: its endpoint answers 405 to the probe', async () => {
    const hookLog = path.join(owned.ledger.dir, 'hooks.log');
    const { service, events, port } = await stopAuto([process.execPath, HELPER_SERVICE], { TIERDOWN_SERVICE_MODULE: helper.moduleUrl, HOOK_LOG: hookLog });
    expect(resolved(events).steps).toEqual(['http', 'sigterm', 'forceKill']);
    expect(service.tier).toBe('auto');
    expect(service.path).toEqual(['idle', 'httpShutdown', 'awaitingExit', 'stopped']);
    expect(service.detail).toBe(`auto: GET http://127.0.0.1:${port}/shutdown answered 405 → critical`);
    // The probe shut nothing down: the one shutdown hook run is the real request's.
    expect(readFileSync(hookLog, 'utf8').trim().split('\n')).toEqual([expect.stringMatching(/^hook http /)]);
  });

  it('stops a plain server that answers 404 as simple', async () => {
    const { service, events, port } = await stopAuto([process.execPath, FIXTURE], {});
    expect(resolved(events).steps).toEqual(['sigterm', 'forceKill']);
    expect(service.path).toEqual(['idle', 'sigterm', 'stopped']);
    expect(service.detail).toBe(`auto: GET http://127.0.0.1:${port}/shutdown answered 404 → simple`);
  });

  it('stops a service with nothing listening on its shutdown URL as simple', async () => {
    const { service, port } = await stopAuto([process.execPath, FIXTURE], { FIX_HTTP: 'none' }, { listening: false });
    expect(service.path).toEqual(['idle', 'sigterm', 'stopped']);
    expect(service.detail).toBe(`auto: nothing answered at http://127.0.0.1:${port}/shutdown → simple`);
  });

  it('keeps the reason of its choice when the shutdown request then fails', async () => {
    const { service, port } = await stopAuto([process.execPath, HELPER_SERVICE], { TIERDOWN_SERVICE_MODULE: helper.moduleUrl, PRECHECK: 'refuse' });
    expect(service.path).toEqual(['idle', 'httpShutdown', 'sigterm', 'stopped']);
    expect(service.detail).toMatch(new RegExp(`^auto: GET http://127\\.0\\.0\\.1:${port}/shutdown answered 405 → critical; shutdown request: HTTP 503 `));
  });
});

