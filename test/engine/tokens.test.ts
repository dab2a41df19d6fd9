// One shutdown token per local service and spawn (docs/security.md#one-token-per-service):
// real services using tierdown/service, their tokens read from /proc/<pid>/environ
// as another process of the same user could, and real POSTs on 127.0.0.1.
import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { resolveConfig } from '../../src/config/index.js';
import { readEnvVar } from '../../src/actors/process/proc-table.js';
import { createOrchestrator, type Orchestrator } from '../../src/index.js';
import { ownProcesses } from '../helpers/owned.js';
import { freePort } from '../helpers/processes.js';
import { FAST, TEST_TIMING } from '../helpers/stack.js';

const owned = ownProcesses();
const HELPER_SERVICE = fileURLToPath(new URL('../fixtures/service/helper-service.mjs', import.meta.url));
const TOKEN = 'TIERDOWN_SHUTDOWN_TOKEN';

async function helperStack(names: string[]): Promise<{ stack: Orchestrator; ports: Record<string, number> }> {
  const ports: Record<string, number> = {};
  const services: Record<string, unknown> = {};
  for (const name of names) {
    ports[name] = await freePort();
    services[name] = {
      command: [process.execPath, HELPER_SERVICE],
      env: { FIX_PID_FILE: owned.ledger.pidFile, PORT: String(ports[name]) },
      port: ports[name],
      ready: { http: '/health' },
      tier: 'critical',
    };
  }
  const config = resolveConfig({ version: 1, defaults: { timeouts: { ...FAST, http: '1s', exit: '2s' } }, services }, '<test>', owned.ledger.dir);
  const stack = createOrchestrator(config, { timing: TEST_TIMING });
  await stack.start();
  return { stack, ports };
}

function tokenOf(stack: Orchestrator, name: string): string {
  const pid = stack.status().find((row) => row.name === name)?.pid;
  const token = pid ? readEnvVar(pid, TOKEN) : undefined;
  if (!token) throw new Error(`no ${TOKEN} in the environment of ${name} (pid ${pid})`);
  return token;
}

async function postShutdown(port: number, token: string): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/shutdown`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{"deadlineMs": 1000}',
  });
  await response.arrayBuffer();
  return response.status;
}

describe('one token per service', () => {
  it("one service's token is refused (401) by another's tierdown/service endpoint; tierdown still stops both over HTTP", async () => {
    const { stack, ports } = await helperStack(['api', 'worker']);
    const api = tokenOf(stack, 'api');
    const worker = tokenOf(stack, 'worker');
    expect(api).not.toBe(worker);
    expect(api.length).toBeGreaterThanOrEqual(32);
    // Whoever can read the worker's environment holds nothing that stops the api.
    expect(await postShutdown(ports.api, worker)).toBe(401);
    expect(await postShutdown(ports.worker, api)).toBe(401);

    const report = await stack.shutdown();
    expect(report.services.map((service) => [service.name, service.outcome, service.method]).sort()).toEqual([
      ['api', 'stopped', 'http'],
      ['worker', 'stopped', 'http'],
    ]);
    expect(JSON.stringify(report)).not.toContain(api);
    expect(JSON.stringify(report)).not.toContain(worker);
    expect(owned.ledger.survivors()).toEqual([]);
  }, 30_000);

  it('a restarted service gets a fresh token: the one before it stops nothing, the new one is what tierdown sends', async () => {
    const { stack, ports } = await helperStack(['api']);
    const first = tokenOf(stack, 'api');
    const restarted = await stack.restart(['api']);
    expect(restarted.services[0]).toMatchObject({ outcome: 'stopped', method: 'http' });
    const second = tokenOf(stack, 'api');
    expect(second).not.toBe(first);
    expect(await postShutdown(ports.api, first)).toBe(401);

    const report = await stack.shutdown();
    expect(report.services[0]).toMatchObject({ name: 'api', outcome: 'stopped', method: 'http' });
    expect(owned.ledger.survivors()).toEqual([]);
  }, 30_000);
});
