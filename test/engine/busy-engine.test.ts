// An engine too busy to hear what happened before a step's timer fell due
// (docs/how-it-works.md#timers): 1000 services signalled in one ~1 s turn once
// had their first sigterm timers fall due before a single exit was heard, and
// services that had exited on SIGTERM were reported as killed. Here the engine's
// thread is held past the step's budget after the step has begun: what came
// before the timeout (an exit) must still win over it, and the timeout over what
// only backs it up (the request's own deadline).
import { describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { resolveConfig } from '../../src/config/index.js';
import { createOrchestrator, type Orchestrator } from '../../src/index.js';
import { readProc } from '../../src/actors/process/proc-table.js';
import { ownProcesses } from '../helpers/owned.js';
import { fixtureConfig, TEST_TIMING, type FixtureService } from '../helpers/stack.js';

const owned = ownProcesses();

// Only to catch a hang: a hold gives up waiting for an exit after this long, and the test then fails.
const HOLD_LIMIT_MS = 10_000;

// Exited and not yet reaped (the engine's own child stays a zombie until Node waits for it), or gone.
const exited = (pid: number) => {
  const entry = readProc(pid);
  return entry === undefined || entry.state === 'Z';
};

/** Holds this thread (the engine's too) until `until()` or the limit, then until `ms` after `from`; returns how long after `from` it let go. */
function hold(from: number, ms: number, until: () => boolean = () => true): number {
  while (!until() && performance.now() - from < HOLD_LIMIT_MS);
  while (performance.now() - from < ms);
  return performance.now() - from;
}

async function started(file: Record<string, unknown>): Promise<Orchestrator> {
  const stack = createOrchestrator(resolveConfig(file, '<test>', owned.ledger.dir), { timing: TEST_TIMING });
  await stack.start();
  return stack;
}

/**
 * Stops one service while holding the engine from the signal sent on entering `state`
 * (in a microtask after the notice, so after the signal that follows it in the same
 * turn) until the service has exited and 1.5 × `budgetMs` is over.
 */
async function stopWhileHeld(service: FixtureService, state: 'sigterm' | 'forceKill', budgetMs: number) {
  // Ready once it answers /health: its signal handling is set up by then.
  const stack = await started(await fixtureConfig(owned.ledger, { svc: service }));
  const [{ pid }] = stack.status();
  const held = { exited: false, ms: 0 };
  stack.subscribe((event) => {
    if (event.type !== 'transition' || event.to !== state) return;
    const signalledAt = performance.now();
    queueMicrotask(() => {
      held.ms = hold(signalledAt, budgetMs * 1.5, () => exited(pid!));
      held.exited = exited(pid!);
    });
  });
  const report = await stack.shutdown();
  expect(held).toEqual({ exited: true, ms: expect.any(Number) });
  expect(held.ms).toBeGreaterThan(budgetMs);
  expect(owned.ledger.survivors()).toEqual([]);
  return report.services[0];
}

describe('a timer that falls due while the engine is busy', () => {
  it('loses to the exit that came before it: a service that exited on SIGTERM is stopped by its signal, not killed', async () => {
    const service = await stopWhileHeld({ timeouts: { sigterm: '30ms', kill: '5s' } }, 'sigterm', 30);
    expect(service.path).toEqual(['idle', 'sigterm', 'stopped']);
    expect(service.method).toBe('signal');
    expect(service.transitions.at(-1)?.reason).toBe('PROCESS_EXITED');
  });

  it('loses after a SIGKILL too: a service that died of it is stopped, not "still alive after SIGKILL"', async () => {
    // The kill budget's floor (KILL_SETTLE_MS, machines/delays.ts) is 100 ms.
    const service = await stopWhileHeld({ env: { FIX_SIGTERM: 'ignore' }, timeouts: { sigterm: '30ms', kill: '100ms' } }, 'forceKill', 100);
    expect(service.path).toEqual(['idle', 'sigterm', 'forceKill', 'stopped']);
    expect(service.outcome).toBe('stopped');
    expect(service.signal).toBe('SIGKILL');
  });

  it("wins over the request's own deadline: a POST never answered ends the step by httpTimeout, not as an HTTP error", async () => {
    // The shutdown endpoint is this test's: it holds the engine from the moment the
    // request has arrived (so it was written) past the http budget and the request's
    // own deadline (the budget + 1 s, src/engine/provide.ts), and never answers.
    const HTTP_MS = 30;
    let held = 0;
    const sockets = new Set<Socket>();
    const server = createServer((request: IncomingMessage) => {
      request.resume();
      request.once('end', () => (held = hold(performance.now(), (HTTP_MS + 1000) * 1.3)));
    });
    server.on('connection', (socket) => sockets.add(socket));
    owned.onCleanup(() => {
      for (const socket of sockets) socket.destroy();
      server.close();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const file = await fixtureConfig(owned.ledger, { svc: { tier: 'critical', timeouts: { http: `${HTTP_MS}ms`, sigterm: '5s', kill: '5s' } } });
    const { port } = server.address() as { port: number };
    Object.assign((file.services as Record<string, Record<string, unknown>>).svc, { shutdown: { url: `http://127.0.0.1:${port}/shutdown` } });
    const stack = await started(file);
    const [service] = (await stack.shutdown()).services;
    expect(held).toBeGreaterThan(HTTP_MS + 1000);
    expect(service.path).toEqual(['idle', 'httpShutdown', 'sigterm', 'stopped']);
    expect(service.transitions[1].reason).toBe('httpTimeout');
    expect(owned.ledger.survivors()).toEqual([]);
  });
});
