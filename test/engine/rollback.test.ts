// `on_failure: rollback` end to end (SPEC §4), with real processes: when a
// critical service answers its shutdown with 5xx, or any service ends failed,
// the escalation stops, that service is left running, the services already
// stopped are started again in dependency order, and the outcome is rolledBack.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { readProc } from '../../src/actors/process/proc-table.js';
import { createOrchestrator, type Orchestrator, type ShutdownReport, type TierdownEvent } from '../../src/index.js';
import { createFreezer, freezerAvailable, type Freezer } from '../helpers/freezer.js';
import { quietPort } from '../helpers/ports.js';
import { ownProcesses } from '../helpers/owned.js';
import { FAST, FIXTURE, TEST_TIMING } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';
import { compileServiceHelper, type CompiledHelper } from '../service/support/compile-helper.js';

const HELPER_SERVICE = path.resolve('test/fixtures/service/helper-service.mjs');

let helper: CompiledHelper;
const owned = ownProcesses();
let freezer: Freezer;
beforeAll(async () => {
  helper = await compileServiceHelper();
});
afterAll(() => helper.remove());
beforeEach(() => {
  freezer = createFreezer('rollback');
});
afterEach(async () => {
  // Killed before the freezer goes: a frozen task's pending SIGKILL lands when it is thawed.
  owned.ledger.killAll();
  await freezer.remove();
});

interface Spec {
  dependsOn?: string[];
  helper?: Record<string, string>;
  env?: Record<string, string>;
  tier?: string;
  timeouts?: Record<string, string>;
}

/** db ← api ← web ← edge, api shaped by the test. */
async function startChain(api: Spec) {
  const specs: Record<string, Spec> = { db: {}, api: { ...api, dependsOn: ['db'] }, web: { dependsOn: ['api'] }, edge: { dependsOn: ['web'] } };
  const services: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const port = await quietPort();
    services[name] = {
      command: [process.execPath, spec.helper ? HELPER_SERVICE : FIXTURE],
      env: { FIX_PID_FILE: owned.ledger.pidFile, PORT: String(port), ...(spec.helper ? { TIERDOWN_SERVICE_MODULE: helper.moduleUrl, ...spec.helper } : {}), ...spec.env },
      port,
      ready: { http: '/health' },
      tier: spec.tier ?? 'simple',
      ...(spec.timeouts ? { timeouts: spec.timeouts } : {}),
      ...(spec.dependsOn ? { depends_on: spec.dependsOn } : {}),
    };
  }
  const stack = createOrchestrator({ version: 1, on_failure: 'rollback', defaults: { timeouts: FAST }, services }, { timing: TEST_TIMING });
  const events: TierdownEvent[] = [];
  stack.subscribe((event) => events.push(event));
  await stack.start();
  return { stack, events, pids: pidsOf(stack) };
}

const pidsOf = (stack: Orchestrator) => Object.fromEntries(stack.status().map((row) => [row.name, row.pid!]));
const running = (pid: number) => readProc(pid) !== undefined && readProc(pid)!.state !== 'Z';

/** Shuts down, then waits until the rollback has brought the stack back. */
async function stopAndRollBack(stack: Orchestrator, events: TierdownEvent[]) {
  const mark = events.length;
  const report: ShutdownReport = await stack.shutdown();
  await waitUntil(() => stack.status().every((row) => row.state === 'ready'));
  const after = events.slice(mark);
  const order = (type: string) => after.filter((event) => event.type === type).map((event) => (event as { service: string }).service);
  return { report, spawned: order('spawned'), ready: order('ready') };
}

describe('on_failure: rollback', () => {
  it('halts when a critical service answers 5xx: it stays up, the stopped ones start again in dependency order', async () => {
    const { stack, events, pids } = await startChain({ tier: 'critical', helper: { PRECHECK: 'refuse' } });
    const { report, spawned, ready } = await stopAndRollBack(stack, events);

    expect(report.outcome).toBe('rolledBack');
    const paths = Object.fromEntries(report.services.map((service) => [service.name, service.path]));
    expect(paths).toEqual({ edge: ['idle', 'sigterm', 'stopped'], web: ['idle', 'sigterm', 'stopped'], api: ['idle', 'httpShutdown', 'failed'] });
    expect(report.services.find((service) => service.name === 'api')!.detail).toMatch(/HTTP 503 .*escalation halted \(on_failure: rollback\)$/);
    // web before edge, and edge only once web was ready.
    expect(spawned).toEqual(['web', 'edge']);
    expect(ready).toEqual(['web', 'edge']);
    // The refusing service and the one below it were never touched.
    expect(pidsOf(stack).api).toBe(pids.api);
    expect(pidsOf(stack).db).toBe(pids.db);
    expect(running(pids.api) && running(pids.db)).toBe(true);
    expect(running(pids.web) || running(pids.edge)).toBe(false);
    expect(running(pidsOf(stack).web) && running(pidsOf(stack).edge)).toBe(true);
  });

  (freezerAvailable() ? it : it.skip)('halts when a service ends failed: SIGKILL could not end it', async () => {
    const { stack, events, pids } = await startChain({ timeouts: { sigterm: '40ms', kill: '40ms' } });
    freezer.freeze(pids.api);
    const { report, spawned } = await stopAndRollBack(stack, events);

    expect(report.outcome).toBe('rolledBack');
    const paths = Object.fromEntries(report.services.map((service) => [service.name, service.path]));
    expect(paths).toEqual({ edge: ['idle', 'sigterm', 'stopped'], web: ['idle', 'sigterm', 'stopped'], api: ['idle', 'sigterm', 'forceKill', 'failed'] });
    expect(spawned).toEqual(['web', 'edge']);
    expect(pidsOf(stack).db).toBe(pids.db);
    expect(running(pids.db)).toBe(true);
  });
});
